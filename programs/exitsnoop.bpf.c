/*
 * exitsnoop: one event per process exit (with --per-thread, per thread
 * exit), with its exit code or the signal that ended it, and who sent that
 * signal.
 *
 * Who sent a signal is known only when it is generated: signal_generate
 * (a raw tracepoint, for the target task) keeps the sender of each fatal
 * signal queued for a process, by process and signal, in a bounded LRU
 * table; a syscall in flight (the six signal syscalls' programs) names the
 * way it was sent. signal:signal_deliver drops a signal's entry when its
 * process takes it and lives on (a handler, or a signal whose default is
 * not to end it). At the exit, the exit code names the signal that ended
 * the process, and the entry its sender.
 */
#include "exitsnoop.h"
#include "snoop.bpf.h"

#ifndef SNOOP_BTF_OFFSETS
/* Without BTF, the structs whose fields FIELD_OFFSET reads, from the headers. */
#include <linux/sched/signal.h>
SNOOP_HEADER_OFFSETS(EXIT_FIELDS);
#endif

/* include/linux/sched.h, include/uapi/asm-generic/siginfo.h, signal numbers */
#define PF_EXITING 0x00000004
#define SI_USER 0
#define SI_KERNEL 0x80
/* si_code follows si_signo and si_errno (but on MIPS, which snoop-c does not build for). */
#define SIGINFO_CODE_OFFSET 8
#define SIG_DFL_HANDLER 0
#define SIGNUM_ILL 4
#define SIGNUM_TRAP 5
#define SIGNUM_BUS 7
#define SIGNUM_FPE 8
#define SIGNUM_KILL 9
#define SIGNUM_SEGV 11
#define SIGNUM_CHLD 17
#define SIGNUM_CONT 18
#define SIGNUM_STOP 19
#define SIGNUM_TSTP 20
#define SIGNUM_TTIN 21
#define SIGNUM_TTOU 22
#define SIGNUM_URG 23
#define SIGNUM_WINCH 28
#define SIGNUM_SYS 31
#define SIGNUM_MAX 64

BPF_ARRAY(config, struct exitsnoop_config, 1);

/* Each thread in one of the six signal syscalls, and which (enum sig_syscall). */
BPF_HASH(sending, __u32, __u32, 10240);

struct sender_key {
	__u32 tgid; /* the target process, in the initial PID namespace */
	__s32 sig;
};
/* The sender of each fatal signal queued for a process; the oldest go first when full. */
BPF_TABLE("lru_hash", struct sender_key, struct exit_sender, senders, EXIT_SENDERS_MAX);

struct process_key {
	__u32 tgid;
	__u64 start_ns;
};
/* Processes of several threads reported: two of their last threads can both see none left. */
BPF_TABLE("lru_hash", struct process_key, __u8, reported, 1024);

static __always_inline int signal_syscall_enter(void *ctx, __u32 syscall, int tpid, bool tpid_known,
						int sig)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();

	if (sending.update(&tid, &syscall))
		count_table_full();
	return 0;
}

static __always_inline int signal_syscall_exit(void *ctx, long ret)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();

	sending.delete(&tid);
	return 0;
}

/* The six syscalls' programs, over signal_syscall_enter and signal_syscall_exit. */
#include "signal_syscalls.bpf.h"

/* Whether sig's default action ends the process (all but ignore and stop). */
static __always_inline bool ends_by_default(int sig)
{
	return sig != SIGNUM_CHLD && sig != SIGNUM_CONT && sig != SIGNUM_STOP &&
	       sig != SIGNUM_TSTP && sig != SIGNUM_TTIN && sig != SIGNUM_TTOU &&
	       sig != SIGNUM_URG && sig != SIGNUM_WINCH && sig > 0 && sig <= SIGNUM_MAX;
}

/* The signals a fault raises in the faulting thread. */
static __always_inline bool fault_signal(int sig)
{
	return sig == SIGNUM_SEGV || sig == SIGNUM_BUS || sig == SIGNUM_ILL || sig == SIGNUM_FPE ||
	       sig == SIGNUM_TRAP || sig == SIGNUM_SYS;
}

static __always_inline int read_int(const void *base, long offset)
{
	int value = 0;

	bpf_probe_read_kernel(&value, sizeof(value), (const char *)base + offset);
	return value;
}

/* A siginfo's si_code, as signal:signal_generate's format computes it. */
static __always_inline int siginfo_code(const void *info)
{
	/* SEND_SIG_NOINFO and SEND_SIG_PRIV (include/linux/sched/signal.h) */
	if ((unsigned long)info == 0)
		return SI_USER;
	if ((unsigned long)info == 1)
		return SI_KERNEL;
	return read_int(info, SIGINFO_CODE_OFFSET);
}

/* Why the current task sent sig to task, not in a signal syscall. */
static __always_inline __u32 kernel_cause(char *task, int sig, int code)
{
	char *sender = (char *)bpf_get_current_task();
	unsigned int flags = read_int(sender, FIELD_OFFSET(task_struct, flags));

	if ((flags & PF_EXITING) && read_int(task, FIELD_OFFSET(task_struct, pdeath_signal)) == sig)
		return EXIT_CAUSE_PARENT_DEATH;
	if (fault_signal(sig) && code > 0 && read_task_tgid(task) == read_task_tgid(sender))
		return EXIT_CAUSE_FAULT;
	return EXIT_CAUSE_KERNEL;
}

