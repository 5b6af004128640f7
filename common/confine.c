/* A tool confined once attached: capabilities, no_new_privs, a seccomp filter (confine.h). */
#include "confine.h"
#include "array_size.h"
#include "status.h"
#include "text.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/perf_event.h>
#include <seccomp.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/fsuid.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

/*
 * The system calls' names for the SIGSYS handler, taken before the filter
 * is in: the handler may run inside malloc (a call of mmap, say), so it
 * can neither allocate nor ask libseccomp, which does.
 */
#define NAMED_SYSCALLS 512
static char syscall_names[NAMED_SYSCALLS][24];
/* "TOOL: " */
static char message_prefix[64];
/* The audit architecture of the calls named (AUDIT_ARCH_X86_64, say). */
static unsigned int native_arch;

static size_t append(char *line, size_t at, size_t size, const char *s)
{
	while (*s && at + 1 < size)
		line[at++] = *s++;
	line[at] = '\0';
	return at;
}

static size_t append_number(char *line, size_t at, size_t size, long n)
{
	char digits[24];
	int i = (int)sizeof(digits) - 1;
	unsigned long u = n < 0 ? 0UL - (unsigned long)n : (unsigned long)n;

	digits[i] = '\0';
	do {
		digits[--i] = (char)('0' + u % 10);
		u /= 10;
	} while (u && i > 1);
	if (n < 0)
		digits[--i] = '-';
	return append(line, at, size, &digits[i]);
}

/* A call outside the filter: one line naming it, then the end (async-signal-safe). */
static void on_forbidden_call(int sig, siginfo_t *info, void *uctx)
{
	char line[256];
	int nr = info->si_syscall;
	bool native = info->si_arch == native_arch;
	ssize_t written;
	size_t n;

	(void)sig;
	(void)uctx;
	n = append(line, 0, sizeof(line), message_prefix);
	n = append(line, n, sizeof(line), "system call ");
	if (native && nr >= 0 && nr < NAMED_SYSCALLS && syscall_names[nr][0]) {
		n = append(line, n, sizeof(line), syscall_names[nr]);
		n = append(line, n, sizeof(line), " (");
		n = append_number(line, n, sizeof(line), nr);
		n = append(line, n, sizeof(line), ")");
	} else {
		n = append_number(line, n, sizeof(line), nr);
		if (!native)
			n = append(line, n, sizeof(line), " of another architecture");
	}
	n = append(line, n, sizeof(line),
		   " is outside the tool's seccomp filter: stopping (a bug: please report it)\n");
	/* Whether or not stderr takes it, the tool ends. */
	written = write(STDERR_FILENO, line, n);
	(void)written;
	_exit(EXIT_RUNTIME);
}

static void name_syscalls(void)
{
	native_arch = seccomp_arch_native();
	for (int nr = 0; nr < NAMED_SYSCALLS; nr++) {
		char *name = seccomp_syscall_resolve_num_arch(SCMP_ARCH_NATIVE, nr);

		if (name)
			strfmt(syscall_names[nr], sizeof(syscall_names[nr]), "%s", name);
		free(name);
	}
}

/*
 * A 32-bit argument equal to value. SCMP_CMP_EQ reads datum_a alone; datum_b
 * is given only so clang's -Wmissing-field-initializers sees every field.
 */
#define ARG_EQUALS(n, value) SCMP_CMP32(n, SCMP_CMP_EQ, value, 0)

/* A system call the filter allows: always, or when one argument compares as arg says (nargs 1). */
struct rule {
	const char *name;
	unsigned int nargs;
	struct scmp_arg_cmp arg;
};

/*
 * Adds the rules of each call libseccomp knows by its name on this system,
 * counted in *count: 0, or -1 with errno set.
 */
static int add_rules(scmp_filter_ctx f, const struct rule *rules, size_t nrules, int *count)
{
	for (size_t i = 0; i < nrules; i++) {
		int nr = seccomp_syscall_resolve_name(rules[i].name);
		int rc;

		/* A call this system's libseccomp has no number for (epoll_pwait2 on an old one). */
		if (nr == __NR_SCMP_ERROR)
			continue;
		rc = rules[i].nargs ? seccomp_rule_add(f, SCMP_ACT_ALLOW, nr, 1, rules[i].arg)
				    : seccomp_rule_add(f, SCMP_ACT_ALLOW, nr, 0);
		if (rc) {
			errno = -rc;
			return -1;
		}
		(*count)++;
	}
	return 0;
}

