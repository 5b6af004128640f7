/*
 * Shared by every snoop-c program: the kprobe and fentry programs of a
 * syscall, and reading task_struct fields at offsets the tool took from the
 * running kernel's BTF (FIELD_OFFSET).
 */
#ifndef SNOOP_BPF_H
#define SNOOP_BPF_H

#include "exec_identity.h"
#include "scope.h"
#include "signal_filter.h"
#include "snoop_fields.h"

#define TASK_COMM_SIZE 16

/*
 * bpf_probe_read_user() and bpf_probe_read_user_str() under other names.
 * For every call written with those names, libbcc's rewriter (0.26) checks
 * that the kernel has the helper by rebuilding a table of all the kernel's
 * symbols, over 100,000 here: 60-80 ms of compile time per call. Every
 * kernel these programs load on (5.7 or later) has both helpers.
 */
static long (*read_user)(void *dst, __u32 size,
			 const void *user_src) = (void *)BPF_FUNC_probe_read_user;
static long (*read_user_str)(void *dst, __u32 size,
			     const void *user_src) = (void *)BPF_FUNC_probe_read_user_str;

#include <uapi/linux/ptrace.h>

/*
 * How many updates a full BPF table refused (or an LRU table could not
 * make room for): what they would have traced is missed or left
 * incomplete. The runtime reports the count with the lost events. Every
 * update of a table whose entries come from traced activity goes through
 * `if (map.update(...)) count_table_full();`.
 */
/* Mapped into the reader's memory, which reads it without a bpf() call. */
BPF_F_TABLE("array", int, __u64, tables_full, 1, BPF_F_MMAPABLE);

static __always_inline void count_table_full(void)
{
	int zero = 0;
	__u64 *refused = tables_full.lookup(&zero);

	if (refused)
		__sync_fetch_and_add(refused, 1);
}

/*
 * The events' way to user space: one BPF ring buffer shared by every CPU
 * (SNOOP_RINGBUF, Linux 5.8+), or the seed's perf buffer per CPU. The
 * ring's size is set when it is created (common/bpf_runtime.c), not here.
 * A CPU wakes the ring's reader only once it has sent wakeup_bytes since it
 * last did: a wakeup costs the traced task an interrupt, and the reader
 * also looks every few milliseconds (common/output/event_loop.c). Either way each
 * CPU counts the events its buffer had no room for (event_send.h).
 */
#include "event_send.h"

/*
 * One entry per possible CPU (the runtime sets the count when it creates
 * the map), mapped into the reader's memory: a per-CPU array would need a
 * bpf() call, and so a capability on many kernels, for every look.
 */
BPF_F_TABLE("array", __u32, struct event_send_state, event_sends, 1, BPF_F_MMAPABLE);

static __always_inline struct event_send_state *this_cpu_send_state(void)
{
	__u32 cpu = bpf_get_smp_processor_id();

	return event_sends.lookup(&cpu);
}

#if SNOOP_RINGBUF
BPF_RINGBUF_OUTPUT(events, 1);

static __always_inline void send_event(void *ctx, void *data, __u64 size)
{
	struct event_send_state *state = this_cpu_send_state();
	__u64 flags = BPF_RB_NO_WAKEUP;

	(void)ctx;
	if (!state)
		return;
	state->unannounced += size;
	if (state->unannounced >= state->wakeup_bytes) {
		state->unannounced = 0;
		flags = BPF_RB_FORCE_WAKEUP;
	}
	if (events.ringbuf_output(data, size, flags))
		state->lost++;
}
#else
BPF_PERF_OUTPUT(events);

static __always_inline void send_event(void *ctx, void *data, __u64 size)
{
	struct event_send_state *state = this_cpu_send_state();

	if (events.perf_submit(ctx, data, size) && state)
		state->lost++;
}
#endif