/* args: (sig, info, task, group, result); the current task sends. */
RAW_TRACEPOINT_PROBE(signal_generate)
{
	int sig = (int)ctx->args[0];
	char *task = (char *)ctx->args[2];
	int result = (int)ctx->args[4];
	__u64 pid_tgid = scoped_pid_tgid();
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct sender_key key = { .sig = sig };
	struct exit_sender sender = {};
	__u32 *syscall;

	/* Only a signal queued now can end the process; one already pending keeps its sender. */
	if ((result != SIG_GEN_DELIVERED && result != SIG_GEN_LOSE_INFO) || !ends_by_default(sig))
		return 0;
	key.tgid = read_task_tgid(task);
	sender.ktime = bpf_ktime_get_ns();
	sender.code = siginfo_code((void *)ctx->args[1]);
	syscall = sending.lookup(&tid);
	if (syscall) {
		sender.cause = EXIT_CAUSE_SYSCALL;
		sender.syscall = *syscall;
	} else {
		sender.cause = kernel_cause(task, sig, sender.code);
		sender.syscall = SIG_SYS_KERNEL;
	}
	sender.pid = pid_tgid >> 32;
	sender.tid = (__u32)pid_tgid;
	sender.uid = (__u32)bpf_get_current_uid_gid();
	bpf_get_current_comm(sender.comm, sizeof(sender.comm));
	if (senders.update(&key, &sender))
		count_table_full();
	return 0;
}

/* The OOM killer's SIGKILL, just sent to the victim (a thread of it: its process's mostly). */
TRACEPOINT_PROBE(oom, mark_victim)
{
	struct sender_key key = { .tgid = args->pid, .sig = SIGNUM_KILL };
	struct exit_sender *sender = senders.lookup(&key);

	if (sender && sender->cause == EXIT_CAUSE_KERNEL)
		sender->cause = EXIT_CAUSE_OOM;
	return 0;
}

/* A signal taken by a thread whose process lives on: its sender no longer matters. */
TRACEPOINT_PROBE(signal, signal_deliver)
{
	struct sender_key key = { .tgid = bpf_get_current_pid_tgid() >> 32, .sig = args->sig };

	if (args->sa_handler != SIG_DFL_HANDLER || !ends_by_default(args->sig))
		senders.delete(&key);
	return 0;
}

/*
 * Whether the exiting thread reports its process: none of its threads is
 * left, and no other thread reported it (two of the last can both see none
 * left, the second's exit started before the first's event). The last
 * thread counted checks too: a sibling that saw none left may have
 * reported and been reaped before it, leaving it alone in nr_threads.
 */
static __always_inline bool process_ends(char *signal, __u32 tgid, __u64 start_ns)
{
	struct process_key key = { .tgid = tgid, .start_ns = start_ns };
	__u8 one = 1;

	if (!signal || read_int(signal, FIELD_OFFSET(signal_struct, live)))
		return false;
	if (read_int(signal, FIELD_OFFSET(signal_struct, nr_threads)) <= 1)
		return !reported.lookup(&key);
	return !reported.insert(&key, &one);
}

static __always_inline __u64 read_start_ns(void *task)
{
	__u64 start = 0;

	bpf_probe_read_kernel(&start, sizeof(start),
			      (char *)task + FIELD_OFFSET(task_struct, start_time));
	return start;
}

TRACEPOINT_PROBE(sched, sched_process_exit)
{
	__u32 zero = 0;
	struct exitsnoop_config *cfg = config.lookup(&zero);
	char *task = (char *)bpf_get_current_task();
	struct sender_key key = { .tgid = bpf_get_current_pid_tgid() >> 32 };
	struct exit_sender *sender;
	struct exit_event ev = {};
	__u64 pid_tgid;
	bool ends;

	if (!cfg)
		return 0;
	task_exec_identity(task, &ev.exec);
	ends = process_ends(read_ptr(task, FIELD_OFFSET(task_struct, signal)), key.tgid,
			    ev.exec.start_ns);
	ev.exit_code = read_int(task, FIELD_OFFSET(task_struct, exit_code));
	key.sig = ev.exit_code & 0x7f;
	sender = key.sig ? senders.lookup(&key) : NULL;
	/* An entry older than the process is a former holder's of its PID. */
	if (sender && sender->ktime >= ev.exec.start_ns) {
		ev.sender = *sender;
		ev.has_sender = 1;
	}
	/*
	 * The process's reporting thread is done with it; with per_thread, a
	 * thread that left before the last can still be on its way here.
	 */
	if (sender && ends && !cfg->per_thread)
		senders.delete(&key);
	if (!(ends || cfg->per_thread) || (cfg->failed_only && !ev.exit_code) || !in_scope())
		return 0;
	pid_tgid = scoped_pid_tgid();
	if (cfg->pid && pid_tgid >> 32 != cfg->pid)
		return 0;
	ev.ktime = bpf_ktime_get_ns();
	ev.cgroup_id = current_cgroup_id();
	ev.start_ns = cfg->per_thread ? read_start_ns(task) : ev.exec.start_ns;
	ev.pid = pid_tgid >> 32;
	ev.tid = (__u32)pid_tgid;
	ev.ppid = scoped_tgid(current_parent());
	ev.uid = (__u32)bpf_get_current_uid_gid();
	bpf_get_current_comm(ev.comm, sizeof(ev.comm));
	send_event(args, &ev, sizeof(ev));
	return 0;
}
