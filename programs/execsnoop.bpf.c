/*
 * execsnoop: every exec, with its whole command line.
 *
 * A successful exec is seen at the sched_process_exec raw tracepoint, in
 * every mode and whatever its entry point (execve, execveat, their 32-bit
 * forms, the kernel's own): by then the kernel has copied the arguments
 * into the new program's stack (mm->arg_start to arg_end), so they are read
 * from there, whatever pages the caller had mapped. The file name is the
 * kernel's (bprm->filename); with BTF, the path of the file that runs and
 * of the working directory are walked up from their dentries.
 *
 * A failed exec (with -x) is seen at its syscall's exit: the caller's file
 * name and argv are read then, when the pages the kernel touched while
 * copying them are mapped. Reading argv takes a loop per argument; it runs
 * in a program of its own (one per exit), which tail-calls itself every
 * FAILED_ARGS_PER_CALL arguments: the verifier then walks a short loop once
 * instead of a long one at every start.
 *
 * Every exec goes out as pieces and then a DONE event (programs/execsnoop.h),
 * all from one run on one CPU.
 */
#include "execsnoop.h"
#include "snoop.bpf.h"

#ifndef SNOOP_BTF_OFFSETS
/* Without BTF, the structs whose fields FIELD_OFFSET reads, from the headers. */
#include <linux/binfmts.h>
#include <linux/cred.h>
#include <linux/mm_types.h>
SNOOP_HEADER_OFFSETS(EXECSNOOP_FIELDS);
#endif

BPF_ARRAY(config, struct execsnoop_config, 1);

/* Pieces are built here: far too large for the stack. */
BPF_PERCPU_ARRAY(pieces, struct exec_piece, 1);
/*
 * A successful exec's DONE is built here, not on the stack: the verifier
 * tracks what the stack holds, and flags set on one path and not another
 * would make it walk the loops after them once for each.
 */
BPF_PERCPU_ARRAY(dones, struct exec_done, 1);

static __always_inline struct execsnoop_config *exec_config(void)
{
	__u32 zero = 0;

	return config.lookup(&zero);
}

/* Whether the current task's exec passes the scope, -u and -P. */
static __always_inline bool exec_wanted(const struct execsnoop_config *cfg)
{
	if (!in_scope())
		return false;
	if (cfg->filter_uid && (__u32)bpf_get_current_uid_gid() != cfg->uid)
		return false;
	return !cfg->filter_ppid || scoped_tgid(current_parent()) == cfg->ppid;
}

/*
 * value, or max if it is larger: bounded on the very register the caller
 * goes on with, which the compiler would otherwise take from a copy the
 * verifier knows nothing of (value is opaque to it here).
 */
static __always_inline __u64 at_most(__u64 value, __u64 max)
{
	asm volatile("" : "+r"(value));
	return value > max ? max : value;
}

/*
 * value, through map memory, which the verifier does not follow: where a
 * loop ends, its count is a constant it would otherwise keep, and walk
 * everything after the loop once for each.
 */
static __always_inline __u32 forget(__u32 *scratch, __u32 value)
{
	*(volatile __u32 *)scratch = value;
	return *(volatile __u32 *)scratch;
}

/* Sends len bytes of ev's data as a piece of this kind. */
static __always_inline void send_piece(void *ctx, struct exec_piece *ev, __u32 kind, __u32 offset,
				       __u32 len, __u32 flags)
{
	/*
	 * Through the map: a length known on one path (a full piece) and not
	 * on another would keep the verifier from taking the paths for one.
	 */
	__u64 size = at_most(forget(&ev->len, len), EXEC_PIECE_MAX);

	ev->kind = kind;
	ev->offset = offset;
	ev->flags = flags;
	send_event(ctx, ev, EXEC_PIECE_HEADER_SIZE + size);
}

/*
 * The DONE event: what is known of the current task and the exec's result;
 * its lineage (effective IDs, login UID, exec IDs) only when a line shows it.
 */
