/*
 * The kernel struct fields the programs read, one list for everything that
 * needs them, as X(type, member). The runtime looks each up in the
 * kernel's BTF and passes its offset as -DSNOOP_OFF_type__member; on a
 * kernel without BTF, programs/snoop.bpf.h takes the same offsets from the
 * kernel headers (SNOOP_HEADER_OFFSETS). FIELD_OFFSET reads only listed
 * fields: one missing from a list fails the compile, in either case.
 */
#ifndef SNOOP_FIELDS_H
#define SNOOP_FIELDS_H

/* Read by programs/snoop.bpf.h for every tool; all in the kernel's headers. */
/* clang-format off */
#define SNOOP_TASK_FIELDS(X)                                                           \
	X(task_struct, real_parent) X(task_struct, tgid) X(task_struct, comm)          \
	X(task_struct, flags) X(task_struct, group_leader) X(task_struct, thread_pid) \
	X(task_struct, nsproxy) X(nsproxy, mnt_ns) X(pid, level) X(pid, numbers)       \
	X(ns_common, inum) X(task_struct, start_time) X(task_struct, self_exec_id)     \
	SNOOP_CGROUP_FIELDS(X)
/* clang-format on */

/* The chain from a task to its cgroup's ID in a cgroup v1 hierarchy (current_cgroup_id). */
/* clang-format off */
#define SNOOP_CGROUP_FIELDS(X)                                                         \
	X(task_struct, cgroups) X(css_set, subsys) X(cgroup_subsys_state, cgroup)      \
	X(cgroup, kn) X(kernfs_node, id)
/* clang-format on */

/* Private to the kernel's fs/ (no header has it): read only with BTF, for --mntnsmap. */
/* clang-format off */
#define SNOOP_BTF_ONLY_FIELDS(X) X(mnt_namespace, ns)
/* clang-format on */

/* What compat_syscall_running() reads, with SNOOP_COMPAT_SYS_ENTER (x86's thread_info). */
/* clang-format off */
#define SNOOP_COMPAT_FIELDS(X) X(task_struct, thread_info) X(thread_info, status)
/* clang-format on */

#endif
