/* What the running kernel offers for tracing, and making it reachable. */
#ifndef SNOOP_KERNEL_ENV_H
#define SNOOP_KERNEL_ENV_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Mounts tracefs at /sys/kernel/tracing and debugfs at /sys/kernel/debug
 * when they are not mounted: libbcc 0.26 reads tracepoint formats and ids
 * under /sys/kernel/debug/tracing. Returns 0, or -1 with err set.
 */
int tracing_fs_prepare(char *err, size_t errlen);

/* True when the syscalls:sys_enter_NAME tracepoint exists. */
bool kernel_has_syscall_tracepoint(const char *syscall);

/* True when the kernel can create kprobes (kprobe PMU or kprobe_events). */
bool kernel_has_kprobes(void);

/*
 * Whether fentry/fexit programs can trace kernel function fn: loads a
 * do-nothing fentry program on it and attaches it for a moment. Returns 0,
 * or -1 with err saying what the kernel refused.
 */
int kernel_fentry_check(const char *fn, char *err, size_t errlen);

/*
 * The kernel function that implements a syscall, as /proc/kallsyms names it
 * (__x64_sys_execve, or sys_execve on kernels without syscall wrappers).
 * *wrapper says whether its only argument is the user's struct pt_regs.
 * Returns 0, or -1 when no such function exists.
 */
int syscall_kernel_function(const char *kallsyms, const char *syscall, char *fn, size_t len,
			    bool *wrapper);

#endif
