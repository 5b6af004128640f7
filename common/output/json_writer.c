#include "json_writer.h"
#include "../text.h"

#include <string.h>

void json_escape(escaped_sink put, void *ctx, const char *s, size_t len)
{
	text_escape_to(put, ctx, s, len, ESCAPE_JSON);
}

void jsonw_init(struct json_writer *w, FILE *out)
{
	w->out = out;
	w->buf = w->own;
	w->cap = sizeof(w->own);
	w->gather = false;
	w->len = 0;
	w->depth = 0;
	w->after_name = false;
	w->overflow = false;
}

void jsonw_init_members(struct json_writer *w)
{
	jsonw_init(w, NULL);
	w->overflow = false;
	w->depth = 1;
	w->empty[0] = true;
}

void jsonw_flush(struct json_writer *w)
{
	if (!w->out) {
		w->overflow = true;
		return;
	}
	fwrite(w->buf, 1, w->len, w->out);
	w->len = 0;
}

/* n bytes that do not fit in what is left of the buffer: the lines so far go to out first. */
void jsonw_put_slow(struct json_writer *w, const char *s, size_t n)
{
	jsonw_flush(w);
	if (w->overflow)
		return;
	if (n > w->cap) {
		fwrite(s, 1, n, w->out);
		return;
	}
	memcpy(w->buf + w->len, s, n);
	w->len += n;
}

static void escaped_put(void *ctx, const char *s, size_t n)
{
	jsonw_put(ctx, s, n);
}

/* A string literal, escaped; its plain start (most strings whole) copied at once. */
static void put_string(struct json_writer *w, const char *s, size_t len)
{
	size_t plain = 0;

	while (plain < len && text_plain_byte((unsigned char)s[plain]))
		plain++;
	jsonw_put_char(w, '"');
	jsonw_put(w, s, plain);
	if (plain < len)
		json_escape(escaped_put, w, s + plain, len - plain);
	jsonw_put_char(w, '"');
}

static void open_container(struct json_writer *w, char c)
{
	jsonw_value_start(w);
	jsonw_put_char(w, c);
	if (w->depth < JSONW_MAX_DEPTH)
		w->empty[w->depth] = true;
	w->depth++;
}

static void close_container(struct json_writer *w, char c)
{
	jsonw_put_char(w, c);
	if (w->depth > 0)
		w->depth--;
	if (w->depth == 0) {
		jsonw_put_char(w, '\n');
		if (!w->gather || w->cap - w->len < JSONW_BUFFER)
			jsonw_flush(w);
	}
}

void jsonw_start_object(struct json_writer *w)
{
	open_container(w, '{');
}

void jsonw_end_object(struct json_writer *w)
{
	close_container(w, '}');
}

void jsonw_start_array(struct json_writer *w)
{
	open_container(w, '[');
}

void jsonw_end_array(struct json_writer *w)
{
	close_container(w, ']');
}

void jsonw_bytes(struct json_writer *w, const char *s, size_t len)
{
	jsonw_value_start(w);
	put_string(w, s, len);
}

void jsonw_decimal(struct json_writer *w, unsigned long long value, int value_digits,
		   int shown_digits)
{
	unsigned long long drop = 1, shown_unit = 1;
	char buf[2 * JSONW_DIGITS_MAX], *end = buf + sizeof(buf), *p;

	for (int i = shown_digits; i < value_digits; i++)
		drop *= 10;
	for (int i = 0; i < shown_digits; i++)
		shown_unit *= 10;
	value = value / drop + (value % drop >= (drop + 1) / 2 && drop > 1);
	p = end;
	if (shown_digits > 0) {
		p = jsonw_digits(end, value % shown_unit, shown_digits);
		*--p = '.';
	}
	p = jsonw_digits(p, value / shown_unit, 1);
	jsonw_value_start(w);
	jsonw_put(w, p, (size_t)(end - p));
}

void jsonw_fixed(struct json_writer *w, double v, int decimals)
{
	char buf[64];
	int n = snprintf(buf, sizeof(buf), "%.*f", decimals, v);

	jsonw_value_start(w);
	jsonw_put(w, buf, n > 0 && (size_t)n < sizeof(buf) ? (size_t)n : 0);
}

void jsonw_bool(struct json_writer *w, bool v)
{
	jsonw_value_start(w);
	jsonw_put(w, v ? "true" : "false", v ? 4 : 5);
}

void jsonw_fixed_field(struct json_writer *w, const char *name, double v, int decimals)
{
	jsonw_name(w, name);
	jsonw_fixed(w, v, decimals);
}

void jsonw_decimal_field(struct json_writer *w, const char *name, unsigned long long value,
			 int value_digits, int shown_digits)
{
	jsonw_name(w, name);
	jsonw_decimal(w, value, value_digits, shown_digits);
}

void jsonw_bool_field(struct json_writer *w, const char *name, bool v)
{
	jsonw_name(w, name);
	jsonw_bool(w, v);
}

void jsonw_start_object_field(struct json_writer *w, const char *name)
{
	jsonw_name(w, name);
	jsonw_start_object(w);
}

void jsonw_start_array_field(struct json_writer *w, const char *name)
{
	jsonw_name(w, name);
	jsonw_start_array(w);
}
