#include "signals.h"
#include "options/parse.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

/* Standard signals of Linux on x86, arm64 and most architectures. */
static const char *const signal_names[] = {
	[1] = "HUP",	 [2] = "INT",	[3] = "QUIT",	[4] = "ILL",   [5] = "TRAP",
	[6] = "ABRT",	 [7] = "BUS",	[8] = "FPE",	[9] = "KILL",  [10] = "USR1",
	[11] = "SEGV",	 [12] = "USR2", [13] = "PIPE",	[14] = "ALRM", [15] = "TERM",
	[16] = "STKFLT", [17] = "CHLD", [18] = "CONT",	[19] = "STOP", [20] = "TSTP",
	[21] = "TTIN",	 [22] = "TTOU", [23] = "URG",	[24] = "XCPU", [25] = "XFSZ",
	[26] = "VTALRM", [27] = "PROF", [28] = "WINCH", [29] = "IO",   [30] = "PWR",
	[31] = "SYS",
};

/* The kernel's real-time range; glibc reserves the first few for itself. */
#define KERNEL_SIGRTMIN 32
#define KERNEL_SIGRTMAX 64

const char *signal_name(int sig, char *buf, size_t len)
{
	if (sig <= 0 || sig > SIGNAL_MAX)
		return NULL;
	if (sig < KERNEL_SIGRTMIN)
		snprintf(buf, len, "SIG%s", signal_names[sig]);
	else if (sig == KERNEL_SIGRTMIN)
		snprintf(buf, len, "SIGRTMIN");
	else if (sig == KERNEL_SIGRTMAX)
		snprintf(buf, len, "SIGRTMAX");
	else
		snprintf(buf, len, "SIGRTMIN+%d", sig - KERNEL_SIGRTMIN);
	return buf;
}

/* Parses "RTMIN", "RTMIN+n" or "RTMAX-n" (after any SIG prefix). */
static bool parse_rt_signal(const char *name, int *sig)
{
	int base, sign;
	uint64_t offset = 0;

	if (!strncasecmp(name, "RTMIN", 5)) {
		base = KERNEL_SIGRTMIN;
		sign = 1;
	} else if (!strncasecmp(name, "RTMAX", 5)) {
		base = KERNEL_SIGRTMAX;
		sign = -1;
	} else {
		return false;
	}
	name += 5;
	if (*name) {
		char why[8];

		if (*name != (sign > 0 ? '+' : '-') ||
		    !parse_uint(name + 1, 0, KERNEL_SIGRTMAX - KERNEL_SIGRTMIN, &offset, why,
				sizeof(why)))
			return false;
	}
	*sig = base + sign * (int)offset;
	return true;
}

bool parse_signal(const char *s, int *sig, char *why, size_t whylen)
{
	const char *name = s;
	uint64_t value;

	if (*s && isdigit((unsigned char)*s)) {
		if (!parse_uint(s, 0, SIGNAL_MAX, &value, why, whylen))
			return false;
		*sig = (int)value;
		return true;
	}
	if (!strncasecmp(name, "SIG", 3))
		name += 3;
	for (int i = 1; i < KERNEL_SIGRTMIN; i++) {
		if (!strcasecmp(name, signal_names[i])) {
			*sig = i;
			return true;
		}
	}
	if (parse_rt_signal(name, sig))
		return true;
	snprintf(why, whylen, "unknown signal '%s'", s);
	return false;
}

bool parse_signal_set(const char *list, unsigned long long set[2], char *why, size_t whylen)
{
	char copy[512], *save = NULL;
	int sig;

	set[0] = set[1] = 0;
	if (strlen(list) >= sizeof(copy)) {
		snprintf(why, whylen, "list too long");
		return false;
	}
	strcpy(copy, list);
	for (char *item = strtok_r(copy, ",", &save); item; item = strtok_r(NULL, ",", &save)) {
		if (!parse_signal(item, &sig, why, whylen))
			return false;
		set[sig >> 6] |= 1ULL << (sig & 63);
	}
	if (!set[0] && !set[1]) {
		snprintf(why, whylen, "no signal given");
		return false;
	}
	return true;
}
