/*
 * sigsnoop: every signal-sending syscall. The entry keeps its arguments in
 * a hash map keyed by thread; signal:signal_generate, inside the syscall,
 * adds what the kernel did with the signal (and the target of a pidfd);
 * the exit completes the entry with the result and sends one event.
 * With -k, signals the kernel generates itself are sent too; with -D,
 * signal:signal_deliver and sched:sched_process_exit tell when and to
 * which thread each generated signal was delivered, or that its target
 * went away first.
 */
#include "sigsnoop.h"
#include "snoop.bpf.h"

BPF_ARRAY(config, struct sigsnoop_config, 1);

struct sig_start {
	__u64 signal_id;
	__s32 tpid;
	__s32 sig;
	__s32 gen_result;
	__u32 syscall;
	__u32 tpid_known;
	__u32 traced; /* passed the filters */
	char tcomm[SIG_COMM_SIZE];
};

/* Every signal syscall in flight, traced or not, so that no signal it generates passes for the kernel's. */
BPF_HASH(starts, __u32, struct sig_start, 10240);

#define SIGNAL_KILL 9

/* -D: signals generated and not yet delivered, by target task and signal. */
struct pending_key {
	__u32 pid;
	__s32 sig;
};
BPF_HASH(pending, struct pending_key, __u64, SIG_PENDING_MAX);
/* -D: how many pending signals each target task has. */
BPF_HASH(pending_targets, __u32, __u32, SIG_PENDING_MAX);

static __always_inline int signal_syscall_enter(void *ctx, __u32 syscall, int tpid, bool tpid_known,
						int sig)
{
	__u32 zero = 0;
	struct sigsnoop_config *cfg = config.lookup(&zero);
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	__u32 tid = (__u32)pid_tgid;
	struct sig_start start = {};

	if (!cfg)
		return 0;
	start.syscall = syscall;
	start.tpid = tpid;
	start.tpid_known = tpid_known;
	start.sig = sig;
	start.gen_result = SIG_GEN_NONE;
	/* A pidfd's target is known once a signal is generated: filter it at exit. */
	start.traced = in_scope() &&
		       signal_filter_passes(&cfg->filter, scoped_pid_tgid() >> 32,
					    tpid_known ? tpid : cfg->filter.tpid, sig);
	if (starts.update(&tid, &start))
		count_table_full();
	return 0;
}

static __always_inline void track_pending(__u32 target, int sig, __u64 signal_id)
{
	struct pending_key key = { .pid = target, .sig = sig };
	__u32 one = 1, *count;

	if (pending.lookup(&key))
		return;
	if (pending.update(&key, &signal_id)) {
		count_table_full();
		return;
	}
	count = pending_targets.lookup(&target);
	if (count) {
		(*count)++;
	} else if (pending_targets.update(&target, &one)) {
		/* Its exit would not clear the entry: the signal is not followed. */
		pending.delete(&key);
		count_table_full();
	}
}

/* The current task's side of an event: the sender, or the receiver. */
static __always_inline void fill_sender(struct sig_event *ev)
{
	__u64 pid_tgid = scoped_pid_tgid();

	ev->ktime = bpf_ktime_get_ns();
	ev->cgroup_id = current_cgroup_id();
	ev->pid = pid_tgid >> 32;
	ev->tid = (__u32)pid_tgid;
	ev->uid = (__u32)bpf_get_current_uid_gid();
	bpf_get_current_comm(ev->comm, sizeof(ev->comm));
}

static __always_inline int signal_syscall_exit(void *ctx, long ret)
{
	__u32 zero = 0;
	struct sigsnoop_config *cfg = config.lookup(&zero);
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct sig_start *start = starts.lookup(&tid);
	struct sig_event ev = {};

	if (!start)
		return 0;
	ev.signal_id = start->signal_id;
	ev.syscall = start->syscall;
	ev.tpid = start->tpid;
	ev.tpid_known = start->tpid_known;
	ev.sig = start->sig;
	ev.gen_result = start->gen_result;
	__builtin_memcpy(ev.tcomm, start->tcomm, sizeof(ev.tcomm));
	if (!start->traced || !cfg || (cfg->filter.failed_only && ret >= 0) ||
	    (cfg->filter.filter_tpid && (!ev.tpid_known || ev.tpid != cfg->filter.tpid))) {
		starts.delete(&tid);
		return 0;
	}
	starts.delete(&tid);
	ev.kind = SIG_EVENT_SEND;
	ev.ret = ret;
	fill_sender(&ev);
	send_event(ctx, &ev, sizeof(ev));
	return 0;
}

