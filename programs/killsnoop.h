/* Events and settings shared by killsnoop.bpf.c and tools/killsnoop.c. */
#ifndef KILLSNOOP_H
#define KILLSNOOP_H

#define KILL_COMM_SIZE 16

struct kill_event {
	__u64 ktime;		/* when kill() returned (CLOCK_MONOTONIC) */
	__u32 pid;		/* sender's process */
	__u32 tid;		/* sender's thread */
	__s32 tpid;		/* target: a PID, -PGID, 0 or -1, as passed to kill() */
	__s32 sig;
	__s32 ret;		/* 0 or -errno */
	__u32 uid;
	char comm[KILL_COMM_SIZE];
};

/* Filters, set by user space in the config map before attaching. */
struct killsnoop_config {
	__u64 signals[2];	/* bit n of the 128: signal n is traced */
	__u32 pid;
	__s32 tpid;
	__u8 filter_pid;
	__u8 filter_tpid;
	__u8 filter_signals;
	__u8 failed_only;
	__u32 reserved;
};

#endif
