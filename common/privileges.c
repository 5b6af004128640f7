#include "privileges.h"
#include "text.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/resource.h>
#include <sys/utsname.h>
#include <unistd.h>

bool privileges_have(cap_value_t cap)
{
	cap_t now = cap_get_proc();
	cap_flag_value_t v = CAP_CLEAR;

	if (now && cap_get_flag(now, cap, CAP_EFFECTIVE, &v))
		v = CAP_CLEAR;
	cap_free(now);
	return v == CAP_SET;
}

void privileges_missing(char *err, size_t errlen, cap_value_t cap, const char *to)
{
	char *lower = cap_to_name(cap), name[64];
	size_t i;

	/* libcap names it cap_bpf; the man pages, and capabilities(7), CAP_BPF. */
	for (i = 0; lower && lower[i] && i + 1 < sizeof(name); i++)
		name[i] = (char)toupper((unsigned char)lower[i]);
	name[i] = '\0';
	cap_free(lower);
	strfmt(err, errlen,
	       "needs %s to %s, which it does not have (run it as root, or give it %s)", name, to,
	       name);
}

/* CAP_BPF and CAP_PERFMON where the kernel has them (5.8); CAP_SYS_ADMIN holds both. */
static bool have_or_admin(cap_value_t cap)
{
	return privileges_have(cap) || privileges_have(CAP_SYS_ADMIN);
}

/* Whether the running kernel is older than major.minor. */
static bool kernel_before(unsigned major, unsigned minor)
{
	struct utsname un;
	unsigned ma, mi;

	if (uname(&un) || sscanf(un.release, "%u.%u", &ma, &mi) != 2)
		return false;
	return ma < major || (ma == major && mi < minor);
}

/*
 * Before Linux 5.11 a BPF map's memory counts against RLIMIT_MEMLOCK:
 * lifted to unlimited here where the process may (CAP_SYS_RESOURCE, or a
 * hard limit already unlimited).
 */
static int lift_memlock(char *err, size_t errlen)
{
	struct rlimit r;

	if (!kernel_before(5, 11) || getrlimit(RLIMIT_MEMLOCK, &r) || r.rlim_cur == RLIM_INFINITY)
		return 0;
	if (r.rlim_max != RLIM_INFINITY && !privileges_have(CAP_SYS_RESOURCE)) {
		privileges_missing(err, errlen, CAP_SYS_RESOURCE,
				   "lift RLIMIT_MEMLOCK, which its BPF maps count against before "
				   "Linux 5.11 (or start it with that limit unlimited)");
		return -1;
	}
	r.rlim_cur = r.rlim_max = RLIM_INFINITY;
	if (setrlimit(RLIMIT_MEMLOCK, &r)) {
		strfmt(err, errlen, "cannot lift RLIMIT_MEMLOCK: %s", strerror(errno));
		return -1;
	}
	return 0;
}

int privileges_check_start(bool signals, char *err, size_t errlen)
{
	/* The kernel knows CAP_BPF and CAP_PERFMON from 5.8 on. */
	bool split = CAP_IS_SUPPORTED(CAP_BPF);

	/* Root's own start may be secure too (an SELinux transition): its cache is root's anyway. */
	if (getauxval(AT_SECURE) && getuid() != 0) {
		strfmt(err, errlen,
		       "refuses to run set-user-ID or with file capabilities: give it its "
		       "capabilities as ambient ones (see SECURITY in its man page)");
		return -1;
	}
	if (!have_or_admin(split ? CAP_BPF : CAP_SYS_ADMIN)) {
		privileges_missing(err, errlen, split ? CAP_BPF : CAP_SYS_ADMIN,
				   "load its BPF programs");
		return -1;
	}
	if (!have_or_admin(split ? CAP_PERFMON : CAP_SYS_ADMIN)) {
		privileges_missing(err, errlen, split ? CAP_PERFMON : CAP_SYS_ADMIN,
				   "trace the kernel with them");
		return -1;
	}
	if (signals && !privileges_have(CAP_KILL)) {
		privileges_missing(err, errlen, CAP_KILL, "signal processes of other users");
		return -1;
	}
	return lift_memlock(err, errlen);
}

int privileges_check_perf_events(const char *uses, char *err, size_t errlen)
{
	FILE *f = fopen("/proc/sys/kernel/perf_event_paranoid", "re");
	int paranoid = 2;
	char to[256];

	if (f) {
		if (fscanf(f, "%d", &paranoid) != 1)
			paranoid = 2;
		fclose(f);
	}
	if (paranoid <= 2 || privileges_have(CAP_SYS_ADMIN))
		return 0;
	strfmt(to, sizeof(to),
	       "open perf events for %s while kernel.perf_event_paranoid is %d (or use "
	       "--mode fentry with --ring-buffer, which open none)",
	       uses, paranoid);
	privileges_missing(err, errlen, CAP_SYS_ADMIN, to);
	return -1;
}
