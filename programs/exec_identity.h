/*
 * A program's identity, for lineage: which exec of which process runs it.
 * The process is its initial-namespace PID and start time (the pair is
 * never reused), and the exec the kernel's count of execs, self_exec_id
 * (a child starts from its parent's, each exec adds one). The kernel
 * keeps all three, so every tool reads the same identity of any task at
 * any time, for processes that started before the tool too: an exec's
 * line and its exit's join on it.
 */
#ifndef EXEC_IDENTITY_H
#define EXEC_IDENTITY_H

struct exec_identity {
	__u64 start_ns; /* the process's start (CLOCK_MONOTONIC) */
	__u64 execs;	/* self_exec_id */
	__u32 tgid;	/* its PID in the initial namespace */
	__u32 reserved;
};

#endif
