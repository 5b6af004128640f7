#include "probe_plan.h"
#include "probe_plan_steps.h"
#include "../programs/snoop_fields.h"
#include "array_size.h"
#include "cgroups.h"
#include "status.h"
#include "text.h"

#include <errno.h>
#include <linux/bpf.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int plan_fail(struct probe_plan *p, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(p->err, sizeof(p->err), fmt, ap);
	va_end(ap);
	return -1;
}

/* Indexed by enum probe_mode. */
static const char *const mode_names[] = { "auto", "tracepoint", "kprobe", "fentry" };

bool probe_mode_parse(const char *s, enum probe_mode *mode)
{
	for (size_t i = 0; i < ARRAY_SIZE(mode_names); i++) {
		if (!strcmp(s, mode_names[i])) {
			*mode = (enum probe_mode)i;
			return true;
		}
	}
	return false;
}

bool attachment_is_syscall(const struct attachment *a)
{
	return a->kind == ATTACH_SYSCALL || a->kind == ATTACH_COMPAT_SYSCALL;
}

static size_t programs_per_syscall(const struct snoop_tool *t)
{
	if (t->syscalls_unattached)
		return 0;
	/* An exit reading its arguments may need its entry too. */
	return t->syscall_probes == SYSCALL_ENTRY_ONLY ? 1 : 2;
}

/* Adds the entry and exit (or one of them) of each syscall, from *n on. */
static void plan_syscalls(struct probe_plan *p, enum attachment_kind kind,
			  const char *const *syscalls, size_t nsyscalls, size_t *n)
{
	size_t per_syscall = programs_per_syscall(p->tool);

	for (size_t i = 0; i < nsyscalls; i++) {
		for (size_t j = 0; j < per_syscall; j++, (*n)++) {
			p->attachments[*n].kind = kind;
			p->attachments[*n].syscall = syscalls[i];
			p->attachments[*n].is_return = j == 1;
		}
	}
}

/* "category:event" into a tracepoint attachment. */
static int plan_tracepoint(struct attachment *a, const char *tracepoint)
{
	const char *colon = strchr(tracepoint, ':');

	a->kind = ATTACH_TRACEPOINT;
	if (!colon ||
	    !strfmt(a->category, sizeof(a->category), "%.*s", (int)(colon - tracepoint),
		    tracepoint) ||
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
	    !strfmt(a->func, FUNC_NAME_LEN, "%s__%s", kind == ATTACH_LSM ? "lsm" : "raw_tracepoint",
		    target))
		return -1;
	return 0;
}

/*
 * The syscalls' entries and exits first (the first one's kernel function
 * is what fentry is checked on), their 32-bit entry points, then the
 * tool's tracepoints and raw tracepoints.
 */
static int plan_attachments(struct probe_plan *p)
{
	const struct snoop_tool *t = p->tool;
	size_t per_syscall = programs_per_syscall(t), n = 0;

	p->nattachments = (t->nsyscalls + t->ncompat_syscalls) * per_syscall + t->ntracepoints +
			  t->nraw_tracepoints + t->nlsm_hooks;
	p->attachments = calloc(p->nattachments, sizeof(*p->attachments));
	if (!p->attachments)
		return plan_fail(p, "out of memory");
	for (size_t i = 0; i < p->nattachments; i++)
		p->attachments[i].prog_fd = p->attachments[i].perf_fd = p->attachments[i].link_fd =
			-1;
	plan_syscalls(p, ATTACH_SYSCALL, t->syscalls, t->nsyscalls, &n);
	plan_syscalls(p, ATTACH_COMPAT_SYSCALL, t->compat_syscalls, t->ncompat_syscalls, &n);
	for (size_t i = 0; i < t->ntracepoints; i++, n++) {
		if (plan_tracepoint(&p->attachments[n], t->tracepoints[i]))
			return plan_fail(p, "bad tracepoint name: %s", t->tracepoints[i]);
	}
	for (size_t i = 0; i < t->nraw_tracepoints; i++, n++) {
		if (plan_named(&p->attachments[n], ATTACH_RAW_TRACEPOINT, t->raw_tracepoints[i]))
			return plan_fail(p, "raw tracepoint name too long: %s",
					 t->raw_tracepoints[i]);
	}
	for (size_t i = 0; i < t->nlsm_hooks; i++, n++) {
		if (plan_named(&p->attachments[n], ATTACH_LSM, t->lsm_hooks[i]))
			return plan_fail(p, "LSM hook name too long: %s", t->lsm_hooks[i]);
	}
	return 0;
}

