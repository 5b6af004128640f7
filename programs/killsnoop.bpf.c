/*
 * killsnoop: kill() calls. The entry stores its arguments in a hash map
 * keyed by thread; the exit completes them with the result and sends one
 * event.
 */
#include "killsnoop.h"
#include "snoop.bpf.h"

BPF_PERF_OUTPUT(events);
BPF_ARRAY(config, struct killsnoop_config, 1);

struct kill_start {
	__s32 tpid;
	__s32 sig;
};

BPF_HASH(starts, __u32, struct kill_start, 10240);

static __always_inline int kill_enter(int tpid, int sig)
{
	__u32 zero = 0;
	struct killsnoop_config *cfg = config.lookup(&zero);
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	__u32 tid = (__u32)pid_tgid;
	struct kill_start start = { .tpid = tpid, .sig = sig };

	if (!cfg || !in_scope() ||
	    !signal_filter_passes(&cfg->filter, scoped_pid_tgid() >> 32, tpid, sig))
		return 0;
	starts.update(&tid, &start);
	return 0;
}

static __always_inline int kill_exit(void *ctx, long ret)
{
	__u32 zero = 0;
	struct killsnoop_config *cfg = config.lookup(&zero);
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	__u32 tid = (__u32)pid_tgid;
	struct kill_start *start = starts.lookup(&tid);
	struct kill_event ev = {};

	if (!start)
		return 0;
	ev.tpid = start->tpid;
	ev.sig = start->sig;
	starts.delete(&tid);
	if (!cfg || (cfg->filter.failed_only && ret >= 0))
		return 0;
	pid_tgid = scoped_pid_tgid();
	ev.ktime = bpf_ktime_get_ns();
	ev.pid = pid_tgid >> 32;
	ev.tid = (__u32)pid_tgid;
	ev.ret = ret;
	ev.uid = (__u32)bpf_get_current_uid_gid();
	bpf_get_current_comm(ev.comm, sizeof(ev.comm));
	events.perf_submit(ctx, &ev, sizeof(ev));
	return 0;
}

#ifdef SNOOP_TRACEPOINT
TRACEPOINT_PROBE(syscalls, sys_enter_kill)
{
	return kill_enter((int)args->pid, (int)args->sig);
}

TRACEPOINT_PROBE(syscalls, sys_exit_kill)
{
	return kill_exit(args, args->ret);
}
#else
static __always_inline int kill_args_enter(void *ctx, unsigned long pid, unsigned long sig,
					   unsigned long unused)
{
	return kill_enter((int)pid, (int)sig);
}

SYSCALL_PROBES(kill, kill_args_enter, kill_exit)
#endif
