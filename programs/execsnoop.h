/* Events and settings shared by execsnoop.bpf.c and tools/execsnoop/main.c. */
#ifndef EXECSNOOP_H
#define EXECSNOOP_H

#include "exec_identity.h"

/* The kernel fields execsnoop's program reads (see programs/snoop_fields.h): in the headers, */
/* clang-format off */
#define EXECSNOOP_FIELDS(X)                                                             \
	X(task_struct, mm) X(mm_struct, arg_start) X(mm_struct, arg_end)                \
	X(linux_binprm, filename) X(linux_binprm, interp) X(linux_binprm, fdpath)       \
	X(linux_binprm, file) X(task_struct, cred) X(cred, euid) X(cred, egid)          \
	X(task_struct, loginuid)
/* clang-format on */
/* and the path walks', read only with BTF (struct mount is private to fs/). */
/* clang-format off */
#define EXECSNOOP_BTF_ONLY_FIELDS(X)                                                    \
	X(task_struct, fs) X(fs_struct, pwd)                                            \
	X(file, f_path) X(path, mnt) X(path, dentry) X(dentry, d_parent)                \
	X(dentry, d_name) X(dentry, d_hash) X(qstr, name) X(hlist_bl_node, pprev)       \
	X(vfsmount, mnt_root) X(mount, mnt) X(mount, mnt_parent) X(mount, mnt_mountpoint)
/* clang-format on */

#define EXEC_COMM_SIZE 16
/* The most --max-args may ask for. */
#define EXEC_MAX_ARGS 1024
/* Bytes of argument strings sent per exec (NULs included); a longer command line is cut. */
#define EXEC_ARGS_MAX_BYTES 65536
/* Bytes of data one piece carries: perf records stay far below their 64 KiB limit. */
#define EXEC_PIECE_MAX 16384
/* A file name, with its NUL (PATH_MAX). */
#define EXEC_NAME_MAX 4096
/* Directories walked up from an executed file to its root, mount points included. */
#define EXEC_PATH_DEPTH 48
/* A PATH slot: a directory entry's name, with its NUL. */
#define EXEC_PATH_NAME 256

/*
 * One exec arrives in pieces, all from one program run on one CPU, in this
 * order: its FILENAME; for a successful exec on a kernel with BTF, the EXE
 * (the path of the file that runs, as /proc/PID/exe names it) and the CWD
 * (the working directory's); its ARGS (the argument strings, NUL-terminated one after the other, cut
 * into runs of bytes), then DONE with the result. exec_id (when the
 * program ran) ties them together.
 */
enum exec_event_kind {
	EXEC_EVENT_FILENAME = 1, /* data: the file name, with its NUL */
	EXEC_EVENT_EXE,	 /* data: the file's path, leaf first, a name per EXEC_PATH_NAME slot */
	EXEC_EVENT_ARGS, /* data: argument bytes at offset in the argument strings */
	EXEC_EVENT_DONE, /* struct exec_done: ends the exec */
	EXEC_EVENT_CWD,	 /* data: the working directory's path, as EXE's */
};

/* Piece flags. */
#define EXEC_PIECE_UNREADABLE                                                                      \
	0x1 /* FILENAME, ARGS: the caller's string could not be read (data: one NUL) */
#define EXEC_PIECE_DELETED 0x2 /* EXE, CWD: unlinked (or never linked: memfd) */
#define EXEC_PIECE_CUT 0x4     /* EXE, CWD: the walk stopped short of the root */

/* Which syscall a failed exec came through. */
enum exec_syscall {
	EXEC_SYS_NONE, /* a successful exec: seen at sched_process_exec, whatever its entry */
	EXEC_SYS_EXECVE,
	EXEC_SYS_EXECVEAT,
	EXEC_SYS_EXECVE_32, /* the 32-bit entry points (x86's int $0x80) */
	EXEC_SYS_EXECVEAT_32,
};

/* DONE flags. */
#define EXEC_DONE_MORE_ARGS 0x1 /* failed exec: argv had more than --max-args entries */
#define EXEC_DONE_CUT 0x2	/* the argument strings passed EXEC_ARGS_MAX_BYTES and were cut */
#define EXEC_DONE_INTERPRETED                                                                      \
	0x4 /* an interpreter runs the file (#!, binfmt_misc): argv is its command line */
#define EXEC_DONE_BY_FD                                                                            \
	0x8 /* execveat with a descriptor (fexecve, AT_EMPTY_PATH, dirfd + relative path) */
#define EXEC_DONE_ARGV_UNREADABLE                                                                  \
	0x10 /* failed exec: argv itself could not be read past its last string */

struct exec_piece {
	__u64 exec_id;
	__u32 kind;
	__u32 tgid;
	__u32 offset; /* ARGS: where data starts in the argument strings */
	__u32 len;    /* bytes of data */
	__u32 flags;
	__u32 reserved;
	char data[EXEC_PIECE_MAX];
};

#define EXEC_PIECE_HEADER_SIZE __builtin_offsetof(struct exec_piece, data)

struct exec_done {
	__u64 exec_id;
	__u32 kind;
	__u32 tgid;
	__u64 ktime;	 /* when the exec happened or failed (CLOCK_MONOTONIC) */
	__u64 cgroup_id; /* the caller's (current_cgroup_id) */
	__u32 tid;	 /* the thread that called exec (its ID before a successful exec) */
	__u32 uid;
	__u32 ppid;
	__u32 cpu;
	__s32 retval;
	__u32 flags;
	__u32 args_len; /* ARGS pieces cover [0, args_len) of the argument strings */
	__u32 pieces;	/* pieces sent before this event */
	__u32 syscall;	/* enum exec_syscall */
	__s32 dirfd;	/* failed execveat: its descriptor */
	__u32 euid;	/* the effective IDs the program runs with (a setuid file's owner) */
	__u32 egid;
	__u32 loginuid; /* the audit login UID (4294967295: unset) */
	__u32 reserved;
	struct exec_identity exec;   /* the new program; after a failed exec, the caller's */
	struct exec_identity parent; /* the program the parent runs */
	char comm[EXEC_COMM_SIZE];   /* the new program's name, or the failed caller's */
	char pcomm[EXEC_COMM_SIZE];  /* the parent's name */
};

/* Options, set by user space in the config map before attaching. */
struct execsnoop_config {
	__u32 uid;
	__u32 ppid;
	__u32 max_args; /* failed execs: argv entries read, 1 to EXEC_MAX_ARGS */
	__u8 filter_uid;
	__u8 filter_ppid;
	__u8 fails;   /* -x: failed execs are sent too */
	__u8 paths;   /* the file's path and the working directory (JSON) */
	__u8 lineage; /* effective IDs, login UID, exec IDs (JSON, --lineage) */
	__u8 reserved[3];
};

#endif
