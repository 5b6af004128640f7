/* The JSON writer: commas, nesting, lines, and escaped strings. */
#include <stdlib.h>
#include <string.h>

#include "../../common/clock.h"
#include "../../common/output/event_json.h"
#include "../../common/output/json_writer.h"
#include "../../common/text.h"
#include "unit.h"

/* What the writer wrote, as a string the caller frees. */
struct capture {
	char *buf;
	size_t len;
	FILE *f;
	struct json_writer w;
};

static void capture_start(struct capture *c)
{
	c->buf = NULL;
	c->f = open_memstream(&c->buf, &c->len);
	jsonw_init(&c->w, c->f);
}

static const char *capture_end(struct capture *c)
{
	fclose(c->f);
	return c->buf;
}

static void members_and_commas(void)
{
	struct capture c;

	capture_start(&c);
	jsonw_start_object(&c.w);
	jsonw_string_field(&c.w, "time", "12:00:00");
	jsonw_fixed_field(&c.w, "timestamp", 1.5, 6);
	jsonw_int_field(&c.w, "ret", -2);
	jsonw_uint_field(&c.w, "pid", 4294967295u);
	jsonw_bool_field(&c.w, "more", true);
	jsonw_null_field(&c.w, "tpid");
	jsonw_end_object(&c.w);
	CHECK_STR(capture_end(&c), "{\"time\":\"12:00:00\",\"timestamp\":1.500000,\"ret\":-2,"
				   "\"pid\":4294967295,\"more\":true,\"tpid\":null}\n");
	free(c.buf);
}

static void nested_and_empty(void)
{
	struct capture c;

	capture_start(&c);
	jsonw_start_object(&c.w);
	jsonw_start_array_field(&c.w, "args");
	jsonw_string(&c.w, "a");
	jsonw_null(&c.w);
	jsonw_uint(&c.w, 3);
	jsonw_end_array(&c.w);
	jsonw_start_array_field(&c.w, "none");
	jsonw_end_array(&c.w);
	jsonw_start_object_field(&c.w, "delivery");
	jsonw_string_field(&c.w, "fate", "gone");
	jsonw_end_object(&c.w);
	jsonw_start_object_field(&c.w, "empty");
	jsonw_end_object(&c.w);
	jsonw_bool_field(&c.w, "last", false);
	jsonw_end_object(&c.w);
	/* a second object is a line of its own */
	jsonw_start_object(&c.w);
	jsonw_end_object(&c.w);
	CHECK_STR(capture_end(&c),
		  "{\"args\":[\"a\",null,3],\"none\":[],\"delivery\":{\"fate\":\"gone\"},"
		  "\"empty\":{},\"last\":false}\n{}\n");
	free(c.buf);
}

static void strings_escaped(void)
{
	struct capture c;
	static const char bytes[] = "a\"b\\\n\xff\xe2\x80\xa8";

	capture_start(&c);
	jsonw_start_object(&c.w);
	jsonw_bytes_field(&c.w, "comm", bytes, sizeof(bytes) - 1);
	jsonw_string_field(&c.w, "q", "x\"");
	jsonw_end_object(&c.w);
	CHECK_STR(capture_end(&c), "{\"comm\":\"a\\\"b\\\\\\n\\udcff\\u2028\",\"q\":\"x\\\"\"}\n");
	free(c.buf);
}

/* Members rendered once, then written in objects, commas placed as for any member. */
static void members_rendered_once(void)
{
	struct json_writer m;
	struct capture c;
	char long_value[JSONW_BUFFER];

	jsonw_init_members(&m);
	jsonw_uint_field(&m, "id", 7);
	jsonw_string_field(&m, "path", "/a\"b");
	CHECK(!m.overflow);
	capture_start(&c);
	jsonw_start_object(&c.w);
	jsonw_members(&c.w, m.buf, m.len);
	jsonw_end_object(&c.w);
	jsonw_start_object(&c.w);
	jsonw_int_field(&c.w, "pid", 1);
	jsonw_members(&c.w, m.buf, m.len);
	jsonw_null_field(&c.w, "last");
	jsonw_end_object(&c.w);
	CHECK_STR(capture_end(&c), "{\"id\":7,\"path\":\"/a\\\"b\"}\n"
				   "{\"pid\":1,\"id\":7,\"path\":\"/a\\\"b\",\"last\":null}\n");
	free(c.buf);

	memset(long_value, 'x', sizeof(long_value) - 1);
	long_value[sizeof(long_value) - 1] = '\0';
	jsonw_init_members(&m);
	jsonw_string_field(&m, "path", long_value);
	CHECK(m.overflow);
	CHECK(m.len <= JSONW_BUFFER);
}

