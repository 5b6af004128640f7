/*
 * What execsnoop-c asks of the runtime: its programs and what they attach
 * to, and the kernel fields they read. Shared with the tests that compile
 * the same programs.
 */
#ifndef EXECSNOOP_TOOL_H
#define EXECSNOOP_TOOL_H

#include "../../common/array_size.h"
#include "../../common/bpf_runtime.h"
#include "../../programs/execsnoop.h"
#include "exec_assembly.h"
#include "execsnoop.bpf.inc"

static const char *const execsnoop_syscalls[] = { "execve", "execveat" };
static const char *const execsnoop_raw_tracepoints[] = { "sched_process_exec" };
/* What the program reads of the new program's arguments and of the file it runs. */
static const struct kernel_field execsnoop_fields[] = { EXECSNOOP_FIELDS(
	KERNEL_FIELD) EXECSNOOP_BTF_ONLY_FIELDS(KERNEL_FIELD) };

static const struct snoop_tool execsnoop_tool = {
	.name = "execsnoop-c",
	.source = execsnoop_bpf_source,
	.syscalls = execsnoop_syscalls,
	.nsyscalls = ARRAY_SIZE(execsnoop_syscalls),
	.syscall_probes = SYSCALL_EXIT_READS_ARGS,
	.compat_syscalls = execsnoop_syscalls,
	.ncompat_syscalls = ARRAY_SIZE(execsnoop_syscalls),
	.raw_tracepoints = execsnoop_raw_tracepoints,
	.nraw_tracepoints = ARRAY_SIZE(execsnoop_raw_tracepoints),
	.exit_tail_call = "failed_args",
	.fields = execsnoop_fields,
	.nfields = ARRAY_SIZE(execsnoop_fields),
	.event_time = exec_event_time,
	.ring_buffer_pages = 4096,
	.perf_buffer_pages = 2048,
};

#endif
