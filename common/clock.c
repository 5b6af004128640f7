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

unsigned long long monotonic_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (unsigned long long)ts.tv_sec * 1000000000ULL + (unsigned long long)ts.tv_nsec;
}

double seconds_after(unsigned long long start_ns, unsigned long long t_ns)
{
	return t_ns > start_ns ? (double)(t_ns - start_ns) / 1e9 : 0.0;
}