static __always_inline void send_done(void *ctx, struct exec_done *done,
				      const struct execsnoop_config *cfg)
{
	char *task = (char *)bpf_get_current_task();
	void *parent = current_parent();

	done->kind = EXEC_EVENT_DONE;
	done->ktime = bpf_ktime_get_ns();
	done->cgroup_id = current_cgroup_id();
	done->uid = (__u32)bpf_get_current_uid_gid();
	done->cpu = bpf_get_smp_processor_id();
	done->ppid = scoped_tgid(parent);
	if (cfg->lineage) {
		char *cred = read_ptr(task, FIELD_OFFSET(task_struct, cred));

		if (cred) {
			bpf_probe_read_kernel(&done->euid, sizeof(done->euid),
					      cred + FIELD_OFFSET(cred, euid));
			bpf_probe_read_kernel(&done->egid, sizeof(done->egid),
					      cred + FIELD_OFFSET(cred, egid));
		}
		bpf_probe_read_kernel(&done->loginuid, sizeof(done->loginuid),
				      task + FIELD_OFFSET(task_struct, loginuid));
		task_exec_identity(task, &done->exec);
		task_exec_identity(parent, &done->parent);
	}
	bpf_get_current_comm(done->comm, sizeof(done->comm));
	task_comm(parent, done->pcomm);
	send_event(ctx, done, sizeof(*done));
}

/* A piece buffer with this exec's identity, or NULL. */
static __always_inline struct exec_piece *piece_buffer(__u64 exec_id, __u32 tgid)
{
	__u32 zero = 0;
	struct exec_piece *ev = pieces.lookup(&zero);

	if (ev) {
		ev->exec_id = exec_id;
		ev->tgid = tgid;
	}
	return ev;
}

#ifdef SNOOP_BTF_OFFSETS
/*
 * The struct path at where, as a piece of this kind (EXE, CWD): the name of
 * each dentry from its own up to the root of its mount namespace, crossing
 * mount points, leaf first, one EXEC_PATH_NAME slot each (empty at a mount
 * point). Slots at fixed places keep the verifier's walk of the loop
 * linear: its states at each turn differ in nothing it must keep apart.
 */
static __always_inline void send_path(void *ctx, struct exec_piece *ev, __u32 kind, char *where)
{
	char *dentry = read_ptr(where, FIELD_OFFSET(path, dentry));
	char *vfsmount = read_ptr(where, FIELD_OFFSET(path, mnt));
	char *mount = vfsmount - FIELD_OFFSET(mount, mnt);
	char *mnt_root = read_ptr(vfsmount, FIELD_OFFSET(vfsmount, mnt_root));
	char *leaf = dentry;
	__u32 flags, i;

	/* Nothing but the walk in the loop: flags set in it would multiply the verifier's states. */
#pragma clang loop unroll(disable)
	for (i = 0; i < EXEC_PATH_DEPTH; i++) {
		char *slot = ev->data + i * EXEC_PATH_NAME;
		char *parent, *name;

		slot[0] = '\0';
		if (dentry == mnt_root) {
			/* The top of a mount: go on from its mount point, in the parent mount. */
			char *parent_mount = read_ptr(mount, FIELD_OFFSET(mount, mnt_parent));

			if (!parent_mount || parent_mount == mount)
				break;
			dentry = read_ptr(mount, FIELD_OFFSET(mount, mnt_mountpoint));
			mount = parent_mount;
			mnt_root = read_ptr(mount + FIELD_OFFSET(mount, mnt),
					    FIELD_OFFSET(vfsmount, mnt_root));
			continue;
		}
		parent = read_ptr(dentry, FIELD_OFFSET(dentry, d_parent));
		name = read_ptr(dentry, FIELD_OFFSET(dentry, d_name) + FIELD_OFFSET(qstr, name));
		bpf_probe_read_kernel_str(slot, EXEC_PATH_NAME, name);
		/* A root that is no mount's: a file of an internal mount (memfd) or a detached one. */
		if (!parent || parent == dentry)
			break;
		dentry = parent;
	}
	i = forget(&ev->reserved, i);
	flags = i < EXEC_PATH_DEPTH ? 0 : EXEC_PIECE_CUT;
	/* Unhashed: unlinked, or never linked (memfd): what d_path calls deleted. */
	if (!read_ptr(leaf, FIELD_OFFSET(dentry, d_hash) + FIELD_OFFSET(hlist_bl_node, pprev)))
		flags |= EXEC_PIECE_DELETED;
	send_piece(ctx, ev, kind, 0,
		   (i < EXEC_PATH_DEPTH ? i + 1 : EXEC_PATH_DEPTH) * EXEC_PATH_NAME, flags);
}
#endif

