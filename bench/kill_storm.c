/*
 * The benchmark's signal workload: kill(getpid(), 0) N times, as fast as
 * it goes. Prints the mean cost of one call in nanoseconds.
 * Usage: kill_storm N
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char *argv[])
{
	long n = argc > 1 ? strtol(argv[1], NULL, 10) : 0;
	pid_t self = getpid();
	struct timespec a, b;

	if (n <= 0) {
		fprintf(stderr, "usage: kill_storm N (N > 0)\n");
		return 2;
	}
	clock_gettime(CLOCK_MONOTONIC, &a);
	for (long i = 0; i < n; i++)
		kill(self, 0);
	clock_gettime(CLOCK_MONOTONIC, &b);
	printf("%.1f\n",
	       ((double)(b.tv_sec - a.tv_sec) * 1e9 + (double)(b.tv_nsec - a.tv_nsec)) / (double)n);
	return 0;
}
