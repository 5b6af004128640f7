/*
 * In a VM stage guest: the running kernel has its row's facts
 * (tests/kernel_rows.h, found by its release), every one probed, and every
 * tool in every mode gets the row's plan from facts probed as the tools
 * probe them, each group when the plan first asks: the unit tests' rows
 * are this kernel's. Needs root. Ends with "N passed,
 * N failed, N skipped".
 */
#include <sys/utsname.h>

#include "../kernel_rows.h"
#include "../report.h"

static int probe(struct kernel_facts *f, unsigned want)
{
	char err[256];

	return kernel_facts_probe(f, want, err, sizeof(err));
}

static const char *refusal_name(enum refusal r)
{
	static const char *const names[] = { "none", "no BTF", "no function", "args unreadable",
					     "load", "attach", "no LSM list", "not listed",
					     "mount" };

	return (size_t)r < ARRAY_SIZE(names) ? names[r] : "?";
}

static void check_refusal(const char *what, const struct trampoline_fact *got, enum refusal want)
{
	if (want != REFUSAL_ANY)
		report_check(got->refusal == want, "facts: %s: %s (wanted %s)", what,
			     refusal_name(got->refusal), refusal_name(want));
}

/* The facts the row states, for a tool's syscalls. */
static void check_facts(const struct kernel_row *r, const struct snoop_tool *t,
			const struct kernel_facts *f)
{
	const struct syscall_fact *first = kernel_facts_syscall(f, t->syscalls[0]);
	bool tracepoints = true, wrappers = true;
	char what[256];

	for (size_t i = 0; i < t->nsyscalls; i++) {
		const struct syscall_fact *s = kernel_facts_syscall(f, t->syscalls[i]);

		tracepoints &= s->tracepoint;
		wrappers &= s->wrapper;
		if (row_fwd_arg(r, s->fn)) {
			strfmt(what, sizeof(what), "%s: fentry on %s", t->name, s->fn);
			check_refusal(what, &s->fentry, REFUSAL_ARGS_UNREADABLE);
		}
	}
	for (size_t i = 0; i < t->ncompat_syscalls; i++) {
		const struct syscall_fact *s = kernel_facts_syscall(f, t->compat_syscalls[i]);

		report_check(s->ia32_entry == r->ia32 && (s->compat_fn[0] != '\0') == r->ia32,
			     "facts: %s: %s's 32-bit entry point: %s", t->name, s->syscall,
			     s->compat_fn[0] ? s->compat_fn : "none");
	}
	report_check(tracepoints == r->tracepoints, "facts: %s: syscall tracepoints: %s", t->name,
		     tracepoints ? "yes" : "no");
	report_check(wrappers == r->wrappers, "facts: %s: syscall wrappers: %s", t->name,
		     wrappers ? "yes" : "no");
	if (!row_fwd_arg(r, first->fn)) {
		strfmt(what, sizeof(what), "%s: fentry on %s", t->name, first->fn);
		check_refusal(what, &first->fentry, r->fentry);
	}
	if (t->nlsm_hooks) {
		check_refusal("LSM program", &f->lsm, r->lsm);
		check_refusal("fmod_ret program", &f->fmod_ret, r->fmod_ret);
	}
}

int main(void)
{
	const struct kernel_row *row = NULL;
	struct utsname un;

	uname(&un);
	for (size_t i = 0; i < ARRAY_SIZE(kernel_rows); i++) {
		if (kernel_rows[i].release && !strcmp(kernel_rows[i].release, un.release))
			row = &kernel_rows[i];
	}
	if (!report_check(row != NULL, "a row of tests/kernel_rows.h is this kernel's (%s)",
			  un.release))
		return report_end();
	for (size_t t = 0; t < ARRAY_SIZE(row_tools); t++) {
		struct kernel_facts f, lazy;
		char err[256] = "";
		/* Before the report's arguments, which read err. */
		bool probed = !kernel_facts_init(&f, row_tools[t], err, sizeof(err)) &&
			      !kernel_facts_init(&lazy, row_tools[t], err, sizeof(err)) &&
			      !kernel_facts_probe(&f, FACTS_ALL, err, sizeof(err));

		if (!report_check(probed, "facts: %s: probed%s%s", row_tools[t]->name,
				  err[0] ? ": " : "", err))
			continue;
		report_check(f.btf == row->btf && f.task_pt_regs == row->task_pt_regs &&
				     f.ringbuf == row->ringbuf && f.kprobes == row->kprobes,
			     "facts: %s: BTF %d, bpf_task_pt_regs %d, ring buffers %d, kprobes %d",
			     row_tools[t]->name, f.btf, f.task_pt_regs, f.ringbuf, f.kprobes);
		check_facts(row, row_tools[t], &f);
		for (int mode = PROBE_MODE_AUTO; mode <= PROBE_MODE_FENTRY; mode++) {
			char why[512];
			/* Before the report's arguments, which read why. */
			bool agrees = row_plan_agrees(row, row_tools[t], (enum probe_mode)mode,
						      &lazy, probe, why, sizeof(why));

			report_check(agrees, "plan: %s -m %s on %s: the row's%s%s",
				     row_tools[t]->name, probe_mode_name((enum probe_mode)mode),
				     row->name, why[0] ? ": " : "", why);
		}
	}
	return report_end();
}
