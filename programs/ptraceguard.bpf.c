/*
 * ptraceguard: stop ptrace() callers, and every other way into another
 * process that needs ptrace's attach permission (the doors).
 *
 * Where the kernel runs BPF LSM programs (the SNOOP_LSM programs), or else
 * takes fmod_ret programs on their security_ functions in the fentry mode
 * (SNOOP_FMOD_RET: both are compiled where the kernel has bpf_task_pt_regs,
 * and the runtime loads the one it can attach),
 * the ptrace_access_check and ptrace_traceme hooks refuse PTRACE_ATTACH,
 * PTRACE_SEIZE, PTRACE_TRACEME and every other PTRACE_MODE_ATTACH check
 * (process_vm_readv/writev, pidfd_getfd, /proc/PID/mem...): the call fails
 * with EPERM, and the caller goes on. Elsewhere those ptrace calls, process_vm_readv/writev
 * and pidfd_getfd, and everywhere the other calls of a thread that traces
 * someone (the others fail harmlessly), are stopped at the syscall's entry
 * by bpf_send_signal() on the caller, before the kernel acts on it. The
 * call itself still runs, with the signal pending (a SIGKILL stops
 * process_vm_writev before it copies: pinning the target's pages fails): for
 * what a ptrace call leaves behind (a target stopped by PTRACE_ATTACH's
 * SIGSTOP, the caller's child waiting to be traced), the events tell user
 * space what to repair.
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
#include <linux/fdtable.h>
#include <linux/fs.h>
#include <linux/mm_types.h>
#include <linux/sched/signal.h>
SNOOP_HEADER_OFFSETS(GUARD_FIELDS);
#endif

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
#define MAX_MM_SHARERS 128

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
	bpf_probe_read_kernel(&key.ino, sizeof(key.ino),
			      (char *)inode + FIELD_OFFSET(inode, i_ino));
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
		bpf_probe_read_kernel(&nr, sizeof(nr),
				      pid + FIELD_OFFSET(pid, numbers) + level * UPID_SIZE);
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

/* A call through a door, as the guard reports it. */
struct guard_attempt {
	__u32 door;
	__s32 syscall_nr;
	long request; /* ptrace's, else -1 */
	long target;  /* the target's PID, as the caller names it */
};

/*
 * Whether the target of the current task's call shares its mm, as far as
 * the call's entry can find the target, with one walk of a list (the
 * verifier goes through every turn of a loop, in every program): a ptrace
 * request after the attach among the caller's tracees; an attach, or
 * another door's target, among its parent's threads (where LeakSanitizer's
 * helper and crash handlers look). Another door on the caller's own
 * process (its PID or its thread's), which the kernel checks nothing for,
 * is left alone too. A target elsewhere is never taken for one; TRACEME's
 * tracer-to-be never is (the caller's exec would give it a memory of its
 * own, still traced).
 */
static __always_inline bool target_shares_mm(const struct guard_attempt *a)
{
	char *task = (char *)bpf_get_current_task(), *pid, *head, *parent, *signal;
	void *mm = task_mm(task);
	__u32 level = pid_level(task, &pid), target = (__u32)a->target;
	long node_offset;

	if (!mm || a->target <= 0 || (a->door == GUARD_DOOR_PTRACE && a->request == PTRACE_TRACEME))
		return false;
	if (a->door != GUARD_DOOR_PTRACE &&
	    (target == thread_nr(task, level) ||
	     target == thread_nr(read_ptr(task, FIELD_OFFSET(task_struct, group_leader)), level)))
		return true;
	if (a->door == GUARD_DOOR_PTRACE && !attach_request(a->request)) {
		head = task + FIELD_OFFSET(task_struct, ptraced);
		node_offset = FIELD_OFFSET(task_struct, ptrace_entry);
	} else {
		parent = current_parent();
		signal = parent ? read_ptr(parent, FIELD_OFFSET(task_struct, signal)) : NULL;
		if (!signal)
			return false;
		head = signal + FIELD_OFFSET(signal_struct, thread_head);
		node_offset = FIELD_OFFSET(task_struct, thread_node);
	}
	return listed_in_mm(head, node_offset, target, level, mm);
}

/*
 * Decides about the current task's call and reports it. With can_deny (an
 * LSM hook), a call neither allowed nor dry-run is denied; otherwise the
 * caller is signalled. True when denied.
 */
