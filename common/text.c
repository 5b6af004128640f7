#include "text.h"
#include "array_size.h"

#include <stdarg.h>
#include <string.h>

/*
 * Length of the valid UTF-8 sequence at s (at most len bytes), 0 if
 * invalid; its code point in *cp.
 */
static size_t utf8_sequence(const unsigned char *s, size_t len, unsigned int *cp)
{
	size_t need;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		need = 2;
		*cp = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		need = 3;
		*cp = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		need = 4;
		*cp = s[0] & 0x07;
	} else {
		return 0;
	}
	if (len < need)
		return 0;
	for (size_t i = 1; i < need; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		*cp = (*cp << 6) | (s[i] & 0x3f);
	}
	/* Reject overlong forms, UTF-16 surrogates and code points past U+10FFFF. */
	if ((need == 3 && *cp < 0x800) || (need == 4 && *cp < 0x10000) ||
	    (*cp >= 0xd800 && *cp <= 0xdfff) || *cp > 0x10ffff)
		return 0;
	return need;
}

bool text_code_point_acts(unsigned int cp)
{
	/*
	 * Unicode's categories Cc, Cf, Zl and Zp (Unicode 15.1): controls (C1's
	 * CSI and NEL among them), bidi overrides and isolates, zero-width and
	 * invisible characters, the line and paragraph separators.
	 */
	static const struct {
		unsigned int first, last;
	} ranges[] = {
		{ 0x0000, 0x001f },   { 0x007f, 0x009f },   { 0x00ad, 0x00ad },
		{ 0x0600, 0x0605 },   { 0x061c, 0x061c },   { 0x06dd, 0x06dd },
		{ 0x070f, 0x070f },   { 0x0890, 0x0891 },   { 0x08e2, 0x08e2 },
		{ 0x180e, 0x180e },   { 0x200b, 0x200f },   { 0x2028, 0x202e },
		{ 0x2060, 0x2064 },   { 0x2066, 0x206f },   { 0xfeff, 0xfeff },
		{ 0xfff9, 0xfffb },   { 0x110bd, 0x110bd }, { 0x110cd, 0x110cd },
		{ 0x13430, 0x1343f }, { 0x1bca0, 0x1bca3 }, { 0x1d173, 0x1d17a },
		{ 0xe0001, 0xe0001 }, { 0xe0020, 0xe007f },
	};

	for (size_t i = 0; i < ARRAY_SIZE(ranges) && cp >= ranges[i].first; i++) {
		if (cp <= ranges[i].last)
			return true;
	}
	return false;
}

/* Longest escape of one unit: a JSON surrogate pair, \uXXXX\uXXXX. */
#define ESCAPE_MAX 12

static const char hex[] = "0123456789abcdef";

/* \u and 4 hex digits, or \U and 8: returns the bytes written. */
static size_t put_code_point(char *out, unsigned int cp, bool json)
{
	size_t digits = cp > 0xffff ? 8 : 4, n = 2;

	if (json && cp > 0xffff) {
		cp -= 0x10000;
		n = put_code_point(out, 0xd800 + (cp >> 10), true);
		return n + put_code_point(out + n, 0xdc00 + (cp & 0x3ff), true);
	}
	out[0] = '\\';
	out[1] = digits == 8 ? 'U' : 'u';
	for (size_t i = digits; i-- > 0; cp >>= 4)
		out[n + i] = hex[cp & 0xf];
	return n + digits;
}

/*
 * Escapes the unit at p (one byte, or one valid UTF-8 sequence of at most
 * len bytes) into out (ESCAPE_MAX bytes): returns the bytes written and
 * sets *used to the bytes of p it took.
 */
static size_t escape_unit(const unsigned char *p, size_t len, enum escape_style style, char *out,
			  size_t *used)
{
	unsigned char c = p[0];
	unsigned int cp;
	size_t n;

	*used = 1;
	if (c == '\\' || (c == '"' && style != ESCAPE_TEXT)) {
		out[0] = '\\';
		out[1] = (char)c;
		return 2;
	}
	if (c == '\n' || c == '\t' || c == '\r') {
		out[0] = '\\';
		out[1] = c == '\n' ? 'n' : c == '\t' ? 't' : 'r';
		return 2;
	}
	if (c >= 0x20 && c < 0x7f) {
		out[0] = (char)c;
		return 1;
	}
	if (c >= 0x80 && (n = utf8_sequence(p, len, &cp)) > 0) {
		*used = n;
		if (text_code_point_acts(cp))
			return put_code_point(out, cp, style == ESCAPE_JSON);
		memcpy(out, p, n);
		return n;
	}
	if (style != ESCAPE_JSON) {
		memcpy(out, "\\x", 2);
		n = 2;
	} else {
		memcpy(out, c < 0x80 ? "\\u00" : "\\udc", 4);
		n = 4;
	}
	out[n] = hex[c >> 4];
	out[n + 1] = hex[c & 0xf];
	return n + 2;
}

