/* The clocks of the tools' output: wall-clock time, and the kernel's monotonic clock. */
#ifndef SNOOP_CLOCK_H
#define SNOOP_CLOCK_H

#include <stddef.h>

/* Local wall-clock time as HH:MM:SS into buf (at least 9 bytes). */
void clock_hms(char *buf, size_t len);

/* Monotonic clock in nanoseconds, the clock bpf_ktime_get_ns() reads. */
unsigned long long monotonic_ns(void);

/*
 * A CLOCK_MONOTONIC time (a BPF event's) as UTC wall-clock time in RFC 3339
 * with nanoseconds, "2026-11-22T10:11:12.123456789Z", into buf (at least
 * 31 bytes): shifted by the clocks' difference, read again every second
 * of events, so that it follows the wall clock's steps. Returns the
 * length of what it wrote. Formats the date at each call: the JSON lines'
 * head (event_json.c) asks once a second and writes the digits itself.
 */
size_t clock_rfc3339(char *buf, size_t len, unsigned long long mono_ns);

/* clock_rfc3339's time in parts: seconds since the epoch (UTC) and nanoseconds. */
struct wall_time {
	long long sec;
	unsigned ns;
};
struct wall_time clock_wall(unsigned long long mono_ns);

/* ns (under 10^9) as the nine digits after the point, into digits (not NUL-ended). */
void clock_ns_digits(char *digits, unsigned ns);

/* Seconds from start_ns to t_ns (both CLOCK_MONOTONIC, as bpf_ktime_get_ns()); 0 before it. */
double seconds_after(unsigned long long start_ns, unsigned long long t_ns);

#endif
