/* Signals by number and by name: for options, and for output. */
#ifndef SNOOP_SIGNALS_H
#define SNOOP_SIGNALS_H

#include <stdbool.h>
#include <stddef.h>

#define SIGNAL_MAX 64

/* A signal number (0-64) or name: KILL, SIGKILL, sigkill, RTMIN+3. */
bool parse_signal(const char *s, int *sig, char *why, size_t whylen);

/*
 * A comma list of signals ("9,TERM,SIGUSR1") into a set: bit n of set[n / 64]
 * for signal n. False with why filled when an item is bad or none is given.
 */
bool parse_signal_set(const char *list, unsigned long long set[2], char *why, size_t whylen);

/* "SIGKILL" for 9, "SIGRTMIN+3" for 37; NULL for 0 (no signal) and out of range. */
const char *signal_name(int sig, char *buf, size_t len);

#endif
