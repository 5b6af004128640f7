/*
 * ptraceguard: at the entry of every ptrace() call, signal the calling
 * process with bpf_send_signal() before the syscall goes on, and report
 * what was done. Never the guard itself, PID 1 or a kernel thread.
 */
#include "ptraceguard.h"
#include "snoop.bpf.h"

BPF_PERF_OUTPUT(events);
BPF_ARRAY(config, struct ptraceguard_config, 1);
BPF_HASH(allowed, struct guard_comm, __u8, 64);

static __always_inline int guard(void *ctx, unsigned long request, unsigned long target,
				 unsigned long addr)
{
	__u32 zero = 0;
	struct ptraceguard_config *cfg = config.lookup(&zero);
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	struct guard_event ev = {};
	struct guard_comm name = {};

	if (!cfg)
		return 0;
	/* PIDs of the initial namespace: the guard itself, init. */
	if ((pid_tgid >> 32) == cfg->self_tgid || (pid_tgid >> 32) == 1 ||
	    current_is_kernel_thread() || !in_scope())
		return 0;
	pid_tgid = scoped_pid_tgid();
	ev.pid = pid_tgid >> 32;
	ev.ppid = scoped_tgid(current_parent());
	ev.uid = (__u32)bpf_get_current_uid_gid();
	if ((cfg->filter_ppid && ev.ppid != cfg->ppid) || (cfg->filter_uid && ev.uid != cfg->uid))
		return 0;
	ev.ktime = bpf_ktime_get_ns();
	ev.tid = (__u32)pid_tgid;
	ev.request = (long)request;
	ev.target = (long)target;
	ev.signal = cfg->signal;
	bpf_get_current_comm(name.comm, sizeof(name.comm));
	__builtin_memcpy(ev.comm, name.comm, sizeof(ev.comm));
	if (allowed.lookup(&name)) {
		ev.action = GUARD_ALLOWED;
	} else if (cfg->dry_run) {
		ev.action = GUARD_DRY_RUN;
	} else {
		ev.send_ret = bpf_send_signal(cfg->signal);
		ev.action = ev.send_ret ? GUARD_SEND_FAILED : GUARD_SIGNALLED;
	}
	events.perf_submit(ctx, &ev, sizeof(ev));
	return 0;
}

#ifdef SNOOP_TRACEPOINT
TRACEPOINT_PROBE(syscalls, sys_enter_ptrace)
{
	return guard(args, args->request, args->pid, args->addr);
}
#else
SYSCALL_ENTRY_PROBE(ptrace, guard)
#endif
