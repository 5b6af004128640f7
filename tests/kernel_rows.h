/*
 * The kernels of the README's table, as facts (common/plan/kernel_facts.h) and
 * the plans the tools must get from them: the unit tests give the planner
 * each row's facts, and the VM stage's guests check that the kernel they
 * boot has its row's facts and plans (tests/vm/plan_rows.c). Expectations
 * are written out here, row by row, never computed by the planner's rules.
 */
#ifndef SNOOP_TESTS_KERNEL_ROWS_H
#define SNOOP_TESTS_KERNEL_ROWS_H

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "../common/array_size.h"
#include "../common/plan/probe_plan.h"
#include "../common/text.h"
#include "../tools/execsnoop/tool.h"
#include "../tools/exitsnoop/tool.h"
#include "../tools/killsnoop/tool.h"
#include "../tools/ptraceguard/tool.h"
#include "../tools/sigsnoop/tool.h"

/* How ptraceguard-c's calls are stopped in a mode: signalled, or denied by LSM or fmod_ret. */
enum guard_way { GUARD_SIGNALS, GUARD_LSM, GUARD_FMOD_RET };

/* A refusal a row does not state: the plans never need that fact there. */
#define REFUSAL_ANY ((enum refusal) - 1)

struct kernel_row {
	const char *name;
	const char *release; /* uname -r of the VM stage's guest, or NULL */
	/* The facts. */
	bool btf, task_pt_regs, ringbuf, tracepoints, kprobes, ia32, wrappers;
	enum refusal fentry; /* on every syscall function but those of fwd_args */
	int fentry_error;
	const char *fwd_args; /* functions whose arguments fentry cannot read, space separated */
	enum refusal lsm;
	int lsm_error;
	const char *lsm_list;
	enum refusal fmod_ret;
	/* The plans. */
	enum probe_mode auto_mode; /* PROBE_MODE_AUTO: nothing to attach to */
	const char *refused[4];	   /* by mode: the refusal's text, for every tool; NULL: it runs */
	enum guard_way guard[4];   /* by mode */
};

#define ALL_MODES(x)                                                                               \
	{                                                                                          \
		[PROBE_MODE_TRACEPOINT] = x, [PROBE_MODE_KPROBE] = x, [PROBE_MODE_FENTRY] = x      \
	}

