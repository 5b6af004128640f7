/*
 * What sigsnoop-c asks of the runtime: its program, the six syscalls that
 * send signals and the signal tracepoints. Shared with the tests that
 * compile the same program.
 */
#ifndef SIGSNOOP_TOOL_H
#define SIGSNOOP_TOOL_H

#include "../../common/array_size.h"
#include "../../common/bpf_runtime.h"
#include "../../programs/sigsnoop.h"
#include "sigsnoop.bpf.inc"

/* Indexed by enum sig_syscall. */
static const char *const sigsnoop_syscalls[] = { SIGNAL_SYSCALL_NAMES };
#define SIGSNOOP_NSYSCALLS (ARRAY_SIZE(sigsnoop_syscalls))

/* Every run attaches the first; -D (delivery) all of them. */
static const char *const sigsnoop_tracepoints[] = { "signal:signal_generate",
						    "signal:signal_deliver",
						    "sched:sched_process_exit" };
#define SIGSNOOP_TRACEPOINTS_ALWAYS 1

/* sigsnoop-c -D; without -D, it leaves all but SIGSNOOP_TRACEPOINTS_ALWAYS unattached. */
static const struct snoop_tool sigsnoop_tool = {
	.name = "sigsnoop-c",
	.source = sigsnoop_bpf_source,
	.syscalls = sigsnoop_syscalls,
	.nsyscalls = SIGSNOOP_NSYSCALLS,
	.tracepoints = sigsnoop_tracepoints,
	.ntracepoints = ARRAY_SIZE(sigsnoop_tracepoints),
	/* Each event's first field is its kernel time. */
	.event_time = event_time_first_field,
	.ring_buffer_pages = 4096,
	.perf_buffer_pages = 2048,
};

#endif