static __always_inline bool guard_call(void *ctx, const struct guard_attempt *a, bool can_deny)
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
	ev.door = a->door;
	ev.syscall_nr = a->syscall_nr;
	ev.request = a->request;
	ev.target = a->target;
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
		if (a->door == GUARD_DOOR_PTRACE) {
			if (a->request == PTRACE_ATTACH && attaching.update(&tid, &yes))
				count_table_full();
			ev.helper = helper_child(a->target);
		}
	}
	send_event(ctx, &ev, sizeof(ev));
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

/* A call's entry where the LSM hooks do not take it: signalled unless its target shares the caller's mm. */
static __always_inline int door_entry(void *ctx, const struct guard_attempt *a)
{
	if (!target_shares_mm(a))
		guard_call(ctx, a, false);
	return 0;
}

/*
 * ptrace's entry: the calls that attach, unless the LSM hooks take them,
 * and the calls of a thread that traces someone.
 */
static __always_inline int ptrace_entry(void *ctx, __s32 nr, long request, long target)
{
	struct ptraceguard_config *cfg = guard_config();
	struct guard_attempt a = { GUARD_DOOR_PTRACE, nr, request, target };

	if (!cfg || (attach_request(request) ? cfg->deny : !has_tracees()))
		return 0;
	return door_entry(ctx, &a);
}

/*
 * pidfd_getfd's target: the process of the caller's descriptor fd, as PID
 * namespace level numbers it; 0 when fd is no open file. A pidfd's struct
 * pid is its inode's (pidfs, Linux 6.9), or its file's (an anonymous
 * inode before).
 */
static __always_inline long pidfd_target(long fd)
{
	char *task = (char *)bpf_get_current_task(), *files, *fdt, *fds, *file, *inode, *pid;
	__u32 level = pid_level(task, &pid);
	unsigned int max_fds = 0;
	int nr = 0;

	files = read_ptr(task, FIELD_OFFSET(task_struct, files));
	fdt = files ? read_ptr(files, FIELD_OFFSET(files_struct, fdt)) : NULL;
	if (!fdt || fd < 0 || level > 32)
		return 0;
	bpf_probe_read_kernel(&max_fds, sizeof(max_fds), fdt + FIELD_OFFSET(fdtable, max_fds));
	if (fd >= max_fds)
		return 0;
	fds = read_ptr(fdt, FIELD_OFFSET(fdtable, fd));
	file = fds ? read_ptr(fds, fd * sizeof(void *)) : NULL;
	if (!file)
		return 0;
	inode = read_ptr(file, FIELD_OFFSET(file, f_inode));
	pid = inode ? read_ptr(inode, FIELD_OFFSET(inode, i_private)) : NULL;
	if (!pid)
		pid = read_ptr(file, FIELD_OFFSET(file, private_data));
	if (pid)
		bpf_probe_read_kernel(&nr, sizeof(nr),
				      pid + FIELD_OFFSET(pid, numbers) + level * UPID_SIZE);
	return nr;
}

/* process_vm_readv/writev (pid, ...) and pidfd_getfd (pidfd, ...), unless the LSM hooks take them. */
static __always_inline int other_door_entry(void *ctx, __u32 door, __s32 nr, long first_arg)
{
	struct ptraceguard_config *cfg = guard_config();
	struct guard_attempt a = { door, nr, -1, first_arg };

	if (!cfg || cfg->deny)
		return 0;
	if (door == GUARD_DOOR_PIDFD_GETFD)
		a.target = pidfd_target(first_arg);
	return door_entry(ctx, &a);
}

static __always_inline int ptrace_enter(void *ctx, unsigned long request, unsigned long target,
					unsigned long addr)
{
	return ptrace_entry(ctx, SNOOP_NR_PTRACE, (long)request, (long)target);
}

/*
 * DOOR_ENTER(name, door, nr): name(ctx, arg0, arg1, arg2), the entry of a
 * door but ptrace, syscall number nr (native or 32-bit), whose first
 * argument says the target (an int).
 */
#define DOOR_ENTER(name, door, nr)                                                                 \
	static __always_inline int name(void *ctx, unsigned long arg0, unsigned long arg1,         \
					unsigned long arg2)                                        \
	{                                                                                          \
		return other_door_entry(ctx, door, nr, (int)arg0);                                 \
	}
