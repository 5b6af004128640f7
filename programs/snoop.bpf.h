/*
 * Shared by every snoop-c program: reaching syscall arguments from a
 * kprobe, and reading task_struct fields at offsets the tool took from the
 * running kernel's BTF (passed as -DTASK_STRUCT_* values).
 */
#ifndef SNOOP_BPF_H
#define SNOOP_BPF_H

#define TASK_COMM_SIZE 16

#ifdef SNOOP_KPROBE
#include <uapi/linux/ptrace.h>

/*
 * Argument n (0-2) of the syscall whose kernel function the kprobe is on.
 * With architecture syscall wrappers (__x64_sys_*), the function's only
 * argument is the user's saved registers, so the values are read from there.
 */
static __always_inline unsigned long syscall_arg(struct pt_regs *ctx, int n)
{
	unsigned long value = 0;
#if SNOOP_SYSCALL_WRAPPER
	struct pt_regs *regs = (struct pt_regs *)PT_REGS_PARM1(ctx);

	if (n == 0)
		bpf_probe_read_kernel(&value, sizeof(value), &PT_REGS_PARM1_SYSCALL(regs));
	else if (n == 1)
		bpf_probe_read_kernel(&value, sizeof(value), &PT_REGS_PARM2_SYSCALL(regs));
	else
		bpf_probe_read_kernel(&value, sizeof(value), &PT_REGS_PARM3_SYSCALL(regs));
#else
	if (n == 0)
		value = PT_REGS_PARM1(ctx);
	else if (n == 1)
		value = PT_REGS_PARM2(ctx);
	else
		value = PT_REGS_PARM3(ctx);
#endif
	return value;
}
#endif /* SNOOP_KPROBE */

#ifndef TASK_STRUCT_REAL_PARENT
/* The kernel has no BTF: fall back to the layout of the headers compiled against. */
#include <linux/sched.h>
#define TASK_STRUCT_REAL_PARENT offsetof(struct task_struct, real_parent)
#define TASK_STRUCT_TGID offsetof(struct task_struct, tgid)
#define TASK_STRUCT_COMM offsetof(struct task_struct, comm)
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

#endif /* SNOOP_BPF_H */
