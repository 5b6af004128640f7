/*
 * ptrace-cases: one ptrace() call of a kind, for ptraceguard-c's tests.
 * Prints "ok" and exits 0 when the call succeeded (an attach is undone at
 * once), or the error and exits 1; a guard's signal ends it otherwise.
 *
 * Usage: ptrace_cases [--name COMM] CALL [PID]
 *   --name COMM  first take this command name (prctl PR_SET_NAME)
 *   attach PID   PTRACE_ATTACH, wait for the stop, detach
 *   seize PID    PTRACE_SEIZE, detach
 *   traceme      PTRACE_TRACEME
 *   traceme32    PTRACE_TRACEME through int $0x80, as a 32-bit program
 *                makes it (x86-64 only)
 *   peek PID     PTRACE_PEEKDATA of PID's address 0 (it fails with ESRCH:
 *                this process traces no one)
 *   traced-peek  a child asks to be traced (PTRACE_TRACEME) and stops; then
 *                PTRACE_PEEKDATA of it, the child killed after
 *   traced-peek32  the same, the PEEKDATA through int $0x80
 *   vm-attach-parent  a child sharing this process's memory (CLONE_VM, as
 *                LeakSanitizer's helper) attaches to it, reads its registers
 *                and a word of its memory, and detaches; "ok" when all of
 *                that worked
 *   fork-attach-parent  the same by a forked child (a copy of the memory)
 *   vm-attach PID  the same by a CLONE_VM child, to PID (its registers only)
 *   vm-readv-parent  a CLONE_VM child reads the word of this process with
 *                process_vm_readv(2), another door of the same permission
 *   idle         a target: prints "ready" once its exec is over, then waits
 *                for a signal (a ptrace attach during an exec would queue
 *                the SIGTRAP a traced exec gets, and end the target)
 */
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <elf.h>
#include <sched.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <unistd.h>

static int result(long ret)
{
	if (ret < 0) {
		printf("error: %s\n", strerror(errno));
		return 1;
	}
	puts("ok");
	return 0;
}

/* ptrace(request, pid, 0, 0) through int $0x80: ptrace is 26 in the 32-bit table. */
static long ptrace32(long request, pid_t pid)
{
#if defined(__x86_64__)
	long ret;

	__asm__ volatile("int $0x80"
			 : "=a"(ret)
			 : "a"(26), "b"(request), "c"(pid), "d"(0), "S"(0)
			 : "memory");
	if (ret < 0) {
		errno = (int)-ret;
		return -1;
	}
	return ret;
#else
	(void)request;
	(void)pid;
	errno = ENOSYS;
	return -1;
#endif
}

static long peek(pid_t pid, bool compat)
{
	return compat ? ptrace32(PTRACE_PEEKDATA, pid) : ptrace(PTRACE_PEEKDATA, pid, 0, 0);
}

/* PTRACE_PEEKDATA of a tracee of this process: a child that asked for it. */
static long traced_peek(bool compat)
{
	pid_t child = fork();
	int status;
	long ret;

	if (child < 0)
		return -1;
	if (child == 0) {
		if (ptrace(PTRACE_TRACEME, 0, 0, 0) == 0)
			raise(SIGSTOP);
		_exit(0);
	}
	if (waitpid(child, &status, __WALL) < 0 || !WIFSTOPPED(status)) {
		errno = ECHILD;
		return -1;
	}
	errno = 0;
	ret = peek(child, compat);
	/* Address 0 is not mapped: the call was made, and that is what counts. */
	if (ret < 0 && (errno == EIO || errno == EFAULT))
		ret = 0;
	kill(child, SIGKILL);
	waitpid(child, &status, __WALL);
	return ret;
}

static long attach(pid_t pid)
{
	int status;

	if (ptrace(PTRACE_ATTACH, pid, 0, 0) < 0)
		return -1;
	waitpid(pid, &status, __WALL);
	return ptrace(PTRACE_DETACH, pid, 0, 0);
}

static long seize(pid_t pid)
{
	if (ptrace(PTRACE_SEIZE, pid, 0, 0) < 0)
		return -1;
	return ptrace(PTRACE_DETACH, pid, 0, 0);
}

/* What a tracer child reads back of its target's memory. */
static volatile unsigned long secret = 0x5ec4e7UL;

/* The target of a tracer child, and whether it is the child's parent (secret at the same address). */
struct tracer_target {
	pid_t pid;
	bool parent;
};

/*
 * Attach to the target, wait for its stop, read its registers (and its
 * secret, of the parent) and detach: 0, or an errno. Raw system calls: a
 * CLONE_VM child shares the parent's libc state.
 */
