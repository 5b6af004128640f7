/*
 * What the files of the probe plan (probe_plan.c, probe_plan_hooks.c,
 * probe_plan_programs.c) share, and nothing else includes: the steps that
 * fill a plan. Each returns 0, or -1 with the reason in p->err.
 */
#ifndef SNOOP_PROBE_PLAN_STEPS_H
#define SNOOP_PROBE_PLAN_STEPS_H

#include <stdbool.h>

#include "probe_plan.h"

/* Says why in p->err, and returns -1. */
int plan_fail(struct probe_plan *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* A compile flag more; -1 when there is no room. */
int plan_add_cflag(struct probe_plan *p, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Leaves out, in place, the attachments of which is(a) says true. */
void plan_drop_attachments(struct probe_plan *p, bool (*is)(const struct attachment *a));

/* Whether the tool's LSM hooks can run here (SNOOP_LSM); -v says why not. */
int plan_choose_lsm(struct probe_plan *p, enum snoop_purpose purpose);

/* Where they cannot, fmod_ret programs in their place in the fentry mode (SNOOP_FMOD_RET). */
int plan_choose_fmod_ret(struct probe_plan *p, enum snoop_purpose purpose);

/* The BPF function of each syscall attachment, as programs/snoop.bpf.h names it. */
void plan_name_functions(struct probe_plan *p);

#endif
