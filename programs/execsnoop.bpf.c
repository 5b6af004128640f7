/*
 * execsnoop: one event per argument of each execve() at entry, then the
 * return value at exit. How many arguments (--max-args) is read from the
 * config map, so that one compiled program serves every value.
 */
#include "execsnoop.h"
#include "snoop.bpf.h"

BPF_PERF_OUTPUT(events);
BPF_ARRAY(config, struct execsnoop_config, 1);

struct exec_start {
	__u64 exec_id;
	__u32 uid;
};

/*
 * Keyed by thread. LRU, because an exec from a non-leader thread returns
 * under the leader's TID and never deletes its entry.
 */
BPF_TABLE("lru_hash", __u32, struct exec_start, starts, 10240);

/*
 * The entry's ARG events are built here, not on the stack: the verifier
 * walks the argument loop once per slot, and a 200-byte stack frame made
 * every step of that walk (and every comparison of states) costlier.
 */
BPF_PERCPU_ARRAY(arg_events, struct exec_event, 1);

/*
 * No branch: the verifier walks this once per argument slot, and 6.1's
 * gives up on a loop whose body branches ("sequence of 8193 jumps is too
 * complex"). A failed read leaves arg zero-filled (the helper's contract
 * since Linux 5.8).
 * An argument that fills the buffer was cut if its last byte is not the end.
 */
static __always_inline void submit_arg(void *ctx, struct exec_event *ev, const char *argp)
{
	char last = 0;
	long len = read_user_str(ev->arg, sizeof(ev->arg), argp);

	read_user(&last, 1, argp + EXEC_ARG_SIZE - 1);
	ev->flags = (len == EXEC_ARG_SIZE) & (last != 0);
	events.perf_submit(ctx, ev, sizeof(*ev));
	ev->index++;
}

static __always_inline int exec_enter(void *ctx, const char *filename,
				      const char *const *argv)
{
	__u32 zero = 0;
	struct execsnoop_config *cfg = config.lookup(&zero);
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	__u32 tid = (__u32)pid_tgid;
	__u32 uid = (__u32)bpf_get_current_uid_gid();
	struct exec_start start = {};
	struct exec_event *ev = arg_events.lookup(&zero);
	const char *argp = NULL;
	__u32 max_args;

	if (!cfg || !ev || !in_scope())
		return 0;
	max_args = cfg->max_args < EXEC_MAX_ARGS ? cfg->max_args : EXEC_MAX_ARGS;
	if (cfg->filter_uid && uid != cfg->uid)
		return 0;
	if (cfg->filter_ppid && scoped_tgid(current_parent()) != cfg->ppid)
		return 0;

	start.exec_id = bpf_ktime_get_ns();
	start.uid = uid;
	starts.update(&tid, &start);

	pid_tgid = scoped_pid_tgid();
	ev->kind = EXEC_EVENT_ARG;
	ev->exec_id = start.exec_id;
	ev->tgid = pid_tgid >> 32;
	ev->tid = (__u32)pid_tgid;
	ev->index = 0;
	submit_arg(ctx, ev, filename);
	/*
	 * A loop, not unrolled: clang takes twice as long over 128 copies. Its
	 * one exit is the end of argv or of max_args.
	 */
#pragma clang loop unroll(disable)
	for (__u32 i = 1; i < EXEC_MAX_ARGS; i++) {
		argp = NULL;
		read_user(&argp, sizeof(argp), &argv[i]);
		if (!argp || i >= max_args)
			break;
		submit_arg(ctx, ev, argp);
	}
	ev->flags = 0;
	if (argp) {
		argp = NULL;
		read_user(&argp, sizeof(argp), &argv[max_args]);
		if (argp)
			ev->flags = EXEC_ARGS_MORE;
	}
	ev->kind = EXEC_EVENT_ARGS_END;
	events.perf_submit(ctx, ev, EXEC_EVENT_HEADER_SIZE);
	return 0;
}

static __always_inline int exec_exit(void *ctx, long retval)
{
	__u32 zero = 0;
	struct execsnoop_config *cfg = config.lookup(&zero);
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	__u32 tid = (__u32)pid_tgid;
	struct exec_start *start = starts.lookup(&tid);
	struct exec_event ev = {};
	void *parent;

	if (!cfg)
		return 0;
	if (start) {
		ev.exec_id = start->exec_id;
		ev.uid = start->uid;
		starts.delete(&tid);
	} else if (cfg->filter_uid || cfg->filter_ppid || !in_scope()) {
		return 0;	/* filtered out at entry, or entry not seen */
	} else {
		ev.uid = (__u32)bpf_get_current_uid_gid();
	}
	parent = current_parent();
	ev.kind = EXEC_EVENT_RET;
	pid_tgid = scoped_pid_tgid();
	ev.ktime = bpf_ktime_get_ns();
	ev.tgid = pid_tgid >> 32;
	ev.tid = (__u32)pid_tgid;
	ev.retval = retval;
	ev.cpu = bpf_get_smp_processor_id();
	ev.ppid = scoped_tgid(parent);
	bpf_get_current_comm(ev.comm, sizeof(ev.comm));
	task_comm(parent, ev.pcomm);
	events.perf_submit(ctx, &ev, EXEC_EVENT_HEADER_SIZE);
	return 0;
}

#ifdef SNOOP_TRACEPOINT
TRACEPOINT_PROBE(syscalls, sys_enter_execve)
{
	return exec_enter(args, (const char *)args->filename,
			  (const char *const *)args->argv);
}

TRACEPOINT_PROBE(syscalls, sys_exit_execve)
{
	return exec_exit(args, args->ret);
}
#else
static __always_inline int execve_enter(void *ctx, unsigned long filename, unsigned long argv,
					unsigned long envp)
{
	return exec_enter(ctx, (const char *)filename, (const char *const *)argv);
}

SYSCALL_PROBES(execve, execve_enter, exec_exit)
#endif
