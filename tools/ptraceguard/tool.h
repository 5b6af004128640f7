/*
 * What ptraceguard-c asks of the runtime: its program, the ptrace syscall
 * (32-bit calls too), the signal tracepoint, the LSM hooks and the kernel
 * fields it reads. Shared with the tests that compile the same program.
 */
#ifndef PTRACEGUARD_TOOL_H
#define PTRACEGUARD_TOOL_H

#include <sys/syscall.h>

#include "../../common/array_size.h"
#include "../../common/bpf_runtime.h"
#include "../../programs/ptraceguard.h"
#include "ptraceguard.bpf.inc"

/* ptrace's number for a 32-bit caller (x86's and arm's): the LSM hook tells calls apart by it. */
#define NR_PTRACE_32 26

static const char *const ptraceguard_syscalls[] = { "ptrace" };
static const char *const ptraceguard_raw_tracepoints[] = { "signal_generate" };
static const char *const ptraceguard_lsm_hooks[] = { "ptrace_access_check", "ptrace_traceme" };
static const struct snoop_define ptraceguard_defines[] = {
	{ "SNOOP_NR_PTRACE", SYS_ptrace },
	{ "SNOOP_NR_PTRACE_32", NR_PTRACE_32 },
};
static const struct kernel_field ptraceguard_fields[] = { GUARD_FIELDS(KERNEL_FIELD) };

static const struct snoop_tool ptraceguard_tool = {
	.name = "ptraceguard-c",
	.source = ptraceguard_bpf_source,
	.syscalls = ptraceguard_syscalls,
	.nsyscalls = ARRAY_SIZE(ptraceguard_syscalls),
	.syscall_probes = SYSCALL_ENTRY_ONLY,
	.compat_syscalls = ptraceguard_syscalls,
	.ncompat_syscalls = ARRAY_SIZE(ptraceguard_syscalls),
	.raw_tracepoints = ptraceguard_raw_tracepoints,
	.nraw_tracepoints = ARRAY_SIZE(ptraceguard_raw_tracepoints),
	.lsm_hooks = ptraceguard_lsm_hooks,
	.nlsm_hooks = ARRAY_SIZE(ptraceguard_lsm_hooks),
	.defines = ptraceguard_defines,
	.ndefines = ARRAY_SIZE(ptraceguard_defines),
	.fields = ptraceguard_fields,
	.nfields = ARRAY_SIZE(ptraceguard_fields),
	/* A guard guards whatever happens to its output. */
	.output_errors_counted = true,
};

#endif
