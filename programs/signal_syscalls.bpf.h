/*
 * The entry and exit programs of the six syscalls that send a signal, in
 * every mode. The program that includes this defines first
 *   signal_syscall_enter(ctx, syscall, tpid, tpid_known, sig)
 *     at each entry: syscall an enum sig_syscall, tpid the target as the
 *     call names it (tpid_known 0 for a pidfd), sig the signal;
 *   signal_syscall_exit(ctx, ret)
 *     at each exit, with the syscall's result.
 */
#ifndef SIGNAL_SYSCALLS_BPF_H
#define SIGNAL_SYSCALLS_BPF_H

#include "signal_syscalls.h"

/* The sigqueue tracepoints' formats name siginfo_t, which helpers.h leaves out. */
typedef struct siginfo siginfo_t;

static __always_inline int kill_enter(void *ctx, unsigned long pid, unsigned long sig,
				      unsigned long unused)
{
	return signal_syscall_enter(ctx, SIG_SYS_KILL, (int)pid, true, (int)sig);
}

static __always_inline int tkill_enter(void *ctx, unsigned long tid, unsigned long sig,
				       unsigned long unused)
{
	return signal_syscall_enter(ctx, SIG_SYS_TKILL, (int)tid, true, (int)sig);
}

static __always_inline int tgkill_enter(void *ctx, unsigned long tgid, unsigned long tid,
					unsigned long sig)
{
	return signal_syscall_enter(ctx, SIG_SYS_TGKILL, (int)tid, true, (int)sig);
}

static __always_inline int rt_sigqueueinfo_enter(void *ctx, unsigned long pid, unsigned long sig,
						 unsigned long info)
{
	return signal_syscall_enter(ctx, SIG_SYS_RT_SIGQUEUEINFO, (int)pid, true, (int)sig);
}

static __always_inline int rt_tgsigqueueinfo_enter(void *ctx, unsigned long tgid, unsigned long tid,
						   unsigned long sig)
{
	return signal_syscall_enter(ctx, SIG_SYS_RT_TGSIGQUEUEINFO, (int)tid, true, (int)sig);
}

static __always_inline int pidfd_send_signal_enter(void *ctx, unsigned long pidfd,
						   unsigned long sig, unsigned long info)
{
	return signal_syscall_enter(ctx, SIG_SYS_PIDFD_SEND_SIGNAL, (int)pidfd, false, (int)sig);
}

#if SNOOP_TRACEPOINT
/* The syscalls' exits are alike; their entries take the arguments by name. */
#define SIGNAL_SYSCALL_EXIT(S)                                                                     \
	TRACEPOINT_PROBE(syscalls, sys_exit_##S)                                                   \
	{                                                                                          \
		return signal_syscall_exit(args, args->ret);                                       \
	}

TRACEPOINT_PROBE(syscalls, sys_enter_kill)
{
	return kill_enter(args, args->pid, args->sig, 0);
}
SIGNAL_SYSCALL_EXIT(kill)

TRACEPOINT_PROBE(syscalls, sys_enter_tkill)
{
	return tkill_enter(args, args->pid, args->sig, 0);
}
SIGNAL_SYSCALL_EXIT(tkill)

TRACEPOINT_PROBE(syscalls, sys_enter_tgkill)
{
	return tgkill_enter(args, args->tgid, args->pid, args->sig);
}
SIGNAL_SYSCALL_EXIT(tgkill)

TRACEPOINT_PROBE(syscalls, sys_enter_rt_sigqueueinfo)
{
	return rt_sigqueueinfo_enter(args, args->pid, args->sig, 0);
}
SIGNAL_SYSCALL_EXIT(rt_sigqueueinfo)

TRACEPOINT_PROBE(syscalls, sys_enter_rt_tgsigqueueinfo)
{
	return rt_tgsigqueueinfo_enter(args, args->tgid, args->pid, args->sig);
}
SIGNAL_SYSCALL_EXIT(rt_tgsigqueueinfo)

TRACEPOINT_PROBE(syscalls, sys_enter_pidfd_send_signal)
{
	return pidfd_send_signal_enter(args, args->pidfd, args->sig, 0);
}
SIGNAL_SYSCALL_EXIT(pidfd_send_signal)
#endif
SYSCALL_PROBES(kill, kill_enter, signal_syscall_exit)
SYSCALL_PROBES(tkill, tkill_enter, signal_syscall_exit)
SYSCALL_PROBES(tgkill, tgkill_enter, signal_syscall_exit)
SYSCALL_PROBES(rt_sigqueueinfo, rt_sigqueueinfo_enter, signal_syscall_exit)
SYSCALL_PROBES(rt_tgsigqueueinfo, rt_tgsigqueueinfo_enter, signal_syscall_exit)
SYSCALL_PROBES(pidfd_send_signal, pidfd_send_signal_enter, signal_syscall_exit)

#endif
