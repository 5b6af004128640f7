/*
 * The six syscalls that send a signal, as the programs that follow them
 * (sigsnoop, exitsnoop) and their tools number and name them, and what
 * signal:signal_generate says of a signal.
 */
#ifndef SIGNAL_SYSCALLS_H
#define SIGNAL_SYSCALLS_H

/* In the order of SIGNAL_SYSCALL_NAMES. */
enum sig_syscall {
	SIG_SYS_KILL,
	SIG_SYS_TKILL,
	SIG_SYS_TGKILL,
	SIG_SYS_RT_SIGQUEUEINFO,
	SIG_SYS_RT_TGSIGQUEUEINFO,
	SIG_SYS_PIDFD_SEND_SIGNAL,
	SIG_SYS_KERNEL, /* no syscall: the kernel generated the signal */
};

/* The tools' list of syscalls to trace, indexed by enum sig_syscall. */
#define SIGNAL_SYSCALL_NAMES                                                                       \
	"kill", "tkill", "tgkill", "rt_sigqueueinfo", "rt_tgsigqueueinfo", "pidfd_send_signal"

/* signal:signal_generate's result (include/trace/events/signal.h). */
enum sig_generate_result {
	SIG_GEN_NONE = -1,     /* no signal was generated (failure, or signal 0) */
	SIG_GEN_DELIVERED = 0, /* queued: it waits for a thread to take it */
	SIG_GEN_IGNORED,
	SIG_GEN_ALREADY_PENDING,
	SIG_GEN_OVERFLOW_FAIL,
	SIG_GEN_LOSE_INFO, /* queued without its siginfo */
};

#endif