/*
 * The open flags that write, or make or empty a file (O_TRUNC empties it
 * even with O_RDONLY): a file opened once confined has none but O_RDONLY.
 */
#define OPEN_FLAGS_OF_WRITING (O_ACCMODE | O_CREAT | O_TRUNC)

/*
 * Every tool's: the event loop (poll, and epoll for a ring buffer), writing
 * lines, memory for them (never executable), clocks, the stop signals'
 * handler and a stdout made non-blocking, the cgroups' paths (a walk of
 * their hierarchy, read-only), uname (gethostname, should a JSON object
 * be begun before the run's identity was drawn: common/output/event_json.h), and the
 * teardown (a perf event disabled, descriptors closed, mappings undone).
 */
static const struct rule loop_rules[] = {
	{ .name = "poll" },
	{ .name = "ppoll" },
	{ .name = "epoll_wait" },
	{ .name = "epoll_pwait" },
	{ .name = "epoll_pwait2" },
	{ .name = "write" },
	{ .name = "writev" },
	{ .name = "lseek" },
	{ .name = "openat",
	  .nargs = 1,
	  .arg = SCMP_A2_32(SCMP_CMP_MASKED_EQ, OPEN_FLAGS_OF_WRITING, O_RDONLY) },
	{ .name = "read" },
	{ .name = "getdents64" },
	{ .name = "fstat" },
	/*
	 * glibc's fstat(): a descriptor and AT_EMPTY_PATH. A path given with the
	 * flag is still looked up, which tells no more than a read-only open.
	 */
	{ .name = "newfstatat",
	  .nargs = 1,
	  .arg = SCMP_A3_32(SCMP_CMP_MASKED_EQ, AT_EMPTY_PATH, AT_EMPTY_PATH) },
	{ .name = "uname" },
	{ .name = "brk" },
	{ .name = "mmap", .nargs = 1, .arg = SCMP_A2_32(SCMP_CMP_MASKED_EQ, PROT_EXEC, 0) },
	{ .name = "mprotect", .nargs = 1, .arg = SCMP_A2_32(SCMP_CMP_MASKED_EQ, PROT_EXEC, 0) },
	{ .name = "munmap" },
	{ .name = "mremap" },
	{ .name = "madvise" },
	{ .name = "futex" },
	{ .name = "clock_gettime" },
	{ .name = "gettimeofday" },
	{ .name = "time" },
	{ .name = "getpid" },
	{ .name = "gettid" },
	{ .name = "rt_sigreturn" },
	{ .name = "rt_sigprocmask" },
	{ .name = "restart_syscall" },
	{ .name = "fcntl", .nargs = 1, .arg = ARG_EQUALS(1, F_GETFL) },
	{ .name = "fcntl", .nargs = 1, .arg = ARG_EQUALS(1, F_SETFL) },
	{ .name = "fcntl", .nargs = 1, .arg = ARG_EQUALS(1, F_GETFD) },
	{ .name = "fcntl", .nargs = 1, .arg = ARG_EQUALS(1, F_SETFD) },
	{ .name = "ioctl", .nargs = 1, .arg = ARG_EQUALS(1, PERF_EVENT_IOC_DISABLE) },
	/* isatty(): glibc's look at a terminal stdout at the first line written. */
	{ .name = "ioctl", .nargs = 1, .arg = ARG_EQUALS(1, TCGETS) },
	{ .name = "close" },
	{ .name = "exit" },
	{ .name = "exit_group" },
};

static const struct rule signal_rules[] = {
	{ .name = "pidfd_open" },
	{ .name = "pidfd_send_signal" },
};

/* glibc's syslog(): a datagram (or stream) socket to /dev/log, made again after a failure. */
static const struct rule syslog_rules[] = {
	{ .name = "socket", .nargs = 1, .arg = ARG_EQUALS(0, AF_UNIX) },
	{ .name = "connect" },
	{ .name = "sendto" },
};