static const struct kernel_row kernel_rows[] = {
	{
		.name = "Debian 5.10",
		.release = "5.10.0-32-amd64",
		.btf = true,
		.ringbuf = true,
		.tracepoints = true,
		.kprobes = true,
		.ia32 = true,
		.wrappers = true,
		.fwd_args = " __x64_sys_execveat __x64_sys_process_vm_readv ",
		.lsm = REFUSAL_LSM_NOT_LISTED,
		.fmod_ret = REFUSAL_ANY,
		.auto_mode = PROBE_MODE_TRACEPOINT,
		.guard = ALL_MODES(GUARD_SIGNALS),
	},
	{
		.name = "Debian 6.1",
		.release = "6.1.0-50-amd64",
		.btf = true,
		.task_pt_regs = true,
		.ringbuf = true,
		.tracepoints = true,
		.kprobes = true,
		.ia32 = true,
		.wrappers = true,
		.fmod_ret = REFUSAL_ANY,
		.auto_mode = PROBE_MODE_TRACEPOINT,
		.guard = ALL_MODES(GUARD_LSM),
	},
	{
		.name = "Debian 6.12 without bpf in its LSM list",
		.release = "6.12.117+deb13-amd64",
		.btf = true,
		.task_pt_regs = true,
		.ringbuf = true,
		.tracepoints = true,
		.kprobes = true,
		.ia32 = true,
		.wrappers = true,
		.lsm = REFUSAL_LSM_NOT_LISTED,
		.lsm_list = "landlock,lockdown,yama,apparmor",
		.auto_mode = PROBE_MODE_TRACEPOINT,
		.guard = { [PROBE_MODE_TRACEPOINT] = GUARD_SIGNALS,
			   [PROBE_MODE_KPROBE] = GUARD_SIGNALS,
			   [PROBE_MODE_FENTRY] = GUARD_FMOD_RET },
	},
	{
		.name = "Debian 7.2",
		.release = "7.2.13+deb14-amd64",
		.btf = true,
		.task_pt_regs = true,
		.ringbuf = true,
		.tracepoints = true,
		.kprobes = true,
		.ia32 = true,
		.wrappers = true,
		.fmod_ret = REFUSAL_ANY,
		.auto_mode = PROBE_MODE_TRACEPOINT,
		.guard = ALL_MODES(GUARD_LSM),
	},
	{
		.name = "a kernel without BTF",
		.tracepoints = true,
		.kprobes = true,
		.wrappers = true,
		.fentry = REFUSAL_NO_BTF,
		.lsm = REFUSAL_ANY,
		.fmod_ret = REFUSAL_ANY,
		.auto_mode = PROBE_MODE_TRACEPOINT,
		.refused = { [PROBE_MODE_FENTRY] =
				     "fentry mode: this kernel has no BTF "
				     "(/sys/kernel/btf/vmlinux); use --mode tracepoint" },
		.guard = ALL_MODES(GUARD_SIGNALS),
	},
	{
		.name = "a kernel without syscall tracepoints",
		.btf = true,
		.task_pt_regs = true,
		.ringbuf = true,
		.kprobes = true,
		.ia32 = true,
		.wrappers = true,
		.fmod_ret = REFUSAL_ANY,
		.auto_mode = PROBE_MODE_FENTRY,
		.refused = { [PROBE_MODE_TRACEPOINT] = "tracepoint mode: this kernel has no "
						       "syscalls:sys_enter_" },
		.guard = ALL_MODES(GUARD_LSM),
	},
	{
		.name = "a kernel without kprobes",
		.btf = true,
		.task_pt_regs = true,
		.ringbuf = true,
		.tracepoints = true,
		.ia32 = true,
		.wrappers = true,
		.fmod_ret = REFUSAL_ANY,
		.auto_mode = PROBE_MODE_TRACEPOINT,
		.refused = { [PROBE_MODE_KPROBE] = "kprobe mode: this kernel was built without "
						   "kprobes (CONFIG_KPROBES is not set); use "
						   "--mode tracepoint" },
		.guard = ALL_MODES(GUARD_LSM),
	},
	{
		.name = "a kernel without BTF and without syscall tracepoints",
		.kprobes = true,
		.wrappers = true,
		.fentry = REFUSAL_NO_BTF,
		.lsm = REFUSAL_ANY,
		.fmod_ret = REFUSAL_ANY,
		.auto_mode = PROBE_MODE_KPROBE,
		.refused = { [PROBE_MODE_TRACEPOINT] = "tracepoint mode: this kernel has no "
						       "syscalls:sys_enter_",
			     [PROBE_MODE_FENTRY] = "fentry mode: this kernel has no BTF" },
		.guard = ALL_MODES(GUARD_SIGNALS),
	},
	{
		.name = "this machine's kind (no kprobes, tracing programs refused)",
		.btf = true,
		.task_pt_regs = true,
		.ringbuf = true,
		.tracepoints = true,
		.wrappers = true,
		.fentry = REFUSAL_LOAD,
		.fentry_error = EPERM,
		.lsm = REFUSAL_LOAD,
		.lsm_error = EPERM,
		.fmod_ret = REFUSAL_ANY,
		.auto_mode = PROBE_MODE_TRACEPOINT,
		.refused = { [PROBE_MODE_KPROBE] = "kprobe mode: this kernel was built without "
						   "kprobes",
			     [PROBE_MODE_FENTRY] = "fentry mode: the kernel refuses to load fentry "
						   "programs: Operation not permitted; use --mode "
						   "tracepoint" },
		.guard = ALL_MODES(GUARD_SIGNALS),
	},
	{
		.name = "a kernel with neither syscall tracepoints, fentry nor kprobes",
		.btf = true,
		.task_pt_regs = true,
		.wrappers = true,
		.fentry = REFUSAL_LOAD,
		.fentry_error = EPERM,
		.lsm = REFUSAL_LOAD,
		.lsm_error = EPERM,
		.fmod_ret = REFUSAL_ANY,
		.auto_mode = PROBE_MODE_AUTO,
		.refused = { [PROBE_MODE_TRACEPOINT] = "tracepoint mode: this kernel has no",
			     [PROBE_MODE_KPROBE] = "kprobe mode: this kernel was built without",
			     [PROBE_MODE_FENTRY] = "fentry mode: the kernel refuses to load" },
		.guard = ALL_MODES(GUARD_SIGNALS),
	},
};