/*
 * Argument n (0-2) of a syscall, from the user's registers that an
 * architecture syscall wrapper (__x64_sys_*) receives as its only argument,
 * and that stay saved on the task's kernel stack until it returns to user
 * space. The syscalls snoop-c reads them for leave them as they were,
 * except arm64's x0, which takes the result: its first argument is kept in
 * orig_x0 from the entry on.
 */
static __always_inline unsigned long syscall_arg(struct pt_regs *regs, int n)
{
	unsigned long value = 0;

	if (n == 0)
#if defined(bpf_target_arm64)
		bpf_probe_read_kernel(&value, sizeof(value), &regs->orig_x0);
#else
		bpf_probe_read_kernel(&value, sizeof(value), &PT_REGS_PARM1_SYSCALL(regs));
#endif
	else if (n == 1)
		bpf_probe_read_kernel(&value, sizeof(value), &PT_REGS_PARM2_SYSCALL(regs));
	else
		bpf_probe_read_kernel(&value, sizeof(value), &PT_REGS_PARM3_SYSCALL(regs));
	return value;
}

/*
 * Argument n (0-2) of a 32-bit syscall made by a task of a 64-bit kernel
 * (x86's int $0x80: ebx, ecx, edx), from its saved user registers. The
 * values are 32 bits: pointers too.
 */
#if defined(bpf_target_x86)
static __always_inline unsigned long compat_syscall_arg(struct pt_regs *regs, int n)
{
	unsigned long value = 0;

	if (n == 0)
		bpf_probe_read_kernel(&value, sizeof(value), &regs->bx);
	else if (n == 1)
		bpf_probe_read_kernel(&value, sizeof(value), &regs->cx);
	else
		bpf_probe_read_kernel(&value, sizeof(value), &regs->dx);
	return (__u32)value;
}
#else
/* arm64's AArch32 tasks pass them in x0-x2, as 64-bit tasks do. */
static __always_inline unsigned long compat_syscall_arg(struct pt_regs *regs, int n)
{
	return (__u32)syscall_arg(regs, n);
}
#endif

/* Where the saved user registers keep the syscall's number. */
#if defined(bpf_target_arm64)
#define SYSCALL_NR_FIELD syscallno
#else
#define SYSCALL_NR_FIELD orig_ax
#endif

#if SNOOP_EXIT_ARGS || SNOOP_LSM || SNOOP_FMOD_RET
/* The current task's saved user registers (Linux 5.15; BTF-typed: the kernel needs BTF). */
static __always_inline struct pt_regs *current_syscall_regs(void)
{
	return (struct pt_regs *)bpf_task_pt_regs(bpf_get_current_task_btf());
}
#endif

/*
 * SYSCALL_ENTRY_PROBE(S, enter) defines the entry programs of syscall S
 * for the kprobe and fentry modes, each where the tool compiles that mode
 * (SNOOP_KPROBE, SNOOP_FENTRY: one object holds every mode the kernel
 * offers, and the runtime loads the chosen one's programs);
 * SYSCALL_EXIT_PROBE(S, exit) its exit programs, and
 * SYSCALL_PROBES(S, enter, exit) both. They call
 *   enter(ctx, arg0, arg1, arg2)   with the syscall's first three arguments
 *   exit(ctx, ret)                 with its return value
 * (the tracepoint mode has its own programs, with named arguments, under
 * SNOOP_TRACEPOINT). SYSCALL_RETURN_PROBE(S, done), with SNOOP_EXIT_ARGS:
 * syscall S's exit programs alone, which call
 *   done(ctx, regs, ret)   regs for syscall_arg(), ret the return value
 * (the tracepoint mode's program passes current_syscall_regs()).
 *
 * COMPAT_SYSCALL_ENTRY_PROBE, COMPAT_SYSCALL_EXIT_PROBE and
 * COMPAT_SYSCALL_RETURN_PROBE do the same at a syscall's 32-bit entry
 * point, where the tool defines SNOOP_COMPAT_FUNC_S (the kernel function,
 * __ia32_compat_sys_S or __ia32_sys_S: the kernel has one); enter() gets
 * the arguments as compat_syscall_arg() reads them, done() reads them
 * with it. Syscall tracepoints never fire for 32-bit syscalls (see
 * COMPAT_SYSCALLS_ENTRY_TRACEPOINT).
 */