/* Keeps, in their order, the attachments of which is(a) says want. */
static void filter_attachments(struct probe_plan *p, bool (*is)(const struct attachment *a),
			       bool want)
{
	size_t kept = 0;

	for (size_t i = 0; i < p->nattachments; i++) {
		if (is(&p->attachments[i]) == want)
			p->attachments[kept++] = p->attachments[i];
	}
	p->nattachments = kept;
}

static void keep_attachments(struct probe_plan *p, bool (*is)(const struct attachment *a))
{
	filter_attachments(p, is, true);
}

void plan_drop_attachments(struct probe_plan *p, bool (*is)(const struct attachment *a))
{
	filter_attachments(p, is, false);
}

int plan_add_cflag(struct probe_plan *p, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (p->ncflags == MAX_CFLAGS)
		return plan_fail(p, "too many compile flags");
	va_start(ap, fmt);
	n = vsnprintf(p->cflags[p->ncflags], CFLAG_LEN, fmt, ap);
	va_end(ap);
	if (n < 0 || n >= CFLAG_LEN)
		return plan_fail(p, "compile flag too long");
	p->cflag_ptrs[p->ncflags] = p->cflags[p->ncflags];
	p->ncflags++;
	return 0;
}

static bool all_tracepoints(const struct snoop_tool *tool)
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
static void add_function_names(struct probe_plan *p, const char *const *names, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		size_t j = 0;

		while (j < p->nfunctions && strcmp(p->functions[j].syscall, names[i]))
			j++;
		if (j == p->nfunctions)
			p->functions[p->nfunctions++].syscall = names[i];
	}
}

static const struct syscall_function *function_of(const struct probe_plan *p, const char *syscall)
{
	for (size_t i = 0; i < p->nfunctions; i++) {
		if (!strcmp(p->functions[i].syscall, syscall))
			return &p->functions[i];
	}
	return NULL;
}

/*
 * Kprobes and fentry programs attach to the kernel functions behind the
 * syscalls; /proc/kallsyms names them. Fills p->functions and each syscall
 * attachment's target; 32-bit entry points the kernel does not have are
 * dropped.
 */
static int find_syscall_functions(struct probe_plan *p, char *err, size_t errlen)
{
	const struct snoop_tool *t = p->tool;

	free(p->functions);
	p->nfunctions = 0;
	p->functions = calloc(t->nsyscalls + t->ncompat_syscalls + 1, sizeof(*p->functions));
	if (!p->functions) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	add_function_names(p, t->syscalls, t->nsyscalls);
	add_function_names(p, t->compat_syscalls, t->ncompat_syscalls);
	if (syscall_kernel_functions("/proc/kallsyms", p->functions, p->nfunctions)) {
		snprintf(err, errlen, "cannot read /proc/kallsyms: %s", strerror(errno));
		return -1;
	}
	for (size_t i = 0; i < t->nsyscalls; i++) {
		const struct syscall_function *f = function_of(p, t->syscalls[i]);

		if (!f->fn[0]) {
			snprintf(err, errlen,
				 "/proc/kallsyms names no kernel function for syscall %s",
				 f->syscall);
			return -1;
		}
		p->syscall_wrapper = f->wrapper;
	}
	for (size_t i = 0; i < p->nattachments; i++) {
		struct attachment *a = &p->attachments[i];
		const struct syscall_function *f =
			attachment_is_syscall(a) ? function_of(p, a->syscall) : NULL;

		if (f)
			strfmt(a->target, FUNC_NAME_LEN, "%s",
			       a->kind == ATTACH_COMPAT_SYSCALL ? f->compat_fn : f->fn);
	}
	keep_attachments(p, has_target);
	return 0;
}

/*
 * Why fentry cannot trace this tool's syscalls here, in err; 0 when it can.
 * Fentry programs are BTF-typed: they need the kernel's BTF, and the
 * programs take the syscall arguments from the wrappers' struct pt_regs.
 */
