/*
 * The plans' programs as the runtime takes them: each compiled program's
 * type and kernel function, and the source with its cflags (--ebpf).
 */
#include "probe_plan.h"
#include "../text.h"

#include <linux/bpf.h>
#include <stdio.h>

/* A tracing or LSM program's kernel function (its syscall's, or hook) and attach type. */
static void attach_target(const struct attachment *a, struct snoop_function *f)
{
	f->attach = "";
	f->attach_type = 0;
	if (a->kind == ATTACH_LSM) {
		f->attach = a->target;
		f->attach_type = BPF_LSM_MAC;
	} else if (a->kind == ATTACH_FMOD_RET) {
		f->attach = a->target;
		f->attach_type = BPF_MODIFY_RETURN;
	} else if (a->prog_type == BPF_PROG_TYPE_TRACING) {
		f->attach = a->target;
		f->attach_type = a->is_return ? BPF_TRACE_FEXIT : BPF_TRACE_FENTRY;
	}
}

void probe_plan_print_source(const struct probe_plan *p, FILE *out)
{
	fprintf(out, "// %s; cflags:", p->tool->name);
	for (int i = 0; i < p->compile.ncflags; i++)
		fprintf(out, " %s", p->compile.cflags[i]);
	fprintf(out, "\n%s", p->tool->source);
}

void probe_plan_functions(const struct probe_plan *p, struct snoop_function *funcs)
{
	for (size_t i = 0; i < p->compile.nprograms; i++) {
		funcs[i].name = p->compile.programs[i].func;
		funcs[i].prog_type = (uint32_t)p->compile.programs[i].prog_type;
		attach_target(&p->compile.programs[i], &funcs[i]);
	}
}

bool probe_plan_hooks_deny(const struct probe_plan *p)
{
	return p->lsm_active || p->fmod_ret_active;
}
