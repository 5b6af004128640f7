/* What sigsnoop's BPF program and the tool share. */
#ifndef SIGSNOOP_H
#define SIGSNOOP_H

#include "signal_filter.h"

#define SIG_COMM_SIZE 16
/* -D: signals followed at once, generated and not yet delivered (a table's entries). */
#define SIG_PENDING_MAX 10240

/* The traced syscalls, in the order the tool lists them. */
enum sig_syscall {
	SIG_SYS_KILL,
	SIG_SYS_TKILL,
	SIG_SYS_TGKILL,
	SIG_SYS_RT_SIGQUEUEINFO,
	SIG_SYS_RT_TGSIGQUEUEINFO,
	SIG_SYS_PIDFD_SEND_SIGNAL,
	SIG_SYS_KERNEL,		/* no syscall: the kernel generated the signal */
};

enum sig_event_kind {
	SIG_EVENT_SEND = 1,	/* a syscall returned; or a kernel signal (-k) */
	SIG_EVENT_DELIVER,	/* -D: a thread took a pending signal */
	SIG_EVENT_GONE,		/* -D: a task with pending signals exited */
};

/* signal:signal_generate's result (include/trace/events/signal.h). */
enum sig_generate_result {
	SIG_GEN_NONE = -1,	/* no signal was generated (failure, or signal 0) */
	SIG_GEN_DELIVERED = 0,	/* queued: it waits for a thread to take it */
	SIG_GEN_IGNORED,
	SIG_GEN_ALREADY_PENDING,
	SIG_GEN_OVERFLOW_FAIL,
	SIG_GEN_LOSE_INFO,	/* queued without its siginfo */
};

/* The options, as the single value of the config map. */
struct sigsnoop_config {
	struct signal_filter filter;
	__u32 kernel;		/* -k: signals the kernel generates */
	__u32 delivery;		/* -D: pair generation and delivery */
};

struct sig_event {
	__u64 ktime;
	__u64 cgroup_id;	/* pid's (current_cgroup_id) */
	__u64 signal_id;	/* the generation's time; 0 when none */
	__u32 kind;
	__u32 syscall;
	__u32 pid;		/* SEND: sender; DELIVER: receiver; GONE: the task */
	__u32 tid;
	__u32 uid;
	__s32 tpid;		/* SEND: the target, as passed or as generated */
	__s32 sig;
	__s32 ret;		/* SEND from a syscall: its result */
	__s32 gen_result;	/* enum sig_generate_result */
	__u32 tpid_known;	/* 0: pidfd_send_signal that generated nothing */
	char comm[SIG_COMM_SIZE];	/* sender, or receiver */
	char tcomm[SIG_COMM_SIZE];	/* target, when a signal was generated */
};

#endif
