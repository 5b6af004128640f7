/*
 * The benchmark's exec workload: N times fork, exec /bin/true with one
 * argument (MARK.i), wait. Prints the mean cost of one fork+exec+wait in
 * nanoseconds. Usage: exec_storm N MARK
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char *argv[])
{
	long n = argc > 2 ? strtol(argv[1], NULL, 10) : 0;
	struct timespec a, b;

	if (n <= 0) {
		fprintf(stderr, "usage: exec_storm N MARK (N > 0)\n");
		return 2;
	}
	clock_gettime(CLOCK_MONOTONIC, &a);
	for (long i = 0; i < n; i++) {
		/*
		 * On the stack, not in .rodata: a fresh child has not faulted in
		 * its file-backed pages, and the peers, which read arguments when
		 * the exec starts, would show such a name empty (bpftrace drops
		 * the line). execsnoop-c reads them from the new program.
		 */
		char path[] = "/bin/true", arg[64];
		pid_t child;

		snprintf(arg, sizeof(arg), "%s.%ld", argv[2], i);
		child = fork();
		if (child == 0) {
			execl(path, path, arg, (char *)NULL);
			_exit(127);
		}
		if (child < 0 || waitpid(child, NULL, 0) < 0) {
			perror("exec_storm");
			return 1;
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &b);
	printf("%.1f\n", ((double)(b.tv_sec - a.tv_sec) * 1e9 + (double)(b.tv_nsec - a.tv_nsec)) / (double)n);
	return 0;
}
