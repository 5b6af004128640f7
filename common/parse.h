/* Validation of option values. Every function fills why with a short reason. */
#ifndef SNOOP_PARSE_H
#define SNOOP_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Decimal digits only: no sign, no spaces, no hex; min <= value <= max. */
bool parse_uint(const char *s, uint64_t min, uint64_t max, uint64_t *out,
		char *why, size_t whylen);

/* Like parse_uint, with an optional leading '-'. */
bool parse_int(const char *s, int64_t min, int64_t max, int64_t *out, char *why, size_t whylen);

/* A user name from the password database, or a numeric UID. */
bool parse_user(const char *s, uint32_t *uid, char *why, size_t whylen);

/* A signal number (0-64) or name: KILL, SIGKILL, sigkill, RTMIN+3. */
bool parse_signal(const char *s, int *sig, char *why, size_t whylen);

/*
 * A comma list of signals ("9,TERM,SIGUSR1") into a set: bit n of set[n / 64]
 * for signal n. False with why filled when an item is bad or none is given.
 */
bool parse_signal_set(const char *list, unsigned long long set[2], char *why, size_t whylen);

/* "SIGKILL" for 9, "SIGRTMIN+3" for 37; NULL for 0 (no signal) and out of range. */
const char *signal_name(int sig, char *buf, size_t len);

#define SIGNAL_MAX 64

#endif
