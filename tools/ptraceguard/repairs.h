/*
 * What a ptrace() caller that ptraceguard-c signalled leaves behind,
 * repaired once the caller is gone: a target its PTRACE_ATTACH stopped is
 * continued, its own child waiting to be traced (PTRACE_TRACEME) is
 * killed. Processes are held by pidfds, so that a reused PID is never
 * signalled. Time is passed in, so that the waits can be tested.
 */
#ifndef PTRACEGUARD_REPAIRS_H
#define PTRACEGUARD_REPAIRS_H

#include <stdbool.h>
#include <stdio.h>
#include <sys/types.h>

#define MAX_REPAIRS 64 /* targets waiting for their caller to be gone */
/* How long a repair waits for the caller to go, and then for the target to stop. */
#define CALLER_WAIT_NS 10000000000ULL
#define STOP_WAIT_NS 1000000000ULL

/* A repair to make once its caller is gone. */
struct repair {
	bool used;
	bool kill_helper; /* the caller's child waiting to be traced: killed; else continued */
	pid_t target;
	int target_fd;
	int caller_fd;		     /* -1 once the caller is gone */
	unsigned long long since_ns; /* when it was noted, then when the caller was gone */
};

struct repairs {
	FILE *log; /* each repair made is said here (-v); NULL: none */
	struct repair waiting[MAX_REPAIRS];
};

/*
 * Notes that target needs a repair once caller is gone. Returns 0 (a
 * target already gone needs none), or -1 when MAX_REPAIRS are waiting:
 * the target is then left as it is, and the caller says so.
 */
int repairs_note(struct repairs *rs, pid_t caller, pid_t target, bool kill_helper,
		 unsigned long long now_ns);

/*
 * Makes the repairs due at now_ns: for each whose caller is gone, the
 * helper is killed, or the target continued once it shows stopped (its
 * SIGSTOP takes effect as the tracer goes). A repair whose caller is not
 * gone within CALLER_WAIT_NS (it handled the signal, and keeps its
 * tracee), or whose target does not stop within STOP_WAIT_NS, is given up.
 */
void repairs_make(struct repairs *rs, unsigned long long now_ns);

/* How many repairs are waiting. */
int repairs_waiting(const struct repairs *rs);

/* Gives up every repair waiting (the tool's end). */
void repairs_end(struct repairs *rs);

#endif
