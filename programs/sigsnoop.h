/* What sigsnoop's BPF program and the tool share. */
#ifndef SIGSNOOP_H
#define SIGSNOOP_H

#include "signal_filter.h"
#include "signal_syscalls.h"

#define SIG_COMM_SIZE 16
/* -D: signals followed at once, generated and not yet delivered (a table's entries). */
#define SIG_PENDING_MAX 10240

enum sig_event_kind {
	SIG_EVENT_SEND = 1, /* a syscall returned; or a kernel signal (-k) */
	SIG_EVENT_DELIVER,  /* -D: a thread took a pending signal */
	SIG_EVENT_GONE,	    /* -D: a task with pending signals exited */
};

/* The options, as the single value of the config map. */
struct sigsnoop_config {
	struct signal_filter filter;
	__u32 kernel;	/* -k: signals the kernel generates */
	__u32 delivery; /* -D: pair generation and delivery */
};

struct sig_event {
	__u64 ktime;
	__u64 cgroup_id; /* pid's (current_cgroup_id) */
	__u64 signal_id; /* the generation's time; 0 when none */
	__u32 kind;
	__u32 syscall;
	__u32 pid; /* SEND: sender; DELIVER: receiver; GONE: the task */
	__u32 tid;
	__u32 uid;
	__s32 tpid; /* SEND: the target, as passed or as generated */
	__s32 sig;
	__s32 ret;		   /* SEND from a syscall: its result */
	__s32 gen_result;	   /* enum sig_generate_result */
	__u32 tpid_known;	   /* 0: pidfd_send_signal that generated nothing */
	char comm[SIG_COMM_SIZE];  /* sender, or receiver */
	char tcomm[SIG_COMM_SIZE]; /* target, when a signal was generated */
};

#endif