/* A tool as the tests plan it: execsnoop-c with -x, sigsnoop-c with -D (every program). */
static const struct snoop_tool *const row_tools[] = { &execsnoop_tool, &exitsnoop_tool,
						      &killsnoop_tool, &sigsnoop_tool,
						      &ptraceguard_tool };

/* Tool-specific refusals: a row, a tool, a mode and the refusal's text. */
static const struct {
	const char *row, *tool;
	enum probe_mode mode;
	const char *refused;
} row_tool_refusals[] = {
	{ "Debian 5.10", "execsnoop-c", PROBE_MODE_FENTRY,
	  "fentry mode: the kernel refuses fentry programs that read __x64_sys_execveat's "
	  "arguments" },
	{ "Debian 5.10", "ptraceguard-c", PROBE_MODE_FENTRY,
	  "fentry mode: the kernel refuses fentry programs that read __x64_sys_process_vm_readv's "
	  "arguments" },
};

static inline const char *row_refusal(const struct kernel_row *r, const struct snoop_tool *t,
				      enum probe_mode mode)
{
	for (size_t i = 0; i < ARRAY_SIZE(row_tool_refusals); i++) {
		if (!strcmp(row_tool_refusals[i].row, r->name) &&
		    !strcmp(row_tool_refusals[i].tool, t->name) &&
		    row_tool_refusals[i].mode == mode)
			return row_tool_refusals[i].refused;
	}
	return r->refused[mode];
}

static inline bool row_fwd_arg(const struct kernel_row *r, const char *fn)
{
	char word[FACT_FUNC_LEN + 2];

	return r->fwd_args && fn[0] && strfmt(word, sizeof(word), " %s ", fn) &&
	       strstr(r->fwd_args, word);
}

static inline void row_trampoline(struct trampoline_fact *t, enum refusal why, int error,
				  const char *detail)
{
	t->refusal = why == REFUSAL_ANY ? REFUSAL_NONE : why;
	t->error = error;
	strfmt(t->detail, sizeof(t->detail), "%s", detail ? detail : "");
}

/* The row's facts, for tool: every group known. */
static inline void row_facts(const struct kernel_row *r, const struct snoop_tool *tool,
			     struct kernel_facts *f)
{
	char err[128];

	/* Too many syscalls: no facts, and every plan says it lacks them. */
	if (kernel_facts_init(f, tool, err, sizeof(err)))
		return;
	f->known = FACTS_ALL;
	f->btf = r->btf;
	f->task_pt_regs = r->task_pt_regs;
	f->ringbuf = r->ringbuf;
	f->kprobes = r->kprobes;
	f->cgroup_ssid = 1;
	for (size_t i = 0; i < f->nsyscalls; i++) {
		struct syscall_fact *s = &f->syscalls[i];

		s->tracepoint = r->tracepoints;
		s->ia32_entry = r->ia32;
		s->wrapper = r->wrappers;
		strfmt(s->fn, sizeof(s->fn), "%s%s", r->wrappers ? "__x64_sys_" : "sys_",
		       s->syscall);
		if (r->ia32)
			strfmt(s->compat_fn, sizeof(s->compat_fn), "__ia32_sys_%s", s->syscall);
		row_trampoline(&s->fentry,
			       row_fwd_arg(r, s->fn) ? REFUSAL_ARGS_UNREADABLE : r->fentry,
			       r->fentry_error, "arg0 type FWD is not a struct");
		row_trampoline(&s->compat_fentry, r->fentry, r->fentry_error, NULL);
	}
	row_trampoline(&f->lsm, r->lsm, r->lsm_error, r->lsm_list);
	row_trampoline(&f->fmod_ret, r->fmod_ret, 0, NULL);
}