static int fentry_refusal(struct probe_plan *p, char *err, size_t errlen)
{
	if (access(KERNEL_BTF_PATH, R_OK)) {
		snprintf(err, errlen, "this kernel has no BTF (%s)", KERNEL_BTF_PATH);
		return -1;
	}
	if (find_syscall_functions(p, err, errlen))
		return -1;
	if (!p->syscall_wrapper) {
		snprintf(err, errlen,
			 "this kernel's syscall functions take their arguments "
			 "directly (no syscall wrappers)");
		return -1;
	}
	/* Every function the programs read arguments of: the kernels' BTF types them apart. */
	for (size_t i = 0; i < p->nattachments; i++) {
		if (attachment_is_syscall(&p->attachments[i]) &&
		    kernel_fentry_check(p->attachments[i].target, err, errlen))
			return -1;
	}
	return kernel_fentry_check(function_of(p, p->tool->syscalls[0])->fn, err, errlen);
}

/* Auto: tracepoints (stable, cheap), then fentry (cheaper than kprobes), then kprobes. */
static enum probe_mode auto_mode(struct probe_plan *p, enum snoop_purpose purpose)
{
	char err[256];

	if (purpose == SNOOP_SHOW_SOURCE || all_tracepoints(p->tool))
		return PROBE_MODE_TRACEPOINT;
	if (!fentry_refusal(p, err, sizeof(err)))
		return PROBE_MODE_FENTRY;
	if (kernel_has_kprobes())
		return PROBE_MODE_KPROBE;
	return PROBE_MODE_AUTO;
}

static bool is_syscall_entry(const struct attachment *a)
{
	return attachment_is_syscall(a) && !a->is_return;
}

/*
 * For a tool whose syscall exits can read the arguments: whether this
 * kernel lets them (SNOOP_EXIT_ARGS), and if so, no entry programs. An
 * exit alone costs about half as much per call: one program instead of
 * two, and no map holding the arguments in between.
 */
static int choose_syscall_probes(struct probe_plan *p)
{
	bool exit_args;

	if (p->tool->syscall_probes != SYSCALL_EXIT_READS_ARGS)
		return 0;
	exit_args = btf_has_name(KERNEL_BTF_PATH, "BPF_FUNC_task_pt_regs");
	if (plan_add_cflag(p, "-DSNOOP_EXIT_ARGS=%d", exit_args ? 1 : 0))
		return -1;
	if (p->verbose)
		fprintf(stderr, "%s: %s\n", p->tool->name,
			exit_args
				? "syscall exits read their arguments back (bpf_task_pt_regs): "
				  "no entry programs"
				: "no bpf_task_pt_regs helper in this kernel's BTF: entry and exit "
				  "programs, with a map in between");
	if (exit_args)
		plan_drop_attachments(p, is_syscall_entry);
	return 0;
}

static bool is_compat(const struct attachment *a)
{
	return a->kind == ATTACH_COMPAT_SYSCALL;
}

/*
 * SNOOP_COMPAT_FUNC_S for each 32-bit entry point the kernel has, which
 * the program's #ifdefs and KFUNC_PROBE use; -v says when there are none.
 */