static int attach_and_peek(const struct tracer_target *t)
{
	struct user_regs_struct regs;
	struct iovec regs_io = { &regs, sizeof(regs) };
	unsigned long word = 0;
	int status;

	if (syscall(SYS_ptrace, PTRACE_ATTACH, t->pid, 0, 0) < 0)
		return errno;
	if (syscall(SYS_wait4, t->pid, &status, __WALL, NULL) < 0 ||
	    syscall(SYS_ptrace, PTRACE_GETREGSET, t->pid, NT_PRSTATUS, &regs_io) < 0 ||
	    (t->parent && syscall(SYS_ptrace, PTRACE_PEEKDATA, t->pid, &secret, &word) < 0))
		return errno;
	if (t->parent && word != secret)
		return EIO;
	return syscall(SYS_ptrace, PTRACE_DETACH, t->pid, 0, 0) < 0 ? errno : 0;
}

static int vm_child(void *target)
{
	return attach_and_peek(target);
}

/* Reads secret of the target with process_vm_readv: 0, or an errno. */
static int readv_secret(void *target)
{
	const struct tracer_target *t = target;
	unsigned long word = 0;
	struct iovec local = { &word, sizeof(word) }, remote = { (void *)&secret, sizeof(word) };

	if (syscall(SYS_process_vm_readv, t->pid, &local, 1, &remote, 1, 0) != sizeof(word))
		return errno ? errno : EIO;
	return word == secret ? 0 : EIO;
}

/* The child's attach_and_peek() result: 0, else its errno in errno, or the signal that ended it. */
static int child_result(pid_t child)
{
	int status;

	if (child < 0 || waitpid(child, &status, __WALL) < 0)
		return result(-1);
	if (WIFSIGNALED(status)) {
		printf("killed: signal %d\n", WTERMSIG(status));
		return 1;
	}
	errno = WEXITSTATUS(status);
	return result(errno ? -1 : 0);
}

/* A child sharing this process's memory (CLONE_VM, no exit signal) runs fn on target. */
static int vm_child_on(int (*fn)(void *), pid_t pid)
{
	static char stack[256 << 10] __attribute__((aligned(16)));
	struct tracer_target target = { pid, pid == getpid() };

	return child_result(clone(fn, stack + sizeof(stack), CLONE_VM, &target));
}

/* A forked child attaches to this process. */
static int fork_attach_parent(void)
{
	struct tracer_target target = { getpid(), true };
	pid_t child = fork();

	if (child == 0)
		_exit(attach_and_peek(&target));
	return child_result(child);
}

int main(int argc, char *argv[])
{
	int i = 1;
	pid_t pid;

	if (argc > 2 && !strcmp(argv[1], "--name")) {
		prctl(PR_SET_NAME, argv[2], 0, 0, 0);
		i = 3;
	}
	if (i >= argc)
		goto usage;
	pid = i + 1 < argc ? (pid_t)atoi(argv[i + 1]) : 0;
	setvbuf(stdout, NULL, _IONBF, 0);
	if (!strcmp(argv[i], "idle")) {
		puts("ready");
		for (;;)
			pause();
	}
	if (!strcmp(argv[i], "traceme"))
		return result(ptrace(PTRACE_TRACEME, 0, 0, 0));
	if (!strcmp(argv[i], "traceme32"))
		return result(ptrace32(PTRACE_TRACEME, 0));
	if (!strcmp(argv[i], "peek") && pid > 0)
		return result(peek(pid, false));
	if (!strcmp(argv[i], "traced-peek"))
		return result(traced_peek(false));
	if (!strcmp(argv[i], "traced-peek32"))
		return result(traced_peek(true));
	if (!strcmp(argv[i], "attach") && pid > 0)
		return result(attach(pid));
	if (!strcmp(argv[i], "seize") && pid > 0)
		return result(seize(pid));
	if (!strcmp(argv[i], "vm-attach-parent"))
		return vm_child_on(vm_child, getpid());
	if (!strcmp(argv[i], "vm-attach") && pid > 0)
		return vm_child_on(vm_child, pid);
	if (!strcmp(argv[i], "vm-readv-parent"))
		return vm_child_on(readv_secret, getpid());
	if (!strcmp(argv[i], "fork-attach-parent"))
		return fork_attach_parent();
usage:
	fprintf(stderr,
		"usage: ptrace_cases [--name COMM] attach|seize|peek|vm-attach PID | traceme | "
		"traceme32 | traced-peek[32] | vm-attach-parent | vm-readv-parent | fork-attach-parent | "
		"idle\n");
	return 2;
}