/*
 * Copies the facts of groups from src into dst, marking them known: what a
 * probe of those groups finds on the row's kernel.
 */
static inline void row_copy_facts(struct kernel_facts *dst, const struct kernel_facts *src,
				  unsigned groups)
{
	if (groups & FACT_BTF) {
		dst->btf = src->btf;
		dst->task_pt_regs = src->task_pt_regs;
		dst->ringbuf = src->ringbuf;
	}
	if (groups & FACT_KPROBES)
		dst->kprobes = src->kprobes;
	if (groups & FACT_FUNCTIONS)
		dst->kallsyms_error = src->kallsyms_error;
	if (groups & FACT_LSM)
		dst->lsm = src->lsm;
	if (groups & FACT_FMOD_RET)
		dst->fmod_ret = src->fmod_ret;
	if (groups & FACT_CGROUP)
		dst->cgroup_ssid = src->cgroup_ssid;
	for (size_t i = 0; i < dst->nsyscalls; i++) {
		struct syscall_fact *d = &dst->syscalls[i];
		const struct syscall_fact *s = &src->syscalls[i];

		if (groups & FACT_TRACEPOINTS)
			d->tracepoint = s->tracepoint;
		if (groups & FACT_IA32)
			d->ia32_entry = s->ia32_entry;
		if (groups & FACT_FUNCTIONS) {
			memcpy(d->fn, s->fn, sizeof(d->fn));
			memcpy(d->compat_fn, s->compat_fn, sizeof(d->compat_fn));
			d->wrapper = s->wrapper;
		}
		if (groups & FACT_FENTRY) {
			d->fentry = s->fentry;
			d->compat_fentry = s->compat_fentry;
		}
	}
	dst->known |= groups;
}

/*
 * Facts that know nothing yet, every value the opposite of the row's: a
 * plan that reads a fact it did not ask for reads a wrong one.
 */
static inline void row_unknown_facts(const struct kernel_facts *truth, struct kernel_facts *f)
{
	*f = *truth;
	f->known = 0;
	f->btf = !truth->btf;
	f->task_pt_regs = !truth->task_pt_regs;
	f->ringbuf = !truth->ringbuf;
	f->kprobes = !truth->kprobes;
	f->kallsyms_error = truth->kallsyms_error ? 0 : EIO;
	f->cgroup_ssid = truth->cgroup_ssid + 7;
	f->lsm.refusal = truth->lsm.refusal == REFUSAL_NONE ? REFUSAL_LOAD : REFUSAL_NONE;
	f->fmod_ret.refusal = truth->fmod_ret.refusal == REFUSAL_NONE ? REFUSAL_LOAD : REFUSAL_NONE;
	for (size_t i = 0; i < f->nsyscalls; i++) {
		struct syscall_fact *s = &f->syscalls[i];

		s->tracepoint = !s->tracepoint;
		s->ia32_entry = !s->ia32_entry;
		s->wrapper = !s->wrapper;
		strfmt(s->fn, sizeof(s->fn), "not_probed_%s", s->syscall);
		s->compat_fn[0] = s->compat_fn[0] ? '\0' : 'x';
		s->fentry.refusal = s->fentry.refusal == REFUSAL_NONE ? REFUSAL_LOAD : REFUSAL_NONE;
		s->compat_fentry.refusal = s->compat_fentry.refusal == REFUSAL_NONE ? REFUSAL_LOAD
										    : REFUSAL_NONE;
	}
}

static inline bool plan_has_cflag(const struct probe_plan *p, const char *cflag)
{
	for (int i = 0; i < p->compile.ncflags; i++) {
		if (!strcmp(p->compile.cflags[i], cflag))
			return true;
	}
	return false;
}

/* Whether the compile plan has a program of that name. */
static inline bool plan_compiles(const struct probe_plan *p, const char *func)
{
	for (size_t i = 0; i < p->compile.nprograms; i++) {
		if (!strcmp(p->compile.programs[i].func, func))
			return true;
	}
	return false;
}

