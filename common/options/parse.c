#include "parse.h"

#include <ctype.h>
#include <errno.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

bool parse_uint(const char *s, uint64_t min, uint64_t max, uint64_t *out, char *why, size_t whylen)
{
	uint64_t value = 0;

	if (!*s) {
		snprintf(why, whylen, "empty value");
		return false;
	}
	for (const char *p = s; *p; p++) {
		if (!isdigit((unsigned char)*p)) {
			snprintf(why, whylen, "'%s' is not a non-negative decimal number", s);
			return false;
		}
		if (value > (UINT64_MAX - (uint64_t)(*p - '0')) / 10) {
			snprintf(why, whylen, "'%s' is out of range (%llu-%llu)", s,
				 (unsigned long long)min, (unsigned long long)max);
			return false;
		}
		value = value * 10 + (uint64_t)(*p - '0');
	}
	if (value < min || value > max) {
		snprintf(why, whylen, "'%s' is out of range (%llu-%llu)", s,
			 (unsigned long long)min, (unsigned long long)max);
		return false;
	}
	*out = value;
	return true;
}

bool parse_int(const char *s, int64_t min, int64_t max, int64_t *out, char *why, size_t whylen)
{
	bool negative = *s == '-';
	uint64_t magnitude;
	int64_t value;

	if (!parse_uint(s + negative, 0, (uint64_t)INT64_MAX, &magnitude, why, whylen)) {
		if (negative)
			snprintf(why, whylen, "'%s' is not a decimal number", s);
		return false;
	}
	value = negative ? -(int64_t)magnitude : (int64_t)magnitude;
	if (value < min || value > max) {
		snprintf(why, whylen, "'%s' is out of range (%lld-%lld)", s, (long long)min,
			 (long long)max);
		return false;
	}
	*out = value;
	return true;
}

bool parse_user(const char *s, uint32_t *uid, char *why, size_t whylen)
{
	struct passwd pw, *found = NULL;
	char buf[4096];
	uint64_t value;
	int err;

	if (*s && isdigit((unsigned char)*s))
		return parse_uint(s, 0, UINT32_MAX - 1, &value, why, whylen) &&
		       (*uid = (uint32_t)value, true);
	err = getpwnam_r(s, &pw, buf, sizeof(buf), &found);
	if (err || !found) {
		snprintf(why, whylen, "no such user '%s'", s);
		return false;
	}
	*uid = (uint32_t)pw.pw_uid;
	return true;
}
