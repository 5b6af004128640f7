/*
 * The chosen plan's programs as the runtime takes them: each attachment's
 * program type and kernel function, and the source with its cflags
 * (--ebpf).
 */
#include "probe_plan.h"
#include "../text.h"

#include <linux/bpf.h>
#include <stdio.h>

/* The program type the mode gives a syscall's programs. */
static int syscall_prog_type(const struct probe_plan *p)
{
	if (p->mode == PROBE_MODE_TRACEPOINT)
		return BPF_PROG_TYPE_TRACEPOINT;
	return p->mode == PROBE_MODE_KPROBE ? BPF_PROG_TYPE_KPROBE : BPF_PROG_TYPE_TRACING;
}

/* The program type of an attachment. */
int probe_plan_prog_type(const struct probe_plan *p, const struct attachment *a)
{
	switch (a->kind) {
	case ATTACH_TRACEPOINT:
		return BPF_PROG_TYPE_TRACEPOINT;
	case ATTACH_RAW_TRACEPOINT:
		return BPF_PROG_TYPE_RAW_TRACEPOINT;
	case ATTACH_LSM:
		return BPF_PROG_TYPE_LSM;
	case ATTACH_FMOD_RET:
		return BPF_PROG_TYPE_TRACING;
	default:
		return syscall_prog_type(p);
	}
}

/* A tracing or LSM program's kernel function (its syscall's, or hook) and attach type. */
static void attach_target(const struct probe_plan *p, const struct attachment *a,
			  struct snoop_function *f)
{
	f->attach = "";
	f->attach_type = 0;
	if (a->kind == ATTACH_LSM) {
		f->attach = a->target;
		f->attach_type = BPF_LSM_MAC;
	} else if (a->kind == ATTACH_FMOD_RET) {
		f->attach = a->target;
		f->attach_type = BPF_MODIFY_RETURN;
	} else if (probe_plan_prog_type(p, a) == BPF_PROG_TYPE_TRACING) {
		f->attach = a->target;
		f->attach_type = a->is_return ? BPF_TRACE_FEXIT : BPF_TRACE_FENTRY;
	}
}

void probe_plan_print_source(const struct probe_plan *p, FILE *out)
{
	fprintf(out, "// %s, %s mode; cflags:", p->tool->name, probe_mode_name(p->mode));
	for (int i = 0; i < p->ncflags; i++)
		fprintf(out, " %s", p->cflags[i]);
	fprintf(out, "\n%s", p->tool->source);
}

/* The functions to take from the compiled module: each attachment's, with its program type. */
void probe_plan_functions(const struct probe_plan *p, struct snoop_function *funcs)
{
	for (size_t i = 0; i < p->nattachments; i++) {
		funcs[i].name = p->attachments[i].func;
		funcs[i].prog_type = (uint32_t)probe_plan_prog_type(p, &p->attachments[i]);
		attach_target(p, &p->attachments[i], &funcs[i]);
	}
}

bool probe_plan_hooks_deny(const struct probe_plan *p)
{
	return p->lsm_active || p->fmod_ret_active;
}
