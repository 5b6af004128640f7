/* Output helpers shared by the tools: escaping for text and JSON. */
#ifndef SNOOP_TEXT_H
#define SNOOP_TEXT_H

#include <linux/types.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "../programs/exec_identity.h"

/*
 * Writes bytes for a terminal: printable ASCII and valid UTF-8 as they are,
 * backslash as \\, \n \t \r as such, other bytes below 0x80 and bytes that
 * are not valid UTF-8 as \xNN, and the code points a terminal or a
 * line-splitting reader acts on (text_code_point_acts) as \uXXXX or
 * \UXXXXXXXX. With quote set, the result is wrapped in double quotes and
 * an inner quote becomes \".
 */
void text_escape(FILE *out, const char *s, size_t len, bool quote);

/* text_escape of a short field (a comm), padded with spaces to width. */
void text_escape_padded(FILE *out, const char *s, size_t len, int width);

/*
 * A line of columns built in memory and written with one fwrite: no printf
 * per event in the tools that see events by the hundred thousand a second.
 * Each column is left-aligned and padded with spaces to its width; what
 * does not fit in the buffer is cut.
 */
struct text_line {
	char buf[512];
	size_t len;
};

void line_text(struct text_line *l, const char *s, int width);
void line_escaped(struct text_line *l, const char *s, size_t len, int width); /* text_escape */
void line_int(struct text_line *l, long long v, int width);
void line_char(struct text_line *l, char c);
/* Writes the line and a newline, and empties it. */
void line_write(struct text_line *l, FILE *out);

/* Where escaped text goes, a piece (at most a few hundred bytes) at a time. */
typedef void (*escaped_sink)(void *ctx, const char *s, size_t len);

/* Printable ASCII that no style escapes (a quote is escaped in two). */
static inline bool text_plain_byte(unsigned char c)
{
	return c >= 0x20 && c < 0x7f && c != '\\' && c != '"';
}

/* An escaped_sink that writes to the FILE ctx. */
void escaped_to_file(void *ctx, const char *s, size_t len);

/*
 * How text_escape_to escapes: for a terminal's column (text_escape's
 * styles, \xNN for bytes that are not UTF-8), or for the inside of a
 * JSON string literal (json_writer.h's json_escape).
 */
enum escape_style { ESCAPE_TEXT, ESCAPE_TEXT_QUOTED, ESCAPE_JSON };

/*
 * s escaped in style, to put: runs that need no escape straight from s,
 * escapes a buffer at a time.
 */
void text_escape_to(escaped_sink put, void *ctx, const char *s, size_t len,
		    enum escape_style style);

/*
 * Whether a code point is a control, a format character or a line or
 * paragraph separator (Unicode's Cc, Cf, Zl, Zp): one that rewrites a
 * terminal (C1's CSI), reorders text (bidi overrides) or splits a record.
 */
bool text_code_point_acts(unsigned int cp);

/* snprintf that says whether all of it fit: false means buf holds a truncated string. */
bool strfmt(char *buf, size_t len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Length of s up to the first NUL, at most max. */
size_t bounded_strlen(const char *s, size_t max);

/*
 * A program's identity (programs/exec_identity.h) as "PID-START-EXECS",
 * into buf (at least EXEC_ID_TEXT bytes); false when the kernel could not
 * tell it (no PID).
 */
#define EXEC_ID_TEXT 48
bool exec_id_text(char *buf, size_t len, const struct exec_identity *id);

/* An exec ID's text column, EXEC_ID_COLUMN wide and a space: "-" when unknown. */
#define EXEC_ID_COLUMN 24
void exec_id_column(FILE *out, const struct exec_identity *id);

#endif
