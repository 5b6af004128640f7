/* What ptraceguard's BPF program and the tool share. */
#ifndef PTRACEGUARD_H
#define PTRACEGUARD_H

#define GUARD_COMM_SIZE 16

/* What the guard did about one ptrace() call. */
enum guard_action {
	GUARD_SIGNALLED = 1,	/* bpf_send_signal() succeeded */
	GUARD_SEND_FAILED,	/* it failed; send_ret holds -errno */
	GUARD_DRY_RUN,		/* --dry-run: reported only */
	GUARD_ALLOWED,		/* the caller's name is in --allow */
};

/* The options, as the single value of the config map. */
struct ptraceguard_config {
	__u32 self_tgid;	/* the guard itself, never signalled */
	__u32 signal;
	__u32 dry_run;
	__u32 filter_ppid;
	__u32 ppid;
	__u32 filter_uid;
	__u32 uid;
};

/* Key of the allowed map: a command name, zero padded. */
struct guard_comm {
	char comm[GUARD_COMM_SIZE];
};

struct guard_event {
	__u64 ktime;
	__s64 request;
	__s64 target;
	__u32 pid;
	__u32 tid;
	__u32 ppid;
	__u32 uid;
	__u32 signal;
	__s32 action;
	__s32 send_ret;
	char comm[GUARD_COMM_SIZE];
};

#endif
