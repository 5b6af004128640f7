#include "clock.h"
#include "text.h"

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

void clock_rfc3339(char *buf, size_t len, unsigned long long mono_ns)
{
	struct timespec real, mono;
	unsigned long long wall_ns, frac;
	char text[sizeof(last_second.text) + 16];
	size_t date_len;
	time_t sec;
	struct tm tm;

	clock_gettime(CLOCK_REALTIME, &real);
	clock_gettime(CLOCK_MONOTONIC, &mono);
	wall_ns = mono_ns + timespec_ns(&real) - timespec_ns(&mono);
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
	if (len) {	/* as much as fits, NUL-ended */
		size_t n = date_len + sizeof(".000000000Z") < len ? date_len + sizeof(".000000000Z") : len;

		memcpy(buf, text, n - 1);
		buf[n - 1] = '\0';
	}
}