/*
 * A successful exec, once the new program is in place and before it runs:
 * args are (task, the caller's TID, struct linux_binprm *).
 */
RAW_TRACEPOINT_PROBE(sched_process_exec)
{
	struct execsnoop_config *cfg = exec_config();
	char *bprm = (char *)ctx->args[2];
	char *mm, *filename, *interp, *fdpath;
	unsigned long start = 0, end = 0, total, at, left;
	struct exec_done *done;
	struct exec_piece *ev;
	__u32 zero = 0;
	long len;

	if (!cfg || !exec_wanted(cfg))
		return 0;
	done = dones.lookup(&zero);
	if (!done)
		return 0;
	__builtin_memset(done, 0, sizeof(*done));
	done->exec_id = bpf_ktime_get_ns();
	done->tgid = scoped_pid_tgid() >> 32;
	/* The caller's TID, of the initial namespace: with --pidns, the process's. */
	done->tid = scope_pidns() ? done->tgid : (__u32)ctx->args[1];
	ev = piece_buffer(done->exec_id, done->tgid);
	if (!ev)
		return 0;

	filename = read_ptr(bprm, FIELD_OFFSET(linux_binprm, filename));
	interp = read_ptr(bprm, FIELD_OFFSET(linux_binprm, interp));
	fdpath = read_ptr(bprm, FIELD_OFFSET(linux_binprm, fdpath));
	len = bpf_probe_read_kernel_str(ev->data, EXEC_NAME_MAX, filename);
	/* A failed read leaves the buffer zeroed: one NUL. */
	send_piece(ctx, ev, EXEC_EVENT_FILENAME, 0, len > 0 ? len : 1, 0);
	done->pieces = 1;
	/* An interpreter took over: bprm->interp names it now, not the file. */
	if (interp != filename)
		done->flags |= EXEC_DONE_INTERPRETED;
	if (fdpath)
		done->flags |= EXEC_DONE_BY_FD;
#ifdef SNOOP_BTF_OFFSETS
	/* The file that runs (the interpreter's after a #!), and where. */
	char *file = read_ptr(bprm, FIELD_OFFSET(linux_binprm, file));
	char *fs = read_ptr((void *)bpf_get_current_task(), FIELD_OFFSET(task_struct, fs));

	/* Text shows the file only for an exec by descriptor, and never the directory. */
	if (file && (cfg->paths || fdpath)) {
		send_path(ctx, ev, EXEC_EVENT_EXE, file + FIELD_OFFSET(file, f_path));
		done->pieces++;
	}
	if (fs && cfg->paths) {
		send_path(ctx, ev, EXEC_EVENT_CWD, fs + FIELD_OFFSET(fs_struct, pwd));
		done->pieces++;
	}
#endif

	mm = read_ptr((void *)bpf_get_current_task(), FIELD_OFFSET(task_struct, mm));
	if (mm) {
		bpf_probe_read_kernel(&start, sizeof(start),
				      mm + FIELD_OFFSET(mm_struct, arg_start));
		bpf_probe_read_kernel(&end, sizeof(end), mm + FIELD_OFFSET(mm_struct, arg_end));
	}
	total = end > start ? end - start : 0;
	if (total > EXEC_ARGS_MAX_BYTES) {
		total = EXEC_ARGS_MAX_BYTES;
		done->flags |= EXEC_DONE_CUT;
	}
	at = start;
	left = total;
#pragma clang loop unroll(disable)
	for (__u32 i = 0; i < EXEC_ARGS_MAX_BYTES / EXEC_PIECE_MAX && left; i++) {
		/* Forgotten: 6.1's verifier would take an impossible branch of what it knows of left. */
		__u32 n = at_most(forget(&ev->reserved, left), EXEC_PIECE_MAX), flags = 0;

		/* The kernel wrote these pages itself: a failure would be its bug, shown as such. */
		if (read_user(ev->data, n, (void *)at))
			flags = EXEC_PIECE_UNREADABLE;
		send_piece(ctx, ev, EXEC_EVENT_ARGS, at - start, n, flags);
		done->pieces++;
		at += n;
		left -= n;
	}
	done->args_len = total;
	send_done(ctx, done, cfg);
	return 0;
}

