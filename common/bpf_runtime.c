#include "bpf_runtime.h"
#include "bcc_compile.h"
#include "btf_fields.h"
#include "kernel_env.h"
#include "kheaders.h"
#include "prog_cache.h"
#include "text.h"

#include <bcc/bcc_version.h>
#include <bcc/libbpf.h>
#include <bcc/perf_reader.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/bpf.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <linux/perf_event.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <syslog.h>
#include <unistd.h>

#define MAX_CFLAGS 96
#define CFLAG_LEN 96
#define FUNC_NAME_LEN 128

enum attachment_kind {
	ATTACH_SYSCALL,			/* a syscall's entry or exit */
	ATTACH_COMPAT_SYSCALL,		/* the same, at its 32-bit entry point */
	ATTACH_TRACEPOINT,		/* one of the tool's tracepoints */
	ATTACH_RAW_TRACEPOINT,
	ATTACH_LSM,			/* an LSM hook */
};

/* One BPF program and where it attaches. */
struct attachment {
	enum attachment_kind kind;
	const char *syscall;		/* syscalls: its name */
	bool is_return;
	char category[32];		/* of a tracepoint: "syscalls", "signal", ... */
	char func[FUNC_NAME_LEN];	/* BPF function */
	char target[FUNC_NAME_LEN];	/* tracepoint name or kernel function */
	int prog_fd;			/* owned by the loaded image */
	int perf_fd;			/* tracepoints and kprobes */
	int link_fd;			/* fentry, fexit and raw tracepoints */
	char kprobe_event[64];		/* for kprobes: the event name to remove */
};

struct snoop_bpf {
	const struct bpf_tool *tool;
	struct bpf_settings settings;
	enum probe_mode mode;
	bool syscall_wrapper;
	/* kprobe and fentry: the kernel functions of the tool's syscalls, each name once. */
	struct syscall_function *functions;
	size_t nfunctions;
	char cflags[MAX_CFLAGS][CFLAG_LEN];
	const char *cflag_ptrs[MAX_CFLAGS];
	int ncflags;
	bool have_offsets;		/* the BTF struct offsets are among the cflags */
	bool lsm_active;		/* the LSM hooks are planned */
	bool compat_sys_enter;		/* 32-bit entries taken at raw_syscalls:sys_enter */
	struct kheaders headers;	/* what a compile uses (none for --ebpf) */
	struct prog_image image;	/* compiled, or from the cache */
	struct loaded_image loaded;
	bool image_loaded;		/* loaded holds descriptors to close */
	struct attachment *attachments;
	size_t nattachments;
	struct perf_reader **readers;
	int nreaders;
	bpf_sample_fn sample;
	void *sample_ctx;
	uint64_t lost;
	uint64_t batch_events;		/* events read since stdout was last flushed */
	uint64_t unwritten;		/* events whose lines a failed write lost */
	int output_errno;		/* the last write error reported, or 0 */
	unsigned long long phase_start;
};

static volatile sig_atomic_t stop_requested;
/* stdout's file status flags when it is a pipe, else -1. */
static int pipe_out_flags = -1;

static void on_stop_signal(int sig)
{
	(void)sig;
	stop_requested = 1;
	/*
	 * A write blocked on a full pipe that nobody reads returns EINTR; the
	 * next would block again, for good. No write to it blocks from now on.
	 */
	if (pipe_out_flags >= 0)
		fcntl(STDOUT_FILENO, F_SETFL, pipe_out_flags | O_NONBLOCK);
}

static void stop_on_signals(void)
{
	struct sigaction sa = { .sa_handler = on_stop_signal };
	struct stat st;

	if (fstat(STDOUT_FILENO, &st) == 0 && S_ISFIFO(st.st_mode))
		pipe_out_flags = fcntl(STDOUT_FILENO, F_GETFL);

	/* No SA_RESTART: a signal must end the poll that waits for events. */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	/* A closed stdout shows as a write error, so the probes are still detached. */
	signal(SIGPIPE, SIG_IGN);
}

/* Indexed by enum probe_mode. */
static const char *const mode_names[] = { "auto", "tracepoint", "kprobe", "fentry" };

bool probe_mode_parse(const char *s, enum probe_mode *mode)
{
	for (size_t i = 0; i < sizeof(mode_names) / sizeof(mode_names[0]); i++) {
		if (!strcmp(s, mode_names[i])) {
			*mode = (enum probe_mode)i;
			return true;
		}
	}
	return false;
}

