/*
 * exit_cases: processes that end in each way exitsnoop-c tells apart, for
 * its test. For each, one line on stdout with what the workload knows
 * (its waitpid() status, and who it had send the signal):
 *   CASE PID STATUS CAUSE SENDER_PID SENDER_TID SENDER_COMM SYSCALL
 * ("-" where there is none). Each process is named after its case.
 * Cases: exit3 (exit(3)), kill (SIGKILL from another process), segv
 * (SIGSEGV by a fault), thread_term (SIGTERM by tgkill from a thread of
 * another process), sender_gone (a SIGTERM whose sender was reaped
 * before the target took it), pdeath (its parent's death signal), and
 * threads_kill (four threads, SIGKILL from the workload: one exit).
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define THREADS 4

static void die(const char *what)
{
	perror(what);
	exit(1);
}

static void name_task(const char *name)
{
	if (prctl(PR_SET_NAME, name, 0, 0, 0))
		die("prctl");
}

static pid_t fork_named(const char *name)
{
	pid_t pid = fork();

	if (pid < 0)
		die("fork");
	if (pid == 0)
		name_task(name);
	return pid;
}

static int wait_for(pid_t pid)
{
	int status;

	if (waitpid(pid, &status, 0) != pid)
		die("waitpid");
	return status;
}

static void report(const char *name, pid_t pid, int status, const char *cause, pid_t sender,
		   pid_t sender_tid, const char *sender_comm, const char *syscall)
{
	if (sender)
		printf("%s %d %d %s %d %d %s %s\n", name, pid, status, cause, sender, sender_tid,
		       sender_comm, syscall);
	else
		printf("%s %d %d - - - - -\n", name, pid, status);
	fflush(stdout);
}

/* A number through a pipe (1 says "ready" or "go"). */
static void send_int(int fd, int value)
{
	if (write(fd, &value, sizeof(value)) != sizeof(value))
		die("write");
}

static int receive_int(int fd)
{
	int value;

	if (read(fd, &value, sizeof(value)) != sizeof(value))
		die("read");
	return value;
}

static void make_pipe(int fds[2])
{
	if (pipe(fds))
		die("pipe");
}

/* A process that waits to be killed, started and ready. */
static pid_t pausing_target(const char *name)
{
	int ready[2];
	pid_t pid;

	make_pipe(ready);
	pid = fork_named(name);
	if (pid == 0) {
		send_int(ready[1], 1);
		for (;;)
			pause();
	}
	receive_int(ready[0]);
	close(ready[0]);
	close(ready[1]);
	return pid;
}

static void case_exit3(void)
{
	pid_t pid = fork_named("exit3");

	if (pid == 0)
		_exit(3);
	report("exit3", pid, wait_for(pid), "-", 0, 0, "-", "-");
}

static void case_kill(void)
{
	pid_t target = pausing_target("kill"), sender = fork_named("killer");

	if (sender == 0)
		_exit(kill(target, SIGKILL) ? 1 : 0);
	if (wait_for(sender))
		die("killer");
	report("kill", target, wait_for(target), "syscall", sender, sender, "killer", "kill");
}

static void case_segv(void)
{
	pid_t pid = fork_named("segv");
	struct rlimit none = { 0, 0 };

	if (pid == 0) {
		/* No core file: the status says so, and nothing is left behind. */
		if (setrlimit(RLIMIT_CORE, &none) || prctl(PR_SET_DUMPABLE, 0, 0, 0, 0))
			die("no core");
		*(volatile int *)0 = 1;
		_exit(1);
	}
	report("segv", pid, wait_for(pid), "fault", pid, pid, "segv", "-");
}

struct term_order {
	pid_t target;
	int tid_out;
};

static void *term_thread(void *arg)
{
	const struct term_order *o = arg;

	name_task("termthread");
	send_int(o->tid_out, (int)syscall(SYS_gettid));
	if (syscall(SYS_tgkill, o->target, o->target, SIGTERM))
		die("tgkill");
	return NULL;
}

static void case_thread_term(void)
{
	pid_t target = pausing_target("thread_term"), sender;
	int tids[2];

	make_pipe(tids);
	sender = fork_named("termsender");
	if (sender == 0) {
		struct term_order o = { target, tids[1] };
		pthread_t thread;

		if (pthread_create(&thread, NULL, term_thread, &o) || pthread_join(thread, NULL))
			_exit(1);
		_exit(0);
	}
	if (wait_for(sender))
		die("termsender");
	report("thread_term", target, wait_for(target), "syscall", sender, receive_int(tids[0]),
	       "termthread", "tgkill");
}

static void case_sender_gone(void)
{
	int ready[2], go[2];
	pid_t target, sender;
	sigset_t term;

	make_pipe(ready);
	make_pipe(go);
	target = fork_named("sender_gone");
	if (target == 0) {
		sigemptyset(&term);
		sigaddset(&term, SIGTERM);
		sigprocmask(SIG_BLOCK, &term, NULL);
		send_int(ready[1], 1);
		receive_int(go[0]);
		/* The pending SIGTERM, whose sender is gone, ends it here. */
		sigprocmask(SIG_UNBLOCK, &term, NULL);
		_exit(1);
	}
	receive_int(ready[0]);
	sender = fork_named("gonesender");
	if (sender == 0)
		_exit(kill(target, SIGTERM) ? 1 : 0);
	if (wait_for(sender))
		die("gonesender");
	if (kill(sender, 0) == 0 || errno != ESRCH)
		die("the sender is still there");
	send_int(go[1], 1);
	report("sender_gone", target, wait_for(target), "syscall", sender, sender, "gonesender",
	       "kill");
}

static void case_pdeath(void)
{
	int pids[2], go[2];
	pid_t parent, child;

	make_pipe(pids);
	make_pipe(go);
	parent = fork_named("pdparent");
	if (parent == 0) {
		child = fork_named("pdeath");
		if (child == 0) {
			if (prctl(PR_SET_PDEATHSIG, SIGUSR1, 0, 0, 0))
				_exit(1);
			send_int(pids[1], (int)getpid());
			for (;;)
				pause();
		}
		receive_int(go[0]);
		_exit(0);
	}
	child = receive_int(pids[0]);
	send_int(go[1], 1);
	if (wait_for(parent))
		die("pdparent");
	/* The workload is the child's subreaper: it waits for it. */
	report("pdeath", child, wait_for(child), "parent_death", parent, parent, "pdparent", "-");
}

static void *idle_thread(void *unused)
{
	(void)unused;
	for (;;)
		pause();
	return NULL;
}

static void case_threads_kill(void)
{
	int ready[2];
	pid_t target = 0;

	make_pipe(ready);
	target = fork_named("threads_kill");
	if (target == 0) {
		pthread_t thread;

		for (int i = 1; i < THREADS; i++)
			if (pthread_create(&thread, NULL, idle_thread, NULL))
				_exit(1);
		send_int(ready[1], 1);
		for (;;)
			pause();
	}
	receive_int(ready[0]);
	if (kill(target, SIGKILL))
		die("kill");
	report("threads_kill", target, wait_for(target), "syscall", getpid(), getpid(),
	       "exit_cases", "kill");
}

int main(void)
{
	name_task("exit_cases");
	if (prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0))
		die("prctl subreaper");
	case_exit3();
	case_kill();
	case_segv();
	case_thread_term();
	case_sender_gone();
	case_pdeath();
	case_threads_kill();
	return 0;
}