#if SNOOP_KPROBE
#if SNOOP_SYSCALL_WRAPPER
#define KPROBE_SYSCALL_ARG(ctx, n) syscall_arg((struct pt_regs *)PT_REGS_PARM1(ctx), n)
#else
#define KPROBE_SYSCALL_ARG(ctx, n)                                                                 \
	((n) == 0 ? PT_REGS_PARM1(ctx) : (n) == 1 ? PT_REGS_PARM2(ctx) : PT_REGS_PARM3(ctx))
#endif
/* 32-bit entry points always have wrappers. */
#define KPROBE_COMPAT_ARG(ctx, n) compat_syscall_arg((struct pt_regs *)PT_REGS_PARM1(ctx), n)
#define KPROBE_ENTRY_(name, arg, enter)                                                            \
	int name(struct pt_regs *ctx)                                                              \
	{                                                                                          \
		return enter(ctx, arg(ctx, 0), arg(ctx, 1), arg(ctx, 2));                          \
	}
#define KPROBE_EXIT_(name, exit)                                                                   \
	int name(struct pt_regs *ctx)                                                              \
	{                                                                                          \
		return exit(ctx, (long)PT_REGS_RC(ctx));                                           \
	}
#define KPROBE_RETURN_(name, done)                                                                 \
	int name(struct pt_regs *ctx)                                                              \
	{                                                                                          \
		return done(ctx, current_syscall_regs(), (long)PT_REGS_RC(ctx));                   \
	}
