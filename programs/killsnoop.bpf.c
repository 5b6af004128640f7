/*
 * killsnoop: kill() calls, one event each, sent at the syscall's exit.
 *
 * With SNOOP_EXIT_ARGS (kernels with bpf_task_pt_regs) the exit program is
 * the only one: it reads the arguments back from the caller's saved
 * registers. Elsewhere the entry stores them in a hash map keyed by thread
 * and the exit takes them from there.
 */
#include "killsnoop.h"
#include "snoop.bpf.h"

BPF_ARRAY(config, struct killsnoop_config, 1);

static __always_inline struct killsnoop_config *killsnoop_config(void)
{
	__u32 zero = 0;

	return config.lookup(&zero);
}

/* Whether a call passes the scope and -p, -T, -s (-x needs the result). */
static __always_inline bool kill_wanted(const struct killsnoop_config *cfg, int tpid, int sig)
{
	return in_scope() && signal_filter_passes(&cfg->filter, scoped_pid_tgid() >> 32, tpid, sig);
}

static __always_inline int kill_submit(void *ctx, const struct killsnoop_config *cfg, int tpid,
				       int sig, long ret)
{
	struct kill_event ev = {};
	__u64 pid_tgid;

	if (cfg->filter.failed_only && ret >= 0)
		return 0;
	pid_tgid = scoped_pid_tgid();
	ev.ktime = bpf_ktime_get_ns();
	ev.cgroup_id = current_cgroup_id();
	ev.pid = pid_tgid >> 32;
	ev.tid = (__u32)pid_tgid;
	ev.tpid = tpid;
	ev.sig = sig;
	ev.ret = ret;
	ev.uid = (__u32)bpf_get_current_uid_gid();
	bpf_get_current_comm(ev.comm, sizeof(ev.comm));
	send_event(ctx, &ev, sizeof(ev));
	return 0;
}

#if SNOOP_EXIT_ARGS
static __always_inline int kill_return(void *ctx, struct pt_regs *regs, long ret)
{
	struct killsnoop_config *cfg = killsnoop_config();
	int tpid, sig;

	if (!cfg)
		return 0;
	tpid = (int)syscall_arg(regs, 0);
	sig = (int)syscall_arg(regs, 1);
	if (!kill_wanted(cfg, tpid, sig))
		return 0;
	return kill_submit(ctx, cfg, tpid, sig, ret);
}

#if SNOOP_TRACEPOINT
TRACEPOINT_PROBE(syscalls, sys_exit_kill)
{
	return kill_return(args, current_syscall_regs(), args->ret);
}
#endif
SYSCALL_RETURN_PROBE(kill, kill_return)

#else /* !SNOOP_EXIT_ARGS */
struct kill_start {
	__s32 tpid;
	__s32 sig;
};

BPF_HASH(starts, __u32, struct kill_start, 10240);

static __always_inline int kill_enter(int tpid, int sig)
{
	struct killsnoop_config *cfg = killsnoop_config();
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct kill_start start = { .tpid = tpid, .sig = sig };

	if (cfg && kill_wanted(cfg, tpid, sig) && starts.update(&tid, &start))
		count_table_full();
	return 0;
}

static __always_inline int kill_exit(void *ctx, long ret)
{
	struct killsnoop_config *cfg = killsnoop_config();
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct kill_start *start = starts.lookup(&tid);
	struct kill_start args;

	if (!start)
		return 0;
	args = *start;
	starts.delete(&tid);
	if (!cfg)
		return 0;
	return kill_submit(ctx, cfg, args.tpid, args.sig, ret);
}

#if SNOOP_TRACEPOINT
TRACEPOINT_PROBE(syscalls, sys_enter_kill)
{
	return kill_enter((int)args->pid, (int)args->sig);
}

TRACEPOINT_PROBE(syscalls, sys_exit_kill)
{
	return kill_exit(args, args->ret);
}
#endif
static __always_inline int kill_args_enter(void *ctx, unsigned long pid, unsigned long sig,
					   unsigned long unused)
{
	return kill_enter((int)pid, (int)sig);
}

SYSCALL_PROBES(kill, kill_args_enter, kill_exit)
#endif /* SNOOP_EXIT_ARGS */
