#include "text.h"

#include <stdarg.h>
#include <string.h>
#include <time.h>

/* Length of the valid UTF-8 sequence at s (at most len bytes), 0 if invalid. */
static size_t utf8_sequence(const unsigned char *s, size_t len)
{
	size_t need;
	unsigned int cp;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		need = 2;
		cp = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		need = 3;
		cp = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		need = 4;
		cp = s[0] & 0x07;
	} else {
		return 0;
	}
	if (len < need)
		return 0;
	for (size_t i = 1; i < need; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	/* Reject overlong forms, UTF-16 surrogates and code points past U+10FFFF. */
	if ((need == 3 && cp < 0x800) || (need == 4 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	return need;
}

/* The escapes text and JSON share: \n \t \r. */
static bool short_escape(FILE *out, unsigned char c)
{
	const char *esc = c == '\n' ? "\\n" : c == '\t' ? "\\t" : c == '\r' ? "\\r" : NULL;

	if (esc)
		fputs(esc, out);
	return esc != NULL;
}

void text_escape(FILE *out, const char *s, size_t len, bool quote)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;

	if (quote)
		fputc('"', out);
	while (i < len) {
		unsigned char c = p[i];
		size_t n;

		if (c == '\\') {
			fputs("\\\\", out);
		} else if (c == '"' && quote) {
			fputs("\\\"", out);
		} else if (short_escape(out, c)) {
			/* written */
		} else if (c >= 0x20 && c < 0x7f) {
			fputc(c, out);
		} else if (c >= 0x80 && (n = utf8_sequence(p + i, len - i)) > 0) {
			fwrite(p + i, 1, n, out);
			i += n;
			continue;
		} else {
			fprintf(out, "\\x%02x", c);
		}
		i++;
	}
	if (quote)
		fputc('"', out);
}

void text_escape_padded(FILE *out, const char *s, size_t len, int width)
{
	char buf[256];
	FILE *mem = fmemopen(buf, sizeof(buf), "w");
	long n;

	if (!mem) {
		text_escape(out, s, len, false);
		return;
	}
	text_escape(mem, s, len < 48 ? len : 48, false);	/* 48 bytes escape to < 256 */
	n = ftell(mem);
	fclose(mem);
	fwrite(buf, 1, (size_t)n, out);
	for (; n < width; n++)
		fputc(' ', out);
}

void json_string(FILE *out, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;

	fputc('"', out);
	while (i < len) {
		unsigned char c = p[i];
		size_t n;

		if (c == '"' || c == '\\') {
			fputc('\\', out);
			fputc(c, out);
		} else if (short_escape(out, c)) {
			/* written */
		} else if (c < 0x20 || c == 0x7f) {
			fprintf(out, "\\u%04x", c);
		} else if (c < 0x80) {
			fputc(c, out);
		} else if ((n = utf8_sequence(p + i, len - i)) > 0) {
			fwrite(p + i, 1, n, out);
			i += n;
			continue;
		} else {
			fprintf(out, "\\udc%02x", c);
		}
		i++;
	}
	fputc('"', out);
}

size_t bounded_strlen(const char *s, size_t max)
{
	const char *nul = memchr(s, '\0', max);

	return nul ? (size_t)(nul - s) : max;
}

void clock_hms(char *buf, size_t len)
{
	time_t now = time(NULL);
	struct tm tm;

	if (!localtime_r(&now, &tm) || !strftime(buf, len, "%H:%M:%S", &tm))
		snprintf(buf, len, "??:??:??");
}

unsigned long long monotonic_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (unsigned long long)ts.tv_sec * 1000000000ULL + (unsigned long long)ts.tv_nsec;
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

double seconds_after(unsigned long long start_ns, unsigned long long t_ns)
{
	return t_ns > start_ns ? (double)(t_ns - start_ns) / 1e9 : 0.0;
}