TRACEPOINT_PROBE(signal, signal_generate)
{
	__u32 zero = 0;
	struct sigsnoop_config *cfg = config.lookup(&zero);
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	__u32 tid = (__u32)pid_tgid;
	struct sig_start *start = starts.lookup(&tid);
	__u64 now = bpf_ktime_get_ns();
	struct sig_event ev = {};

	if (!cfg)
		return 0;
	if (start) {
		/* The syscall's own signal; to a process group, the first one. */
		if (start->gen_result != SIG_GEN_NONE)
			return 0;
		start->gen_result = args->result;
		start->signal_id = now;
		bpf_probe_read_kernel(start->tcomm, sizeof(start->tcomm), args->comm);
		/* The tracepoint's PID is the initial namespace's: of no use with --pidns. */
		if (!start->tpid_known && !scope_pidns()) {
			start->tpid = args->pid;
			start->tpid_known = 1;
		}
		if (start->traced && cfg->delivery && args->result == SIG_GEN_DELIVERED)
			track_pending(args->pid, args->sig, now);
		return 0;
	}
	if (!cfg->kernel || cfg->filter.failed_only || !in_scope() ||
	    !signal_filter_passes(&cfg->filter, scoped_pid_tgid() >> 32, args->pid, args->sig))
		return 0;
	ev.kind = SIG_EVENT_SEND;
	ev.syscall = SIG_SYS_KERNEL;
	ev.signal_id = now;
	ev.tpid = args->pid;
	ev.tpid_known = !scope_pidns();
	ev.sig = args->sig;
	ev.gen_result = args->result;
	bpf_probe_read_kernel(ev.tcomm, sizeof(ev.tcomm), args->comm);
	fill_sender(&ev);
	if (cfg->delivery && args->result == SIG_GEN_DELIVERED)
		track_pending(args->pid, args->sig, now);
	send_event(args, &ev, sizeof(ev));
	return 0;
}

static __always_inline void untrack_one(__u32 target)
{
	__u32 *count = pending_targets.lookup(&target);

	/* Not atomic: a count off by one only delays or hastens a "gone". */
	if (count && *count > 1)
		(*count)--;
	else if (count)
		pending_targets.delete(&target);
}

TRACEPOINT_PROBE(signal, signal_deliver)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	/* Sent to this thread, or to its whole process (keyed by the leader). */
	struct pending_key key = { .pid = (__u32)pid_tgid, .sig = args->sig };
	__u64 *signal_id = pending.lookup(&key);
	struct sig_event ev = {};

	if (!signal_id) {
		key.pid = pid_tgid >> 32;
		signal_id = pending.lookup(&key);
	}
	if (signal_id) {
		ev.signal_id = *signal_id;
		pending.delete(&key);
		untrack_one(key.pid);
	} else if (args->sig != SIGNAL_KILL || !pending_targets.lookup(&key.pid)) {
		return 0;
	}
	/*
	 * else a fatal signal is taking the process down: the kernel reports it
	 * as SIGKILL to each thread, and signal_id 0 says "whatever was pending
	 * for this process"; its entries go when it exits.
	 */
	ev.kind = SIG_EVENT_DELIVER;
	ev.sig = args->sig;
	fill_sender(&ev);
	send_event(args, &ev, sizeof(ev));
	return 0;
}

TRACEPOINT_PROBE(sched, sched_process_exit)
{
	__u32 target = args->pid;
	struct sig_event ev = {};

	if (!pending_targets.lookup(&target))
		return 0;
	pending_targets.delete(&target);
	for (int sig = 1; sig <= 64; sig++) {
		struct pending_key key = { .pid = target, .sig = sig };

		pending.delete(&key);
	}
	ev.kind = SIG_EVENT_GONE;
	ev.ktime = bpf_ktime_get_ns();
	ev.cgroup_id = current_cgroup_id();
	/* The exiting task itself, as the senders named it. */
	ev.pid = (__u32)scoped_pid_tgid();
	send_event(args, &ev, sizeof(ev));
	return 0;
}

/* The six syscalls' programs, over signal_syscall_enter and signal_syscall_exit. */
#include "signal_syscalls.bpf.h"
