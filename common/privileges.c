#include "privileges.h"
#include "text.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <linux/bpf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>

#define PERF_PARANOID "/proc/sys/kernel/perf_event_paranoid"

/* The number a /proc/sys file holds, or fallback where it cannot be read. */
static long read_sysctl(const char *path, long fallback)
{
	FILE *f = fopen(path, "re");
	long v;

	if (!f)
		return fallback;
	if (fscanf(f, "%ld", &v) != 1)
		v = fallback;
	fclose(f);
	return v;
}

/* The number after "name:" in /proc/self/status, or -1 where there is none. */
static long status_field(const char *name)
{
	FILE *f = fopen("/proc/self/status", "re");
	size_t len = strlen(name);
	char line[256];
	long v = -1;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, name, len) && line[len] == ':') {
			v = strtol(line + len + 1, NULL, 10);
			break;
		}
	fclose(f);
	return v;
}

/*
 * Whether bpf() itself is allowed, the capabilities being there: a seccomp
 * filter (a container runtime's default profile refuses bpf() to a process
 * without CAP_SYS_ADMIN) or an LSM policy can refuse it whatever the
 * process holds, and the first map or compile to fail would otherwise be
 * all a user is told. Any other failure of the test map is left to the
 * load, which names it.
 */
static int check_bpf_allowed(char *err, size_t errlen)
{
	union bpf_attr attr = {
		.map_type = BPF_MAP_TYPE_ARRAY, .key_size = 4, .value_size = 4, .max_entries = 1
	};
	long fd = syscall(__NR_bpf, BPF_MAP_CREATE, &attr, sizeof(attr));
	int refused = errno;

	if (fd >= 0) {
		close((int)fd);
		return 0;
	}
	if (refused != EPERM && refused != EACCES && refused != ENOSYS)
		return 0;
	strfmt(err, errlen, "bpf() is refused (%s) although it holds the capabilities: %s",
	       strerror(refused),
	       status_field("Seccomp") == 2
		       ? "it runs under a seccomp filter that refuses it (a container runtime's "
			 "default profile does); give it a profile that allows bpf and "
			 "perf_event_open (see SECURITY in its man page)"
		       : "the kernel's policy refuses it (an LSM, or a kernel without bpf())");
	return -1;
}

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
	return lift_memlock(err, errlen) || check_bpf_allowed(err, errlen) ? -1 : 0;
}

int privileges_check_perf_events(const char *uses, char *err, size_t errlen)
{
	long paranoid = read_sysctl(PERF_PARANOID, 2);
	char to[256];

	if (paranoid <= 2 || privileges_have(CAP_SYS_ADMIN))
		return 0;
	strfmt(to, sizeof(to),
	       "open perf events for %s while kernel.perf_event_paranoid is %ld (or use "
	       "--mode fentry with --ring-buffer, which open none)",
	       uses, paranoid);
	privileges_missing(err, errlen, CAP_SYS_ADMIN, to);
	return -1;
}

/*
 * The pages a user without CAP_IPC_LOCK may map for perf buffers, as the
 * kernel's perf_mmap counts them: kernel.perf_event_mlock_kb for each online
 * CPU, for all of the user's processes, then the process's RLIMIT_MEMLOCK.
 * LONG_MAX where either cannot be read, the limit is none, or
 * perf_event_paranoid is -1.
 */
static long perf_pages_allowed(int ncpus)
{
	long page_kb = sysconf(_SC_PAGESIZE) / 1024;
	long mlock_kb = read_sysctl("/proc/sys/kernel/perf_event_mlock_kb", -1);
	struct rlimit r;

	/* Not known, no limit, or a perf_event_paranoid of -1, where the kernel counts none. */
	if (mlock_kb < 0 || page_kb <= 0 || getrlimit(RLIMIT_MEMLOCK, &r) ||
	    r.rlim_cur == RLIM_INFINITY || read_sysctl(PERF_PARANOID, 2) < 0)
		return LONG_MAX;
	return mlock_kb / page_kb * ncpus + (long)(r.rlim_cur / 1024 / (unsigned long)page_kb);
}

int privileges_check_perf_pages(int ncpus, int pages, char *err, size_t errlen)
{
	long allowed = perf_pages_allowed(ncpus);
	int fitting = pages;
	char to[256], hint[48];

	/* Each buffer maps a page of its own above its data pages. */
	if ((long)ncpus * (pages + 1) <= allowed || privileges_have(CAP_IPC_LOCK))
		return 0;
	while (fitting > 1 && (long)ncpus * (fitting + 1) > allowed)
		fitting /= 2;
	strfmt(hint, sizeof(hint), "--buffer-pages %d, or ", fitting);
	strfmt(to, sizeof(to),
	       "lock %d perf buffers of %d pages, beyond the %ld pages that "
	       "kernel.perf_event_mlock_kb and RLIMIT_MEMLOCK allow (or use %s--ring-buffer)",
	       ncpus, pages, allowed, (long)ncpus * (fitting + 1) <= allowed ? hint : "");
	privileges_missing(err, errlen, CAP_IPC_LOCK, to);
	return -1;
}
