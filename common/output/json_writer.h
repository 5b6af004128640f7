/*
 * JSON written as a stream, one object per line: the writer places the
 * commas and escapes every string (json_escape, below), so a tool only
 * names its fields, in the order they are shown. In the manner of
 * bpftool's json_writer. A line is built in the writer's buffer and goes
 * to the FILE once complete (or a buffer at a time, if longer): one stdio
 * call a line, where a call a piece was most of a JSON line's cost. The
 * tools' events go through output_json (common/output/output.h), which gathers
 * lines into a large block and writes it at once.
 */
#ifndef SNOOP_JSON_WRITER_H
#define SNOOP_JSON_WRITER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "../text.h"

/*
 * The inside of a JSON string literal (no quotes), to put. Bytes that are
 * not valid UTF-8 become \udcNN (the "surrogateescape" convention), so no
 * byte is lost; the code points of text_code_point_acts, U+2028 and U+2029
 * among them, are written as \uXXXX escapes.
 */
void json_escape(escaped_sink put, void *ctx, const char *s, size_t len);

#define JSONW_MAX_DEPTH 8
#define JSONW_BUFFER 4096

struct json_writer {
	FILE *out;
	char *buf; /* own, unless the writer is output_json's (common/output/output.h) */
	size_t cap;
	size_t len;		     /* of the lines so far, not yet in out */
	bool gather;		     /* lines stay in buf while a line's room is left */
	int depth;		     /* objects and arrays open */
	bool empty[JSONW_MAX_DEPTH]; /* nothing written yet in each */
	bool after_name;	     /* a member's name was written: its value comes next */
	bool overflow;		     /* a members writer had no room for all of them */
	char own[JSONW_BUFFER];
};

void jsonw_init(struct json_writer *w, FILE *out);

/*
 * The lines so far to out; a members writer has none, and keeps only what
 * fits. What out cannot take is not kept: memory stays bounded, and the
 * error stays on out for the caller's check.
 */
void jsonw_flush(struct json_writer *w);

/*
 * A writer of members alone, as if inside an object, kept in w->buf
 * (w->len bytes) for jsonw_members to write again and again: members that
 * change seldom are rendered once. Members beyond JSONW_BUFFER bytes set
 * w->overflow.
 */
void jsonw_init_members(struct json_writer *w);

/* An object or array: a line of its own at the top level (ended with a newline). */
void jsonw_start_object(struct json_writer *w);
void jsonw_end_object(struct json_writer *w);
void jsonw_start_array(struct json_writer *w);
void jsonw_end_array(struct json_writer *w);

/* Values: of a member after jsonw_name, or elements of an array. */
void jsonw_bytes(struct json_writer *w, const char *s, size_t len); /* not NUL-ended */
void jsonw_fixed(struct json_writer *w, double v, int decimals);    /* %.Nf */
/* value / 10^value_digits, with shown_digits decimals (at most value_digits), rounded. */
void jsonw_decimal(struct json_writer *w, unsigned long long value, int value_digits,
		   int shown_digits);
void jsonw_bool(struct json_writer *w, bool v);

/* A member: name and value at once. */
void jsonw_fixed_field(struct json_writer *w, const char *name, double v, int decimals);
void jsonw_decimal_field(struct json_writer *w, const char *name, unsigned long long value,
			 int value_digits, int shown_digits);
void jsonw_bool_field(struct json_writer *w, const char *name, bool v);
void jsonw_start_object_field(struct json_writer *w, const char *name);
void jsonw_start_array_field(struct json_writer *w, const char *name);

/*
 * The calls every event's line makes, inline: a name's length is then
 * known when the tool is compiled, and each small copy is a move. Out of
 * line, the calls and the copies' lengths were most of a JSON line's cost.
 * jsonw_put_slow is their way when the buffer is full. GCC's own choice
 * left jsonw_name out of line: it is inlined by force.
 */
#define JSONW_INLINE static inline __attribute__((always_inline))

void jsonw_put_slow(struct json_writer *w, const char *s, size_t n);