/*
 * Failed execs (-x) from here on: the syscalls' programs. Without -x the
 * tool attaches none, but they are compiled all the same: one program
 * serves every start.
 */
/* A failed exec's call: what its exit needs of its arguments. */
struct exec_call {
	unsigned long name;
	unsigned long argv;
	__s32 dirfd;
	__u32 syscall; /* enum exec_syscall */
};

#define AT_FDCWD_VALUE -100

/*
 * A failed exec being read, across the tail calls of its exit program:
 * one per CPU, as a program run is.
 */
struct failed_exec {
	struct exec_done done;
	unsigned long argv; /* the caller's argv */
	unsigned long arg;  /* the argument being read, or 0 */
	__u32 index;	    /* the next argv entry */
	__u32 max_args;
	__u32 compat;	   /* argv holds 4-byte pointers */
	__u32 in_progress; /* this CPU's exit program runs again for it */
	__u32 finished;	   /* argv read to its end, or to a limit that says so */
};

BPF_PERCPU_ARRAY(failed, struct failed_exec, 1);

#define FAILED_ARGS_PER_CALL 32

/*
 * Reads argv entry st->index into st->arg. False at the end of argv, at
 * --max-args (noting whether more entries follow), or when the entry
 * cannot be read (sent as an unreadable argument).
 */
static __always_inline bool next_failed_arg(void *ctx, struct failed_exec *st,
					    struct exec_piece *ev)
{
	unsigned long arg = 0;
	long err;

	if (!st->argv)
		return false;
	if (st->compat) {
		__u32 arg32 = 0;

		err = read_user(&arg32, sizeof(arg32), (void *)(st->argv + st->index * 4UL));
		arg = arg32;
	} else {
		err = read_user(&arg, sizeof(arg), (void *)(st->argv + st->index * 8UL));
	}
	if (err) {
		ev->data[0] = '\0';
		send_piece(ctx, ev, EXEC_EVENT_ARGS, st->done.args_len, 1, EXEC_PIECE_UNREADABLE);
		st->done.args_len++;
		st->done.pieces++;
		st->done.flags |= EXEC_DONE_ARGV_UNREADABLE;
		return false;
	}
	if (!arg)
		return false;
	if (st->index >= st->max_args) {
		st->done.flags |= EXEC_DONE_MORE_ARGS;
		return false;
	}
	st->index++;
	st->arg = arg;
	return true;
}

/*
 * Sends the next piece of the argument in st->arg: all of it, or as much
 * as a piece holds (the rest is read next). False when the argument
 * strings reached EXEC_ARGS_MAX_BYTES.
 */
static __always_inline bool send_failed_arg(void *ctx, struct failed_exec *st,
					    struct exec_piece *ev)
{
	__u32 room = EXEC_ARGS_MAX_BYTES - st->done.args_len, size, flags = 0;
	char last = 0;
	long len;

