/*
 * signal_backlog: leaves many signals pending at once, for sigsnoop-c -D's
 * test of a full table. Starts THREADS threads with every signal blocked,
 * waits for a line on stdin, then sends each thread, by tgkill(), every
 * signal that can be blocked but glibc's own two (32 and 33): 60 each. It
 * prints how many calls succeeded (each queued a distinct signal) and
 * exits, and the pending signals go with its threads.
 * Usage: signal_backlog THREADS
 */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

#define MAX_THREADS 1024

static pid_t tids[MAX_THREADS];
static pthread_barrier_t started;

static void *blocked_thread(void *slot)
{
	*(pid_t *)slot = (pid_t)syscall(SYS_gettid);
	pthread_barrier_wait(&started);
	for (;;)
		pause(); /* every signal blocked: never returns */
	return NULL;
}

static int blockable(int sig)
{
	return sig != SIGKILL && sig != SIGSTOP && sig != 32 && sig != 33;
}

int main(int argc, char *argv[])
{
	long threads = argc > 1 ? strtol(argv[1], NULL, 10) : 0;
	long queued = 0;
	sigset_t all;
	char line[16];

	if (threads <= 0 || threads > MAX_THREADS) {
		fprintf(stderr, "usage: signal_backlog THREADS (1 to %d)\n", MAX_THREADS);
		return 2;
	}
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, NULL); /* inherited by every thread */
	pthread_barrier_init(&started, NULL, (unsigned)threads + 1);
	for (long i = 0; i < threads; i++) {
		pthread_t t;

		if (pthread_create(&t, NULL, blocked_thread, &tids[i])) {
			perror("pthread_create");
			return 1;
		}
	}
	pthread_barrier_wait(&started);
	if (!fgets(line, sizeof(line), stdin))
		return 1;
	for (int sig = 1; sig <= SIGRTMAX; sig++) {
		for (long i = 0; blockable(sig) && i < threads; i++)
			queued += syscall(SYS_tgkill, getpid(), tids[i], sig) == 0;
	}
	printf("%ld\n", queued);
	fflush(stdout);
	return 0;
}
