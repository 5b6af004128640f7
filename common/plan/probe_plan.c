#include "probe_plan.h"
#include "../array_size.h"
#include "../text.h"

#include <linux/bpf.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

static int plan_fail(struct probe_plan *p, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int plan_fail(struct probe_plan *p, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(p->err, sizeof(p->err), fmt, ap);
	va_end(ap);
	return -1;
}

/* A line for -v saying what was chosen and why; past PLAN_MAX_NOTES, none. */
static void plan_note(struct probe_plan *p, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void plan_note(struct probe_plan *p, const char *fmt, ...)
{
	va_list ap;

	if (p->nnotes == PLAN_MAX_NOTES)
		return;
	va_start(ap, fmt);
	vsnprintf(p->notes[p->nnotes++], PLAN_NOTE_LEN, fmt, ap);
	va_end(ap);
}

/*
 * Whether facts lack any of groups: then they are added to those the plan
 * needs, for the runtime to probe before choosing again.
 */
static bool lacks(struct probe_plan *p, const struct kernel_facts *f, unsigned groups)
{
	p->facts_needed |= groups & ~f->known;
	return (groups & ~f->known) != 0;
}

/* Whether the purpose asks what the kernel lets a program do, beyond what its build has. */
static bool probes(enum snoop_purpose purpose)
{
	return purpose >= SNOOP_LOAD_ONLY;
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
	a->prog_type = BPF_PROG_TYPE_TRACEPOINT;
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
	a->prog_type = kind == ATTACH_LSM ? BPF_PROG_TYPE_LSM : BPF_PROG_TYPE_RAW_TRACEPOINT;
	if (!strfmt(a->target, FUNC_NAME_LEN, "%s", target) ||
	    !strfmt(a->func, FUNC_NAME_LEN, "%s__%s", kind == ATTACH_LSM ? "lsm" : "raw_tracepoint",
		    target))
		return -1;
	return 0;
}

/*
 * The syscalls' entries and exits first, their 32-bit entry points, then
 * the tool's tracepoints, raw tracepoints and LSM hooks.
 */
static int plan_attachments(struct probe_plan *p)
{
	const struct snoop_tool *t = p->tool;
	size_t per_syscall = programs_per_syscall(t), n = 0;
	size_t ntracepoints = t->ntracepoints - t->ntracepoints_unattached;

	free(p->attachments);
	p->nattachments = (t->nsyscalls + t->ncompat_syscalls) * per_syscall + ntracepoints +
			  t->nraw_tracepoints + t->nlsm_hooks;
	/* One more: raw_syscalls:sys_enter, in the tracepoint mode (tracepoint_compat). */
	p->attachments = calloc(p->nattachments + 1, sizeof(*p->attachments));
	if (!p->attachments)
		return plan_fail(p, "out of memory");
	for (size_t i = 0; i < p->nattachments; i++)
		p->attachments[i].prog_fd = p->attachments[i].perf_fd = p->attachments[i].link_fd =
			-1;
	plan_syscalls(p, ATTACH_SYSCALL, t->syscalls, t->nsyscalls, &n);
	plan_syscalls(p, ATTACH_COMPAT_SYSCALL, t->compat_syscalls, t->ncompat_syscalls, &n);
	for (size_t i = 0; i < ntracepoints; i++, n++) {
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

static void drop_attachments(struct probe_plan *p, bool (*is)(const struct attachment *a))
{
	filter_attachments(p, is, false);
}

int probe_plan_add_cflag(struct probe_plan *p, const char *fmt, ...)
{
	struct compile_plan *c = &p->compile;
	va_list ap;
	int n;

	if (c->ncflags == MAX_CFLAGS)
		return plan_fail(p, "too many compile flags");
	va_start(ap, fmt);
	n = vsnprintf(c->cflags[c->ncflags], CFLAG_LEN, fmt, ap);
	va_end(ap);
	if (n < 0 || n >= CFLAG_LEN)
		return plan_fail(p, "compile flag too long");
	c->cflag_ptrs[c->ncflags] = c->cflags[c->ncflags];
	c->ncflags++;
	return 0;
}

static bool all_tracepoints(const struct probe_plan *p, const struct kernel_facts *f)
{
	for (size_t i = 0; i < p->tool->nsyscalls; i++) {
		if (!kernel_facts_syscall(f, p->tool->syscalls[i])->tracepoint)
			return false;
	}
	return true;
}

static bool has_target(const struct attachment *a)
{
	return a->kind != ATTACH_COMPAT_SYSCALL || a->target[0];
}

/* Why the tool's syscalls have no kernel functions to attach to, in err; 0 when they have. */
static int functions_missing(const struct snoop_tool *t, const struct kernel_facts *f, char *err,
			     size_t errlen)
{
	if (f->kallsyms_error) {
		snprintf(err, errlen, "cannot read /proc/kallsyms: %s",
			 strerror(f->kallsyms_error));
		return -1;
	}
	for (size_t i = 0; i < t->nsyscalls; i++) {
		const struct syscall_fact *s = kernel_facts_syscall(f, t->syscalls[i]);

		if (!s->fn[0]) {
			snprintf(err, errlen,
				 "/proc/kallsyms names no kernel function for syscall %s",
				 s->syscall);
			return -1;
		}
	}
	return 0;
}

/*
 * Kprobes and fentry programs attach to the kernel functions behind the
 * syscalls, as /proc/kallsyms names them: each syscall attachment's target;
 * 32-bit entry points the kernel does not have are dropped.
 */
static int find_syscall_functions(struct probe_plan *p, const struct kernel_facts *f, char *err,
				  size_t errlen)
{
	const struct snoop_tool *t = p->tool;

	if (lacks(p, f, FACT_FUNCTIONS))
		return PLAN_NEEDS_FACTS;
	if (functions_missing(t, f, err, errlen))
		return -1;
	for (size_t i = 0; i < t->nsyscalls; i++)
		p->syscall_wrapper = kernel_facts_syscall(f, t->syscalls[i])->wrapper;
	for (size_t i = 0; i < p->nattachments; i++) {
		struct attachment *a = &p->attachments[i];
		const struct syscall_fact *s =
			attachment_is_syscall(a) ? kernel_facts_syscall(f, a->syscall) : NULL;

		if (s)
			strfmt(a->target, FUNC_NAME_LEN, "%s",
			       a->kind == ATTACH_COMPAT_SYSCALL ? s->compat_fn : s->fn);
	}
	keep_attachments(p, has_target);
	return 0;
}

/*
 * Why fentry cannot trace this tool's syscalls here, in err; 0 when it can.
 * Fentry programs are BTF-typed: they need the kernel's BTF, and the
 * programs take the syscall arguments from the wrappers' struct pt_regs;
 * the kernel must take a program that reads the first argument of every
 * function they attach to (the kernels' BTF types them apart).
 */
static int fentry_refusal(struct probe_plan *p, const struct kernel_facts *f, char *err,
			  size_t errlen)
{
	const struct syscall_fact *first = kernel_facts_syscall(f, p->tool->syscalls[0]);
	int rc;

	if (lacks(p, f, FACT_BTF))
		return PLAN_NEEDS_FACTS;
	if (!f->btf) {
		snprintf(err, errlen, "this kernel has no BTF (%s)", KERNEL_BTF_PATH);
		return -1;
	}
	rc = find_syscall_functions(p, f, err, errlen);
	if (rc)
		return rc;
	if (!p->syscall_wrapper) {
		snprintf(err, errlen,
			 "this kernel's syscall functions take their arguments "
			 "directly (no syscall wrappers)");
		return -1;
	}
	if (lacks(p, f, FACT_FENTRY))
		return PLAN_NEEDS_FACTS;
	for (size_t i = 0; i < p->nattachments; i++) {
		const struct attachment *a = &p->attachments[i];
		const struct syscall_fact *s;
		const struct trampoline_fact *t;

		if (!attachment_is_syscall(a))
			continue;
		s = kernel_facts_syscall(f, a->syscall);
		t = a->kind == ATTACH_COMPAT_SYSCALL ? &s->compat_fentry : &s->fentry;
		if (t->refusal != REFUSAL_NONE) {
			refusal_text(t, "fentry", a->target, err, errlen);
			return -1;
		}
	}
	/* A tool that attaches no syscall program still compiles them. */
	if (first->fentry.refusal != REFUSAL_NONE) {
		refusal_text(&first->fentry, "fentry", first->fn, err, errlen);
		return -1;
	}
	return 0;
}

/*
 * Auto: tracepoints (stable, cheap), then fentry (cheaper than kprobes),
 * then kprobes; PROBE_MODE_AUTO when none.
 */
static int auto_mode(struct probe_plan *p, enum snoop_purpose purpose, const struct kernel_facts *f,
		     enum probe_mode *mode)
{
	char err[256];
	int rc;

	*mode = PROBE_MODE_TRACEPOINT;
	if (!probes(purpose) || all_tracepoints(p, f))
		return 0;
	*mode = PROBE_MODE_FENTRY;
	rc = fentry_refusal(p, f, err, sizeof(err));
	if (rc != -1)
		return rc;
	if (lacks(p, f, FACT_KPROBES))
		return PLAN_NEEDS_FACTS;
	*mode = f->kprobes ? PROBE_MODE_KPROBE : PROBE_MODE_AUTO;
	return 0;
}

static bool is_syscall_entry(const struct attachment *a)
{
	return attachment_is_syscall(a) && !a->is_return;
}

/*
 * For a tool whose syscall exits can read the arguments: whether this
 * kernel lets them (the compile plan's SNOOP_EXIT_ARGS), and if so, no
 * entry programs. An exit alone costs about half as much per call: one
 * program instead of two, and no map holding the arguments in between.
 */
static void choose_syscall_probes(struct probe_plan *p, const struct kernel_facts *f)
{
	if (p->tool->syscall_probes != SYSCALL_EXIT_READS_ARGS)
		return;
	plan_note(p, "%s",
		  f->task_pt_regs
			  ? "syscall exits read their arguments back (bpf_task_pt_regs): "
			    "no entry programs"
			  : "no bpf_task_pt_regs helper in this kernel's BTF: entry and exit "
			    "programs, with a map in between");
	if (f->task_pt_regs)
		drop_attachments(p, is_syscall_entry);
}

static bool is_compat(const struct attachment *a)
{
	return a->kind == ATTACH_COMPAT_SYSCALL;
}

/*
 * SNOOP_COMPAT_FUNC_S for each 32-bit entry point the kernel has, which
 * the program's #ifdefs and KFUNC_PROBE use; a note when there are none.
 */
static int compat_cflags(struct probe_plan *p, const struct kernel_facts *f)
{
	bool any = false;

	for (size_t i = 0; i < p->tool->ncompat_syscalls; i++) {
		const struct syscall_fact *s = kernel_facts_syscall(f, p->tool->compat_syscalls[i]);

		if (!s->compat_fn[0])
			continue;
		any = true;
		if (probe_plan_add_cflag(p, "-DSNOOP_COMPAT_FUNC_%s=%s", s->syscall, s->compat_fn))
			return -1;
	}
	if (p->tool->ncompat_syscalls && !any)
		plan_note(p, "this kernel has no 32-bit syscall entry points to trace");
	return 0;
}

/*
 * Syscall tracepoints never fire for 32-bit syscalls. Where the kernel has
 * x86's (an __ia32_ entry point of one of the tool's syscalls in its BTF),
 * an entry-only tool takes them at raw_syscalls:sys_enter, which fires for
 * every syscall: one program (the compile plan's SNOOP_COMPAT_SYS_ENTER, and
 * the thread_info field that says a syscall is 32-bit) in place of the
 * 32-bit attachments.
 */
static int tracepoint_compat(struct probe_plan *p, const struct kernel_facts *f)
{
	const struct snoop_tool *t = p->tool;
	struct attachment *a;

	drop_attachments(p, is_compat);
	if (t->syscall_probes != SYSCALL_ENTRY_ONLY || !t->ncompat_syscalls)
		return 0;
	if (lacks(p, f, FACT_IA32))
		return PLAN_NEEDS_FACTS;
	for (size_t i = 0; i < t->ncompat_syscalls && !p->compat_sys_enter; i++)
		p->compat_sys_enter = kernel_facts_syscall(f, t->compat_syscalls[i])->ia32_entry;
	if (!p->compat_sys_enter)
		return 0;
	a = &p->attachments[p->nattachments++];
	*a = (struct attachment){ .prog_fd = -1, .perf_fd = -1, .link_fd = -1 };
	/* A literal that fits: plan_named cannot fail here. */
	(void)plan_named(a, ATTACH_RAW_TRACEPOINT, "sys_enter");
	plan_note(p, "32-bit syscalls taken at raw_syscalls:sys_enter");
	return 0;
}

/* -1 with p->err where --ring-buffer asks for what the kernel does not have. */
static int ring_buffer_refused(struct probe_plan *p, const struct kernel_facts *f)
{
	if (p->ring_buffer_asked && !f->ringbuf)
		return plan_fail(
			p, "--ring-buffer: no BPF ring buffer in this kernel's BTF (Linux 5.8)");
	return 0;
}

/*
 * How the events reach user space (programs/snoop.bpf.h's send_event): the
 * seed's perf buffer per CPU, or with --ring-buffer one BPF ring buffer
 * that every CPU shares, where the kernel has them (Linux 5.8). A ring's
 * pages are all resident from the start, a perf buffer's only once used.
 */
static int choose_event_buffer(struct probe_plan *p, enum snoop_purpose purpose,
			       const struct kernel_facts *f)
{
	if (ring_buffer_refused(p, f))
		return -1;
	p->ring_buffer = p->ring_buffer_asked;
	if (probes(purpose))
		plan_note(p, "events through %s",
			  p->ring_buffer ? "a BPF ring buffer" : "a perf buffer per CPU");
	return 0;
}

/*
 * Whether the tool's LSM hooks can be used here: the kernel runs BPF LSM
 * programs, and has bpf_task_pt_regs, which the programs read the
 * syscall's registers with. For the compile plan, where nothing is loaded,
 * the helper alone decides. Where they cannot, no_lsm_why says why.
 */
static int choose_lsm(struct probe_plan *p, enum snoop_purpose purpose,
		      const struct kernel_facts *f)
{
	if (!p->tool->nlsm_hooks)
		return 0;
	if (!f->task_pt_regs)
		strfmt(p->no_lsm_why, sizeof(p->no_lsm_why),
		       "no bpf_task_pt_regs helper in this kernel's BTF");
	else if (probes(purpose)) {
		if (lacks(p, f, FACT_LSM))
			return PLAN_NEEDS_FACTS;
		if (f->lsm.refusal != REFUSAL_NONE)
			refusal_text(&f->lsm, "LSM", f->lsm_hook, p->no_lsm_why,
				     sizeof(p->no_lsm_why));
	}
	p->lsm_active = !p->no_lsm_why[0];
	return 0;
}

/* Sets p->mode, and the attachments' kernel functions where the mode needs them. */
static int choose_mode(struct probe_plan *p, enum snoop_purpose purpose,
		       const struct kernel_facts *f)
{
	const struct snoop_tool *t = p->tool;
	char err[256];
	int rc = 0;

	p->mode = p->asked_mode;
	if (p->mode == PROBE_MODE_AUTO)
		rc = auto_mode(p, purpose, f, &p->mode);
	if (rc)
		return rc;
	switch (p->mode) {
	case PROBE_MODE_AUTO:
		return plan_fail(
			p,
			"this kernel has no syscall tracepoints (CONFIG_FTRACE_SYSCALLS), "
			"no usable fentry and no kprobes (CONFIG_KPROBES): nothing to attach to");
	case PROBE_MODE_TRACEPOINT:
		if (purpose == SNOOP_TRACE && !all_tracepoints(p, f))
			return plan_fail(
				p,
				"tracepoint mode: this kernel has no syscalls:sys_enter_%s tracepoint "
				"(CONFIG_FTRACE_SYSCALLS is not set); use --mode fentry or kprobe",
				t->syscalls[0]);
		return tracepoint_compat(p, f);
	case PROBE_MODE_KPROBE:
		if (purpose == SNOOP_TRACE && lacks(p, f, FACT_KPROBES))
			return PLAN_NEEDS_FACTS;
		if (purpose == SNOOP_TRACE && !f->kprobes)
			return plan_fail(p, "kprobe mode: this kernel was built without kprobes "
					    "(CONFIG_KPROBES is not set); use --mode tracepoint");
		rc = find_syscall_functions(p, f, err, sizeof(err));
		if (rc)
			return rc == PLAN_NEEDS_FACTS ? rc : plan_fail(p, "kprobe mode: %s", err);
		break;
	case PROBE_MODE_FENTRY:
		/* The compile plan needs only the function names, which users may read. */
		rc = !probes(purpose) ? find_syscall_functions(p, f, err, sizeof(err))
				      : fentry_refusal(p, f, err, sizeof(err));
		if (rc)
			return rc == PLAN_NEEDS_FACTS
				       ? rc
				       : plan_fail(p, "fentry mode: %s; use --mode tracepoint",
						   err);
		break;
	}
	return 0;
}

static bool is_lsm(const struct attachment *a)
{
	return a->kind == ATTACH_LSM;
}

/* Hook's LSM attachment made an fmod_ret program on its security_ function. */
static int plan_fmod_ret(struct attachment *a, const char *hook)
{
	a->kind = ATTACH_FMOD_RET;
	a->prog_type = BPF_PROG_TYPE_TRACING;
	return !strfmt(a->target, FUNC_NAME_LEN, "security_%s", hook) ||
			       !strfmt(a->func, FUNC_NAME_LEN, "kmod_ret__%s", a->target)
		       ? -1
		       : 0;
}

/*
 * Where the LSM hooks cannot run, in the fentry mode: the same programs as
 * fmod_ret programs on the hooks' security_ functions,
 * which the kernel allows whatever its LSM list says, where they load and
 * the kernel has bpf_task_pt_regs. Else the hooks are left out. A note
 * says which, and why.
 */
static int choose_fmod_ret(struct probe_plan *p, enum snoop_purpose purpose,
			   const struct kernel_facts *f)
{
	const struct snoop_tool *t = p->tool;
	char err[256] = "";

	if (!t->nlsm_hooks)
		return 0;
	/* The compile plan's fentry programs: the fmod_ret ones, where LSM programs can be too. */
	if (!p->lsm_active || (purpose == SNOOP_COMPILE && p->mode == PROBE_MODE_FENTRY)) {
		char fn[FUNC_NAME_LEN];

		strfmt(fn, sizeof(fn), "security_%s", t->lsm_hooks[0]);
		if (p->mode != PROBE_MODE_FENTRY)
			strfmt(err, sizeof(err), "not in the %s mode", probe_mode_name(p->mode));
		else if (!f->task_pt_regs)
			strfmt(err, sizeof(err), "%s", p->no_lsm_why);
		else if (probes(purpose)) {
			if (lacks(p, f, FACT_FMOD_RET))
				return PLAN_NEEDS_FACTS;
			if (f->fmod_ret.refusal != REFUSAL_NONE)
				refusal_text(&f->fmod_ret, "fmod_ret", fn, err, sizeof(err));
		}
		p->fmod_ret_active = !err[0];
	}
	for (size_t i = 0; p->fmod_ret_active && i < p->nattachments; i++) {
		char hook[FUNC_NAME_LEN];

		/* plan_fmod_ret rewrites the target: the hook's name is kept apart. */
		strfmt(hook, sizeof(hook), "%s", p->attachments[i].target);
		if (p->attachments[i].kind == ATTACH_LSM && plan_fmod_ret(&p->attachments[i], hook))
			return plan_fail(p, "LSM hook name too long for its security_ function: %s",
					 hook);
	}
	if (!p->lsm_active && !p->fmod_ret_active)
		drop_attachments(p, is_lsm);
	if (probes(purpose)) {
		if (p->lsm_active)
			plan_note(p, "LSM hooks attached: calls are denied");
		else if (p->fmod_ret_active)
			plan_note(p,
				  "no LSM hooks (%s); fmod_ret programs on their security_ "
				  "functions attached: calls are denied",
				  p->no_lsm_why);
		else
			plan_note(p,
				  "no LSM hooks, calls are signalled: %s; no fmod_ret programs: %s",
				  p->no_lsm_why, err);
	}
	return 0;
}

/* The BPF function and program type of each syscall attachment, as programs/snoop.bpf.h names it. */
static void name_functions(struct probe_plan *p)
{
	static const char *const sides[] = { "enter", "exit" };

	for (size_t i = 0; i < p->nattachments; i++) {
		struct attachment *a = &p->attachments[i];
		const char *side = sides[a->is_return];
		const char *compat = a->kind == ATTACH_COMPAT_SYSCALL ? "compat_" : "";

		if (!attachment_is_syscall(a))
			continue;
		if (p->mode == PROBE_MODE_TRACEPOINT) {
			a->prog_type = BPF_PROG_TYPE_TRACEPOINT;
			strfmt(a->category, sizeof(a->category), "syscalls");
			strfmt(a->func, FUNC_NAME_LEN, "tracepoint__syscalls__sys_%s_%s", side,
			       a->syscall);
			strfmt(a->target, FUNC_NAME_LEN, "sys_%s_%s", side, a->syscall);
		} else if (p->mode == PROBE_MODE_KPROBE) {
			a->prog_type = BPF_PROG_TYPE_KPROBE;
			strfmt(a->func, FUNC_NAME_LEN, "kprobe_%s_%s%s", side, compat, a->syscall);
		} else {
			a->prog_type = BPF_PROG_TYPE_TRACING;
			/* libbcc finds the BTF function to attach to from these names. */
			strfmt(a->func, FUNC_NAME_LEN, "%s__%s",
			       a->is_return ? "kretfunc" : "kfunc", a->target);
		}
	}
}

void probe_plan_init(struct probe_plan *p, const struct snoop_tool *tool, enum probe_mode mode,
		     bool ring_buffer)
{
	memset(p, 0, sizeof(*p));
	p->tool = tool;
	p->asked_mode = mode;
	p->ring_buffer_asked = ring_buffer;
}

/* What every choice starts from: every program the tool could attach. */
static int plan_reset(struct probe_plan *p)
{
	p->nnotes = 0;
	p->facts_needed = 0;
	p->err[0] = '\0';
	p->no_lsm_why[0] = '\0';
	p->lsm_active = p->fmod_ret_active = p->compat_sys_enter = p->ring_buffer = false;
	p->syscall_wrapper = false;
	p->mode = p->asked_mode;
	return plan_attachments(p);
}

/* Whether f holds a fact for every syscall of the tool: facts made for another tool do not. */
static bool facts_of_tool(const struct snoop_tool *t, const struct kernel_facts *f)
{
	for (size_t i = 0; i < t->nsyscalls; i++) {
		if (!kernel_facts_syscall(f, t->syscalls[i]))
			return false;
	}
	for (size_t i = 0; i < t->ncompat_syscalls; i++) {
		if (!kernel_facts_syscall(f, t->compat_syscalls[i]))
			return false;
	}
	return true;
}

int probe_plan_choose(struct probe_plan *p, enum snoop_purpose purpose,
		      const struct kernel_facts *f)
{
	int rc = plan_reset(p);

	if (!rc && !facts_of_tool(p->tool, f))
		return plan_fail(p, "the kernel's facts were not gathered for %s", p->tool->name);

	/* What every plan reads; the tracepoints too where anything attaches. */
	if (!rc && lacks(p, f, FACT_BTF | (probes(purpose) ? FACT_TRACEPOINTS : 0)))
		return PLAN_NEEDS_FACTS;
	if (!rc)
		rc = choose_event_buffer(p, purpose, f);
	if (!rc) {
		choose_syscall_probes(p, f);
		rc = choose_lsm(p, purpose, f);
	}
	if (!rc)
		rc = choose_mode(p, purpose, f);
	if (!rc)
		rc = choose_fmod_ret(p, purpose, f);
	if (!rc)
		name_functions(p);
	return rc;
}

/* Adds the programs of q, a plan of one mode, to the compile plan's; each function once. */
static int add_programs(struct compile_plan *c, const struct probe_plan *q)
{
	struct attachment *grown =
		realloc(c->programs, (c->nprograms + q->nattachments) * sizeof(*grown));

	if (!grown)
		return -1;
	c->programs = grown;
	for (size_t i = 0; i < q->nattachments; i++) {
		size_t j = 0;

		while (j < c->nprograms && strcmp(c->programs[j].func, q->attachments[i].func))
			j++;
		if (j == c->nprograms)
			c->programs[c->nprograms++] = q->attachments[i];
	}
	return 0;
}

/* One mode's programs into the compile plan: 0, or -1 with p->err. */
static int plan_mode(struct probe_plan *p, struct probe_plan *q, const struct snoop_tool *whole,
		     enum probe_mode mode, const struct kernel_facts *f)
{
	int rc;

	probe_plan_init(q, whole, mode, p->ring_buffer_asked);
	rc = probe_plan_choose(q, SNOOP_COMPILE, f);
	if (rc == PLAN_NEEDS_FACTS)
		p->facts_needed |= q->facts_needed;
	else if (rc)
		plan_fail(p, "%s mode's programs: %s", probe_mode_name(mode), q->err);
	else if (add_programs(&p->compile, q))
		rc = plan_fail(p, "out of memory");
	return rc;
}

/* The flags that select the compiled modes' programs, and what they take from the kernel. */
static int mode_cflags(struct probe_plan *p, const bool *compiled, bool syscall_wrapper,
		       const struct kernel_facts *f)
{
	const struct snoop_tool *t = p->tool;
	int rc =
		probe_plan_add_cflag(p, "-DSNOOP_TRACEPOINT=%d", compiled[PROBE_MODE_TRACEPOINT]) ||
		probe_plan_add_cflag(p, "-DSNOOP_KPROBE=%d", compiled[PROBE_MODE_KPROBE]) ||
		probe_plan_add_cflag(p, "-DSNOOP_FENTRY=%d", compiled[PROBE_MODE_FENTRY]);

	if (!rc && compiled[PROBE_MODE_KPROBE])
		rc = probe_plan_add_cflag(p, "-DSNOOP_SYSCALL_WRAPPER=%d", syscall_wrapper ? 1 : 0);
	/* KFUNC_PROBE names each program after its kernel function. */
	for (size_t i = 0; !rc && compiled[PROBE_MODE_FENTRY] && i < t->nsyscalls; i++)
		rc = probe_plan_add_cflag(p, "-DSNOOP_FUNC_%s=%s", t->syscalls[i],
					  kernel_facts_syscall(f, t->syscalls[i])->fn);
	if (!rc && compiled[PROBE_MODE_KPROBE])
		rc = compat_cflags(p, f);
	if (!rc && p->compile.compat_sys_enter)
		rc = probe_plan_add_cflag(p, "-DSNOOP_COMPAT_SYS_ENTER=1");
	return rc;
}

int probe_plan_compile(struct probe_plan *p, enum snoop_purpose purpose,
		       const struct kernel_facts *f)
{
	static const enum probe_mode modes[] = { PROBE_MODE_TRACEPOINT, PROBE_MODE_KPROBE,
						 PROBE_MODE_FENTRY };
	/* Every program the tool has, whatever this run attaches. */
	struct snoop_tool whole = *p->tool;
	struct compile_plan *c = &p->compile;
	bool compiled[PROBE_MODE_FENTRY + 1] = { false }, lsm = false, fmod_ret = false;
	bool syscall_wrapper = false; /* the kprobe mode's plan found wrappers */
	struct probe_plan q;
	int rc = 0;

	whole.syscalls_unattached = false;
	whole.ntracepoints_unattached = 0;
	free(c->programs);
	*c = (struct compile_plan){ 0 };
	p->facts_needed = 0;
	p->err[0] = '\0';
	if (!facts_of_tool(p->tool, f))
		return plan_fail(p, "the kernel's facts were not gathered for %s", p->tool->name);
	if (lacks(p, f,
		  FACT_BTF | FACT_FUNCTIONS | (whole.ncompat_syscalls ? FACT_IA32 : 0) |
			  (purpose != SNOOP_SHOW_SOURCE ? FACT_TRACEPOINTS : 0)))
		return PLAN_NEEDS_FACTS;
	if (ring_buffer_refused(p, f))
		return -1;
	for (size_t i = 0; i < ARRAY_SIZE(modes) && !rc; i++) {
		enum probe_mode m = modes[i];
		char why[256];

		if (m == PROBE_MODE_TRACEPOINT && purpose != SNOOP_SHOW_SOURCE &&
		    !all_tracepoints(p, f))
			continue;
		/* Kprobes and fentry attach to the syscalls' kernel functions. */
		if (m == PROBE_MODE_KPROBE && functions_missing(p->tool, f, why, sizeof(why))) {
			plan_note(p, "no kprobe or fentry programs: %s", why);
			continue;
		}
		/* Fentry programs take the syscall wrappers' pt_regs, and need BTF. */
		if (m == PROBE_MODE_FENTRY &&
		    (!f->btf || !compiled[PROBE_MODE_KPROBE] || !syscall_wrapper))
			continue;
		rc = plan_mode(p, &q, &whole, m, f);
		compiled[m] = rc == 0;
		if (compiled[m]) {
			lsm |= q.lsm_active;
			fmod_ret |= q.fmod_ret_active;
			c->compat_sys_enter |= q.compat_sys_enter;
		}
		if (m == PROBE_MODE_KPROBE)
			syscall_wrapper = q.syscall_wrapper;
		probe_plan_free(&q);
	}
	if (rc)
		return rc;
	if (!c->nprograms)
		return plan_fail(p,
				 "this kernel has no syscall tracepoints and no kernel functions "
				 "for the syscalls: nothing to compile");
	/*
	 * Newer kernel headers than libbcc's clang knows make it warn by the
	 * dozen about the kernel's own code; errors still show.
	 */
	rc = probe_plan_add_cflag(p, "-w");
	for (size_t i = 0; !rc && i < whole.ndefines; i++)
		rc = probe_plan_add_cflag(p, "-D%s=%ld", whole.defines[i].name,
					  whole.defines[i].value);
	if (!rc)
		rc = probe_plan_add_cflag(p, "-DSNOOP_RINGBUF=%d", p->ring_buffer_asked ? 1 : 0);
	if (!rc && whole.syscall_probes == SYSCALL_EXIT_READS_ARGS)
		rc = probe_plan_add_cflag(p, "-DSNOOP_EXIT_ARGS=%d", f->task_pt_regs ? 1 : 0);
	if (!rc && whole.nlsm_hooks)
		rc = probe_plan_add_cflag(p, "-DSNOOP_LSM=%d", lsm ? 1 : 0) ||
		     probe_plan_add_cflag(p, "-DSNOOP_FMOD_RET=%d", fmod_ret ? 1 : 0);
	if (!rc)
		rc = mode_cflags(p, compiled, syscall_wrapper, f);
	if (!rc)
		plan_note(p, "compiled for the modes:%s%s%s, loaded from the cache in any of them",
			  compiled[PROBE_MODE_TRACEPOINT] ? " tracepoint" : "",
			  compiled[PROBE_MODE_KPROBE] ? " kprobe" : "",
			  compiled[PROBE_MODE_FENTRY] ? " fentry" : "");
	return rc;
}

void probe_plan_free(struct probe_plan *p)
{
	free(p->attachments);
	p->attachments = NULL;
	p->nattachments = 0;
	free(p->compile.programs);
	p->compile.programs = NULL;
	p->compile.nprograms = 0;
}