	if (st->done.args_len >= EXEC_ARGS_MAX_BYTES - 1) {
		st->done.flags |= EXEC_DONE_CUT;
		return false;
	}
	size = at_most(room, EXEC_PIECE_MAX);
	len = read_user_str(ev->data, size, (void *)st->arg);
	if (len <= 0) {
		/* The helper zeroed the buffer: an unreadable argument is one NUL. */
		len = 1;
		flags = EXEC_PIECE_UNREADABLE;
		st->arg = 0;
	} else if (len == size) {
		/* Full: the argument ends here only if its last byte is the end. */
		read_user(&last, 1, (void *)(st->arg + size - 1));
		if (last) {
			len = size - 1;
			st->arg += len;
		} else {
			st->arg = 0;
		}
	} else {
		st->arg = 0;
	}
	send_piece(ctx, ev, EXEC_EVENT_ARGS, st->done.args_len, (__u32)len, flags);
	st->done.args_len += (__u32)len;
	st->done.pieces++;
	return true;
}

/*
 * A failed exec's first run: its identity, and its file name as the
 * caller gave it. False when there is nothing to send: ret >= 0 is a
 * successful exec, which sched_process_exec has sent.
 */
static __always_inline bool failed_start(void *ctx, struct failed_exec *st, struct exec_piece *ev,
					 const struct exec_call *call, long ret)
{
	struct execsnoop_config *cfg = exec_config();
	__u64 pid_tgid;
	long len;

	if (ret >= 0 || !cfg || !cfg->fails || !exec_wanted(cfg))
		return false;
	pid_tgid = scoped_pid_tgid();
	__builtin_memset(&st->done, 0, sizeof(st->done));
	st->done.exec_id = bpf_ktime_get_ns();
	st->done.tgid = pid_tgid >> 32;
	st->done.tid = (__u32)pid_tgid;
	st->done.retval = ret;
	st->done.syscall = call->syscall;
	st->done.dirfd = call->dirfd;
	st->argv = call->argv;
	st->arg = 0;
	st->index = 0;
	st->finished = 0;
	st->in_progress = 1;
	st->max_args = cfg->max_args < EXEC_MAX_ARGS ? cfg->max_args : EXEC_MAX_ARGS;
	st->compat = call->syscall == EXEC_SYS_EXECVE_32 || call->syscall == EXEC_SYS_EXECVEAT_32;
	ev->exec_id = st->done.exec_id;
	ev->tgid = st->done.tgid;
	len = read_user_str(ev->data, EXEC_NAME_MAX, (void *)call->name);
	if (len > 0) {
		send_piece(ctx, ev, EXEC_EVENT_FILENAME, 0, len, 0);
	} else {
		ev->data[0] = '\0';
		send_piece(ctx, ev, EXEC_EVENT_FILENAME, 0, 1, EXEC_PIECE_UNREADABLE);
	}
	st->done.pieces = 1;
	return true;
}

/*
 * One run of an exit program for a failed exec: the start (first run), then
 * FAILED_ARGS_PER_CALL pieces of argv. True when the exit should run again
 * (a tail call of itself) to read more.
 */
static __always_inline bool failed_step(void *ctx, const struct exec_call *call, long ret)
{
	__u32 zero = 0;
	struct failed_exec *st = failed.lookup(&zero);
	struct exec_piece *ev = pieces.lookup(&zero);

	if (!st || !ev || (!st->in_progress && !failed_start(ctx, st, ev, call, ret)))
		return false;
#pragma clang loop unroll(disable)
	for (int i = 0; i < FAILED_ARGS_PER_CALL; i++) {
		if ((!st->arg && !next_failed_arg(ctx, st, ev)) || !send_failed_arg(ctx, st, ev)) {
			st->finished = 1;
			return false;
		}
	}
	return true;
}

/*
 * The last run for a failed exec: DONE. Reached when argv is read, or when
 * the kernel's limit of tail calls in a row stopped the reading short:
 * then the line is marked as having more.
 */