static int compat_cflags(struct probe_plan *p)
{
	bool any = false;

	for (size_t i = 0; i < p->tool->ncompat_syscalls; i++) {
		const struct syscall_function *f = function_of(p, p->tool->compat_syscalls[i]);

		if (!f->compat_fn[0])
			continue;
		any = true;
		if (plan_add_cflag(p, "-DSNOOP_COMPAT_FUNC_%s=%s", f->syscall, f->compat_fn))
			return -1;
	}
	if (p->tool->ncompat_syscalls && !any && p->verbose)
		fprintf(stderr, "%s: this kernel has no 32-bit syscall entry points to trace\n",
			p->tool->name);
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
static int tracepoint_compat(struct probe_plan *p)
{
	const struct snoop_tool *t = p->tool;
	struct attachment *a;

	plan_drop_attachments(p, is_compat);
	for (size_t i = 0; t->syscall_probes == SYSCALL_ENTRY_ONLY && i < t->ncompat_syscalls &&
			   !p->compat_sys_enter;
	     i++)
		p->compat_sys_enter = has_ia32_entry(t->compat_syscalls[i]);
	if (!p->compat_sys_enter)
		return 0;
	/* The array has room: at least one 32-bit attachment was planned and dropped. */
	a = &p->attachments[p->nattachments++];
	*a = (struct attachment){ .prog_fd = -1, .perf_fd = -1, .link_fd = -1 };
	/* A literal that fits: plan_named cannot fail here. */
	(void)plan_named(a, ATTACH_RAW_TRACEPOINT, "sys_enter");
	if (p->verbose)
		fprintf(stderr, "%s: 32-bit syscalls taken at raw_syscalls:sys_enter\n", t->name);
	return plan_add_cflag(p, "-DSNOOP_COMPAT_SYS_ENTER=1");
}

/*
 * How the events reach user space (programs/snoop.bpf.h's send_event): the
 * seed's perf buffer per CPU, or with --ring-buffer one BPF ring buffer
 * that every CPU shares, where the kernel has them (Linux 5.8). A ring's
 * pages are all resident from the start, a perf buffer's only once used.
 */
static int choose_event_buffer(struct probe_plan *p, enum snoop_purpose purpose)
{
	if (p->ring_buffer_asked && !btf_has_name(KERNEL_BTF_PATH, "BPF_FUNC_ringbuf_output"))
		return plan_fail(
			p, "--ring-buffer: no BPF ring buffer in this kernel's BTF (Linux 5.8)");
	p->ring_buffer = p->ring_buffer_asked;
	if (p->verbose && purpose != SNOOP_SHOW_SOURCE)
		fprintf(stderr, "%s: events through %s\n", p->tool->name,
			p->ring_buffer ? "a BPF ring buffer" : "a perf buffer per CPU");
	return plan_add_cflag(p, "-DSNOOP_RINGBUF=%d", p->ring_buffer ? 1 : 0);
}

/* Sets p->mode and the cflags that select the mode's programs. */
static int choose_mode(struct probe_plan *p, enum snoop_purpose purpose)
{
	const struct snoop_tool *t = p->tool;
	char err[256];

	p->mode = p->asked_mode;
	if (p->mode == PROBE_MODE_AUTO)
		p->mode = auto_mode(p, purpose);
	switch (p->mode) {
	case PROBE_MODE_AUTO:
		return plan_fail(
			p,
			"this kernel has no syscall tracepoints (CONFIG_FTRACE_SYSCALLS), "
			"no usable fentry and no kprobes (CONFIG_KPROBES): nothing to attach to");
	case PROBE_MODE_TRACEPOINT:
		if (purpose == SNOOP_TRACE && !all_tracepoints(t))
			return plan_fail(
				p,
				"tracepoint mode: this kernel has no syscalls:sys_enter_%s tracepoint "
				"(CONFIG_FTRACE_SYSCALLS is not set); use --mode fentry or kprobe",
				t->syscalls[0]);
		return plan_add_cflag(p, "-DSNOOP_TRACEPOINT=1") || tracepoint_compat(p) ? -1 : 0;
	case PROBE_MODE_KPROBE:
		if (purpose == SNOOP_TRACE && !kernel_has_kprobes())
			return plan_fail(p, "kprobe mode: this kernel was built without kprobes "
					    "(CONFIG_KPROBES is not set); use --mode tracepoint");
		if (find_syscall_functions(p, err, sizeof(err)))
			return plan_fail(p, "kprobe mode: %s", err);
		if (plan_add_cflag(p, "-DSNOOP_KPROBE=1") || compat_cflags(p))
			return -1;
		break;
	case PROBE_MODE_FENTRY:
		/* Showing the source needs only the function names, which users may read. */
		if (purpose == SNOOP_SHOW_SOURCE ? find_syscall_functions(p, err, sizeof(err))
						 : fentry_refusal(p, err, sizeof(err)))
			return plan_fail(p, "fentry mode: %s; use --mode tracepoint", err);
		if (plan_add_cflag(p, "-DSNOOP_FENTRY=1"))
			return -1;
		/* KFUNC_PROBE names each program after its kernel function. */
		for (size_t i = 0; i < t->nsyscalls; i++) {
			if (plan_add_cflag(p, "-DSNOOP_FUNC_%s=%s", t->syscalls[i],
					   function_of(p, t->syscalls[i])->fn))
				return -1;
		}
		if (compat_cflags(p))
			return -1;
		break;
	}
	return plan_add_cflag(p, "-DSNOOP_SYSCALL_WRAPPER=%d", p->syscall_wrapper ? 1 : 0);
}

/* The kernel struct fields programs/snoop.bpf.h reads for every tool (programs/snoop_fields.h). */
static const struct kernel_field common_fields[] = { SNOOP_TASK_FIELDS(KERNEL_FIELD)
							     SNOOP_BTF_ONLY_FIELDS(KERNEL_FIELD) };
#define NCOMMON_FIELDS (ARRAY_SIZE(common_fields))

static const struct kernel_field compat_fields[] = { SNOOP_COMPAT_FIELDS(KERNEL_FIELD) };
#define NCOMPAT_FIELDS (ARRAY_SIZE(compat_fields))

/* Adds each field's offset as -DSNOOP_OFF_type__member, for FIELD_OFFSET. */
static int add_field_offsets(struct probe_plan *p, const struct kernel_field *fields, size_t n)
{
	long *offsets = calloc(n ? n : 1, sizeof(*offsets));
	char err[256];
	int rc;

	if (!offsets)
		return plan_fail(p, "out of memory");
	rc = btf_field_offsets(KERNEL_BTF_PATH, fields, n, offsets, err, sizeof(err));
	if (rc)
		rc = plan_fail(p, "%s", err);
	for (size_t i = 0; i < n && !rc; i++)
		rc = plan_add_cflag(p, "-DSNOOP_OFF_%s__%s=%ld", fields[i].type, fields[i].member,
				    offsets[i]);
	free(offsets);
	return rc;
}

/*
 * Adds the offsets as -D values, once. Only a compile needs them: parsing
 * the kernel's BTF takes longer than loading a cached program, whose key
 * holds the BTF's identity instead.
 */
int probe_plan_field_offsets(struct probe_plan *p)
{
	if (p->have_offsets)
		return 0;
	p->have_offsets = true;
	if (access(KERNEL_BTF_PATH, R_OK) && errno == ENOENT) {
		fprintf(stderr,
			"%s: this kernel has no BTF; struct field offsets come from the "
			"kernel headers, which must match the running kernel\n",
			p->tool->name);
		return 0;
	}
	if (plan_add_cflag(p, "-DSNOOP_BTF_OFFSETS=1") ||
	    add_field_offsets(p, common_fields, NCOMMON_FIELDS) ||
	    (p->compat_sys_enter && add_field_offsets(p, compat_fields, NCOMPAT_FIELDS)) ||
	    add_field_offsets(p, p->tool->fields, p->tool->nfields))
		return -1;
	return 0;
}

const char *probe_mode_name(enum probe_mode mode)
{
	return mode_names[mode];
}

int probe_plan_init(struct probe_plan *p, const struct snoop_tool *tool, enum probe_mode mode,
		    bool verbose)
{
	memset(p, 0, sizeof(*p));
	p->tool = tool;
	p->asked_mode = mode;
	p->verbose = verbose;
	return plan_attachments(p);
}

/*
 * Which hierarchy the events' cgroup IDs are of (common/cgroups.h): the
 * same that user space turns them into paths in.
 */
static int cgroup_cflag(struct probe_plan *p)
{
	const struct cgroup_hierarchy *h = cgroup_hierarchy();

	return plan_add_cflag(p, "-DSNOOP_CGROUP_SSID=%d", h ? h->ssid : -1);
}

int probe_plan_choose(struct probe_plan *p, enum snoop_purpose purpose)
{
	/*
	 * Newer kernel headers than libbcc's clang knows make it warn by the
	 * dozen about the kernel's own code; errors still show.
	 */
	int rc = plan_add_cflag(p, "-w");

	/* A tool may leave its syscall programs out of the compile when it attaches none. */
	if (!rc)
		rc = plan_add_cflag(p, "-DSNOOP_SYSCALL_PROGRAMS=%d",
				    p->tool->syscalls_unattached ? 0 : 1);
	for (size_t i = 0; !rc && i < p->tool->ndefines; i++)
		rc = plan_add_cflag(p, "-D%s=%ld", p->tool->defines[i].name,
				    p->tool->defines[i].value);
	if (!rc)
		rc = cgroup_cflag(p);
	if (!rc)
		rc = choose_event_buffer(p, purpose);
	if (!rc)
		rc = choose_syscall_probes(p);
	if (!rc)
		rc = plan_choose_lsm(p, purpose);
	if (!rc)
		rc = choose_mode(p, purpose);
	if (!rc)
		rc = plan_choose_fmod_ret(p, purpose);
	/* A compile adds them; --ebpf shows them. */
	if (!rc && purpose == SNOOP_SHOW_SOURCE)
		rc = probe_plan_field_offsets(p);
	if (!rc)
		plan_name_functions(p);
	return rc;
}

void probe_plan_free(struct probe_plan *p)
{
	free(p->functions);
	free(p->attachments);
	p->functions = NULL;
	p->attachments = NULL;
}
