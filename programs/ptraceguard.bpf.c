/*
 * ptraceguard: stop ptrace() callers.
 *
 * Where the kernel runs BPF LSM programs (SNOOP_LSM), the ptrace_access_check
 * and ptrace_traceme hooks refuse PTRACE_ATTACH, PTRACE_SEIZE and
 * PTRACE_TRACEME: the call fails with EPERM, nothing is attached, and the
 * caller goes on. Where there is no LSM, those calls, and everywhere the
 * other calls of a thread that traces someone (the others fail harmlessly),
 * are stopped at the syscall's entry by bpf_send_signal() on the caller,
 * before the kernel acts on it. The call itself still runs: for what it
 * leaves behind (a target stopped by PTRACE_ATTACH's SIGSTOP, the caller's
 * child waiting to be traced), the events tell user space what to repair.
 *
 * Never the guard itself, init (the machine's, or of the guard's PID
 * namespace) or a kernel thread, and never a caller whose target shares its
 * address space (one mm_struct: LeakSanitizer's helper, cloned with CLONE_VM,
 * attaches to its program's threads), as it can read and write all of that
 * memory already. Callers are allowed by the identity of their executable
 * (device and inode), never by a name.
 */
#include "ptraceguard.h"
#include "snoop.bpf.h"

#ifndef SNOOP_BTF_OFFSETS
/* Without BTF, the structs whose fields FIELD_OFFSET reads, from the headers. */
#include <linux/fs.h>
#include <linux/mm_types.h>
#include <linux/sched/signal.h>
SNOOP_HEADER_OFFSETS(GUARD_FIELDS);
#endif

BPF_PERF_OUTPUT(events);
BPF_ARRAY(config, struct ptraceguard_config, 1);
BPF_HASH(allowed, struct guard_exe, __u8, 256);
/* Threads signalled at a PTRACE_ATTACH, for the SIGSTOP the call then sends its target. */
BPF_TABLE("lru_hash", __u32, __u8, attaching, 1024);

/* include/uapi/linux/ptrace.h, include/linux/ptrace.h, include/linux/sched/signal.h */
#define PTRACE_TRACEME 0
#define PTRACE_ATTACH 16
#define PTRACE_SEIZE 0x4206
#define PTRACE_MODE_ATTACH 0x02
#define SIGNAL_STOP_STOPPED 0x00000001
#define SIGSTOP_NUMBER 19
#define EPERM_NUMBER 1
/* The children of the caller looked at for the target. */
#define MAX_CHILDREN 16
/* The threads of the caller's parent, or the caller's tracees, looked at for a target sharing its mm. */
#define MAX_MM_SHARERS 256

static __always_inline struct ptraceguard_config *guard_config(void)
{
	__u32 zero = 0;

	return config.lookup(&zero);
}

/* The guard itself, init (the machine's, or of the guard's PID namespace), a kernel thread. */
static __always_inline bool exempt(const struct ptraceguard_config *cfg)
{
	struct bpf_pidns_info ns = {};

	if ((bpf_get_current_pid_tgid() >> 32) == 1 || current_is_kernel_thread())
		return true;
	/* Fails for a task of another namespace: neither the guard nor its init. */
	if (bpf_get_ns_current_pid_tgid(cfg->self_ns_dev, cfg->self_ns_ino, &ns, sizeof(ns)))
		return false;
	return ns.tgid == cfg->self_tgid || ns.tgid == 1;
}

/* A task's address space (NULL for a kernel thread). */
static __always_inline void *task_mm(void *task)
{
	return read_ptr(task, FIELD_OFFSET(task_struct, mm));
}

/* The file a task runs (mm->exe_file), or NULL. */
static __always_inline void *task_exe(void *task)
{
	void *mm = task_mm(task);

	return mm ? read_ptr(mm, FIELD_OFFSET(mm_struct, exe_file)) : NULL;
}

/* Whether the current task's executable, run by its user, is in --allow. */
static __always_inline bool allowed_caller(const struct ptraceguard_config *cfg, __u32 uid)
{
	void *file = task_exe((void *)bpf_get_current_task());
	void *inode = file ? read_ptr(file, FIELD_OFFSET(file, f_inode)) : NULL;
	void *sb = inode ? read_ptr(inode, FIELD_OFFSET(inode, i_sb)) : NULL;
	struct guard_exe key = { .uid = uid };
	__u32 dev = 0;

	if (!cfg->allow || !sb)
		return false;
	bpf_probe_read_kernel(&dev, sizeof(dev), (char *)sb + FIELD_OFFSET(super_block, s_dev));
	bpf_probe_read_kernel(&key.ino, sizeof(key.ino), (char *)inode + FIELD_OFFSET(inode, i_ino));
	key.dev = dev;
	if (allowed.lookup(&key))
		return true;
	key.uid = GUARD_ANY_UID;
	return allowed.lookup(&key) != NULL;
}