/*
 * s escaped, to put: runs that need no escape straight from s, escapes a
 * buffer at a time (no call per byte).
 */
void text_escape_to(escaped_sink put, void *ctx, const char *s, size_t len, enum escape_style style)
{
	const unsigned char *p = (const unsigned char *)s;
	char buf[256 + ESCAPE_MAX];
	size_t fill = 0, used, i = 0;

	while (i < len) {
		size_t run = i;

		while (run < len && text_plain_byte(p[run]))
			run++;
		if (run > i) {
			if (fill)
				put(ctx, buf, fill);
			fill = 0;
			put(ctx, s + i, run - i);
			i = run;
			continue;
		}
		fill += escape_unit(p + i, len - i, style, buf + fill, &used);
		i += used;
		if (fill >= 256) {
			put(ctx, buf, fill);
			fill = 0;
		}
	}
	if (fill)
		put(ctx, buf, fill);
}

void escaped_to_file(void *ctx, const char *s, size_t len)
{
	fwrite(s, 1, len, ctx);
}

void text_escape(FILE *out, const char *s, size_t len, bool quote)
{
	if (quote)
		putc('"', out);
	text_escape_to(escaped_to_file, out, s, len, quote ? ESCAPE_TEXT_QUOTED : ESCAPE_TEXT);
	if (quote)
		putc('"', out);
}

/* Room for n more bytes, and a newline. */
static bool line_room(const struct text_line *l, size_t n)
{
	return l->len + n < sizeof(l->buf);
}

static void line_pad(struct text_line *l, size_t start, int width)
{
	while (width > 0 && l->len - start < (size_t)width && line_room(l, 1))
		l->buf[l->len++] = ' ';
}

void line_char(struct text_line *l, char c)
{
	if (line_room(l, 1))
		l->buf[l->len++] = c;
}

/* Appends n bytes of s, or as many as fit. */
static void line_put(struct text_line *l, const char *s, size_t n)
{
	if (!line_room(l, n))
		n = sizeof(l->buf) - 1 - l->len;
	memcpy(l->buf + l->len, s, n);
	l->len += n;
}

void line_text(struct text_line *l, const char *s, int width)
{
	size_t start = l->len;

	line_put(l, s, strlen(s));
	line_pad(l, start, width);
}

void line_escaped(struct text_line *l, const char *s, size_t len, int width)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t start = l->len, used;
	char unit[ESCAPE_MAX];

	for (size_t i = 0; i < len; i += used) {
		size_t n = escape_unit(p + i, len - i, ESCAPE_TEXT, unit, &used);

		if (!line_room(l, n))
			break;
		memcpy(l->buf + l->len, unit, n);
		l->len += n;
	}
	line_pad(l, start, width);
}

void line_int(struct text_line *l, long long v, int width)
{
	char digits[24];
	size_t n = sizeof(digits);
	/* Through unsigned, so that LLONG_MIN negates. */
	unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
	size_t start = l->len;

	do {
		digits[--n] = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		digits[--n] = '-';
	line_put(l, digits + n, sizeof(digits) - n);
	line_pad(l, start, width);
}

void line_write(struct text_line *l, FILE *out)
{
	l->buf[l->len++] = '\n';
	fwrite(l->buf, 1, l->len, out);
	l->len = 0;
}

void text_escape_padded(FILE *out, const char *s, size_t len, int width)
{
	struct text_line line;

	line.len = 0;
	line_escaped(&line, s, len, width);
	fwrite(line.buf, 1, line.len, out);
}

size_t bounded_strlen(const char *s, size_t max)
{
	const char *nul = memchr(s, '\0', max);

	return nul ? (size_t)(nul - s) : max;
}

bool strfmt(char *buf, size_t len, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, len, fmt, ap);
	va_end(ap);
	return n >= 0 && (size_t)n < len;
}

bool exec_id_text(char *buf, size_t len, const struct exec_identity *id)
{
	return id->tgid && strfmt(buf, len, "%u-%llu-%llu", id->tgid,
				  (unsigned long long)id->start_ns, (unsigned long long)id->execs);
}

void exec_id_column(FILE *out, const struct exec_identity *id)
{
	char text[EXEC_ID_TEXT];

	fprintf(out, "%-*s ", EXEC_ID_COLUMN, exec_id_text(text, sizeof(text), id) ? text : "-");
}
