/*
 * What ptraceguard-c asks of the runtime: its program, the doors' syscalls
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

/*
 * The doors' numbers for a 32-bit caller (x86's; arm's for arm64's AArch32
 * tasks): the LSM hook tells calls apart by them, and none is a 64-bit
 * syscall's number there.
 */
#define NR_PTRACE_32 26
#define NR_PIDFD_GETFD_32 438
#if defined(__x86_64__)
#define NR_PROCESS_VM_READV_32 347
#define NR_PROCESS_VM_WRITEV_32 348
#else
#define NR_PROCESS_VM_READV_32 376
#define NR_PROCESS_VM_WRITEV_32 377
#endif
/* arm64 has openat and openat2 only. */
#ifdef SYS_open
#define NR_OPEN SYS_open
#else
#define NR_OPEN (-1)
#endif

/* The doors, the calls that need ptrace's attach permission: each traced at its entry. */
static const char *const ptraceguard_syscalls[] = { "ptrace", "process_vm_readv",
						    "process_vm_writev", "pidfd_getfd" };
static const char *const ptraceguard_raw_tracepoints[] = { "signal_generate" };
static const char *const ptraceguard_lsm_hooks[] = { "ptrace_access_check", "ptrace_traceme" };
static const struct snoop_define ptraceguard_defines[] = {
	{ "SNOOP_NR_PTRACE", SYS_ptrace },
	{ "SNOOP_NR_PTRACE_32", NR_PTRACE_32 },
	{ "SNOOP_NR_PROCESS_VM_READV", SYS_process_vm_readv },
	{ "SNOOP_NR_PROCESS_VM_READV_32", NR_PROCESS_VM_READV_32 },
	{ "SNOOP_NR_PROCESS_VM_WRITEV", SYS_process_vm_writev },
	{ "SNOOP_NR_PROCESS_VM_WRITEV_32", NR_PROCESS_VM_WRITEV_32 },
	{ "SNOOP_NR_PIDFD_GETFD", SYS_pidfd_getfd },
	{ "SNOOP_NR_PIDFD_GETFD_32", NR_PIDFD_GETFD_32 },
	{ "SNOOP_NR_OPEN", NR_OPEN },
	{ "SNOOP_NR_OPENAT", SYS_openat },
	{ "SNOOP_NR_OPENAT2", SYS_openat2 },
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
	/* Repairs: SIGCONT or SIGKILL sent through pidfds to processes of any user. */
	.after_attach_needs = AFTER_ATTACH_SIGNALS,
	/* Each event's first field is its kernel time. */
	.event_time = event_time_first_field,
	.ring_buffer_pages = 64,
	.perf_buffer_pages = 16,
};

#endif
