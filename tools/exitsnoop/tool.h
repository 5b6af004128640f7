/*
 * What exitsnoop-c asks of the runtime: its program, the six syscalls that
 * send signals (to name the one that sent a fatal signal), the tracepoints
 * of signals and exits, and the kernel fields it reads. Shared with the
 * tests that compile the same program.
 */
#ifndef EXITSNOOP_TOOL_H
#define EXITSNOOP_TOOL_H

#include "../../common/array_size.h"
#include "../../common/bpf_runtime.h"
#include "../../programs/exitsnoop.h"
#include "exitsnoop.bpf.inc"

/* Indexed by enum sig_syscall. */
static const char *const exitsnoop_syscalls[] = { SIGNAL_SYSCALL_NAMES };
#define EXITSNOOP_NSYSCALLS (ARRAY_SIZE(exitsnoop_syscalls))

static const char *const exitsnoop_tracepoints[] = { "sched:sched_process_exit",
						     "signal:signal_deliver", "oom:mark_victim" };
static const char *const exitsnoop_raw_tracepoints[] = { "signal_generate" };
static const struct kernel_field exitsnoop_fields[] = { EXIT_FIELDS(KERNEL_FIELD) };

static const struct snoop_tool exitsnoop_tool = {
	.name = "exitsnoop-c",
	.source = exitsnoop_bpf_source,
	.syscalls = exitsnoop_syscalls,
	.nsyscalls = EXITSNOOP_NSYSCALLS,
	.tracepoints = exitsnoop_tracepoints,
	.ntracepoints = ARRAY_SIZE(exitsnoop_tracepoints),
	.raw_tracepoints = exitsnoop_raw_tracepoints,
	.nraw_tracepoints = ARRAY_SIZE(exitsnoop_raw_tracepoints),
	.fields = exitsnoop_fields,
	.nfields = ARRAY_SIZE(exitsnoop_fields),
	/* Each event's first field is its kernel time. */
	.event_time = event_time_first_field,
	.ring_buffer_pages = 1024,
	.perf_buffer_pages = 256,
};

#endif