static int fail(const struct snoop_bpf *b, int status, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(const struct snoop_bpf *b, int status, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", b->tool->name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return status;
}

/* With -v: the phase that just ended and how long it took. */
static void phase_done(struct snoop_bpf *b, const char *phase, const char *detail)
{
	unsigned long long now = monotonic_ns();

	if (b->settings.verbose)
		fprintf(stderr, "%s: %-8s %6.3f s%s%s\n", b->tool->name, phase,
			(double)(now - b->phase_start) / 1e9, detail[0] ? "  " : "", detail);
	b->phase_start = now;
}

static bool is_syscall(const struct attachment *a)
{
	return a->kind == ATTACH_SYSCALL || a->kind == ATTACH_COMPAT_SYSCALL;
}

static size_t programs_per_syscall(const struct bpf_tool *t)
{
	if (t->syscalls_unattached)
		return 0;
	/* An exit reading its arguments may need its entry too. */
	return t->syscall_probes == SYSCALL_ENTRY_ONLY ? 1 : 2;
}

/* Adds the entry and exit (or one of them) of each syscall, from *n on. */
static void plan_syscalls(struct snoop_bpf *b, enum attachment_kind kind,
			  const char *const *syscalls, size_t nsyscalls, size_t *n)
{
	size_t per_syscall = programs_per_syscall(b->tool);

	for (size_t i = 0; i < nsyscalls; i++) {
		for (size_t j = 0; j < per_syscall; j++, (*n)++) {
			b->attachments[*n].kind = kind;
			b->attachments[*n].syscall = syscalls[i];
			b->attachments[*n].is_return = j == 1;
		}
	}
}

/* "category:event" into a tracepoint attachment. */
static int plan_tracepoint(struct attachment *a, const char *tracepoint)
{
	const char *colon = strchr(tracepoint, ':');

	a->kind = ATTACH_TRACEPOINT;
	if (!colon || !strfmt(a->category, sizeof(a->category), "%.*s",
			      (int)(colon - tracepoint), tracepoint) ||
	    !strfmt(a->target, FUNC_NAME_LEN, "%s", colon + 1) ||
	    !strfmt(a->func, FUNC_NAME_LEN, "tracepoint__%s__%s", a->category, a->target))
		return -1;
	return 0;
}

/* A raw tracepoint's or LSM hook's attachment: its program as BCC's macros name it. */
static int plan_named(struct attachment *a, enum attachment_kind kind, const char *target)
{
	a->kind = kind;
	if (!strfmt(a->target, FUNC_NAME_LEN, "%s", target) ||
	    !strfmt(a->func, FUNC_NAME_LEN, "%s__%s",
		    kind == ATTACH_LSM ? "lsm" : "raw_tracepoint", target))
		return -1;
	return 0;
}

/*
 * The syscalls' entries and exits first (the first one's kernel function
 * is what fentry is checked on), their 32-bit entry points, then the
 * tool's tracepoints and raw tracepoints.
 */
static int plan_attachments(struct snoop_bpf *b)
{
	const struct bpf_tool *t = b->tool;
	size_t per_syscall = programs_per_syscall(t), n = 0;

	b->nattachments = (t->nsyscalls + t->ncompat_syscalls) * per_syscall + t->ntracepoints +
			  t->nraw_tracepoints + t->nlsm_hooks;
	b->attachments = calloc(b->nattachments, sizeof(*b->attachments));
	if (!b->attachments)
		return -1;
	for (size_t i = 0; i < b->nattachments; i++)
		b->attachments[i].prog_fd = b->attachments[i].perf_fd = b->attachments[i].link_fd = -1;
	plan_syscalls(b, ATTACH_SYSCALL, t->syscalls, t->nsyscalls, &n);
	plan_syscalls(b, ATTACH_COMPAT_SYSCALL, t->compat_syscalls, t->ncompat_syscalls, &n);
	for (size_t i = 0; i < t->ntracepoints; i++, n++) {
		if (plan_tracepoint(&b->attachments[n], t->tracepoints[i]))
			return -1;
	}
	for (size_t i = 0; i < t->nraw_tracepoints; i++, n++) {
		if (plan_named(&b->attachments[n], ATTACH_RAW_TRACEPOINT, t->raw_tracepoints[i]))
			return -1;
	}
	for (size_t i = 0; i < t->nlsm_hooks; i++, n++) {
		if (plan_named(&b->attachments[n], ATTACH_LSM, t->lsm_hooks[i]))
			return -1;
	}
	return 0;
}

/* Keeps the attachments keep() says yes to, in order. */
static void keep_attachments(struct snoop_bpf *b, bool (*keep)(const struct attachment *a))
{
	size_t kept = 0;

	for (size_t i = 0; i < b->nattachments; i++) {
		if (keep(&b->attachments[i]))
			b->attachments[kept++] = b->attachments[i];
	}
	b->nattachments = kept;
}

struct snoop_bpf *snoop_bpf_new(const struct bpf_tool *tool, const struct bpf_settings *settings)
{
	struct snoop_bpf *b = calloc(1, sizeof(*b));

	if (!b)
		return NULL;
	b->tool = tool;
	b->settings = *settings;
	/*
	 * From the very start: a stop during the compile (whose child process
	 * finishes), the load or the attach ends the tool through its usual
	 * path, so that what it made is removed and what it attached detached.
	 */
	stop_on_signals();
	if (plan_attachments(b)) {
		free(b->attachments);
		free(b);
		return NULL;
	}
	b->phase_start = monotonic_ns();
	return b;
}

static int add_cflag(struct snoop_bpf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int add_cflag(struct snoop_bpf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (b->ncflags == MAX_CFLAGS)
		return fail(b, EXIT_RUNTIME, "too many compile flags");
	va_start(ap, fmt);
	n = vsnprintf(b->cflags[b->ncflags], CFLAG_LEN, fmt, ap);
	va_end(ap);
	if (n < 0 || n >= CFLAG_LEN)
		return fail(b, EXIT_RUNTIME, "compile flag too long");
	b->cflag_ptrs[b->ncflags] = b->cflags[b->ncflags];
	b->ncflags++;
	return 0;
}

static bool all_tracepoints(const struct bpf_tool *tool)
{
	for (size_t i = 0; i < tool->nsyscalls; i++) {
		if (!kernel_has_syscall_tracepoint(tool->syscalls[i]))
			return false;
	}
	return true;
}

static bool has_target(const struct attachment *a)
{
	return a->kind != ATTACH_COMPAT_SYSCALL || a->target[0];
}

/* Adds each name once. */
static void add_function_names(struct snoop_bpf *b, const char *const *names, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		size_t j = 0;

		while (j < b->nfunctions && strcmp(b->functions[j].syscall, names[i]))
			j++;
		if (j == b->nfunctions)
			b->functions[b->nfunctions++].syscall = names[i];
	}
}

static const struct syscall_function *function_of(const struct snoop_bpf *b, const char *syscall)
{
	for (size_t i = 0; i < b->nfunctions; i++) {
		if (!strcmp(b->functions[i].syscall, syscall))
			return &b->functions[i];
	}
	return NULL;
}

/*
 * Kprobes and fentry programs attach to the kernel functions behind the
 * syscalls; /proc/kallsyms names them. Fills b->functions and each syscall
 * attachment's target; 32-bit entry points the kernel does not have are
 * dropped.
 */
static int find_syscall_functions(struct snoop_bpf *b, char *err, size_t errlen)
{
	const struct bpf_tool *t = b->tool;

	free(b->functions);
	b->nfunctions = 0;
	b->functions = calloc(t->nsyscalls + t->ncompat_syscalls + 1, sizeof(*b->functions));
	if (!b->functions) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	add_function_names(b, t->syscalls, t->nsyscalls);
	add_function_names(b, t->compat_syscalls, t->ncompat_syscalls);
	if (syscall_kernel_functions("/proc/kallsyms", b->functions, b->nfunctions)) {
		snprintf(err, errlen, "cannot read /proc/kallsyms: %s", strerror(errno));
		return -1;
	}
	for (size_t i = 0; i < t->nsyscalls; i++) {
		const struct syscall_function *f = function_of(b, t->syscalls[i]);

		if (!f->fn[0]) {
			snprintf(err, errlen, "/proc/kallsyms names no kernel function for syscall %s",
				 f->syscall);
			return -1;
		}
		b->syscall_wrapper = f->wrapper;
	}
	for (size_t i = 0; i < b->nattachments; i++) {
		struct attachment *a = &b->attachments[i];
		const struct syscall_function *f = is_syscall(a) ? function_of(b, a->syscall) : NULL;

		if (f)
			strfmt(a->target, FUNC_NAME_LEN, "%s",
			       a->kind == ATTACH_COMPAT_SYSCALL ? f->compat_fn : f->fn);
	}
	keep_attachments(b, has_target);
	return 0;
}

/*
 * Why fentry cannot trace this tool's syscalls here, in err; 0 when it can.
 * Fentry programs are BTF-typed: they need the kernel's BTF, and the
 * programs take the syscall arguments from the wrappers' struct pt_regs.
 */
static int fentry_refusal(struct snoop_bpf *b, char *err, size_t errlen)
{
	if (access(KERNEL_BTF_PATH, R_OK)) {
		snprintf(err, errlen, "this kernel has no BTF (%s)", KERNEL_BTF_PATH);
		return -1;
	}
	if (find_syscall_functions(b, err, errlen))
		return -1;
	if (!b->syscall_wrapper) {
		snprintf(err, errlen, "this kernel's syscall functions take their arguments "
			 "directly (no syscall wrappers)");
		return -1;
	}
	return kernel_fentry_check(function_of(b, b->tool->syscalls[0])->fn, err, errlen);
}

/* Auto: tracepoints (stable, cheap), then fentry (cheaper than kprobes), then kprobes. */
static enum probe_mode auto_mode(struct snoop_bpf *b, enum snoop_purpose purpose)
{
	char err[256];

	if (purpose == SNOOP_SHOW_SOURCE || all_tracepoints(b->tool))
		return PROBE_MODE_TRACEPOINT;
	if (!fentry_refusal(b, err, sizeof(err)))
		return PROBE_MODE_FENTRY;
	if (kernel_has_kprobes())
		return PROBE_MODE_KPROBE;
	return PROBE_MODE_AUTO;
}

/*
 * For a tool whose syscall exits can read the arguments: whether this
 * kernel lets them (SNOOP_EXIT_ARGS), and if so, no entry programs. An
 * exit alone costs about half as much per call: one program instead of
 * two, and no map holding the arguments in between.
 */
static bool is_not_syscall_entry(const struct attachment *a)
{
	return !is_syscall(a) || a->is_return;
}

static int choose_syscall_probes(struct snoop_bpf *b)
{
	bool exit_args;

	if (b->tool->syscall_probes != SYSCALL_EXIT_READS_ARGS)
		return 0;
	exit_args = btf_has_name(KERNEL_BTF_PATH, "BPF_FUNC_task_pt_regs");
	if (add_cflag(b, "-DSNOOP_EXIT_ARGS=%d", exit_args ? 1 : 0))
		return EXIT_RUNTIME;
	if (b->settings.verbose)
		fprintf(stderr, "%s: %s\n", b->tool->name,
			exit_args ? "syscall exits read their arguments back (bpf_task_pt_regs): "
				    "no entry programs"
				  : "no bpf_task_pt_regs helper in this kernel's BTF: entry and exit "
				    "programs, with a map in between");
	if (exit_args)
		keep_attachments(b, is_not_syscall_entry);
	return 0;
}

static bool is_not_compat(const struct attachment *a)
{
	return a->kind != ATTACH_COMPAT_SYSCALL;
}

/*
 * SNOOP_COMPAT_FUNC_S for each 32-bit entry point the kernel has, which
 * the program's #ifdefs and KFUNC_PROBE use; -v says when there are none.
 */
static int compat_cflags(struct snoop_bpf *b)
{
	bool any = false;

	for (size_t i = 0; i < b->tool->ncompat_syscalls; i++) {
		const struct syscall_function *f = function_of(b, b->tool->compat_syscalls[i]);

		if (!f->compat_fn[0])
			continue;
		any = true;
		if (add_cflag(b, "-DSNOOP_COMPAT_FUNC_%s=%s", f->syscall, f->compat_fn))
			return EXIT_RUNTIME;
	}
	if (b->tool->ncompat_syscalls && !any && b->settings.verbose)
		fprintf(stderr, "%s: this kernel has no 32-bit syscall entry points to trace\n",
			b->tool->name);
	return 0;
}

/* Whether the kernel's BTF names an x86 32-bit entry point of the syscall. */
static bool has_ia32_entry(const char *syscall)
{
	char compat[128], plain[128];

	return (strfmt(compat, sizeof(compat), "__ia32_compat_sys_%s", syscall) &&
		btf_has_name(KERNEL_BTF_PATH, compat)) ||
	       (strfmt(plain, sizeof(plain), "__ia32_sys_%s", syscall) &&
		btf_has_name(KERNEL_BTF_PATH, plain));
}

/*
 * Syscall tracepoints never fire for 32-bit syscalls. Where the kernel has
 * x86's (an __ia32_ entry point of one of the tool's syscalls in its BTF),
 * an entry-only tool takes them at raw_syscalls:sys_enter, which fires for
 * every syscall: one program (SNOOP_COMPAT_SYS_ENTER, and the thread_info
 * field that says a syscall is 32-bit) in place of the 32-bit attachments.
 */
static int tracepoint_compat(struct snoop_bpf *b)
{
	const struct bpf_tool *t = b->tool;
	struct attachment *a;

	keep_attachments(b, is_not_compat);
	for (size_t i = 0; t->syscall_probes == SYSCALL_ENTRY_ONLY && i < t->ncompat_syscalls &&
			   !b->compat_sys_enter; i++)
		b->compat_sys_enter = has_ia32_entry(t->compat_syscalls[i]);
	if (!b->compat_sys_enter)
		return 0;
	/* The array has room: at least one 32-bit attachment was planned and dropped. */
	a = &b->attachments[b->nattachments++];
	*a = (struct attachment){ .prog_fd = -1, .perf_fd = -1, .link_fd = -1 };
	plan_named(a, ATTACH_RAW_TRACEPOINT, "sys_enter");
	if (b->settings.verbose)
		fprintf(stderr, "%s: 32-bit syscalls taken at raw_syscalls:sys_enter\n", t->name);
	return add_cflag(b, "-DSNOOP_COMPAT_SYS_ENTER=1");
}

static bool is_not_lsm(const struct attachment *a)
{
	return a->kind != ATTACH_LSM;
}

/*
 * Whether the tool's LSM hooks can be used here (SNOOP_LSM): the kernel
 * runs BPF LSM programs, and bpf_task_pt_regs, which they read the
 * syscall's registers with. Only the list of LSMs is read to show the
 * source. Where they cannot, -v says why.
 */
static int choose_lsm(struct snoop_bpf *b, enum snoop_purpose purpose)
{
	char err[256] = "";

	if (!b->tool->nlsm_hooks)
		return 0;
	if (!btf_has_name(KERNEL_BTF_PATH, "BPF_FUNC_task_pt_regs"))
		strfmt(err, sizeof(err), "no bpf_task_pt_regs helper in this kernel's BTF");
	else if (purpose != SNOOP_SHOW_SOURCE)
		kernel_lsm_check(b->tool->lsm_hooks[0], err, sizeof(err));
	b->lsm_active = !err[0];
	if (!b->lsm_active)
		keep_attachments(b, is_not_lsm);
	if (b->settings.verbose && purpose != SNOOP_SHOW_SOURCE)
		fprintf(stderr, "%s: %s%s\n", b->tool->name,
			b->lsm_active ? "LSM hooks attached: calls are denied" :
					"no LSM hooks, calls are signalled: ", err);
	return add_cflag(b, "-DSNOOP_LSM=%d", b->lsm_active ? 1 : 0);
}

bool snoop_bpf_lsm_active(const struct snoop_bpf *b)
{
	return b->lsm_active;
}

/* Sets b->mode and the cflags that select the mode's programs. */
static int choose_mode(struct snoop_bpf *b, enum snoop_purpose purpose)
{
	const struct bpf_tool *t = b->tool;
	char err[256];

	b->mode = b->settings.mode;
	if (b->mode == PROBE_MODE_AUTO)
		b->mode = auto_mode(b, purpose);
	switch (b->mode) {
	case PROBE_MODE_AUTO:
		return fail(b, EXIT_RUNTIME,
			    "this kernel has no syscall tracepoints (CONFIG_FTRACE_SYSCALLS), "
			    "no usable fentry and no kprobes (CONFIG_KPROBES): nothing to attach to");
	case PROBE_MODE_TRACEPOINT:
		if (purpose == SNOOP_TRACE && !all_tracepoints(t))
			return fail(b, EXIT_RUNTIME,
				    "tracepoint mode: this kernel has no syscalls:sys_enter_%s tracepoint "
				    "(CONFIG_FTRACE_SYSCALLS is not set); use --mode fentry or kprobe",
				    t->syscalls[0]);
		return add_cflag(b, "-DSNOOP_TRACEPOINT=1") || tracepoint_compat(b) ? EXIT_RUNTIME : 0;
	case PROBE_MODE_KPROBE:
		if (purpose == SNOOP_TRACE && !kernel_has_kprobes())
			return fail(b, EXIT_RUNTIME,
				    "kprobe mode: this kernel was built without kprobes "
				    "(CONFIG_KPROBES is not set); use --mode tracepoint");
		if (find_syscall_functions(b, err, sizeof(err)))
			return fail(b, EXIT_RUNTIME, "kprobe mode: %s", err);
		if (add_cflag(b, "-DSNOOP_KPROBE=1") || compat_cflags(b))
			return EXIT_RUNTIME;
		break;
	case PROBE_MODE_FENTRY:
		/* Showing the source needs only the function names, which users may read. */
		if (purpose == SNOOP_SHOW_SOURCE ? find_syscall_functions(b, err, sizeof(err))
						 : fentry_refusal(b, err, sizeof(err)))
			return fail(b, EXIT_RUNTIME, "fentry mode: %s; use --mode tracepoint", err);
		if (add_cflag(b, "-DSNOOP_FENTRY=1"))
			return EXIT_RUNTIME;
		/* KFUNC_PROBE names each program after its kernel function. */
		for (size_t i = 0; i < t->nsyscalls; i++) {
			if (add_cflag(b, "-DSNOOP_FUNC_%s=%s", t->syscalls[i],
				      function_of(b, t->syscalls[i])->fn))
				return EXIT_RUNTIME;
		}
		if (compat_cflags(b))
			return EXIT_RUNTIME;
		break;
	}
	return add_cflag(b, "-DSNOOP_SYSCALL_WRAPPER=%d", b->syscall_wrapper ? 1 : 0);
}

/* The kernel struct fields programs/snoop.bpf.h reads for every tool. */
static const struct kernel_field common_fields[] = {
	{ "task_struct", "real_parent" },
	{ "task_struct", "tgid" },
	{ "task_struct", "comm" },
	{ "task_struct", "flags" },
	{ "task_struct", "group_leader" },
	{ "task_struct", "thread_pid" },
	{ "task_struct", "nsproxy" },
	{ "nsproxy", "mnt_ns" },
	{ "pid", "level" },
	{ "pid", "numbers" },
	{ "mnt_namespace", "ns" },
	{ "ns_common", "inum" },
};
#define NCOMMON_FIELDS (sizeof(common_fields) / sizeof(common_fields[0]))

/* What in_ia32_syscall() reads, with SNOOP_COMPAT_SYS_ENTER. */
static const struct kernel_field compat_fields[] = {
	{ "task_struct", "thread_info" },
	{ "thread_info", "status" },
};
#define NCOMPAT_FIELDS (sizeof(compat_fields) / sizeof(compat_fields[0]))

/* Adds each field's offset as -DSNOOP_OFF_type__member, for FIELD_OFFSET. */
static int add_field_offsets(struct snoop_bpf *b, const struct kernel_field *fields, size_t n)
{
	long *offsets = calloc(n ? n : 1, sizeof(*offsets));
	char err[256];
	int rc;

	if (!offsets)
		return fail(b, EXIT_RUNTIME, "out of memory");
	rc = btf_field_offsets(KERNEL_BTF_PATH, fields, n, offsets, err, sizeof(err));
	if (rc)
		rc = fail(b, EXIT_RUNTIME, "%s", err);
	for (size_t i = 0; i < n && !rc; i++)
		rc = add_cflag(b, "-DSNOOP_OFF_%s__%s=%ld", fields[i].type, fields[i].member,
			       offsets[i]);
	free(offsets);
	return rc;
}

/*
 * Adds the offsets as -D values, once. Only a compile needs them: parsing
 * the kernel's BTF takes longer than loading a cached program, whose key
 * holds the BTF's identity instead.
 */
static int field_offsets(struct snoop_bpf *b)
{
	if (b->have_offsets)
		return 0;
	b->have_offsets = true;
	if (access(KERNEL_BTF_PATH, R_OK) && errno == ENOENT) {
		fprintf(stderr, "%s: this kernel has no BTF; struct field offsets come from the "
			"kernel headers, which must match the running kernel\n", b->tool->name);
		return 0;
	}
	if (add_cflag(b, "-DSNOOP_BTF_OFFSETS=1") ||
	    add_field_offsets(b, common_fields, NCOMMON_FIELDS) ||
	    (b->compat_sys_enter && add_field_offsets(b, compat_fields, NCOMPAT_FIELDS)) ||
	    add_field_offsets(b, b->tool->fields, b->tool->nfields))
		return EXIT_RUNTIME;
	return 0;
}

static int find_headers(struct snoop_bpf *b)
{
	struct kheaders_search search;
	struct kheaders *headers = &b->headers;
	char err[512], line[1024];
	bool bad_option;

	kheaders_default_search(&search, b->settings.kernel_headers);
	if (kheaders_resolve(&search, headers, &bad_option, err, sizeof(err)))
		return fail(b, bad_option ? EXIT_USAGE : EXIT_RUNTIME, "%s", err);
	/* libbcc reads an empty BCC_KERNEL_SOURCE too, as a tree without headers. */
	if (headers->tree[0] ? setenv("BCC_KERNEL_SOURCE", headers->tree, 1)
			     : unsetenv("BCC_KERNEL_SOURCE"))
		return fail(b, EXIT_RUNTIME, "cannot set BCC_KERNEL_SOURCE: %s", strerror(errno));
	kheaders_describe(headers, search.release, line, sizeof(line));
	if (line[0])
		fprintf(stderr, "%s: %s; struct offsets come from BTF\n", b->tool->name, line);
	phase_done(b, "headers", headers->tree[0] ? headers->tree : headers->release);
	return 0;
}

/* The BPF function of each syscall attachment, as programs/snoop.bpf.h names it. */
static void name_functions(struct snoop_bpf *b)
{
	static const char *const sides[] = { "enter", "exit" };

	for (size_t i = 0; i < b->nattachments; i++) {
		struct attachment *a = &b->attachments[i];
		const char *side = sides[a->is_return];
		const char *compat = a->kind == ATTACH_COMPAT_SYSCALL ? "compat_" : "";

		if (!is_syscall(a))
			continue;
		if (b->mode == PROBE_MODE_TRACEPOINT) {
			strfmt(a->category, sizeof(a->category), "syscalls");
			strfmt(a->func, FUNC_NAME_LEN, "tracepoint__syscalls__sys_%s_%s", side,
			       a->syscall);
			strfmt(a->target, FUNC_NAME_LEN, "sys_%s_%s", side, a->syscall);
		} else if (b->mode == PROBE_MODE_KPROBE) {
			strfmt(a->func, FUNC_NAME_LEN, "kprobe_%s_%s%s", side, compat, a->syscall);
		} else {
			/* libbcc finds the BTF function to attach to from these names. */
			strfmt(a->func, FUNC_NAME_LEN, "%s__%s", a->is_return ? "kretfunc" : "kfunc",
			       a->target);
		}
	}
}

/* The program type the mode gives a syscall's programs. */
static int syscall_prog_type(const struct snoop_bpf *b)
{
	if (b->mode == PROBE_MODE_TRACEPOINT)
		return BPF_PROG_TYPE_TRACEPOINT;
	return b->mode == PROBE_MODE_KPROBE ? BPF_PROG_TYPE_KPROBE : BPF_PROG_TYPE_TRACING;
}

/* The program type of an attachment. */
static int prog_type(const struct snoop_bpf *b, const struct attachment *a)
{
	switch (a->kind) {
	case ATTACH_TRACEPOINT:
		return BPF_PROG_TYPE_TRACEPOINT;
	case ATTACH_RAW_TRACEPOINT:
		return BPF_PROG_TYPE_RAW_TRACEPOINT;
	case ATTACH_LSM:
		return BPF_PROG_TYPE_LSM;
	default:
		return syscall_prog_type(b);
	}
}

/* A tracing or LSM program's kernel function (its syscall's, or hook) and attach type. */
static void attach_target(const struct snoop_bpf *b, const struct attachment *a,
			  struct bcc_function *f)
{
	f->attach = "";
	f->attach_type = 0;
	if (a->kind == ATTACH_LSM) {
		f->attach = a->target;
		f->attach_type = BPF_LSM_MAC;
	} else if (prog_type(b, a) == BPF_PROG_TYPE_TRACING) {
		f->attach = a->target;
		f->attach_type = a->is_return ? BPF_TRACE_FEXIT : BPF_TRACE_FENTRY;
	}
}

int snoop_bpf_prepare(struct snoop_bpf *b, enum snoop_purpose purpose)
{
	int rc;

	if (b->settings.kernel_headers && !kheaders_tree_usable(b->settings.kernel_headers))
		return fail(b, EXIT_USAGE, "--kernel-headers: %s has no include/linux/kconfig.h",
			    b->settings.kernel_headers);
	if (purpose != SNOOP_SHOW_SOURCE) {
		char err[256];

		if (geteuid() != 0)
			return fail(b, EXIT_RUNTIME, "must be run as root (try: sudo %s)",
				    b->tool->name);
		if (tracing_fs_prepare(err, sizeof(err)))
			return fail(b, EXIT_RUNTIME, "%s", err);
	}
	/*
	 * Newer kernel headers than libbcc's clang knows make it warn by the
	 * dozen about the kernel's own code; errors still show.
	 */
	rc = add_cflag(b, "-w");
	/* A tool may leave its syscall programs out of the compile when it attaches none. */
	if (!rc)
		rc = add_cflag(b, "-DSNOOP_SYSCALL_PROGRAMS=%d", b->tool->syscalls_unattached ? 0 : 1);
	for (size_t i = 0; !rc && i < b->tool->ndefines; i++)
		rc = add_cflag(b, "-D%s=%ld", b->tool->defines[i].name, b->tool->defines[i].value);
	if (!rc)
		rc = choose_syscall_probes(b);
	if (!rc)
		rc = choose_lsm(b, purpose);
	if (!rc)
		rc = choose_mode(b, purpose);
	/* A compile adds them; --ebpf shows them. */
	if (!rc && purpose == SNOOP_SHOW_SOURCE)
		rc = field_offsets(b);
	if (!rc && purpose != SNOOP_SHOW_SOURCE)
		rc = find_headers(b);
	if (!rc)
		name_functions(b);
	return rc;
}

void snoop_bpf_print_source(const struct snoop_bpf *b, FILE *out)
{
	fprintf(out, "// %s, %s mode; cflags:", b->tool->name, mode_names[b->mode]);
	for (int i = 0; i < b->ncflags; i++)
		fprintf(out, " %s", b->cflags[i]);
	fprintf(out, "\n%s", b->tool->source);
}

/* The kernel's list of possible CPUs ("0-3"), or "unknown". */
static const char *possible_cpus(char *buf, size_t len)
{
	FILE *f = fopen("/sys/devices/system/cpu/possible", "r");
	bool ok = f && fgets(buf, (int)len, f);

	if (f)
		fclose(f);
	if (!ok)
		return "unknown";
	buf[strcspn(buf, "\n")] = '\0';
	return buf;
}

/*
 * Everything a compile depends on, as text: the cache entry must have been
 * compiled from exactly this.
 */
static char *cache_key(const struct snoop_bpf *b, size_t *len)
{
	char libbcc[700], btf[64], cpus[64];
	const char *headers = getenv("BCC_KERNEL_SOURCE");
	struct utsname un;
	char *key = NULL;
	FILE *f = open_memstream(&key, len);

	if (!f)
		return NULL;
	uname(&un);
	bcc_library_identity(libbcc, sizeof(libbcc));
	btf_identity(KERNEL_BTF_PATH, btf, sizeof(btf));
	fprintf(f, "snoop-c compiled program\ntool %s\nlibbcc %s %s\n", b->tool->name,
		LIBBCC_VERSION, libbcc);
	fprintf(f, "kernel %s %s %s\nbtf %s\nheaders %s\nheaders identity %s %s\n", un.release,
		un.version, un.machine, btf, headers ? headers : "(libbcc's default)",
		b->headers.checked_dirs[0], b->headers.identity);
	/* libbcc sizes BPF_PERF_OUTPUT arrays by the possible CPUs. */
	fprintf(f, "possible cpus %s\n", possible_cpus(cpus, sizeof(cpus)));
	for (int i = 0; i < b->ncflags; i++)
		fprintf(f, "cflag %s\n", b->cflags[i]);
	for (size_t i = 0; i < b->nattachments; i++) {
		struct bcc_function fn;

		attach_target(b, &b->attachments[i], &fn);
		fprintf(f, "function %s %d %s %u\n", b->attachments[i].func,
			prog_type(b, &b->attachments[i]), fn.attach, fn.attach_type);
	}
	fprintf(f, "source\n%s", b->tool->source);
	if (fclose(f)) {
		free(key);
		return NULL;
	}
	return key;
}

/* The program from the cache, or compiled and then stored there. */
static int cached_compile(struct snoop_bpf *b)
{
	char why[512], path[600], stored[512];
	size_t keylen;
	char *key = cache_key(b, &keylen);
	int rc;

	if (!key)
		return fail(b, EXIT_RUNTIME, "out of memory");
	prog_cache_path(PROG_CACHE_DIR, key, keylen, path, sizeof(path));
	if (!prog_cache_lookup(PROG_CACHE_DIR, key, keylen, &b->image, why, sizeof(why))) {
		phase_done(b, "cache", path);
		free(key);
		return 0;
	}
	if (b->settings.verbose)
		fprintf(stderr, "%s: cache miss (%s): compiling\n", b->tool->name, why);
	rc = snoop_bpf_compile(b);
	if (!rc && prog_cache_store(PROG_CACHE_DIR, key, keylen, &b->image, stored, sizeof(stored)))
		fprintf(stderr, "%s: the compiled program is not cached: %s\n", b->tool->name,
			stored);
	else if (!rc && b->settings.verbose)
		fprintf(stderr, "%s: cached as %s\n", b->tool->name, path);
	free(key);
	return rc;
}

int snoop_bpf_start(struct snoop_bpf *b, bool show_source)
{
	int rc = snoop_bpf_prepare(b, show_source ? SNOOP_SHOW_SOURCE : SNOOP_TRACE);

	if (!rc && show_source) {
		snoop_bpf_print_source(b, stdout);
		return SNOOP_DONE;
	}
	if (!rc && !stop_requested)
		rc = b->settings.no_cache ? snoop_bpf_compile(b) : cached_compile(b);
	/* Stopped before anything was loaded: nothing to undo. */
	if (!rc && stop_requested)
		return SNOOP_DONE;
	if (!rc)
		rc = snoop_bpf_load(b);
	if (!rc)
		rc = scope_apply(b, &b->settings.scope, b->tool->name, b->settings.verbose);
	return rc;
}

int snoop_bpf_compile(struct snoop_bpf *b)
{
	struct bcc_function funcs[IMAGE_MAX_PROGS];
	char err[512];

	if (b->nattachments > IMAGE_MAX_PROGS)
		return fail(b, EXIT_RUNTIME, "too many BPF programs");
	if (field_offsets(b))
		return EXIT_RUNTIME;
	/* Nothing another user could have changed reaches the compiler (CVE-2024-2314). */
	if (kheaders_check(&b->headers, err, sizeof(err)))
		return fail(b, EXIT_RUNTIME, "%s", err);
	for (size_t i = 0; i < b->nattachments; i++) {
		funcs[i].name = b->attachments[i].func;
		funcs[i].prog_type = (uint32_t)prog_type(b, &b->attachments[i]);
		attach_target(b, &b->attachments[i], &funcs[i]);
	}
	prog_image_free(&b->image);
	if (bcc_compile(b->tool->source, b->cflag_ptrs, b->ncflags, funcs, b->nattachments,
			&b->image, err, sizeof(err)))
		return fail(b, EXIT_RUNTIME, "%s", err);
	phase_done(b, "compile", "");
	return 0;
}

/* Puts each syscall exit program in slot 0 of its prog array, for its tail calls of itself. */
static int fill_tail_calls(struct snoop_bpf *b)
{
	for (size_t i = 0; b->tool->exit_tail_call && i < b->nattachments; i++) {
		const struct attachment *a = &b->attachments[i];
		char map[FUNC_NAME_LEN];
		int fd, slot = 0;

		if (!is_syscall(a) || !a->is_return)
			continue;
		strfmt(map, sizeof(map), "%s_%s%s_calls", b->tool->exit_tail_call,
		       a->kind == ATTACH_COMPAT_SYSCALL ? "compat_" : "", a->syscall);
		fd = snoop_bpf_map_fd(b, map);
		if (fd < 0 || bpf_update_elem(fd, &slot, (void *)&a->prog_fd, 0))
			return fail(b, EXIT_RUNTIME, "cannot put %s in prog array %s: %s", a->func,
				    map, strerror(errno));
	}
	return 0;
}

int snoop_bpf_load(struct snoop_bpf *b)
{
	char err[512];

	b->image_loaded = true;
	if (prog_image_load(&b->image, &b->loaded, err, sizeof(err)))
		return fail(b, EXIT_RUNTIME, "%s", err);
	for (size_t i = 0; i < b->nattachments; i++) {
		struct attachment *a = &b->attachments[i];
		int prog = prog_image_prog(&b->image, a->func);

		if (prog < 0)
			return fail(b, EXIT_RUNTIME, "the BPF program has no function %s", a->func);
		a->prog_fd = b->loaded.prog_fds[prog];
	}
	if (fill_tail_calls(b))
		return EXIT_RUNTIME;
	phase_done(b, "load", "");
	return 0;
}

/* Attaches one program; false with errno set when the kernel refuses. */
static bool attach_one(struct snoop_bpf *b, struct attachment *a)
{
	if (a->kind == ATTACH_RAW_TRACEPOINT) {
		a->link_fd = bpf_attach_raw_tracepoint(a->prog_fd, a->target);
		return a->link_fd >= 0;
	}
	if (prog_type(b, a) == BPF_PROG_TYPE_TRACEPOINT) {
		a->perf_fd = bpf_attach_tracepoint(a->prog_fd, a->category, a->target);
		return a->perf_fd >= 0;
	}
	/* Trampolines: fentry and fexit, and LSM hooks. */
	if (a->kind == ATTACH_LSM || b->mode == PROBE_MODE_FENTRY) {
		a->link_fd = bpf_attach_kfunc(a->prog_fd);
		return a->link_fd >= 0;
	}
	strfmt(a->kprobe_event, sizeof(a->kprobe_event), "snoopc_%ld_%s", (long)getpid(), a->func);
	a->perf_fd = bpf_attach_kprobe(a->prog_fd, a->is_return ? BPF_PROBE_RETURN : BPF_PROBE_ENTRY,
				       a->kprobe_event, a->target, 0, 0);
	return a->perf_fd >= 0;
}

int snoop_bpf_attach(struct snoop_bpf *b)
{
	for (size_t i = 0; i < b->nattachments; i++) {
		struct attachment *a = &b->attachments[i];

		if (!attach_one(b, a))
			return fail(b, EXIT_RUNTIME, "attaching %s to %s failed: %s", a->func,
				    a->target, strerror(errno));
	}
	phase_done(b, "attach", mode_names[b->mode]);
	return 0;
}

int snoop_bpf_map_fd(struct snoop_bpf *b, const char *map)
{
	int i = prog_image_map(&b->image, map);

	return i < 0 || !b->image_loaded ? -1 : b->loaded.map_fds[i];
}

int snoop_bpf_map_set(struct snoop_bpf *b, const char *map, const void *key, const void *value)
{
	int fd = snoop_bpf_map_fd(b, map);

	if (fd < 0 || bpf_update_elem(fd, (void *)key, (void *)value, 0))
		return fail(b, EXIT_RUNTIME, "cannot set map %s: %s", map, strerror(errno));
	return 0;
}

/* Updates that a full table refused (programs/snoop.bpf.h's count_table_full). */
static uint64_t tables_full(struct snoop_bpf *b)
{
	int fd = snoop_bpf_map_fd(b, "tables_full");
	__u32 zero = 0;
	uint64_t refused = 0;

	if (fd < 0 || bpf_lookup_elem(fd, &zero, &refused))
		return 0;
	return refused;
}

static void on_sample(void *cookie, void *raw, int size)
{
	struct snoop_bpf *b = cookie;

	if (size > 0) {
		b->batch_events++;
		b->sample(b->sample_ctx, raw, (size_t)size);
	}
}

static void on_lost(void *cookie, uint64_t lost)
{
	((struct snoop_bpf *)cookie)->lost += lost;
}

/* Online CPUs from a list such as "0-3,6". Returns how many were stored. */
static int online_cpus(int *cpus, int max)
{
	FILE *f = fopen("/sys/devices/system/cpu/online", "r");
	int n = 0, lo, hi;
	char sep;

	if (!f)
		return -1;
	while (fscanf(f, "%d", &lo) == 1) {
		hi = lo;
		if (fscanf(f, "%c", &sep) == 1 && sep == '-') {
			if (fscanf(f, "%d", &hi) != 1)
				break;
			if (fscanf(f, "%c", &sep) != 1)
				sep = '\n';
		}
		for (int c = lo; c <= hi && n < max; c++)
			cpus[n++] = c;
		if (sep != ',')
			break;
	}
	fclose(f);
	return n;
}

/*
 * A BPF output perf event on cpu and its reader. The reader is woken when a
 * quarter of the buffer is full, not at every event (as libbcc's
 * bpf_open_perf_buffer does): each wakeup costs the traced task an
 * interrupt, which made a kill() storm 15 times slower. The run loop reads
 * every buffer after each poll timeout, so few events still show at once.
 */
static struct perf_reader *open_cpu_buffer(struct snoop_bpf *b, int cpu, int pages)
{
	struct perf_event_attr attr = {
		.type = PERF_TYPE_SOFTWARE,
		.size = sizeof(attr),
		.config = PERF_COUNT_SW_BPF_OUTPUT,
		.sample_type = PERF_SAMPLE_RAW,
		.sample_period = 1,
		.watermark = 1,
		.wakeup_watermark = (__u32)((long)pages * sysconf(_SC_PAGESIZE) / 4),
	};
	struct perf_reader *reader;
	int fd = (int)syscall(SYS_perf_event_open, &attr, -1, cpu, -1, PERF_FLAG_FD_CLOEXEC);

	if (fd < 0)
		return NULL;
	reader = perf_reader_new(on_sample, on_lost, b, pages);
	if (!reader) {
		close(fd);
		return NULL;
	}
	/* The reader owns fd from here: perf_reader_free closes it. */
	perf_reader_set_fd(reader, fd);
	if (perf_reader_mmap(reader) || ioctl(fd, PERF_EVENT_IOC_ENABLE, 0)) {
		perf_reader_free(reader);
		return NULL;
	}
	return reader;
}

int snoop_bpf_open_perf(struct snoop_bpf *b, const char *map, bpf_sample_fn fn, void *ctx,
			int page_count)
{
	int map_fd = snoop_bpf_map_fd(b, map);
	int pages = b->settings.buffer_pages ? b->settings.buffer_pages : page_count;
	int cpus[1024];
	int ncpus = online_cpus(cpus, 1024);

	if (map_fd < 0)
		return fail(b, EXIT_RUNTIME, "the BPF program has no map %s", map);
	if (ncpus <= 0)
		return fail(b, EXIT_RUNTIME, "cannot read the online CPUs");
	b->sample = fn;
	b->sample_ctx = ctx;
	b->readers = calloc((size_t)ncpus, sizeof(*b->readers));
	if (!b->readers)
		return fail(b, EXIT_RUNTIME, "out of memory");
	for (int i = 0; i < ncpus; i++) {
		int fd;

		b->readers[i] = open_cpu_buffer(b, cpus[i], pages);
		if (!b->readers[i])
			return fail(b, EXIT_RUNTIME, "cannot open a perf buffer on CPU %d: %s",
				    cpus[i], strerror(errno));
		b->nreaders++;
		fd = perf_reader_fd(b->readers[i]);
		if (bpf_update_elem(map_fd, &cpus[i], &fd, 0))
			return fail(b, EXIT_RUNTIME, "cannot register the perf buffer of CPU %d: %s",
				    cpus[i], strerror(errno));
	}
	return 0;
}

/*
 * How long one poll waits. The kernel wakes the reader only at a quarter
 * full buffer, so this bounds how late a lone event shows; idle, the tool
 * wakes 50 times a second for a few microseconds.
 */
#define POLL_TIMEOUT_MS 20

/*
 * A guard's failed write: counted, and said on stderr and to syslog each
 * time the error changes. stdout is cleared, so that later lines go out
 * once it can take them again (a disk with room again).
 */
static void output_failed(struct snoop_bpf *b, int err)
{
	b->unwritten += b->batch_events;
	if (err != b->output_errno) {
		fprintf(stderr, "%s: writing output failed: %s; still guarding, the events go "
			"unreported\n", b->tool->name, strerror(err));
		openlog(b->tool->name, LOG_PID, LOG_DAEMON);
		syslog(LOG_WARNING, "writing output failed: %s; still guarding, the events go "
		       "unreported", strerror(err));
		b->output_errno = err;
	}
	clearerr(stdout);
}

/* Flushes stdout: false when it or an earlier implicit flush failed. */
static bool flush_output(void)
{
	return fflush(stdout) == 0 && !ferror(stdout);
}

int snoop_bpf_run(struct snoop_bpf *b, void (*after_batch)(void *ctx), void *ctx)
{
	bool stopped_writing = false;
	uint64_t refused;
	int rc = 0;

	while (!stop_requested) {
		/* Buffers past their watermark are read, then the rest. */
		if ((perf_reader_poll(b->nreaders, b->readers, POLL_TIMEOUT_MS) < 0 &&
		     errno != EINTR) ||
		    perf_reader_consume(b->nreaders, b->readers) < 0) {
			rc = fail(b, EXIT_RUNTIME, "reading perf buffers failed: %s", strerror(errno));
			break;
		}
		if (after_batch)
			after_batch(ctx);
		if (flush_output()) {
			b->batch_events = 0;
			continue;
		}
		/*
		 * The stop came while a write was blocked (a full pipe that
		 * nobody reads, Ctrl-C on "| less"): a clean exit, and no more
		 * writes, which would block again.
		 */
		if ((errno == EINTR || errno == EAGAIN) && stop_requested) {
			stopped_writing = true;
			break;
		}
		if (b->tool->output_errors_counted) {
			output_failed(b, errno);
			b->batch_events = 0;
			continue;
		}
		if (errno != EPIPE)
			rc = fail(b, EXIT_RUNTIME, "writing output failed: %s", strerror(errno));
		break;
	}
	/* Events already in the buffers when the stop came are still shown. */
	if (rc == 0 && !stopped_writing && perf_reader_consume(b->nreaders, b->readers) >= 0) {
		if (after_batch)
			after_batch(ctx);
		if (!flush_output() && b->tool->output_errors_counted)
			output_failed(b, errno);
	}
	if (stop_requested && pipe_out_flags >= 0)
		fcntl(STDOUT_FILENO, F_SETFL, pipe_out_flags);
	if (b->lost)
		fprintf(stderr, "%s: %llu events lost (perf buffers full)\n", b->tool->name,
			(unsigned long long)b->lost);
	refused = tables_full(b);
	if (refused)
		fprintf(stderr, "%s: %llu events missed or left incomplete (a BPF table was full)\n",
			b->tool->name, (unsigned long long)refused);
	if (b->unwritten)
		fprintf(stderr, "%s: %llu events not written (output failed: %s)\n", b->tool->name,
			(unsigned long long)b->unwritten, strerror(b->output_errno));
	return rc;
}

void snoop_bpf_free(struct snoop_bpf *b)
{
	if (!b)
		return;
	for (size_t i = 0; i < b->nattachments; i++) {
		struct attachment *a = &b->attachments[i];

		if (a->perf_fd >= 0)
			bpf_close_perf_event_fd(a->perf_fd);
		if (a->link_fd >= 0)
			close(a->link_fd);
		if (a->kprobe_event[0])
			bpf_detach_kprobe(a->kprobe_event);
	}
	for (int i = 0; i < b->nreaders; i++)
		perf_reader_free(b->readers[i]);
	free(b->readers);
	if (b->image_loaded)
		loaded_image_close(&b->loaded);
	free(b->functions);
	prog_image_free(&b->image);
	free(b->attachments);
	free(b);
}
