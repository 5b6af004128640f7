/* Validation of option values. Every function fills why with a short reason. */
#ifndef SNOOP_PARSE_H
#define SNOOP_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Decimal digits only: no sign, no spaces, no hex; min <= value <= max. */
bool parse_uint(const char *s, uint64_t min, uint64_t max, uint64_t *out, char *why, size_t whylen);

/* Like parse_uint, with an optional leading '-'. */
bool parse_int(const char *s, int64_t min, int64_t max, int64_t *out, char *why, size_t whylen);

/* A user name from the password database, or a numeric UID. */
bool parse_user(const char *s, uint32_t *uid, char *why, size_t whylen);

#endif
