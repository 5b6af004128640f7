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

/* clock_rfc3339's last second, formatted. */
static struct {
	time_t sec;
	char text[32];
} last_second = { .sec = -1 };

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

size_t clock_rfc3339(char *buf, size_t len, unsigned long long mono_ns)
{
	unsigned long long wall_ns, frac;
	char text[sizeof(last_second.text) + 16];
	size_t date_len, shown;
	time_t sec;
	struct tm tm;

	wall_ns = mono_ns + wall_shift(mono_ns);
	sec = (time_t)(wall_ns / 1000000000ULL);
	/* The date and time of day change once a second: formatted then (a burst's events share them). */
	if (sec != last_second.sec) {
		if (!gmtime_r(&sec, &tm) ||
		    !strftime(last_second.text, sizeof(last_second.text), "%Y-%m-%dT%H:%M:%S", &tm))
			strfmt(last_second.text, sizeof(last_second.text), "1970-01-01T00:00:00");
		last_second.sec = sec;
	}
	/* ".NNNNNNNNNZ" by hand: printf's format parsing is dear at every event. */
	date_len = strlen(last_second.text);
	memcpy(text, last_second.text, date_len);
	memcpy(text + date_len, ".000000000Z", sizeof(".000000000Z"));
	frac = wall_ns % 1000000000ULL;
	for (char *d = text + date_len + 9; frac; d--, frac /= 10)
		*d = (char)('0' + frac % 10);
	if (!len)
		return 0;
	/* as much as fits, NUL-ended */
	shown = date_len + sizeof(".000000000Z") - 1;
	if (shown > len - 1)
		shown = len - 1;
	memcpy(buf, text, shown);
	buf[shown] = '\0';
	return shown;
}
