/*
 * A tool's descriptor: what it asks of the runtime (its BPF program, the
 * syscalls, tracepoints and hooks the program handles, its buffers and the
 * kernel fields it reads). Each tool's tools/NAME/tool.h fills one.
 */
#ifndef SNOOP_TOOL_H
#define SNOOP_TOOL_H

#include <stdbool.h>
#include <stddef.h>

#include "confine.h"
#include "plan/btf_fields.h"
#include "output/event_order.h"

/* Which programs a tool has for each of its syscalls. */
enum syscall_probes {
	SYSCALL_ENTRY_AND_EXIT,
	SYSCALL_ENTRY_ONLY,
	/*
	 * The exit alone, reading the arguments back from the registers the
	 * syscall was entered with, where the kernel lets programs read them
	 * (bpf_task_pt_regs, Linux 5.15, with BTF): the runtime then sets
	 * SNOOP_EXIT_ARGS=1. Entry and exit elsewhere.
	 */
	SYSCALL_EXIT_READS_ARGS,
};

struct snoop_define {
	const char *name;
	long value;
};

/*
 * What a tool asks of the runtime. For each syscall S the program defines
 * tracepoint__syscalls__sys_enter_S and tracepoint__syscalls__sys_exit_S
 * (TRACEPOINT_PROBE) when SNOOP_TRACEPOINT is 1; and SYSCALL_PROBES(S, ...)
 * or SYSCALL_RETURN_PROBE(S, ...) of programs/snoop.bpf.h defines the
 * kprobe programs where SNOOP_KPROBE is 1 and the fentry ones where
 * SNOOP_FENTRY is: one compile holds every mode the kernel offers.
 */
struct snoop_tool {
	const char *name;
	const char *source;
	const char *const *syscalls;
	size_t nsyscalls;
	enum syscall_probes syscall_probes;
	/*
	 * This run attaches no syscall program: the syscalls still decide
	 * which modes the kernel can do, and the program compiled is the same.
	 */
	bool syscalls_unattached;
	/*
	 * Syscalls whose 32-bit entry points (x86's int $0x80) are traced too,
	 * where the kernel has them: in the kprobe and fentry modes, with
	 * COMPAT_SYSCALL_*_PROBE, under SNOOP_COMPAT_FUNC_S. Syscall
	 * tracepoints never fire for them.
	 */
	const char *const *compat_syscalls;
	size_t ncompat_syscalls;
	/* "category:event" tracepoints the program handles in every mode
	 * (TRACEPOINT_PROBE(category, event)). */
	const char *const *tracepoints;
	size_t ntracepoints;
	/* How many of the last tracepoints this run leaves unattached (compiled all the same). */
	size_t ntracepoints_unattached;
	/* Raw tracepoints the program handles in every mode (RAW_TRACEPOINT_PROBE(event)). */
	const char *const *raw_tracepoints;
	size_t nraw_tracepoints;
	/*
	 * LSM hooks (LSM_PROBE(hook)), attached in every mode where the kernel
	 * runs BPF LSM programs and has bpf_task_pt_regs: then
	 * snoop_bpf_hooks_deny() is true. Elsewhere, in the fentry mode,
	 * fmod_ret programs on their security_ functions where the kernel
	 * takes them (KMOD_RET(security_hook, args..., int ret)), and
	 * snoop_bpf_hooks_deny() is true too. Else neither. Both kinds are
	 * compiled wherever the helper is (SNOOP_LSM, and SNOOP_FMOD_RET where
	 * fentry programs are compiled).
	 */
	const char *const *lsm_hooks;
	size_t nlsm_hooks;
	/* Numbers the program takes as -D NAME=VALUE (constants of the tool, never user input). */
	const struct snoop_define *defines;
	size_t ndefines;
	/*
	 * A guard: a failed write of its output is counted and reported (on
	 * stderr and to syslog), and the programs stay attached until SIGINT
	 * or SIGTERM. Other tools stop when their output is gone.
	 */
	bool output_errors_counted;
	/*
	 * What it does once attached beyond reading events and writing lines
	 * (confine.h's enum after_attach_needs): what its seccomp filter allows
	 * and the capabilities it keeps. 0: none, and no capability.
	 */
	unsigned after_attach_needs;
	/* Each event's kernel time, for the lines in that order (event_order.h); NULL: as read. */
	snoop_event_time_fn event_time;
	/*
	 * With a prefix P, each syscall exit program (of syscall S, or of its
	 * 32-bit entry point) is put in slot 0 of the prog array P_S_calls (or
	 * P_compat_S_calls), to run again by a tail call of itself: kernels let
	 * a tail call go only to a program of the same hook. NULL: none.
	 */
	const char *exit_tail_call;
	/*
	 * The default size of its events' buffer, in pages (--buffer-pages
	 * overrides it): the perf buffer of each CPU (the runtime halves it
	 * on machines with many CPUs), or with --ring-buffer the BPF ring
	 * buffer that every CPU shares. Each a power of two.
	 */
	int ring_buffer_pages;
	int perf_buffer_pages;
	/*
	 * Kernel struct fields the program reads with FIELD_OFFSET, beyond
	 * those programs/snoop.bpf.h reads for every tool.
	 */
	const struct kernel_field *fields;
	size_t nfields;
};

#endif
