#include <stdlib.h>
#include <string.h>

#include "../../common/output/json_writer.h"
#include "../../common/text.h"
#include "unit.h"

/* Runs fn's output into a string the caller frees. */
#define CAPTURE(buf, call)                                                                         \
	do {                                                                                       \
		size_t len_;                                                                       \
		FILE *out = open_memstream(&(buf), &len_);                                         \
		call;                                                                              \
		fclose(out);                                                                       \
	} while (0)

static void check_escape(const char *in, size_t len, bool quote, const char *want)
{
	char *got = NULL;

	CAPTURE(got, text_escape(out, in, len, quote));
	CHECK_STR(got, want);
	free(got);
}

/*
 * in as the tools write a JSON string (jsonw_bytes, in an array whose
 * brackets and newline are taken off again), quotes and all; the caller
 * frees it.
 */
static char *json_literal(const char *in, size_t len)
{
	struct json_writer w;
	char *got = NULL;
	size_t n = 0;
	FILE *out = open_memstream(&got, &n);

	jsonw_init(&w, out);
	jsonw_start_array(&w);
	jsonw_bytes(&w, in, len);
	jsonw_end_array(&w);
	fclose(out);
	if (n >= 3 && got[0] == '[' && got[n - 2] == ']' && got[n - 1] == '\n') {
		memmove(got, got + 1, n - 3);
		got[n - 3] = '\0';
	}
	return got;
}

static void check_json(const char *in, size_t len, const char *want)
{
	char *got = json_literal(in, len);

	CHECK_STR(got, want);
	free(got);
}

static void escape_plain_and_special(void)
{
	check_escape("hello world", 11, false, "hello world");
	check_escape("a\\b", 3, false, "a\\\\b");
	check_escape("new\nline\ttab\r", 13, false, "new\\nline\\ttab\\r");
	check_escape("q\"uote", 6, false, "q\"uote");
	check_escape("q\"uote", 6, true, "\"q\\\"uote\"");
	check_escape("", 0, true, "\"\"");
	check_escape("\x01\x7f", 2, false, "\\x01\\x7f");
}

static void escape_utf8(void)
{
	check_escape("caf\xc3\xa9", 5, false, "caf\xc3\xa9");	   /* valid: kept */
	check_escape("\xe2\x82\xac", 3, false, "\xe2\x82\xac");	   /* euro sign */
	check_escape("\xff", 1, false, "\\xff");		   /* never valid */
	check_escape("\xc0\xaf", 2, false, "\\xc0\\xaf");	   /* overlong */
	check_escape("\xed\xa0\x80", 3, false, "\\xed\\xa0\\x80"); /* surrogate */
	check_escape("ab\xe2\x82", 4, false, "ab\\xe2\\x82");	   /* cut short */
}

/* The code points the issue names: a CSI that rewrites a terminal, NEL, bidi, separators. */
static void escape_code_points_that_act(void)
{
	check_escape("\xc2\x9b"
		     "2K",
		     4, false, "\\u009b2K"); /* C1 CSI */
	check_escape("a\xc2\x85"
		     "b",
		     4, false, "a\\u0085b"); /* NEL */
	check_escape("\xe2\x80\xae"
		     "cba",
		     6, false, "\\u202ecba");		   /* RLO */
	check_escape("\xe2\x81\xa6", 3, false, "\\u2066"); /* LRI */
	check_escape("\xe2\x80\xa8\xe2\x80\xa9", 6, true, "\"\\u2028\\u2029\"");
	check_escape("\xe2\x80\x8b\xef\xbb\xbf", 6, false, "\\u200b\\ufeff"); /* invisible */
	check_escape("\xf3\xa0\x80\x81", 4, false, "\\U000e0001");	      /* language tag */
	check_json("\xe2\x80\xa8"
		   "x"
		   "\xe2\x80\xa9",
		   7, "\"\\u2028x\\u2029\"");
	check_json("\xc2\x9b", 2, "\"\\u009b\"");
	check_json("\xf3\xa0\x80\x81", 4, "\"\\udb40\\udc01\""); /* a surrogate pair */
}

