/* What ptraceguard's BPF program and the tool share. */
#ifndef PTRACEGUARD_H
#define PTRACEGUARD_H

/*
 * The kernel fields the guard's program reads of the caller's executable,
 * its children and its target (see programs/snoop_fields.h).
 */
/* clang-format off */
#define GUARD_FIELDS(X)                                                                 \
	X(task_struct, mm) X(mm_struct, exe_file) X(file, f_inode) X(inode, i_ino)      \
	X(inode, i_sb) X(super_block, s_dev) X(task_struct, children)                   \
	X(task_struct, sibling) X(task_struct, signal) X(signal_struct, flags)          \
	X(task_struct, ptraced) X(task_struct, ptrace_entry) X(signal_struct, thread_head)  \
	X(task_struct, thread_node) X(task_struct, files) X(files_struct, fdt)          \
	X(fdtable, fd) X(fdtable, max_fds) X(file, private_data) X(inode, i_private)
/* clang-format on */

#define GUARD_COMM_SIZE 16

/* What the guard did about one call. */
enum guard_action {
	GUARD_SIGNALLED = 1, /* bpf_send_signal() succeeded */
	GUARD_SEND_FAILED,   /* it failed; send_ret holds -errno */
	GUARD_DRY_RUN,	     /* --dry-run: reported only */
	GUARD_ALLOWED,	     /* the caller's executable (and user) is in --allow */
	GUARD_DENIED,	     /* the LSM hook refused the call: it failed with EPERM */
};

/*
 * The way into another process a call took: each needs ptrace's attach
 * permission (PTRACE_MODE_ATTACH) over its target.
 */
enum guard_door {
	GUARD_DOOR_PTRACE,	/* ptrace(2): request says which */
	GUARD_DOOR_VM_READV,	/* process_vm_readv(2) */
	GUARD_DOOR_VM_WRITEV,	/* process_vm_writev(2) */
	GUARD_DOOR_PIDFD_GETFD, /* pidfd_getfd(2) */
	GUARD_DOOR_PROC_MEM,	/* an open of /proc/PID/mem (the LSM hook sees it) */
	GUARD_DOOR_OTHER, /* another syscall's check (syscall_nr): a read of /proc/PID/stack... */
};

enum guard_event_kind {
	GUARD_EVENT_CALL = 1, /* a call through a door, and what was done */
	GUARD_EVENT_STOPPED,  /* a signalled caller's PTRACE_ATTACH sent its target SIGSTOP */
};

/* The options and what the guard knows of itself, as the single value of the config map. */
struct ptraceguard_config {
	__u64 self_ns_dev; /* the guard's PID namespace (stat of /proc/self/ns/pid) */
	__u64 self_ns_ino;
	__u32 self_tgid; /* the guard's PID there: never signalled */
	__u32 signal;
	__u32 dry_run;
	__u32 filter_ppid;
	__u32 ppid;
	__u32 filter_uid;
	__u32 uid;
	__u32 deny;  /* the LSM hooks deny the attaches and every other door */
	__u32 allow; /* the allowed map has entries */
	__u32 reserved;
};

/* Any user, in an allowed key. */
#define GUARD_ANY_UID 0xffffffffU

/* Key of the allowed map: an executable's identity, and a user or GUARD_ANY_UID. */
struct guard_exe {
	__u64 dev; /* the kernel's dev_t of its file system (MKDEV: major << 20 | minor) */
	__u64 ino;
	__u32 uid;
	__u32 reserved;
};

struct guard_event {
	__u64 ktime;
	__u64 cgroup_id; /* the caller's (current_cgroup_id) */
	__s64 request;
	__s64 target; /* CALL: the target's PID, as the caller names it */
	__u32 kind;
	__u32 pid;
	__u32 tid;
	__u32 ppid;
	__u32 uid;
	__u32 signal;
	__s32 action;
	__s32 send_ret;
	/*
	 * CALL: the target is the caller's own child still running the caller's
	 * program (strace's child waiting to be traced): its PID, as the guard
	 * numbers it, else 0. STOPPED: the target's PID, as the guard numbers it.
	 */
	__u32 helper;
	__u32 was_stopped; /* STOPPED: the target was stopped already */
	__u32 door;	   /* CALL: enum guard_door (request is -1 but for ptrace) */
	__s32 syscall_nr; /* CALL: the syscall the check was made in (its native or 32-bit number) */
	char comm[GUARD_COMM_SIZE];
};

#endif
