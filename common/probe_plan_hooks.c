/*
 * The plan's LSM hooks: BPF LSM programs where the kernel runs them, else
 * in the fentry mode fmod_ret programs on the hooks' security_ functions,
 * else none (probe_plan.h's struct snoop_tool says what each means).
 */
#include "probe_plan.h"
#include "probe_plan_steps.h"
#include "btf_fields.h"
#include "kernel_env.h"
#include "status.h"
#include "text.h"

#include <stdio.h>
#include <string.h>

static bool is_lsm(const struct attachment *a)
{
	return a->kind == ATTACH_LSM;
}

/* The programs read the syscall's registers with bpf_task_pt_regs (Linux 5.15). */
#define NO_PT_REGS "no bpf_task_pt_regs helper in this kernel's BTF"

/*
 * Whether the tool's LSM hooks can be used here (SNOOP_LSM): the kernel
 * runs BPF LSM programs, and has bpf_task_pt_regs. Only the list of LSMs
 * is read to show the source. Where they cannot, no_lsm_why says why.
 */
int plan_choose_lsm(struct probe_plan *p, enum snoop_purpose purpose)
{
	if (!p->tool->nlsm_hooks)
		return 0;
	if (!btf_has_name(KERNEL_BTF_PATH, "BPF_FUNC_task_pt_regs"))
		strfmt(p->no_lsm_why, sizeof(p->no_lsm_why), NO_PT_REGS);
	else if (purpose != SNOOP_SHOW_SOURCE)
		kernel_lsm_check(p->tool->lsm_hooks[0], p->no_lsm_why, sizeof(p->no_lsm_why));
	p->lsm_active = !p->no_lsm_why[0];
	return plan_add_cflag(p, "-DSNOOP_LSM=%d", p->lsm_active ? 1 : 0);
}

/* An LSM hook's attachment made an fmod_ret program on its security_ function. */
static int plan_fmod_ret(struct attachment *a)
{
	char hook[FUNC_NAME_LEN];

	a->kind = ATTACH_FMOD_RET;
	return !strfmt(hook, sizeof(hook), "%s", a->target) ||
			       !strfmt(a->target, FUNC_NAME_LEN, "security_%s", hook) ||
			       !strfmt(a->func, FUNC_NAME_LEN, "kmod_ret__%s", a->target)
		       ? -1
		       : 0;
}

/*
 * Where the LSM hooks cannot run, in the fentry mode: the same programs as
 * fmod_ret programs on the hooks' security_ functions (SNOOP_FMOD_RET),
 * which the kernel allows whatever its LSM list says, where they load and
 * the kernel has bpf_task_pt_regs. Else the hooks are left out. -v says
 * which, and why.
 */
int plan_choose_fmod_ret(struct probe_plan *p, enum snoop_purpose purpose)
{
	const struct snoop_tool *t = p->tool;
	char err[256] = "";

	if (!t->nlsm_hooks)
		return 0;
	if (!p->lsm_active) {
		if (p->mode != PROBE_MODE_FENTRY)
			strfmt(err, sizeof(err), "not in the %s mode", probe_mode_name(p->mode));
		else if (!strcmp(p->no_lsm_why, NO_PT_REGS))
			strfmt(err, sizeof(err), NO_PT_REGS);
		else if (purpose != SNOOP_SHOW_SOURCE) {
			char fn[FUNC_NAME_LEN];

			strfmt(fn, sizeof(fn), "security_%s", t->lsm_hooks[0]);
			kernel_fmod_ret_check(fn, err, sizeof(err));
		}
		p->fmod_ret_active = !err[0];
	}
	for (size_t i = 0; p->fmod_ret_active && i < p->nattachments; i++) {
		if (p->attachments[i].kind == ATTACH_LSM && plan_fmod_ret(&p->attachments[i]))
			return -1;
	}
	if (!p->lsm_active && !p->fmod_ret_active)
		plan_drop_attachments(p, is_lsm);
	if (p->verbose && purpose != SNOOP_SHOW_SOURCE) {
		if (p->lsm_active)
			fprintf(stderr, "%s: LSM hooks attached: calls are denied\n", t->name);
		else if (p->fmod_ret_active)
			fprintf(stderr,
				"%s: no LSM hooks (%s); fmod_ret programs on their "
				"security_ functions attached: calls are denied\n",
				t->name, p->no_lsm_why);
		else
			fprintf(stderr,
				"%s: no LSM hooks, calls are signalled: %s; no fmod_ret "
				"programs: %s\n",
				t->name, p->no_lsm_why, err);
	}
	return plan_add_cflag(p, "-DSNOOP_FMOD_RET=%d", p->fmod_ret_active ? 1 : 0);
}

bool probe_plan_hooks_deny(const struct probe_plan *p)
{
	return p->lsm_active || p->fmod_ret_active;
}