DOOR_ENTER(vm_readv_enter, GUARD_DOOR_VM_READV, SNOOP_NR_PROCESS_VM_READV)
DOOR_ENTER(vm_writev_enter, GUARD_DOOR_VM_WRITEV, SNOOP_NR_PROCESS_VM_WRITEV)
DOOR_ENTER(pidfd_getfd_enter, GUARD_DOOR_PIDFD_GETFD, SNOOP_NR_PIDFD_GETFD)
DOOR_ENTER(vm_readv_enter_32, GUARD_DOOR_VM_READV, SNOOP_NR_PROCESS_VM_READV_32)
DOOR_ENTER(vm_writev_enter_32, GUARD_DOOR_VM_WRITEV, SNOOP_NR_PROCESS_VM_WRITEV_32)
DOOR_ENTER(pidfd_getfd_enter_32, GUARD_DOOR_PIDFD_GETFD, SNOOP_NR_PIDFD_GETFD_32)

/* ptrace's 32-bit entry: its arguments are ints. */
static __always_inline int ptrace_enter_32(void *ctx, unsigned long request, unsigned long target,
					   unsigned long addr)
{
	return ptrace_entry(ctx, SNOOP_NR_PTRACE_32, (int)request, (int)target);
}

#if SNOOP_TRACEPOINT
TRACEPOINT_PROBE(syscalls, sys_enter_ptrace)
{
	return ptrace_enter(args, args->request, args->pid, args->addr);
}

TRACEPOINT_PROBE(syscalls, sys_enter_process_vm_readv)
{
	return vm_readv_enter(args, args->pid, 0, 0);
}

TRACEPOINT_PROBE(syscalls, sys_enter_process_vm_writev)
{
	return vm_writev_enter(args, args->pid, 0, 0);
}

TRACEPOINT_PROBE(syscalls, sys_enter_pidfd_getfd)
{
	return pidfd_getfd_enter(args, args->pidfd, 0, 0);
}

#if SNOOP_COMPAT_SYS_ENTER
static __always_inline int compat_enter(void *ctx, unsigned long nr, struct pt_regs *regs)
{
	unsigned long arg0;

	if (nr != SNOOP_NR_PTRACE_32 && nr != SNOOP_NR_PROCESS_VM_READV_32 &&
	    nr != SNOOP_NR_PROCESS_VM_WRITEV_32 && nr != SNOOP_NR_PIDFD_GETFD_32)
		return 0;
	if (!compat_syscall_running())
		return 0;
	arg0 = compat_syscall_arg(regs, 0);
	if (nr == SNOOP_NR_PTRACE_32)
		return ptrace_enter_32(ctx, arg0, compat_syscall_arg(regs, 1), 0);
	if (nr == SNOOP_NR_PROCESS_VM_READV_32)
		return vm_readv_enter_32(ctx, arg0, 0, 0);
	if (nr == SNOOP_NR_PROCESS_VM_WRITEV_32)
		return vm_writev_enter_32(ctx, arg0, 0, 0);
	return pidfd_getfd_enter_32(ctx, arg0, 0, 0);
}
COMPAT_SYSCALLS_ENTRY_TRACEPOINT(compat_enter)
#endif
#endif
SYSCALL_ENTRY_PROBE(ptrace, ptrace_enter)
SYSCALL_ENTRY_PROBE(process_vm_readv, vm_readv_enter)
SYSCALL_ENTRY_PROBE(process_vm_writev, vm_writev_enter)
SYSCALL_ENTRY_PROBE(pidfd_getfd, pidfd_getfd_enter)
#ifdef SNOOP_COMPAT_FUNC_ptrace
COMPAT_SYSCALL_ENTRY_PROBE(ptrace, ptrace_enter_32)
#endif
#ifdef SNOOP_COMPAT_FUNC_process_vm_readv
COMPAT_SYSCALL_ENTRY_PROBE(process_vm_readv, vm_readv_enter_32)
#endif
#ifdef SNOOP_COMPAT_FUNC_process_vm_writev
COMPAT_SYSCALL_ENTRY_PROBE(process_vm_writev, vm_writev_enter_32)
#endif
#ifdef SNOOP_COMPAT_FUNC_pidfd_getfd
COMPAT_SYSCALL_ENTRY_PROBE(pidfd_getfd, pidfd_getfd_enter_32)
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
		bpf_probe_read_kernel(&flags, sizeof(flags),
				      signal + FIELD_OFFSET(signal_struct, flags));
	ev.kind = GUARD_EVENT_STOPPED;
	ev.ktime = bpf_ktime_get_ns();
	ev.pid = scoped_pid_tgid() >> 32;
	ev.tid = tid;
	ev.helper = scoped_tgid(task);
	ev.was_stopped = flags & SIGNAL_STOP_STOPPED;
	send_event(ctx, &ev, sizeof(ev));
	return 0;
}

