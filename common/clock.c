#include "clock.h"
#include "text.h"

#include <stdbool.h>
#include <string.h>
#include <time.h>

void clock_hms(char *buf, size_t len)
{
	/* Events come by the thousand a second: each second is formatted once. */
	static time_t formatted = (time_t)-1;
	static char hms[16];
	time_t now = time(NULL);

	if (now != formatted) {
		struct tm tm;

		if (!localtime_r(&now, &tm) || !strftime(hms, sizeof(hms), "%H:%M:%S", &tm))
			strfmt(hms, sizeof(hms), "??:??:??");
		formatted = now;
	}
	strfmt(buf, len, "%s", hms);
}

static unsigned long long timespec_ns(const struct timespec *ts)
{
	return (unsigned long long)ts->tv_sec * 1000000000ULL + (unsigned long long)ts->tv_nsec;
}

unsigned long long monotonic_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return timespec_ns(&ts);
}

double seconds_after(unsigned long long start_ns, unsigned long long t_ns)
{
	return t_ns > start_ns ? (double)(t_ns - start_ns) / 1e9 : 0.0;
}

/*
 * The wall clock less the monotonic one, read again once the events' time
 * has moved on by a second: a burst's events all get the same shift (none
 * is shown before one sent earlier), for two clock reads a second instead
 * of two an event.
 */
static unsigned long long wall_shift(unsigned long long mono_ns)
{
	static unsigned long long shift, read_at;
	static bool read_once;

	if (!read_once || mono_ns < read_at || mono_ns - read_at >= 1000000000ULL) {
		struct timespec real, mono;

		clock_gettime(CLOCK_REALTIME, &real);
		clock_gettime(CLOCK_MONOTONIC, &mono);
		shift = timespec_ns(&real) - timespec_ns(&mono);
		read_at = mono_ns;
		read_once = true;
	}
	return shift;
}

struct wall_time clock_wall(unsigned long long mono_ns)
{
	unsigned long long wall_ns = mono_ns + wall_shift(mono_ns);

	return (struct wall_time){ .sec = (long long)(wall_ns / 1000000000ULL),
				   .ns = (unsigned)(wall_ns % 1000000000ULL) };
}

size_t clock_rfc3339_second(char *buf, size_t len, long long sec)
{
	time_t t = (time_t)sec;
	struct tm tm;
	size_t n;

	if (!gmtime_r(&t, &tm) || !(n = strftime(buf, len, "%Y-%m-%dT%H:%M:%S", &tm)))
		return strfmt(buf, len, "1970-01-01T00:00:00") ? strlen(buf) : 0;
	return n;
}

void clock_ns_digits(char *digits, unsigned ns)
{
	for (int i = 8; i >= 0; i--, ns /= 10)
		digits[i] = (char)('0' + ns % 10);
}

size_t clock_rfc3339(char *buf, size_t len, unsigned long long mono_ns)
{
	/* The date and time of day change once a second: formatted then (a burst's events share them). */
	static struct {
		long long sec;
		char text[32];
		size_t len;
	} last_second = { .sec = -1 };
	struct wall_time now = clock_wall(mono_ns);
	char text[sizeof(last_second.text) + 16];
	size_t shown;

	if (now.sec != last_second.sec) {
		last_second.len = clock_rfc3339_second(last_second.text, sizeof(last_second.text),
						       now.sec);
		last_second.sec = now.sec;
	}
	memcpy(text, last_second.text, last_second.len);
	text[last_second.len] = '.';
	clock_ns_digits(text + last_second.len + 1, now.ns);
	text[last_second.len + 10] = 'Z';
	if (!len)
		return 0;
	/* as much as fits, NUL-ended */
	shown = last_second.len + 11;
	if (shown > len - 1)
		shown = len - 1;
	memcpy(buf, text, shown);
	buf[shown] = '\0';
	return shown;
}