/* The number a task's thread has in the PID namespace at level (as the caller's ptrace() names it). */
static __always_inline __u32 thread_nr(void *task, __u32 level)
{
	char *pid = read_ptr(task, FIELD_OFFSET(task_struct, thread_pid));
	int nr = 0;

	if (pid && level <= 32)
		bpf_probe_read_kernel(&nr, sizeof(nr), pid + FIELD_OFFSET(pid, numbers) + level * UPID_SIZE);
	return (__u32)nr;
}

/*
 * The target, when it is the caller's own child still running the
 * caller's program (strace's child, waiting to be traced before it execs):
 * its PID as the guard numbers it; else 0.
 */
static __always_inline __u32 helper_child(long target)
{
	char *task = (char *)bpf_get_current_task();
	char *head = task + FIELD_OFFSET(task_struct, children), *node, *pid;
	void *exe = task_exe(task);
	__u32 level = pid_level(task, &pid);

	node = read_ptr(head, 0);
#pragma clang loop unroll(disable)
	for (int i = 0; i < MAX_CHILDREN && node && node != head; i++) {
		char *child = node - FIELD_OFFSET(task_struct, sibling);

		if (thread_nr(child, level) == (__u32)target)
			return exe && task_exe(child) == exe ? scoped_tgid(child) : 0;
		node = read_ptr(node, 0);
	}
	return 0;
}

static __always_inline bool attach_request(long request)
{
	return request == PTRACE_ATTACH || request == PTRACE_SEIZE || request == PTRACE_TRACEME;
}

/*
 * Whether thread tid (as PID namespace level numbers it) is on the task
 * list at head, whose node sits at node_offset in each task_struct, and
 * runs in mm. A list longer than MAX_MM_SHARERS is looked at no further.
 */
static __always_inline bool listed_in_mm(char *head, long node_offset, __u32 tid, __u32 level,
					 void *mm)
{
	char *node = read_ptr(head, 0);

#pragma clang loop unroll(disable)
	for (int i = 0; i < MAX_MM_SHARERS && node && node != head; i++) {
		char *task = node - node_offset;

		if (thread_nr(task, level) == tid)
			return task_mm(task) == mm;
		node = read_ptr(node, 0);
	}
	return false;
}

/*
 * Whether the target of the current task's ptrace() call shares its mm, as
 * far as the call's entry can find the target: a request after the attach
 * among the caller's tracees, an attach among its parent's threads (where
 * LeakSanitizer's helper and crash handlers look). A target elsewhere is
 * never taken for one; TRACEME's tracer-to-be never is (the caller's exec
 * would give it a memory of its own, still traced).
 */
static __always_inline bool target_shares_mm(long request, long target)
{
	char *task = (char *)bpf_get_current_task(), *pid, *parent, *signal;
	void *mm = task_mm(task);
	__u32 level = pid_level(task, &pid);

	if (!mm || target <= 0 || request == PTRACE_TRACEME)
		return false;
	if (!attach_request(request))
		return listed_in_mm(task + FIELD_OFFSET(task_struct, ptraced),
				    FIELD_OFFSET(task_struct, ptrace_entry), (__u32)target, level, mm);
	parent = current_parent();
	signal = parent ? read_ptr(parent, FIELD_OFFSET(task_struct, signal)) : NULL;
	return signal && listed_in_mm(signal + FIELD_OFFSET(signal_struct, thread_head),
				      FIELD_OFFSET(task_struct, thread_node), (__u32)target, level, mm);
}

/*
 * Decides about the current task's ptrace() call and reports it. With
 * can_deny (an LSM hook), a call neither allowed nor dry-run is denied;
 * otherwise the caller is signalled. True when denied.
 */
static __always_inline bool guard_call(void *ctx, long request, long target, bool can_deny)
{
	struct ptraceguard_config *cfg = guard_config();
	struct guard_event ev = {};
	__u64 pid_tgid;

	if (!cfg || exempt(cfg) || !in_scope())
		return false;
	pid_tgid = scoped_pid_tgid();
	ev.pid = pid_tgid >> 32;
	ev.ppid = scoped_tgid(current_parent());
	ev.uid = (__u32)bpf_get_current_uid_gid();
	if ((cfg->filter_ppid && ev.ppid != cfg->ppid) || (cfg->filter_uid && ev.uid != cfg->uid))
		return false;
	ev.kind = GUARD_EVENT_CALL;
	ev.ktime = bpf_ktime_get_ns();
	ev.cgroup_id = current_cgroup_id();
	ev.tid = (__u32)pid_tgid;
	ev.request = request;
	ev.target = target;
	ev.signal = cfg->signal;
	bpf_get_current_comm(ev.comm, sizeof(ev.comm));
	if (allowed_caller(cfg, ev.uid)) {
		ev.action = GUARD_ALLOWED;
	} else if (cfg->dry_run) {
		ev.action = GUARD_DRY_RUN;
	} else if (can_deny) {
		ev.action = GUARD_DENIED;
	} else {
		__u32 tid = (__u32)bpf_get_current_pid_tgid();
		__u8 yes = 1;

		ev.send_ret = bpf_send_signal(cfg->signal);
		ev.action = ev.send_ret ? GUARD_SEND_FAILED : GUARD_SIGNALLED;
		if (request == PTRACE_ATTACH && attaching.update(&tid, &yes))
			count_table_full();
		ev.helper = helper_child(target);
	}
	events.perf_submit(ctx, &ev, sizeof(ev));
	return ev.action == GUARD_DENIED;
}