#if defined(__SANITIZE_ADDRESS__)
/*
 * The sanitizer build's runtime, beyond the read-only files every filter
 * allows, with the calls it reads them with (open, getdents, stat): a
 * report's symbols and whether stderr is a terminal, and LeakSanitizer's
 * look at every thread at exit, from a clone that ptraces them. Never in a
 * build that ships.
 */
static const struct rule sanitizer_rules[] = {
	{ .name = "open",
	  .nargs = 1,
	  .arg = SCMP_A1_32(SCMP_CMP_MASKED_EQ, OPEN_FLAGS_OF_WRITING, O_RDONLY) },
	{ .name = "getdents" },
	{ .name = "newfstatat" },
	{ .name = "ioctl" },
	{ .name = "clone" },
	{ .name = "ptrace" },
	{ .name = "wait4" },
	{ .name = "prctl" },
	{ .name = "sigaltstack" },
	{ .name = "rt_sigaction" },
	{ .name = "sched_yield" },
	{ .name = "getppid" },
	{ .name = "readlink" },
};
#endif

/* Installs the filter: 0 with *count its rules, or -1 with err set. */
static int load_filter(unsigned needs, int *count, char *err, size_t errlen)
{
	scmp_filter_ctx f = seccomp_init(SCMP_ACT_TRAP);
	/* abort() raises SIGABRT with tgkill: to this process only. */
	const struct rule own_tgkill = { .name = "tgkill",
					 .nargs = 1,
					 .arg = ARG_EQUALS(0, getpid()) };
	int rc;

	if (!f) {
		strfmt(err, errlen, "cannot make a seccomp filter: out of memory");
		return -1;
	}
	*count = 0;
	rc = seccomp_attr_set(f, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_TRAP);
	if (rc)
		errno = -rc;
	else
		rc = add_rules(f, loop_rules, ARRAY_SIZE(loop_rules), count);
	if (!rc)
		rc = add_rules(f, &own_tgkill, 1, count);
	if (!rc && (needs & AFTER_ATTACH_SIGNALS))
		rc = add_rules(f, signal_rules, ARRAY_SIZE(signal_rules), count);
	if (!rc && (needs & AFTER_ATTACH_SYSLOG))
		rc = add_rules(f, syslog_rules, ARRAY_SIZE(syslog_rules), count);
#if defined(__SANITIZE_ADDRESS__)
	if (!rc)
		rc = add_rules(f, sanitizer_rules, ARRAY_SIZE(sanitizer_rules), count);
#endif
	if (!rc) {
		int loaded = seccomp_load(f);

		if (loaded) {
			errno = -loaded;
			rc = -1;
		}
	}
	if (rc)
		strfmt(err, errlen, "cannot install the seccomp filter: %s", strerror(errno));
	seccomp_release(f);
	return rc;
}

/* Whether the process has cap in its set of that flag. */
static bool has_cap(cap_t now, cap_value_t cap, cap_flag_t flag)
{
	cap_flag_value_t v = CAP_CLEAR;

	return cap_get_flag(now, cap, flag, &v) == 0 && v == CAP_SET;
}

/*
 * The user and group a confined tool opens files as: nobody's, as its file
 * system IDs alone. Its real, effective and saved IDs stay root's, so that
 * no other user may signal it or change its scheduling (both take the
 * caller's real or effective user to be one of the target's).
 */
#define CONFINED_ID 65534

/*
 * Empties the bounding set but for keep where the process may change it
 * (CAP_SETPCAP); drops the supplementary groups and makes files opened as
 * CONFINED_ID's where the process runs as root and may change its IDs
 * (CAP_SETUID, CAP_SETGID); makes the process non-dumpable: 0 or -1 with
 * err set. The first two take capabilities that the last step drops.
 */
