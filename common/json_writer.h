/*
 * JSON written as a stream, one object per line: the writer places the
 * commas and escapes every string (json_escape, below), so a tool only
 * names its fields, in the order they are shown. In the manner of
 * bpftool's json_writer. A line is built in the writer's buffer and goes
 * to the FILE once complete (or a buffer at a time, if longer): one stdio
 * call a line, where a call a piece was most of a JSON line's cost. The
 * tools' events go through json_output, which gathers lines into a large
 * block and writes it at once.
 */
#ifndef SNOOP_JSON_WRITER_H
#define SNOOP_JSON_WRITER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "text.h"

/*
 * The inside of a JSON string literal (no quotes), to put. Bytes that are
 * not valid UTF-8 become \udcNN (the "surrogateescape" convention), so no
 * byte is lost; the code points of text_code_point_acts, U+2028 and U+2029
 * among them, are written as \uXXXX escapes.
 */
void json_escape(escaped_sink put, void *ctx, const char *s, size_t len);

/* The same as a whole literal, quotes and all, to out. */
void json_string(FILE *out, const char *s, size_t len);

#define JSONW_MAX_DEPTH 8
#define JSONW_BUFFER 4096

struct json_writer {
	FILE *out;
	char *buf;			/* own, unless the writer is json_output's */
	size_t cap;
	size_t len;			/* of the lines so far, not yet in out */
	bool gather;			/* lines stay in buf while a line's room is left */
	int depth;			/* objects and arrays open */
	bool empty[JSONW_MAX_DEPTH];	/* nothing written yet in each */
	bool after_name;		/* a member's name was written: its value comes next */
	bool overflow;			/* a members writer had no room for all of them */
	char own[JSONW_BUFFER];
};

void jsonw_init(struct json_writer *w, FILE *out);

/*
 * The writer of the events' lines to stdout. Lines gather in a block of
 * JSONW_OUTPUT_BLOCK bytes that goes out when full and at json_output_flush,
 * in one write to stdout, which is made unbuffered for it at the first call:
 * copying each line into stdio's buffer cost more than building it.
 */
#define JSONW_OUTPUT_BLOCK (64 * 1024)
struct json_writer *json_output(void);

/* What json_output gathered to stdout, then stdout flushed: false on an error (errno). */
bool json_output_flush(void);

/*
 * A writer of members alone, as if inside an object, kept in w->buf
 * (w->len bytes) for jsonw_members to write again and again: members that
 * change seldom are rendered once. Members beyond JSONW_BUFFER bytes set
 * w->overflow.
 */
void jsonw_init_members(struct json_writer *w);

/* Members rendered by a members writer, in the object being written. */
void jsonw_members(struct json_writer *w, const char *members, size_t len);

/* An object or array: a line of its own at the top level (ended with a newline). */
void jsonw_start_object(struct json_writer *w);
void jsonw_end_object(struct json_writer *w);
void jsonw_start_array(struct json_writer *w);
void jsonw_end_array(struct json_writer *w);

/* A member's name, before its value (in an object): a name of the tool's, written as it is. */
void jsonw_name(struct json_writer *w, const char *name);

/* Values: of a member after jsonw_name, or elements of an array. */
void jsonw_string(struct json_writer *w, const char *s);
void jsonw_bytes(struct json_writer *w, const char *s, size_t len);	/* not NUL-ended */
void jsonw_int(struct json_writer *w, long long v);
void jsonw_uint(struct json_writer *w, unsigned long long v);
void jsonw_fixed(struct json_writer *w, double v, int decimals);	/* %.Nf */
/* value / 10^value_digits, with shown_digits decimals (at most value_digits), rounded. */
void jsonw_decimal(struct json_writer *w, unsigned long long value, int value_digits,
		   int shown_digits);
void jsonw_bool(struct json_writer *w, bool v);
void jsonw_null(struct json_writer *w);

/* A member: name and value at once. */
void jsonw_string_field(struct json_writer *w, const char *name, const char *s);
void jsonw_bytes_field(struct json_writer *w, const char *name, const char *s, size_t len);
void jsonw_int_field(struct json_writer *w, const char *name, long long v);
void jsonw_uint_field(struct json_writer *w, const char *name, unsigned long long v);
void jsonw_fixed_field(struct json_writer *w, const char *name, double v, int decimals);
void jsonw_decimal_field(struct json_writer *w, const char *name, unsigned long long value,
			 int value_digits, int shown_digits);
void jsonw_bool_field(struct json_writer *w, const char *name, bool v);
void jsonw_null_field(struct json_writer *w, const char *name);
void jsonw_start_object_field(struct json_writer *w, const char *name);
void jsonw_start_array_field(struct json_writer *w, const char *name);

#endif
