#include "stop_signals.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t stop_requested;
/* stdout's file status flags when it is a pipe, else -1. */
static int pipe_out_flags = -1;

static void on_stop_signal(int sig)
{
	(void)sig;
	stop_requested = 1;
	/*
	 * A write blocked on a full pipe that nobody reads returns EINTR; the
	 * next would block again, for good. No write to it blocks from now on.
	 */
	if (pipe_out_flags >= 0)
		fcntl(STDOUT_FILENO, F_SETFL, pipe_out_flags | O_NONBLOCK);
}

void catch_stop_signals(void)
{
	struct sigaction sa = { .sa_handler = on_stop_signal };
	struct stat st;

	if (fstat(STDOUT_FILENO, &st) == 0 && S_ISFIFO(st.st_mode))
		pipe_out_flags = fcntl(STDOUT_FILENO, F_GETFL);

	/* No SA_RESTART: a signal must end the poll that waits for events. */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	/* A closed stdout shows as a write error, so the probes are still detached. */
	signal(SIGPIPE, SIG_IGN);
}

bool stop_was_requested(void)
{
	return stop_requested;
}

/* How often wait_child looks for a stop: a child's end is seen that late at most. */
#define WAIT_CHILD_POLL_NS 10000000L

int wait_child(pid_t pid, int *status)
{
	const struct timespec poll_interval = { .tv_nsec = WAIT_CHILD_POLL_NS };

	for (;;) {
		pid_t r = waitpid(pid, status, WNOHANG);

		if (r == pid)
			return 0;
		if (r < 0 && errno != EINTR) {
			*status = -1;
			return 0;
		}
		if (stop_requested)
			break;
		nanosleep(&poll_interval, NULL);
	}
	kill(-pid, SIGKILL);
	kill(pid, SIGKILL);
	while (waitpid(pid, status, 0) < 0 && errno == EINTR)
		;
	return 1;
}

void stop_restore_output(void)
{
	if (stop_requested && pipe_out_flags >= 0)
		fcntl(STDOUT_FILENO, F_SETFL, pipe_out_flags);
}