/* The compile plan of p, probing with probe() where it needs more; -1 with why. */
static inline int row_compile_plan(struct probe_plan *p, struct kernel_facts *f,
				   int (*probe)(struct kernel_facts *f, unsigned want), char *why,
				   size_t len)
{
	int rc;

	while ((rc = probe_plan_compile(p, SNOOP_COMPILE, f)) == PLAN_NEEDS_FACTS) {
		if (!probe || probe(f, p->facts_needed)) {
			strfmt(why, len, "the compile plan needs facts 0x%x", p->facts_needed);
			return -1;
		}
	}
	if (rc)
		strfmt(why, len, "compile plan: %s", p->err);
	return rc;
}

/*
 * The compile plan, as a start in another mode makes it, against the
 * attach plan p of mode: every program the mode loads is compiled, with
 * the flag that selects it (one compile serves every mode).
 */
static inline bool row_compile_agrees(const struct snoop_tool *tool, const struct probe_plan *p,
				      enum probe_mode mode, struct kernel_facts *f,
				      int (*probe)(struct kernel_facts *f, unsigned want),
				      char *why, size_t len)
{
	static const char *const mode_flags[] = { [PROBE_MODE_TRACEPOINT] = "-DSNOOP_TRACEPOINT=1",
						  [PROBE_MODE_KPROBE] = "-DSNOOP_KPROBE=1",
						  [PROBE_MODE_FENTRY] = "-DSNOOP_FENTRY=1" };
	struct probe_plan other;
	bool ok = true;

	probe_plan_init(&other, tool, mode == PROBE_MODE_AUTO ? PROBE_MODE_KPROBE : PROBE_MODE_AUTO,
			false);
	if (row_compile_plan(&other, f, probe, why, len)) {
		probe_plan_free(&other);
		return false;
	}
	for (size_t i = 0; ok && i < p->nattachments; i++) {
		if (!plan_compiles(&other, p->attachments[i].func)) {
			strfmt(why, len, "%s is not compiled", p->attachments[i].func);
			ok = false;
		}
	}
	if (ok && !plan_has_cflag(&other, mode_flags[p->mode])) {
		strfmt(why, len, "compiled without %s", mode_flags[p->mode]);
		ok = false;
	}
	probe_plan_free(&other);
	return ok;
}

static inline bool plan_has_kind(const struct probe_plan *p, enum attachment_kind kind)
{
	for (size_t i = 0; i < p->nattachments; i++) {
		if (p->attachments[i].kind == kind)
			return true;
	}
	return false;
}

/*
 * Plans tool in mode from facts (probing with probe() where the plan needs
 * more, when given) and checks the plan against the row; says what
 * differs in why. True when it agrees.
 */