/*
 * Whether the calling thread traces anyone. Every request but ATTACH, SEIZE
 * and TRACEME acts only on the caller's own tracees (ptrace_check_attach),
 * and fails with ESRCH without one: such a call harms no one.
 */
static __always_inline bool has_tracees(void)
{
	char *head = (char *)bpf_get_current_task() + FIELD_OFFSET(task_struct, ptraced);

	return read_ptr(head, 0) != head;
}

/*
 * The syscall's entry: the calls that attach, unless the LSM hooks take
 * them, and the calls of a thread that traces someone.
 */
static __always_inline int guard_entry(void *ctx, unsigned long request, unsigned long target,
				       unsigned long addr)
{
	struct ptraceguard_config *cfg = guard_config();

	if (!cfg || (attach_request((long)request) ? cfg->deny : !has_tracees()) ||
	    target_shares_mm((long)request, (long)target))
		return 0;
	guard_call(ctx, (long)request, (long)target, false);
	return 0;
}

/* The 32-bit entry: its arguments are ints. */
static __always_inline int guard_entry_32(void *ctx, unsigned long request, unsigned long target,
					  unsigned long addr)
{
	return guard_entry(ctx, (long)(int)request, (long)(int)target, addr);
}

#ifdef SNOOP_TRACEPOINT
TRACEPOINT_PROBE(syscalls, sys_enter_ptrace)
{
	return guard_entry(args, args->request, args->pid, args->addr);
}
#if SNOOP_COMPAT_SYS_ENTER
COMPAT_SYSCALL_ENTRY_TRACEPOINT(SNOOP_NR_PTRACE_32, guard_entry_32)
#endif
#else
SYSCALL_ENTRY_PROBE(ptrace, guard_entry)
#ifdef SNOOP_COMPAT_FUNC_ptrace
COMPAT_SYSCALL_ENTRY_PROBE(ptrace, guard_entry_32)
#endif
#endif

/*
 * A signalled caller's PTRACE_ATTACH sends its target SIGSTOP: the target
 * would stay stopped once the killed caller is gone. Reported, with
 * whether it was stopped already, for user space to continue it.
 * args: (sig, info, task, group, result).
 */
RAW_TRACEPOINT_PROBE(signal_generate)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct guard_event ev = {};
	void *task = (void *)ctx->args[2];
	char *signal;
	__u32 flags = 0;

	if ((int)ctx->args[0] != SIGSTOP_NUMBER || !attaching.lookup(&tid))
		return 0;
	attaching.delete(&tid);
	signal = read_ptr(task, FIELD_OFFSET(task_struct, signal));
	if (signal)
		bpf_probe_read_kernel(&flags, sizeof(flags), signal + FIELD_OFFSET(signal_struct, flags));
	ev.kind = GUARD_EVENT_STOPPED;
	ev.ktime = bpf_ktime_get_ns();
	ev.pid = scoped_pid_tgid() >> 32;
	ev.tid = tid;
	ev.helper = scoped_tgid(task);
	ev.was_stopped = flags & SIGNAL_STOP_STOPPED;
	events.perf_submit(ctx, &ev, sizeof(ev));
	return 0;
}

#if SNOOP_LSM
/*
 * PTRACE_ATTACH and PTRACE_SEIZE: a PTRACE_MODE_ATTACH check made inside
 * ptrace(), native or 32-bit (the syscall's number says which: /proc/PID/mem,
 * process_vm_readv and pidfd_getfd make the same check, and are let be).
 */
LSM_PROBE(ptrace_access_check, void *child, unsigned int mode)
{
	void *mm = task_mm((void *)bpf_get_current_task());
	struct pt_regs *regs;
	unsigned long nr = 0;
	long request, target;

	if (!(mode & PTRACE_MODE_ATTACH) || (mm && task_mm(child) == mm))
		return 0;
	regs = current_syscall_regs();
	bpf_probe_read_kernel(&nr, sizeof(nr), &regs->SYSCALL_NR_FIELD);
	if (nr == SNOOP_NR_PTRACE) {
		request = (long)syscall_arg(regs, 0);
		target = (long)syscall_arg(regs, 1);
	} else if (nr == SNOOP_NR_PTRACE_32) {
		request = (long)(int)compat_syscall_arg(regs, 0);
		target = (long)(int)compat_syscall_arg(regs, 1);
	} else {
		return 0;
	}
	return guard_call(ctx, request, target, true) ? -EPERM_NUMBER : 0;
}

LSM_PROBE(ptrace_traceme, void *parent)
{
	return guard_call(ctx, PTRACE_TRACEME, 0, true) ? -EPERM_NUMBER : 0;
}
#endif
