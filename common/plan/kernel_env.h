/*
 * The cheap probes of the running kernel that common/plan/kernel_facts.c
 * makes (file systems mounted, files present, /proc/kallsyms read), and
 * the kallsyms line reader that a compile's narrowed kallsyms uses too
 * (common/load/compile.c).
 */
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

/*
 * Mounts a file system of type at target unless probe exists. Returns 0,
 * or -1 with err set (and errno the mount's).
 */
int mount_if_missing(const char *probe, const char *type, const char *target, char *err,
		     size_t errlen);

/* True when the syscalls:sys_enter_NAME tracepoint exists. */
bool kernel_has_syscall_tracepoint(const char *syscall);

/* True when the kernel can create kprobes (kprobe PMU or kprobe_events). */
bool kernel_has_kprobes(void);

/*
 * The symbol's name in a line of /proc/kallsyms ("ADDRESS TYPE NAME", then
 * a tab and "[MODULE]" for a module's), ended in place; NULL when the line
 * has no name. No sscanf: a pass reads over 100,000 lines.
 */
const char *kallsyms_line_name(char *line);

/* A syscall and the kernel functions behind it, for kprobes and fentry. */
struct syscall_function {
	const char *syscall; /* "execve" */
	char fn[128];	     /* __x64_sys_execve, or sys_execve; "" when none */
	bool wrapper;	     /* fn takes the user's struct pt_regs (arch wrapper) */
	/*
	 * Its 32-bit entry point on a 64-bit kernel (IA32 emulation, arm64's
	 * AArch32): __ia32_compat_sys_execve, or __ia32_sys_kill where the
	 * syscall needs no compat form; "" when the kernel has none.
	 */
	char compat_fn[128];
};

/*
 * Fills fn, wrapper and compat_fn of each syscall from a kallsyms file, in
 * one pass: the architecture wrapper (__x64_sys_NAME) when there is one,
 * else sys_NAME. Returns 0, or -1 when the file cannot be read.
 */
int syscall_kernel_functions(const char *kallsyms, struct syscall_function *sf, size_t n);

#endif