static int bound_and_switch(cap_t now, bool keeping, cap_value_t keep, char *err, size_t errlen)
{
#if defined(__SANITIZE_ADDRESS__)
	/*
	 * LeakSanitizer's look at the threads at exit is a ptrace() of this
	 * process, which a non-dumpable one refuses: the sanitizer build stays
	 * dumpable (changing the file system IDs made it not).
	 */
	const int dumpable = 1;
#else
	/* No core dump of a root process's memory; /proc/PID's files stay root's. */
	const int dumpable = 0;
#endif

	if (has_cap(now, CAP_SETPCAP, CAP_EFFECTIVE)) {
		for (cap_value_t cap = 0; cap < cap_max_bits(); cap++) {
			if (!(keeping && cap == keep) && CAP_IS_SUPPORTED(cap) &&
			    cap_drop_bound(cap)) {
				strfmt(err, errlen,
				       "cannot drop a capability from the bounding set: %s",
				       strerror(errno));
				return -1;
			}
		}
	}
	/* Root that may change its IDs: a container's root may not. */
	if (geteuid() == 0 && has_cap(now, CAP_SETUID, CAP_EFFECTIVE) &&
	    has_cap(now, CAP_SETGID, CAP_EFFECTIVE)) {
		if (setgroups(0, NULL)) {
			strfmt(err, errlen, "cannot drop the supplementary groups: %s",
			       strerror(errno));
			return -1;
		}
		setfsgid(CONFINED_ID);
		setfsuid(CONFINED_ID);
		/* Each returns the ID before; -1, never valid, changes nothing. */
		if ((gid_t)setfsgid((gid_t)-1) != CONFINED_ID ||
		    (uid_t)setfsuid((uid_t)-1) != CONFINED_ID) {
			strfmt(err, errlen, "cannot take user and group %d for files", CONFINED_ID);
			return -1;
		}
	}
	if (prctl(PR_SET_DUMPABLE, dumpable, 0, 0, 0)) {
		strfmt(err, errlen, "cannot set whether the process is dumpable: %s",
		       strerror(errno));
		return -1;
	}
	return 0;
}

/*
 * Keeps only the capability needs name (CAP_KILL), if the process has it,
 * in its permitted and effective sets, and in the bounding set where it can
 * change that; empties the inheritable and ambient sets; opens files as
 * CONFINED_ID from then on: 0 or -1 with err set.
 */
static int drop_privileges(unsigned needs, struct confinement *c, char *err, size_t errlen)
{
	cap_t now = cap_get_proc(), kept = cap_init();
	cap_value_t keep = CAP_KILL;
	bool keeping = (needs & AFTER_ATTACH_SIGNALS) && now && has_cap(now, keep, CAP_PERMITTED);
	int rc = 0;

	strfmt(c->kept, sizeof(c->kept), "no capability");
	if (!now || !kept) {
		strfmt(err, errlen, "cannot read the capabilities: %s", strerror(errno));
		rc = -1;
	}
	if (!rc)
		rc = bound_and_switch(now, keeping, keep, err, errlen);
	if (!rc && keeping &&
	    (cap_set_flag(kept, CAP_PERMITTED, 1, &keep, CAP_SET) ||
	     cap_set_flag(kept, CAP_EFFECTIVE, 1, &keep, CAP_SET))) {
		strfmt(err, errlen, "cannot keep CAP_KILL: %s", strerror(errno));
		rc = -1;
	}
	if (!rc && (cap_reset_ambient() || cap_set_proc(kept))) {
		strfmt(err, errlen, "cannot drop the capabilities: %s", strerror(errno));
		rc = -1;
	}
	if (!rc && keeping)
		strfmt(c->kept, sizeof(c->kept), "CAP_KILL");
	c->file_uid = (unsigned)setfsuid((uid_t)-1);
	cap_free(now);
	cap_free(kept);
	return rc;
}

int confine(const char *tool, unsigned needs, struct confinement *c, char *err, size_t errlen)
{
	struct sigaction sa = { .sa_sigaction = on_forbidden_call, .sa_flags = SA_SIGINFO };

	/* What glibc would otherwise read on its first use, behind the filter: the time zone. */
	tzset();
	name_syscalls();
	strfmt(message_prefix, sizeof(message_prefix), "%s: ", tool);
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGSYS, &sa, NULL)) {
		strfmt(err, errlen, "cannot catch SIGSYS: %s", strerror(errno));
		return -1;
	}
	if (drop_privileges(needs, c, err, errlen))
		return -1;
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)) {
		strfmt(err, errlen, "cannot set no_new_privs: %s", strerror(errno));
		return -1;
	}
	return load_filter(needs, &c->nrules, err, errlen);
}