JSONW_INLINE void jsonw_put(struct json_writer *w, const char *s, size_t n)
{
	if (w->cap - w->len < n) {
		jsonw_put_slow(w, s, n);
		return;
	}
	memcpy(w->buf + w->len, s, n);
	w->len += n;
}

JSONW_INLINE void jsonw_put_char(struct json_writer *w, char c)
{
	jsonw_put(w, &c, 1);
}

/* Before a value or a name: the comma that separates it from the one before. */
JSONW_INLINE void jsonw_separate(struct json_writer *w)
{
	if (w->depth == 0 || w->depth > JSONW_MAX_DEPTH)
		return;
	if (!w->empty[w->depth - 1])
		jsonw_put_char(w, ',');
	w->empty[w->depth - 1] = false;
}

/* Before a value: a member's value follows its name, with no comma. */
JSONW_INLINE void jsonw_value_start(struct json_writer *w)
{
	if (w->after_name)
		w->after_name = false;
	else
		jsonw_separate(w);
}

/* A member's name, before its value (in an object): a name of the tool's, written as it is. */
JSONW_INLINE void jsonw_name(struct json_writer *w, const char *name)
{
	size_t n = strlen(name);

	jsonw_separate(w);
	if (w->cap - w->len >= n + 3) {
		char *p = w->buf + w->len;

		p[0] = '"';
		memcpy(p + 1, name, n);
		p[n + 1] = '"';
		p[n + 2] = ':';
		w->len += n + 3;
	} else {
		jsonw_put_char(w, '"');
		jsonw_put(w, name, n);
		jsonw_put(w, "\":", 2);
	}
	w->after_name = true;
}

/* Members rendered by a members writer, in the object being written. */
JSONW_INLINE void jsonw_members(struct json_writer *w, const char *members, size_t len)
{
	jsonw_separate(w);
	jsonw_put(w, members, len);
}

/* v's decimal digits, at least min of them (zeros before), ending at end: where they start. */
JSONW_INLINE char *jsonw_digits(char *end, unsigned long long v, int min)
{
	char *p = end;

	do {
		*--p = (char)('0' + v % 10);
		v /= 10;
	} while (v || end - p < min);
	return p;
}

#define JSONW_DIGITS_MAX 24

JSONW_INLINE void jsonw_uint(struct json_writer *w, unsigned long long v)
{
	char buf[JSONW_DIGITS_MAX], *end = buf + sizeof(buf);
	char *p = jsonw_digits(end, v, 1);

	jsonw_value_start(w);
	jsonw_put(w, p, (size_t)(end - p));
}

JSONW_INLINE void jsonw_int(struct json_writer *w, long long v)
{
	char buf[JSONW_DIGITS_MAX], *end = buf + sizeof(buf);
	char *p =
		jsonw_digits(end, v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v, 1);

	if (v < 0)
		*--p = '-';
	jsonw_value_start(w);
	jsonw_put(w, p, (size_t)(end - p));
}

JSONW_INLINE void jsonw_null(struct json_writer *w)
{
	jsonw_value_start(w);
	jsonw_put(w, "null", 4);
}

JSONW_INLINE void jsonw_string(struct json_writer *w, const char *s)
{
	jsonw_bytes(w, s, strlen(s));
}

JSONW_INLINE void jsonw_string_field(struct json_writer *w, const char *name, const char *s)
{
	jsonw_name(w, name);
	jsonw_string(w, s);
}

JSONW_INLINE void jsonw_bytes_field(struct json_writer *w, const char *name, const char *s,
				    size_t len)
{
	jsonw_name(w, name);
	jsonw_bytes(w, s, len);
}

JSONW_INLINE void jsonw_int_field(struct json_writer *w, const char *name, long long v)
{
	jsonw_name(w, name);
	jsonw_int(w, v);
}

JSONW_INLINE void jsonw_uint_field(struct json_writer *w, const char *name, unsigned long long v)
{
	jsonw_name(w, name);
	jsonw_uint(w, v);
}

JSONW_INLINE void jsonw_null_field(struct json_writer *w, const char *name)
{
	jsonw_name(w, name);
	jsonw_null(w);
}

#endif