/* UTF-8 of cp into buf: its length. */
static size_t utf8_encode(unsigned int cp, char *buf)
{
	if (cp < 0x80) {
		buf[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		buf[0] = (char)(0xc0 | (cp >> 6));
		buf[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		buf[0] = (char)(0xe0 | (cp >> 12));
		buf[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		buf[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	buf[0] = (char)(0xf0 | (cp >> 18));
	buf[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
	buf[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
	buf[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

/*
 * Every code point from U+0080 on, through both escapers: one that acts
 * comes out as its own escape, in printable ASCII; any other as it went
 * in. (Which ones act is checked against Python's unicodedata by cli.sh.)
 */
static void escape_every_code_point(void)
{
	int wrong = 0;

	for (unsigned int cp = 0x80; cp <= 0x10ffff; cp++) {
		char in[4], text[16], json[24], *got = NULL;
		size_t n;

		if (cp >= 0xd800 && cp <= 0xdfff)
			continue;
		n = utf8_encode(cp, in);
		if (text_code_point_acts(cp)) {
			unsigned int low = 0xdc00 + ((cp - 0x10000) & 0x3ff);

			strfmt(text, sizeof(text), cp > 0xffff ? "\\U%08x" : "\\u%04x", cp);
			if (cp > 0xffff)
				strfmt(json, sizeof(json), "\"\\u%04x\\u%04x\"",
				       0xd800 + ((cp - 0x10000) >> 10), low);
			else
				strfmt(json, sizeof(json), "\"\\u%04x\"", cp);
		} else {
			memcpy(text, in, n);
			text[n] = '\0';
			strfmt(json, sizeof(json), "\"%s\"", text);
		}
		CAPTURE(got, text_escape(out, in, n, false));
		wrong += strcmp(got, text) != 0;
		free(got);
		got = NULL;
		got = json_literal(in, n);
		wrong += strcmp(got, json) != 0;
		free(got);
	}
	CHECK(wrong == 0);
}

static void escape_padded(void)
{
	char *got = NULL;

	CAPTURE(got, text_escape_padded(out, "ls", 2, 6));
	CHECK_STR(got, "ls    ");
	free(got);
	CAPTURE(got, text_escape_padded(out, "a\nb", 3, 2));
	CHECK_STR(got, "a\\nb");
	free(got);
}

/* Escapes go through a buffer flushed every 256 bytes: none may split across a flush. */
static void escape_long(void)
{
	char in[600], want[1800], *got = NULL;
	size_t w = 0;

	for (size_t i = 0; i < sizeof(in); i++) {
		in[i] = i % 3 ? 'a' : '\x01';
		if (in[i] == 'a')
			want[w++] = 'a';
		else
			w += (size_t)sprintf(want + w, "\\x01");
	}
	want[w] = '\0';
	CAPTURE(got, text_escape(out, in, sizeof(in), false));
	CHECK_STR(got, want);
	free(got);
}

static void line_columns(void)
{
	struct text_line line = { .len = 0 };
	char *got = NULL;

	line_text(&line, "12:00:00", 9);
	line_char(&line, ' ');
	line_int(&line, 42, 6);
	line_char(&line, ' ');
	line_escaped(&line, "a\tb", 3, 5);
	line_char(&line, ' ');
	line_int(&line, -3, 2);
	line_char(&line, ' ');
	line_int(&line, 12345, 2);
	line_char(&line, ' ');
	line_int(&line, 0, 0);
	CAPTURE(got, line_write(&line, out));
	CHECK_STR(got, "12:00:00  42     a\\tb  -3 12345 0\n");
	free(got);
	CHECK(line.len == 0);
	line_int(&line, -9223372036854775807LL - 1, 0);
	CAPTURE(got, line_write(&line, out));
	CHECK_STR(got, "-9223372036854775808\n");
	free(got);
}

/* A line longer than its buffer is cut, and still ends with its newline. */
static void line_cut(void)
{
	struct text_line line = { .len = 0 };
	char *got = NULL;

	for (int i = 0; i < 100; i++)
		line_text(&line, "0123456789", 0);
	line_escaped(&line, "\x01", 1, 20);
	line_int(&line, 7, 3);
	CAPTURE(got, line_write(&line, out));
	CHECK(strlen(got) == sizeof(line.buf));
	CHECK(got[sizeof(line.buf) - 1] == '\n');
	CHECK(got[sizeof(line.buf) - 2] == '0'); /* 511 bytes of digits */
	free(got);
}

static void json_strings(void)
{
	check_json("plain", 5, "\"plain\"");
	check_json("q\"b\\s", 5, "\"q\\\"b\\\\s\"");
	check_json("\n\t\x01", 3, "\"\\n\\t\\u0001\"");
	check_json("\x7f", 1, "\"\\u007f\"");
	check_json("caf\xc3\xa9", 5, "\"caf\xc3\xa9\"");
	check_json("\xff"
		   "a",
		   2, "\"\\udcffa\"");
	check_json("", 0, "\"\"");
}

static void bounded_lengths(void)
{
	char full[4] = { 'a', 'b', 'c', 'd' };
	char buf[8];

	CHECK(bounded_strlen("abc", 10) == 3);
	CHECK(bounded_strlen(full, 4) == 4);
	CHECK(strfmt(buf, sizeof(buf), "%s", "1234567"));
	CHECK(!strfmt(buf, sizeof(buf), "%s", "12345678"));
	CHECK_STR(buf, "1234567");
}

UNIT_SUITE(text_tests, { "text: escape plain and special bytes", escape_plain_and_special },
	   { "text: escape keeps valid UTF-8 only", escape_utf8 },
	   { "text: controls, bidi and separators escaped in text and JSON",
	     escape_code_points_that_act },
	   { "text: every code point, escaped as itself or kept", escape_every_code_point },
	   { "text: padded fields", escape_padded },
	   { "text: long input, escapes across buffer flushes", escape_long },
	   { "text: line columns, padded and left-aligned", line_columns },
	   { "text: a line past its buffer is cut, newline kept", line_cut },
	   { "text: JSON strings", json_strings },
	   { "text: bounded lengths and strfmt", bounded_lengths });