static __always_inline int failed_done(void *ctx)
{
	struct execsnoop_config *cfg = exec_config();
	__u32 zero = 0;
	struct failed_exec *st = failed.lookup(&zero);

	if (!cfg || !st || !st->in_progress)
		return 0;
	st->in_progress = 0;
	if (!st->finished)
		st->done.flags |= EXEC_DONE_MORE_ARGS;
	send_done(ctx, &st->done, cfg);
	return 0;
}

/*
 * Each exit program X runs again, to read more of a failed exec's argv,
 * through its prog array failed_args_X_calls, whose slot 0 holds X itself
 * (the runtime puts it there): a tail call must stay within one hook.
 * libbcc takes a map's methods outside macros only: these are written out.
 */
BPF_PROG_ARRAY(failed_args_execve_calls, 1);
static __always_inline int execve_failed(void *ctx, const struct exec_call *call, long ret)
{
	if (failed_step(ctx, call, ret))
		failed_args_execve_calls.call(ctx, 0);
	return failed_done(ctx);
}

BPF_PROG_ARRAY(failed_args_execveat_calls, 1);
static __always_inline int execveat_failed(void *ctx, const struct exec_call *call, long ret)
{
	if (failed_step(ctx, call, ret))
		failed_args_execveat_calls.call(ctx, 0);
	return failed_done(ctx);
}

#ifdef SNOOP_COMPAT_FUNC_execve
BPF_PROG_ARRAY(failed_args_compat_execve_calls, 1);
static __always_inline int compat_execve_failed(void *ctx, const struct exec_call *call, long ret)
{
	if (failed_step(ctx, call, ret))
		failed_args_compat_execve_calls.call(ctx, 0);
	return failed_done(ctx);
}
#endif

#ifdef SNOOP_COMPAT_FUNC_execveat
BPF_PROG_ARRAY(failed_args_compat_execveat_calls, 1);
static __always_inline int compat_execveat_failed(void *ctx, const struct exec_call *call, long ret)
{
	if (failed_step(ctx, call, ret))
		failed_args_compat_execveat_calls.call(ctx, 0);
	return failed_done(ctx);
}
#endif

/* execve(filename, argv, envp); execveat(dirfd, pathname, argv, envp, flags). */
static __always_inline struct exec_call call_of(__u32 syscall, unsigned long arg0,
						unsigned long arg1, unsigned long arg2)
{
	struct exec_call call = {
		.name = arg0, .argv = arg1, .dirfd = AT_FDCWD_VALUE, .syscall = syscall
	};

	if (syscall == EXEC_SYS_EXECVEAT || syscall == EXEC_SYS_EXECVEAT_32) {
		call.dirfd = (int)arg0;
		call.name = arg1;
		call.argv = arg2;
	}
	return call;
}

#if SNOOP_EXIT_ARGS
/* Exit X reads its call back from the caller's saved registers. */
#define EXIT_FROM_REGS(X, SYSCALL, ARG)                                                            \
	static __always_inline int X##_done(void *ctx, struct pt_regs *regs, long ret)             \
	{                                                                                          \
		struct exec_call call =                                                            \
			call_of(SYSCALL, ARG(regs, 0), ARG(regs, 1), ARG(regs, 2));                \
                                                                                                   \
		return X##_failed(ctx, &call, ret);                                                \
	}

EXIT_FROM_REGS(execve, EXEC_SYS_EXECVE, syscall_arg)
EXIT_FROM_REGS(execveat, EXEC_SYS_EXECVEAT, syscall_arg)

#if SNOOP_TRACEPOINT
TRACEPOINT_PROBE(syscalls, sys_exit_execve)
{
	return execve_done(args, current_syscall_regs(), args->ret);
}

