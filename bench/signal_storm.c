/*
 * The benchmark's delivery workload: waits for a line on stdin (so that a
 * tracer can be started for its PID), then kill(getpid(), SIGUSR1) N
 * times, each taken by its handler as the call returns. Prints the mean
 * cost of one signal of the storm, sent and delivered, in nanoseconds.
 * Usage: signal_storm N
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t taken;

static void on_usr1(int sig)
{
	(void)sig;
	taken++;
}

int main(int argc, char *argv[])
{
	long n = argc > 1 ? strtol(argv[1], NULL, 10) : 0;
	struct sigaction sa = { .sa_handler = on_usr1 };
	pid_t self = getpid();
	struct timespec a, b;
	char line[16];

	if (n <= 0) {
		fprintf(stderr, "usage: signal_storm N (N > 0)\n");
		return 2;
	}
	sigaction(SIGUSR1, &sa, NULL);
	if (!fgets(line, sizeof(line), stdin))
		return 1;
	clock_gettime(CLOCK_MONOTONIC, &a);
	for (long i = 0; i < n; i++)
		kill(self, SIGUSR1);
	clock_gettime(CLOCK_MONOTONIC, &b);
	if (taken != (sig_atomic_t)n) {
		fprintf(stderr, "signal_storm: %ld signals taken of %ld\n", (long)taken, n);
		return 1;
	}
	printf("%.1f\n",
	       ((double)(b.tv_sec - a.tv_sec) * 1e9 + (double)(b.tv_nsec - a.tv_nsec)) / (double)n);
	return 0;
}