static inline bool row_plan_agrees(const struct kernel_row *r, const struct snoop_tool *tool,
				   enum probe_mode mode, struct kernel_facts *f,
				   int (*probe)(struct kernel_facts *f, unsigned want), char *why,
				   size_t len)
{
	enum probe_mode effective = mode == PROBE_MODE_AUTO ? r->auto_mode : mode;
	const char *want_refusal = effective == PROBE_MODE_AUTO ? "this kernel has no syscall "
								  "tracepoints"
								: row_refusal(r, tool, effective);
	struct probe_plan p;
	bool ok = true;
	int rc;

	why[0] = '\0';
	probe_plan_init(&p, tool, mode, false);
	while ((rc = probe_plan_choose(&p, SNOOP_TRACE, f)) == PLAN_NEEDS_FACTS) {
		if (!probe || probe(f, p.facts_needed)) {
			strfmt(why, len, "the plan needs facts 0x%x", p.facts_needed);
			probe_plan_free(&p);
			return false;
		}
	}
	if (want_refusal) {
		ok = rc == -1 && strstr(p.err, want_refusal) == p.err;
		if (!ok)
			strfmt(why, len, "wanted refusal '%s', got %s", want_refusal,
			       rc ? p.err : probe_mode_name(p.mode));
		probe_plan_free(&p);
		return ok;
	}
	if (rc) {
		strfmt(why, len, "refused: %s", p.err);
		probe_plan_free(&p);
		return false;
	}
	if (p.mode != effective) {
		strfmt(why, len, "mode %s, wanted %s", probe_mode_name(p.mode),
		       probe_mode_name(effective));
		ok = false;
	}
	/*
	 * The syscall programs the mode attaches: no entries where the exits
	 * read their arguments back; each with its kernel function outside
	 * the tracepoint mode, and there the 32-bit entry points where the
	 * kernel has them.
	 */
	if (ok && !tool->syscalls_unattached) {
		size_t entries = 0, compat = 0, untargeted = 0;
		bool want_entries = tool->syscall_probes != SYSCALL_EXIT_READS_ARGS ||
				    !r->task_pt_regs;
		bool want_compat = effective != PROBE_MODE_TRACEPOINT && r->ia32 &&
				   tool->ncompat_syscalls;

		for (size_t i = 0; i < p.nattachments; i++) {
			const struct attachment *a = &p.attachments[i];

			if (!attachment_is_syscall(a))
				continue;
			entries += !a->is_return;
			compat += a->kind == ATTACH_COMPAT_SYSCALL;
			untargeted += effective != PROBE_MODE_TRACEPOINT && !a->target[0];
		}
		if ((entries > 0) != want_entries || (compat > 0) != want_compat || untargeted) {
			strfmt(why, len,
			       "%zu entry programs, %zu 32-bit ones, %zu without a function",
			       entries, compat, untargeted);
			ok = false;
		}
	}
	/* The compile plan, as a start in any mode finds it in the cache. */
	if (ok)
		ok = row_compile_plan(&p, f, probe, why, len) == 0 &&
		     row_compile_agrees(tool, &p, mode, f, probe, why, len);
	if (ok && tool->syscall_probes == SYSCALL_EXIT_READS_ARGS) {
		char flag[64];

		strfmt(flag, sizeof(flag), "-DSNOOP_EXIT_ARGS=%d", r->task_pt_regs ? 1 : 0);
		if (!plan_has_cflag(&p, flag)) {
			strfmt(why, len, "no %s", flag);
			ok = false;
		}
	}
	if (ok && tool->nlsm_hooks) {
		enum guard_way way = r->guard[effective];
		bool lsm = plan_has_cflag(&p, "-DSNOOP_LSM=1") && plan_has_kind(&p, ATTACH_LSM);
		bool fmod = plan_has_cflag(&p, "-DSNOOP_FMOD_RET=1") &&
			    plan_has_kind(&p, ATTACH_FMOD_RET);

		/* Both are compiled wherever the helper is: the attach plan says which loads. */
		if (plan_has_cflag(&p, "-DSNOOP_LSM=1") != r->task_pt_regs ||
		    plan_has_cflag(&p, "-DSNOOP_FMOD_RET=1") != (r->task_pt_regs && r->wrappers)) {
			strfmt(why, len, "LSM and fmod_ret programs compiled: %s",
			       plan_has_cflag(&p, "-DSNOOP_LSM=1") ? "yes" : "no");
			ok = false;
		}

		if (lsm != (way == GUARD_LSM) || fmod != (way == GUARD_FMOD_RET) ||
		    probe_plan_hooks_deny(&p) != (way != GUARD_SIGNALS)) {
			strfmt(why, len, "calls %s, wanted %s",
			       lsm    ? "denied by LSM"
			       : fmod ? "denied by fmod_ret"
				      : "signalled",
			       way == GUARD_LSM	       ? "denied by LSM"
			       : way == GUARD_FMOD_RET ? "denied by fmod_ret"
						       : "signalled");
			ok = false;
		}
	}
	/* An entry-only tool takes 32-bit calls at raw_syscalls:sys_enter in the tracepoint mode. */
	if (ok && effective == PROBE_MODE_TRACEPOINT && tool->ncompat_syscalls &&
	    tool->syscall_probes == SYSCALL_ENTRY_ONLY &&
	    (plan_has_cflag(&p, "-DSNOOP_COMPAT_SYS_ENTER=1") != r->ia32 ||
	     plan_compiles(&p, "raw_tracepoint__sys_enter") != r->ia32)) {
		strfmt(why, len, "32-bit calls %staken at raw_syscalls:sys_enter",
		       r->ia32 ? "not " : "");
		ok = false;
	}
	probe_plan_free(&p);
	return ok;
}

#endif