TRACEPOINT_PROBE(syscalls, sys_exit_execveat)
{
	return execveat_done(args, current_syscall_regs(), args->ret);
}
#endif
SYSCALL_RETURN_PROBE(execve, execve_done)
SYSCALL_RETURN_PROBE(execveat, execveat_done)
#ifdef SNOOP_COMPAT_FUNC_execve
EXIT_FROM_REGS(compat_execve, EXEC_SYS_EXECVE_32, compat_syscall_arg)
COMPAT_SYSCALL_RETURN_PROBE(execve, compat_execve_done)
#endif
#ifdef SNOOP_COMPAT_FUNC_execveat
EXIT_FROM_REGS(compat_execveat, EXEC_SYS_EXECVEAT_32, compat_syscall_arg)
COMPAT_SYSCALL_RETURN_PROBE(execveat, compat_execveat_done)
#endif

#else /* !SNOOP_EXIT_ARGS */
/*
 * The entry keeps its call for the exit, by thread. LRU: a successful exec
 * from a thread other than the leader returns under the leader's TID and
 * never takes its entry back.
 */
BPF_TABLE("lru_hash", __u32, struct exec_call, calls, 10240);

static __always_inline void save_call(const struct exec_call *call)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();

	if (calls.update(&tid, call))
		count_table_full();
}

/* The entry's call, taken back; false when there is none. */
static __always_inline bool take_call(struct exec_call *call)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct exec_call *found = calls.lookup(&tid);

	if (!found)
		return false;
	*call = *found;
	calls.delete(&tid);
	return true;
}

/* A run again for the same exec finds no entry: it goes on all the same. */
#define ENTRY_AND_EXIT(X, SYSCALL)                                                                 \
	static __always_inline int X##_enter(void *ctx, unsigned long arg0, unsigned long arg1,    \
					     unsigned long arg2)                                   \
	{                                                                                          \
		struct exec_call call = call_of(SYSCALL, arg0, arg1, arg2);                        \
                                                                                                   \
		save_call(&call);                                                                  \
		return 0;                                                                          \
	}                                                                                          \
                                                                                                   \
	static __always_inline int X##_exit(void *ctx, long ret)                                   \
	{                                                                                          \
		struct exec_call call = {};                                                        \
                                                                                                   \
		return X##_failed(ctx, &call, take_call(&call) ? ret : 0);                         \
	}

ENTRY_AND_EXIT(execve, EXEC_SYS_EXECVE)
ENTRY_AND_EXIT(execveat, EXEC_SYS_EXECVEAT)

#if SNOOP_TRACEPOINT
TRACEPOINT_PROBE(syscalls, sys_enter_execve)
{
	return execve_enter(args, (unsigned long)args->filename, (unsigned long)args->argv, 0);
}

TRACEPOINT_PROBE(syscalls, sys_exit_execve)
{
	return execve_exit(args, args->ret);
}

TRACEPOINT_PROBE(syscalls, sys_enter_execveat)
{
	return execveat_enter(args, args->fd, (unsigned long)args->filename,
			      (unsigned long)args->argv);
}

TRACEPOINT_PROBE(syscalls, sys_exit_execveat)
{
	return execveat_exit(args, args->ret);
}
#endif
SYSCALL_PROBES(execve, execve_enter, execve_exit)
SYSCALL_PROBES(execveat, execveat_enter, execveat_exit)
#ifdef SNOOP_COMPAT_FUNC_execve
ENTRY_AND_EXIT(compat_execve, EXEC_SYS_EXECVE_32)
COMPAT_SYSCALL_ENTRY_PROBE(execve, compat_execve_enter)
COMPAT_SYSCALL_EXIT_PROBE(execve, compat_execve_exit)
#endif
#ifdef SNOOP_COMPAT_FUNC_execveat
ENTRY_AND_EXIT(compat_execveat, EXEC_SYS_EXECVEAT_32)
COMPAT_SYSCALL_ENTRY_PROBE(execveat, compat_execveat_enter)
COMPAT_SYSCALL_EXIT_PROBE(execveat, compat_execveat_exit)
#endif
#endif /* SNOOP_EXIT_ARGS */
