#include "clock.h"
#include "text.h"

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

void clock_rfc3339(char *buf, size_t len, unsigned long long mono_ns)
{
	struct timespec real, mono;
	unsigned long long wall_ns;
	time_t sec;
	struct tm tm;
	char date[32];

	clock_gettime(CLOCK_REALTIME, &real);
	clock_gettime(CLOCK_MONOTONIC, &mono);
	wall_ns = mono_ns + timespec_ns(&real) - timespec_ns(&mono);
	sec = (time_t)(wall_ns / 1000000000ULL);
	if (!gmtime_r(&sec, &tm) || !strftime(date, sizeof(date), "%Y-%m-%dT%H:%M:%S", &tm))
		strfmt(date, sizeof(date), "1970-01-01T00:00:00");
	strfmt(buf, len, "%s.%09lluZ", date, wall_ns % 1000000000ULL);
}
