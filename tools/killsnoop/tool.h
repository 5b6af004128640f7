/*
 * What killsnoop-c asks of the runtime: its program and the syscall it
 * traces. Shared with the tests that compile the same program.
 */
#ifndef KILLSNOOP_TOOL_H
#define KILLSNOOP_TOOL_H

#include "../../common/array_size.h"
#include "../../common/bpf_runtime.h"
#include "../../programs/killsnoop.h"
#include "killsnoop.bpf.inc"

static const char *const killsnoop_syscalls[] = { "kill" };

static const struct snoop_tool killsnoop_tool = {
	.name = "killsnoop-c",
	.source = killsnoop_bpf_source,
	.syscalls = killsnoop_syscalls,
	.nsyscalls = ARRAY_SIZE(killsnoop_syscalls),
	.syscall_probes = SYSCALL_EXIT_READS_ARGS,
	/* Each event's first field is its kernel time. */
	.event_time = event_time_first_field,
	.ring_buffer_pages = 4096,
	.perf_buffer_pages = 2048,
};

#endif