#define KPROBE_SYSCALL_ENTRY(S, enter) KPROBE_ENTRY_(kprobe_enter_##S, KPROBE_SYSCALL_ARG, enter)
#define KPROBE_SYSCALL_EXIT(S, exit) KPROBE_EXIT_(kprobe_exit_##S, exit)
#define KPROBE_SYSCALL_RETURN(S, done) KPROBE_RETURN_(kprobe_exit_##S, done)
#define KPROBE_COMPAT_ENTRY(S, enter)                                                              \
	KPROBE_ENTRY_(kprobe_enter_compat_##S, KPROBE_COMPAT_ARG, enter)
#define KPROBE_COMPAT_EXIT(S, exit) KPROBE_EXIT_(kprobe_exit_compat_##S, exit)
#define KPROBE_COMPAT_RETURN(S, done) KPROBE_RETURN_(kprobe_exit_compat_##S, done)
#else
#define KPROBE_SYSCALL_ENTRY(S, enter)
#define KPROBE_SYSCALL_EXIT(S, exit)
#define KPROBE_SYSCALL_RETURN(S, done)
#define KPROBE_COMPAT_ENTRY(S, enter)
#define KPROBE_COMPAT_EXIT(S, exit)
#define KPROBE_COMPAT_RETURN(S, done)
#endif

#if SNOOP_FENTRY
/*
 * The tool passes SNOOP_FUNC_S, the kernel function of syscall S (always a
 * wrapper taking struct pt_regs: the tool compiles no fentry programs
 * otherwise). KFUNC_PROBE pastes its first argument, so the name is
 * expanded first.
 */
#define SNOOP_KFUNC(fn, args...) KFUNC_PROBE(fn, args)
#define SNOOP_KRETFUNC(fn, args...) KRETFUNC_PROBE(fn, args)
#define FENTRY_ENTRY_(fn, arg, enter)                                                              \
	SNOOP_KFUNC(fn, struct pt_regs *regs)                                                      \
	{                                                                                          \
		return enter(ctx, arg(regs, 0), arg(regs, 1), arg(regs, 2));                       \
	}
#define FENTRY_EXIT_(fn, exit)                                                                     \
	SNOOP_KRETFUNC(fn, struct pt_regs *regs, long ret)                                         \
	{                                                                                          \
		return exit(ctx, ret);                                                             \
	}
#define FENTRY_RETURN_(fn, done)                                                                   \
	SNOOP_KRETFUNC(fn, struct pt_regs *regs, long ret)                                         \
	{                                                                                          \
		return done(ctx, regs, ret);                                                       \
	}
#define FENTRY_SYSCALL_ENTRY(S, enter) FENTRY_ENTRY_(SNOOP_FUNC_##S, syscall_arg, enter)
#define FENTRY_SYSCALL_EXIT(S, exit) FENTRY_EXIT_(SNOOP_FUNC_##S, exit)
#define FENTRY_SYSCALL_RETURN(S, done) FENTRY_RETURN_(SNOOP_FUNC_##S, done)
#define FENTRY_COMPAT_ENTRY(S, enter)                                                              \
	FENTRY_ENTRY_(SNOOP_COMPAT_FUNC_##S, compat_syscall_arg, enter)
#define FENTRY_COMPAT_EXIT(S, exit) FENTRY_EXIT_(SNOOP_COMPAT_FUNC_##S, exit)
#define FENTRY_COMPAT_RETURN(S, done) FENTRY_RETURN_(SNOOP_COMPAT_FUNC_##S, done)
#else
#define FENTRY_SYSCALL_ENTRY(S, enter)
#define FENTRY_SYSCALL_EXIT(S, exit)
#define FENTRY_SYSCALL_RETURN(S, done)
#define FENTRY_COMPAT_ENTRY(S, enter)
#define FENTRY_COMPAT_EXIT(S, exit)
#define FENTRY_COMPAT_RETURN(S, done)
#endif

#define SYSCALL_ENTRY_PROBE(S, enter) KPROBE_SYSCALL_ENTRY(S, enter) FENTRY_SYSCALL_ENTRY(S, enter)
#define SYSCALL_EXIT_PROBE(S, exit) KPROBE_SYSCALL_EXIT(S, exit) FENTRY_SYSCALL_EXIT(S, exit)
#define SYSCALL_RETURN_PROBE(S, done) KPROBE_SYSCALL_RETURN(S, done) FENTRY_SYSCALL_RETURN(S, done)
#define COMPAT_SYSCALL_ENTRY_PROBE(S, enter)                                                       \
	KPROBE_COMPAT_ENTRY(S, enter) FENTRY_COMPAT_ENTRY(S, enter)
#define COMPAT_SYSCALL_EXIT_PROBE(S, exit) KPROBE_COMPAT_EXIT(S, exit) FENTRY_COMPAT_EXIT(S, exit)
#define COMPAT_SYSCALL_RETURN_PROBE(S, done)                                                       \
	KPROBE_COMPAT_RETURN(S, done) FENTRY_COMPAT_RETURN(S, done)
#define SYSCALL_PROBES(S, enter, exit) SYSCALL_ENTRY_PROBE(S, enter) SYSCALL_EXIT_PROBE(S, exit)

/*
 * FIELD_OFFSET(type, member): where member sits in struct type, in the
 * running kernel, for the fields of programs/snoop_fields.h and of a
 * tool's own list. The tool passes every offset it read from the kernel's
 * BTF as -DSNOOP_OFF_type__member (and SNOOP_BTF_OFFSETS); on a kernel
 * without BTF, SNOOP_HEADER_OFFSETS(list) takes the same offsets from the
 * headers compiled against, as constants of the same names.
 */
#define FIELD_OFFSET(type, member) SNOOP_OFF_##type##__##member
#define SNOOP_HEADER_OFFSET(type, member)                                                          \
	SNOOP_OFF_##type##__##member = offsetof(struct type, member),
#define SNOOP_HEADER_OFFSETS(list) enum { list(SNOOP_HEADER_OFFSET) }
#ifndef SNOOP_BTF_OFFSETS
#include <linux/cgroup-defs.h>
#include <linux/kernfs.h>
#include <linux/nsproxy.h>
#include <linux/ns_common.h>
#include <linux/pid.h>
#include <linux/sched.h>
SNOOP_HEADER_OFFSETS(SNOOP_TASK_FIELDS);
#if SNOOP_COMPAT_SYS_ENTER
SNOOP_HEADER_OFFSETS(SNOOP_COMPAT_FIELDS);
#endif
#endif

/* A pointer-sized field at base + offset; NULL when it cannot be read. */
static __always_inline void *read_ptr(const void *base, long offset)
{
	void *value = NULL;

	bpf_probe_read_kernel(&value, sizeof(value), (const char *)base + offset);
	return value;
}

#if SNOOP_COMPAT_SYS_ENTER
/* x86's TS_COMPAT (arch/x86/include/asm/thread_info.h): set for the length of a 32-bit syscall. */
#define SNOOP_TS_COMPAT 0x0002

static __always_inline bool compat_syscall_running(void)
{
	char *task = (char *)bpf_get_current_task();
	__u32 status = 0;

	bpf_probe_read_kernel(&status, sizeof(status),
			      task + FIELD_OFFSET(task_struct, thread_info) +
				      FIELD_OFFSET(thread_info, status));
	return status & SNOOP_TS_COMPAT;
}

/*
 * COMPAT_SYSCALLS_ENTRY_TRACEPOINT(enter): the tracepoint mode's entry of
 * 32-bit syscalls, where the tool set SNOOP_COMPAT_SYS_ENTER (the kernel
 * has x86's 32-bit syscalls), at raw_syscalls:sys_enter. It fires for every
 * syscall of the machine, and calls
 *   enter(ctx, nr, regs)   the syscall's number and the user's registers
 * enter() compares nr first (cheap), then asks compat_syscall_running(),
 * as 64-bit syscalls have numbers of their own, and reads the arguments
 * with compat_syscall_arg().
 */
#define COMPAT_SYSCALLS_ENTRY_TRACEPOINT(enter)                                                    \
	RAW_TRACEPOINT_PROBE(sys_enter)                                                            \
	{                                                                                          \
		return enter(ctx, ctx->args[1], (struct pt_regs *)ctx->args[0]);                   \
	}
#endif

static __always_inline void *current_parent(void)
{
	return read_ptr((void *)bpf_get_current_task(), FIELD_OFFSET(task_struct, real_parent));
}

static __always_inline __u32 read_task_tgid(void *task)
{
	__u32 tgid = 0;

	bpf_probe_read_kernel(&tgid, sizeof(tgid), (char *)task + FIELD_OFFSET(task_struct, tgid));
	return tgid;
}

/*
 * The identity of the program task runs (programs/exec_identity.h), read
 * from its process's leader: the thread that execs becomes the leader, and
 * keeps the process's start time.
 */
static __always_inline void task_exec_identity(void *task, struct exec_identity *id)
{
	char *leader = read_ptr(task, FIELD_OFFSET(task_struct, group_leader));

	if (!leader)
		return;
	id->tgid = read_task_tgid(leader);
	bpf_probe_read_kernel(&id->start_ns, sizeof(id->start_ns),
			      leader + FIELD_OFFSET(task_struct, start_time));
	bpf_probe_read_kernel(&id->execs, sizeof(id->execs),
			      leader + FIELD_OFFSET(task_struct, self_exec_id));
}

static __always_inline void task_comm(void *task, char *comm)
{
	bpf_probe_read_kernel_str(comm, TASK_COMM_SIZE,
				  (char *)task + FIELD_OFFSET(task_struct, comm));
}


/*
 * The scope (--pidns, --cgroup, --mntnsmap). scope_mntns[0] is the user's
 * pinned map of mount namespace IDs, put there by the tool: its path never
 * reaches this source. scope_mntns_shape only gives the inner map's shape.
 */
BPF_ARRAY(scope, struct snoop_scope, 1);
BPF_CGROUP_ARRAY(scope_cgroup, 1);
BPF_TABLE("hash", __u64, __u32, scope_mntns_shape, 1);
BPF_ARRAY_OF_MAPS(scope_mntns, "scope_mntns_shape", 1);

/* struct upid { int nr; struct pid_namespace *ns; }, an element of pid->numbers. */
#define UPID_SIZE 16

static __always_inline struct snoop_scope *current_scope(void)
{
	int zero = 0;

	return scope.lookup(&zero);
}

/*
 * The ID of the current task's cgroup, which every event carries. On a
 * cgroup v2 host, the helper's. On a v1 host the runtime names a
 * controller's hierarchy by its subsystem number, the scope's cgroup_ssid
 * (common/plan/cgroups.h; a value, not a compile flag: it depends on what
 * is mounted, and one compiled program serves every start), and the ID is
 * that of the task's cgroup there: the inode number of its directory, as
 * the helper's is on v2.
 */
static __always_inline __u64 current_cgroup_id(void)
{
	struct snoop_scope *s = current_scope();
	char *css_set, *css, *cgroup, *kn;
	__u64 id = 0;

	if (!s || s->cgroup_ssid < 0)
		return bpf_get_current_cgroup_id();
	css_set = read_ptr((void *)bpf_get_current_task(), FIELD_OFFSET(task_struct, cgroups));
	css = css_set ? read_ptr(css_set, FIELD_OFFSET(css_set, subsys) +
						  (long)s->cgroup_ssid * sizeof(void *))
		      : NULL;
	cgroup = css ? read_ptr(css, FIELD_OFFSET(cgroup_subsys_state, cgroup)) : NULL;
	kn = cgroup ? read_ptr(cgroup, FIELD_OFFSET(cgroup, kn)) : NULL;
	if (kn)
		bpf_probe_read_kernel(&id, sizeof(id), kn + FIELD_OFFSET(kernfs_node, id));
	return id;
}

#ifdef SNOOP_BTF_OFFSETS
#define MNT_NAMESPACE_NS FIELD_OFFSET(mnt_namespace, ns)
#else
/* struct mnt_namespace is private to fs/: without BTF, --mntnsmap cannot work. */
#define MNT_NAMESPACE_NS 0
#endif

static __always_inline __u64 current_mntns(void)
{
	char *task = (char *)bpf_get_current_task();
	char *nsproxy = NULL, *mnt_ns = NULL;
	__u32 inum = 0;

	bpf_probe_read_kernel(&nsproxy, sizeof(nsproxy), task + FIELD_OFFSET(task_struct, nsproxy));
	if (!nsproxy)
		return 0;
	bpf_probe_read_kernel(&mnt_ns, sizeof(mnt_ns), nsproxy + FIELD_OFFSET(nsproxy, mnt_ns));
	if (!mnt_ns)
		return 0;
	bpf_probe_read_kernel(&inum, sizeof(inum),
			      mnt_ns + MNT_NAMESPACE_NS + FIELD_OFFSET(ns_common, inum));
	return inum;
}

/* Whether the current task is one the user asked to see. */
static __always_inline bool in_scope(void)
{
	struct snoop_scope *s = current_scope();
	struct bpf_pidns_info ns = {};
	int zero = 0;

	if (!s)
		return false;
	if (s->cgroup && scope_cgroup.check_current_task(0) != 1)
		return false;
	if (s->mntns) {
		void *ids = scope_mntns.lookup(&zero);
		__u64 mntns = current_mntns();

		if (!ids || !bpf_map_lookup_elem(ids, &mntns))
			return false;
	}
	return !s->pidns ||
	       !bpf_get_ns_current_pid_tgid(s->pidns_dev, s->pidns_ino, &ns, sizeof(ns));
}

static __always_inline bool scope_pidns(void)
{
	struct snoop_scope *s = current_scope();

	return s && s->pidns;
}

/* bpf_get_current_pid_tgid(), with the PIDs of the --pidns namespace when it is set. */
static __always_inline __u64 scoped_pid_tgid(void)
{
	struct snoop_scope *s = current_scope();
	struct bpf_pidns_info ns = {};

	if (s && s->pidns &&
	    !bpf_get_ns_current_pid_tgid(s->pidns_dev, s->pidns_ino, &ns, sizeof(ns)))
		return (__u64)ns.tgid << 32 | ns.pid;
	return bpf_get_current_pid_tgid();
}

/* The depth of a task's PID namespace: the level of its struct pid. */
static __always_inline __u32 pid_level(char *task, char **pid)
{
	__u32 level = 0;

	*pid = NULL;
	bpf_probe_read_kernel(pid, sizeof(*pid), task + FIELD_OFFSET(task_struct, thread_pid));
	if (*pid)
		bpf_probe_read_kernel(&level, sizeof(level), *pid + FIELD_OFFSET(pid, level));
	return level;
}

/*
 * The process ID of task (its group leader's PID) as the --pidns namespace
 * sees it, or as the initial one does; 0 when the namespace cannot see it
 * (the parent of a namespace's init is outside). Only for a current task
 * in scope: the namespace's depth is the current task's.
 */
static __always_inline __u32 scoped_tgid(void *task)
{
	struct snoop_scope *s = current_scope();
	char *leader = NULL, *pid = NULL;
	__u32 level, ns_level;
	int nr = 0;

	if (!s || !s->pidns)
		return read_task_tgid(task);
	ns_level = pid_level((char *)bpf_get_current_task(), &pid);
	bpf_probe_read_kernel(&leader, sizeof(leader),
			      (char *)task + FIELD_OFFSET(task_struct, group_leader));
	if (!leader)
		return 0;
	level = pid_level(leader, &pid);
	/* Tasks of a namespace have their number there at its depth. */
	if (!pid || level < ns_level || ns_level > 32)
		return 0;
	bpf_probe_read_kernel(&nr, sizeof(nr),
			      pid + FIELD_OFFSET(pid, numbers) + ns_level * UPID_SIZE);
	return (__u32)nr;
}

/* Whether signal sig is in a set of 128 (bit n of set[n / 64]), as options pass them. */
static __always_inline bool signal_in_set(const __u64 *set, int sig)
{
	__u32 bit = (__u32)sig;

	/* Constant indexes: the verifier cannot bound a computed one here. */
	if (bit < 64)
		return (set[0] >> bit) & 1;
	if (bit < 128)
		return (set[1] >> (bit - 64)) & 1;
	return false;
}

/* Whether a signal from process tgid to tpid passes -p, -T and -s. */
static __always_inline bool signal_filter_passes(const struct signal_filter *f, __u32 tgid,
						 int tpid, int sig)
{
	return (!f->filter_pid || tgid == f->pid) && (!f->filter_tpid || tpid == f->tpid) &&
	       (!f->filter_signals || signal_in_set(f->signals, sig));
}

/* PF_KTHREAD of include/linux/sched.h, stable since 2.6. */
#define SNOOP_PF_KTHREAD 0x00200000

static __always_inline bool current_is_kernel_thread(void)
{
	char *task = (char *)bpf_get_current_task();
	unsigned int flags = 0;

	bpf_probe_read_kernel(&flags, sizeof(flags), task + FIELD_OFFSET(task_struct, flags));
	return flags & SNOOP_PF_KTHREAD;
}

#endif /* SNOOP_BPF_H */