#if SNOOP_LSM || SNOOP_FMOD_RET
/* The number of the syscall the current task is in, from its saved user registers. */
static __always_inline unsigned long syscall_nr(struct pt_regs *regs)
{
	unsigned long nr = 0;

	bpf_probe_read_kernel(&nr, sizeof(nr), &regs->SYSCALL_NR_FIELD);
	return nr;
}

/* The door of a PTRACE_MODE_ATTACH check made in syscall nr (native or 32-bit), but for ptrace. */
static __always_inline __u32 door_of_syscall(unsigned long nr)
{
	if (nr == SNOOP_NR_PROCESS_VM_READV || nr == SNOOP_NR_PROCESS_VM_READV_32)
		return GUARD_DOOR_VM_READV;
	if (nr == SNOOP_NR_PROCESS_VM_WRITEV || nr == SNOOP_NR_PROCESS_VM_WRITEV_32)
		return GUARD_DOOR_VM_WRITEV;
	if (nr == SNOOP_NR_PIDFD_GETFD || nr == SNOOP_NR_PIDFD_GETFD_32)
		return GUARD_DOOR_PIDFD_GETFD;
	/* Opening /proc/PID/mem checks; reading it does not. */
	if (nr == SNOOP_NR_OPEN || nr == SNOOP_NR_OPENAT || nr == SNOOP_NR_OPENAT2)
		return GUARD_DOOR_PROC_MEM;
	return GUARD_DOOR_OTHER;
}

/*
 * Every PTRACE_MODE_ATTACH check but of a target sharing the caller's mm:
 * ptrace's PTRACE_ATTACH and SEIZE (the syscall's number, native or
 * 32-bit, says it is ptrace: its arguments are reported), and every other
 * door (the target reported as the caller's namespace numbers it). Checks
 * in READ mode (/proc/PID/environ, stat...) pass. Returns 0, or -EPERM.
 */
static __always_inline int access_check(void *ctx, void *child, unsigned int mode)
{
	char *task = (char *)bpf_get_current_task(), *pid;
	void *mm = task_mm(task);
	struct guard_attempt a = { .request = -1 };
	struct pt_regs *regs;
	unsigned long nr;

	if (!(mode & PTRACE_MODE_ATTACH) || (mm && task_mm(child) == mm))
		return 0;
	regs = current_syscall_regs();
	nr = syscall_nr(regs);
	a.syscall_nr = (__s32)nr;
	if (nr == SNOOP_NR_PTRACE) {
		a.door = GUARD_DOOR_PTRACE;
		a.request = (long)syscall_arg(regs, 0);
		a.target = (long)syscall_arg(regs, 1);
	} else if (nr == SNOOP_NR_PTRACE_32) {
		a.door = GUARD_DOOR_PTRACE;
		a.request = (long)(int)compat_syscall_arg(regs, 0);
		a.target = (long)(int)compat_syscall_arg(regs, 1);
	} else {
		a.door = door_of_syscall(nr);
		a.target = thread_nr(child, pid_level(task, &pid));
	}
	return guard_call(ctx, &a, true) ? -EPERM_NUMBER : 0;
}

/* PTRACE_TRACEME: 0, or -EPERM. */
static __always_inline int traceme_check(void *ctx)
{
	struct guard_attempt a = { GUARD_DOOR_PTRACE, (__s32)syscall_nr(current_syscall_regs()),
				   PTRACE_TRACEME, 0 };

	return guard_call(ctx, &a, true) ? -EPERM_NUMBER : 0;
}
#endif

#if SNOOP_LSM
LSM_PROBE(ptrace_access_check, void *child, unsigned int mode)
{
	return access_check(ctx, child, mode);
}

LSM_PROBE(ptrace_traceme, void *parent)
{
	return traceme_check(ctx);
}
#endif

#if SNOOP_FMOD_RET
/*
 * In the fentry mode where the kernel runs no BPF LSM programs: the hooks' security_ functions, whose return
 * value an fmod_ret program may set (ret: an earlier one's, 0 if none),
 * the function then skipped.
 */
KMOD_RET(security_ptrace_access_check, void *child, unsigned int mode, int ret)
{
	return ret ? ret : access_check(ctx, child, mode);
}

KMOD_RET(security_ptrace_traceme, void *parent, int ret)
{
	return ret ? ret : traceme_check(ctx);
}
#endif
