#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../../common/stop_signals.h"
#include "unit.h"

/* A bound on every process here, should wait_child never return. */
#define GIVE_UP_S 20

static void wait_child_reaps_a_child_that_ends(void)
{
	int status = 0;
	pid_t child = fork();

	if (child == 0)
		_exit(3);
	CHECK(child > 0);
	CHECK(wait_child(child, &status) == 0);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 3);
}

/*
 * The tester's side, in a process of its own (a stop request is the whole
 * process's): a child that leads its process group and has a child of its
 * own (as tar has xz), neither of which would end; SIGINT from a helper
 * 0.1 s later, then wait_child. Exits 0 when it returned 1 with the child
 * killed and reaped, and the grandchild (reaped here, a subreaper) killed
 * with it.
 */
static __attribute__((noreturn)) void stop_during_wait(void)
{
	const struct timespec delay = { .tv_nsec = 100000000L };
	int status = 0, grandchild_status = 0, rc, null_fd, ready[2];
	pid_t child, helper;
	bool reaped, killed;
	char byte;

	alarm(GIVE_UP_S);
	/* The stop makes a stdout pipe non-blocking: not the runner's. */
	null_fd = open("/dev/null", O_WRONLY);
	if (null_fd >= 0) {
		dup2(null_fd, STDOUT_FILENO);
		close(null_fd);
	}
	if (prctl(PR_SET_CHILD_SUBREAPER, 1) || pipe(ready))
		_exit(1);
	catch_stop_signals();
	child = fork();
	if (child == 0) {
		setpgid(0, 0);
		if (fork() == 0) {
			alarm(GIVE_UP_S / 4); /* not killed: it ends by SIGALRM */
			for (;;)
				pause();
		}
		alarm(GIVE_UP_S);
		(void)!write(ready[1], "1", 1);
		for (;;)
			pause();
	}
	if (child < 0 || read(ready[0], &byte, 1) != 1)
		_exit(1);
	helper = fork();
	if (helper == 0) {
		nanosleep(&delay, NULL);
		kill(getppid(), SIGINT);
		_exit(0);
	}
	rc = wait_child(child, &status);
	/* Reaped: no such child of ours any more. */
	reaped = waitpid(child, NULL, WNOHANG) < 0 && errno == ECHILD;
	waitpid(helper, NULL, 0);
	/* The grandchild, orphaned to this subreaper. */
	if (waitpid(-1, &grandchild_status, 0) < 0)
		_exit(1);
	killed = WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL &&
		 WIFSIGNALED(grandchild_status) && WTERMSIG(grandchild_status) == SIGKILL;
	_exit(rc == 1 && killed && reaped ? 0 : 1);
}

static void wait_child_kills_and_reaps_on_a_stop(void)
{
	int status = 0;
	pid_t tester = fork();

	if (tester == 0)
		stop_during_wait();
	CHECK(tester > 0);
	CHECK(waitpid(tester, &status, 0) == tester);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

UNIT_SUITE(stop_signals_tests,
	   { "stop signals: wait_child reaps a child that ends, with its status",
	     wait_child_reaps_a_child_that_ends },
	   { "stop signals: a stop during wait_child kills the child and its group, and reaps it",
	     wait_child_kills_and_reaps_on_a_stop });
