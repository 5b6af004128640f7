/*
 * Shared by every snoop-c program: the kprobe and fentry programs of a
 * syscall, and reading task_struct fields at offsets the tool took from the
 * running kernel's BTF (passed as -DTASK_STRUCT_* values).
 */
#ifndef SNOOP_BPF_H
#define SNOOP_BPF_H

#define TASK_COMM_SIZE 16

#if defined(SNOOP_KPROBE) || defined(SNOOP_FENTRY)
#include <uapi/linux/ptrace.h>

/*
 * Argument n (0-2) of a syscall, from the user's registers that an
 * architecture syscall wrapper (__x64_sys_*) receives as its only argument.
 */
static __always_inline unsigned long syscall_arg(struct pt_regs *regs, int n)
{
	unsigned long value = 0;

	if (n == 0)
		bpf_probe_read_kernel(&value, sizeof(value), &PT_REGS_PARM1_SYSCALL(regs));
	else if (n == 1)
		bpf_probe_read_kernel(&value, sizeof(value), &PT_REGS_PARM2_SYSCALL(regs));
	else
		bpf_probe_read_kernel(&value, sizeof(value), &PT_REGS_PARM3_SYSCALL(regs));
	return value;
}
#endif

/*
 * SYSCALL_ENTRY_PROBE(S, enter) defines the entry program of syscall S for
 * the kprobe or fentry mode, SYSCALL_EXIT_PROBE(S, exit) its exit program,
 * and SYSCALL_PROBES(S, enter, exit) both. They call
 *   enter(ctx, arg0, arg1, arg2)   with the syscall's first three arguments
 *   exit(ctx, ret)                 with its return value
 * (the tracepoint mode has its own programs, with named arguments).
 */
#ifdef SNOOP_KPROBE
#if SNOOP_SYSCALL_WRAPPER
#define KPROBE_SYSCALL_ARG(ctx, n) syscall_arg((struct pt_regs *)PT_REGS_PARM1(ctx), n)
#else
#define KPROBE_SYSCALL_ARG(ctx, n) \
	((n) == 0 ? PT_REGS_PARM1(ctx) : (n) == 1 ? PT_REGS_PARM2(ctx) : PT_REGS_PARM3(ctx))
#endif
#define SYSCALL_ENTRY_PROBE(S, enter)						\
int kprobe_enter_##S(struct pt_regs *ctx)					\
{										\
	return enter(ctx, KPROBE_SYSCALL_ARG(ctx, 0), KPROBE_SYSCALL_ARG(ctx, 1),	\
		     KPROBE_SYSCALL_ARG(ctx, 2));				\
}
#define SYSCALL_EXIT_PROBE(S, exit)						\
int kprobe_exit_##S(struct pt_regs *ctx)					\
{										\
	return exit(ctx, (long)PT_REGS_RC(ctx));				\
}
#endif

#ifdef SNOOP_FENTRY
/*
 * The tool passes SNOOP_FUNC_S, the kernel function of syscall S (always a
 * wrapper taking struct pt_regs: the tool refuses fentry otherwise).
 * KFUNC_PROBE pastes its first argument, so the name is expanded here first.
 */
#define SNOOP_KFUNC(fn, args...) KFUNC_PROBE(fn, args)
#define SNOOP_KRETFUNC(fn, args...) KRETFUNC_PROBE(fn, args)
#define SYSCALL_ENTRY_PROBE(S, enter)						\
SNOOP_KFUNC(SNOOP_FUNC_##S, struct pt_regs *regs)				\
{										\
	return enter(ctx, syscall_arg(regs, 0), syscall_arg(regs, 1),		\
		     syscall_arg(regs, 2));					\
}
#define SYSCALL_EXIT_PROBE(S, exit)						\
SNOOP_KRETFUNC(SNOOP_FUNC_##S, struct pt_regs *regs, long ret)		\
{										\
	return exit(ctx, ret);							\
}
#endif

#define SYSCALL_PROBES(S, enter, exit) SYSCALL_ENTRY_PROBE(S, enter) SYSCALL_EXIT_PROBE(S, exit)

#ifndef TASK_STRUCT_REAL_PARENT
/* The kernel has no BTF: fall back to the layout of the headers compiled against. */
#include <linux/sched.h>
#define TASK_STRUCT_REAL_PARENT offsetof(struct task_struct, real_parent)
#define TASK_STRUCT_TGID offsetof(struct task_struct, tgid)
#define TASK_STRUCT_COMM offsetof(struct task_struct, comm)
#define TASK_STRUCT_FLAGS offsetof(struct task_struct, flags)
#endif

static __always_inline void *current_parent(void)
{
	char *task = (char *)bpf_get_current_task();
	void *parent = NULL;

	bpf_probe_read_kernel(&parent, sizeof(parent), task + TASK_STRUCT_REAL_PARENT);
	return parent;
}

static __always_inline __u32 task_tgid(void *task)
{
	__u32 tgid = 0;

	bpf_probe_read_kernel(&tgid, sizeof(tgid), (char *)task + TASK_STRUCT_TGID);
	return tgid;
}

static __always_inline void task_comm(void *task, char *comm)
{
	bpf_probe_read_kernel_str(comm, TASK_COMM_SIZE, (char *)task + TASK_STRUCT_COMM);
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

/* PF_KTHREAD of include/linux/sched.h, stable since 2.6. */
#define SNOOP_PF_KTHREAD 0x00200000

static __always_inline bool current_is_kernel_thread(void)
{
	char *task = (char *)bpf_get_current_task();
	unsigned int flags = 0;

	bpf_probe_read_kernel(&flags, sizeof(flags), task + TASK_STRUCT_FLAGS);
	return flags & SNOOP_PF_KTHREAD;
}

#endif /* SNOOP_BPF_H */