static void numbers_by_hand(void)
{
	struct capture c;

	capture_start(&c);
	jsonw_start_array(&c.w);
	jsonw_int(&c.w, -9223372036854775807LL - 1);
	jsonw_uint(&c.w, 18446744073709551615ULL);
	jsonw_int(&c.w, 0);
	jsonw_decimal(&c.w, 1500000499ULL, 9, 6);   /* rounded down */
	jsonw_decimal(&c.w, 1500000500ULL, 9, 6);   /* half up */
	jsonw_decimal(&c.w, 999999999500ULL, 9, 6); /* carried into the seconds */
	jsonw_decimal(&c.w, 0, 9, 6);
	jsonw_decimal(&c.w, 1234, 3, 3);
	jsonw_decimal(&c.w, 7, 3, 0);
	jsonw_end_array(&c.w);
	CHECK_STR(capture_end(&c), "[-9223372036854775808,18446744073709551615,0,1.500000,1.500001,"
				   "1000.000000,0.000000,1.234,0]\n");
	free(c.buf);
}

/*
 * An event's time, from a head rendered once per second and type with the
 * nanoseconds written in: the same as clock_rfc3339 says, across a second's
 * change and a type's.
 */
static void event_time_rendered(void)
{
	static const struct {
		const char *type;
		unsigned long long ns;
	} events[] = {
		{ "kill", 0 },
		{ "kill", 123 },
		{ "kill", 999999999ULL },
		{ "exec", 1000000000ULL },
		{ "kill", 1000000007ULL },
		{ "kill", 5000000000ULL },
	};
	const unsigned long long start = monotonic_ns();

	for (size_t i = 0; i < sizeof(events) / sizeof(events[0]); i++) {
		char want[40], type[32];
		struct capture c;
		const char *line, *time;

		capture_start(&c);
		event_json_begin(&c.w, events[i].type, start, start + events[i].ns, 0);
		jsonw_end_object(&c.w);
		line = capture_end(&c);
		clock_rfc3339(want, sizeof(want), start + events[i].ns);
		time = strstr(line, "\"time\":\"");
		CHECK(time && !strncmp(time + 8, want, strlen(want)) &&
		      time[8 + strlen(want)] == '"');
		strfmt(type, sizeof(type), "{\"schema_version\":1,\"type\":\"%s\",",
		       events[i].type);
		CHECK(!strncmp(line, type, strlen(type)));
		free(c.buf);
	}
}

/* The value of member name in the line, as text up to its end: "" when absent. */
static void member_text(const char *line, const char *name, char *out, size_t len)
{
	char key[32];
	const char *at;
	size_t n;

	strfmt(key, sizeof(key), "\"%s\":", name);
	at = strstr(line, key);
	out[0] = '\0';
	if (!at)
		return;
	at += strlen(key);
	n = strcspn(at, ",}");
	if (n < len)
		strfmt(out, len, "%.*s", (int)n, at);
}

/* Two objects of a run: seq one more in the second, the same run_id, the kernel's boot_id. */
static void identity_and_seq(void)
{
	char seq[2][32], run[2][64], boot[2][64], want_boot[64] = "\"";
	FILE *f = fopen("/proc/sys/kernel/random/boot_id", "r");

	CHECK(f && fgets(want_boot + 1, 37, f));
	if (f)
		fclose(f);
	strcat(want_boot, "\"");
	event_json_identity();
	for (int i = 0; i < 2; i++) {
		struct capture c;
		const char *line;

		capture_start(&c);
		event_json_begin(&c.w, i ? "kill" : "exec", 0, monotonic_ns(), 0);
		jsonw_end_object(&c.w);
		line = capture_end(&c);
		member_text(line, "seq", seq[i], sizeof(seq[i]));
		member_text(line, "run_id", run[i], sizeof(run[i]));
		member_text(line, "boot_id", boot[i], sizeof(boot[i]));
		free(c.buf);
	}
	CHECK(strtoull(seq[0], NULL, 10) >= 1);
	CHECK(strtoull(seq[1], NULL, 10) == strtoull(seq[0], NULL, 10) + 1);
	CHECK(strlen(run[0]) == 38 && run[0][15] == '4' && strchr("89ab", run[0][20]));
	CHECK_STR(run[1], run[0]);
	CHECK_STR(boot[0], want_boot);
	CHECK_STR(boot[1], want_boot);
}

UNIT_SUITE(json_writer_tests,
	   { "json writer: members, commas, numbers, true, null", members_and_commas },
	   { "json writer: arrays and objects nested, empty ones, one object a line",
	     nested_and_empty },
	   { "json writer: strings escaped, bytes that are not UTF-8 kept", strings_escaped },
	   { "json writer: members rendered once, written in many objects", members_rendered_once },
	   { "json writer: integers at their limits, decimals rounded half up", numbers_by_hand },
	   { "json writer: an event's time as clock_rfc3339's, across seconds and types",
	     event_time_rendered },
	   { "json writer: objects numbered one after the other, one run_id, the kernel's boot_id",
	     identity_and_seq });
