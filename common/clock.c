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

void clock_ns_digits(char *digits, unsigned ns)
{
	for (int i = 8; i >= 0; i--, ns /= 10)
		digits[i] = (char)('0' + ns % 10);
}

size_t clock_rfc3339(char *buf, size_t len, unsigned long long mono_ns)
{
	struct wall_time now = clock_wall(mono_ns);
	time_t sec = (time_t)now.sec;
	char text[48];
	size_t n, shown;
	struct tm tm;

	/* Room left for ".NNNNNNNNNZ". */
	n = gmtime_r(&sec, &tm) ? strftime(text, sizeof(text) - 11, "%Y-%m-%dT%H:%M:%S", &tm) : 0;
	if (!n) {
		strfmt(text, sizeof(text), "1970-01-01T00:00:00");
		n = strlen(text);
	}
	text[n] = '.';
	clock_ns_digits(text + n + 1, now.ns);
	text[n + 10] = 'Z';
	if (!len)
		return 0;
	/* as much as fits, NUL-ended */
	shown = n + 11 < len - 1 ? n + 11 : len - 1;
	memcpy(buf, text, shown);
	buf[shown] = '\0';
	return shown;
}
