/* What exitsnoop's BPF program and the tool share. */
#ifndef EXITSNOOP_H
#define EXITSNOOP_H

#include "exec_identity.h"
#include "signal_syscalls.h"

#define EXIT_COMM_SIZE 16
/* Fatal signals followed at once, generated and not yet taken (a table's entries). */
#define EXIT_SENDERS_MAX 10240

/* The kernel fields the program reads of an exiting task and of a signal's target (see programs/snoop_fields.h). */
/* clang-format off */
#define EXIT_FIELDS(X)                                                                  \
	X(task_struct, exit_code) X(task_struct, signal) X(signal_struct, live)        \
	X(signal_struct, nr_threads) X(task_struct, pdeath_signal)
/* clang-format on */

/* Why the signal that ended a process was sent. */
enum exit_cause {
	EXIT_CAUSE_NONE,    /* no signal, or its sender unknown (sent before the tool started) */
	EXIT_CAUSE_SYSCALL, /* a process's syscall: kill, tgkill... */
	EXIT_CAUSE_FAULT,   /* the process's own fault (SIGSEGV, SIGBUS, SIGFPE...) */
	EXIT_CAUSE_OOM,	    /* the OOM killer */
	EXIT_CAUSE_PARENT_DEATH, /* its parent died: prctl(PR_SET_PDEATHSIG) */
	EXIT_CAUSE_KERNEL,	 /* another of the kernel's reasons (a timer, a pipe, a tty...) */
};

/* Who sent a signal, as known when it was generated. */
struct exit_sender {
	__u64 ktime;   /* when it was generated */
	__u32 cause;   /* enum exit_cause */
	__u32 syscall; /* enum sig_syscall, with EXIT_CAUSE_SYSCALL */
	__u32 pid;     /* the task that generated it: the sender */
	__u32 tid;
	__u32 uid;
	__s32 code; /* the siginfo's si_code */
	char comm[EXIT_COMM_SIZE];
};

struct exit_event {
	__u64 ktime;	 /* when the task exited (CLOCK_MONOTONIC) */
	__u64 cgroup_id; /* its cgroup (current_cgroup_id) */
	__u64 start_ns;	 /* when it (with per_thread, the thread) started (CLOCK_MONOTONIC) */
	struct exec_identity exec; /* the program that exited */
	__u32 pid;		   /* the process */
	__u32 tid;		   /* the thread that exited (the last, for a process) */
	__u32 ppid;		   /* its parent process */
	__u32 uid;
	__s32 exit_code;  /* as wait() reports it: (status << 8) | core dump 0x80 | signal */
	__u32 has_sender; /* sender holds who sent the signal that ended it */
	char comm[EXIT_COMM_SIZE];
	struct exit_sender sender;
};

/* The options, as the single value of the config map. */
struct exitsnoop_config {
	__u32 pid;	   /* -p: only this process (0: all) */
	__u32 failed_only; /* -x: only a non-zero exit code or a signal */
	__u32 per_thread;  /* --per-thread: each thread's exit */
	__u32 reserved;
};

#endif
