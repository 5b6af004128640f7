/* Events and settings shared by killsnoop.bpf.c and tools/killsnoop/main.c. */
#ifndef KILLSNOOP_H
#define KILLSNOOP_H

#include "signal_filter.h"

#define KILL_COMM_SIZE 16

struct kill_event {
	__u64 ktime;	 /* when kill() returned (CLOCK_MONOTONIC) */
	__u64 cgroup_id; /* the sender's (current_cgroup_id) */
	__u32 pid;	 /* sender's process */
	__u32 tid;	 /* sender's thread */
	__s32 tpid;	 /* target: a PID, -PGID, 0 or -1, as passed to kill() */
	__s32 sig;
	__s32 ret; /* 0 or -errno */
	__u32 uid;
	char comm[KILL_COMM_SIZE];
};

/* Filters, set by user space in the config map before attaching. */
struct killsnoop_config {
	struct signal_filter filter;
};

#endif
