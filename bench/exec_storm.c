/*
 * The benchmark's exec workload: N times fork, exec /bin/true with one
 * argument (MARK.i), and a second of PAD_BYTES bytes when given (a long
 * command line), wait. Prints the mean cost of one fork+exec+wait in
 * nanoseconds. Usage: exec_storm N MARK [PAD_BYTES]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char *argv[])
{
	long n = argc > 2 ? strtol(argv[1], NULL, 10) : 0;
	long pad_bytes = argc > 3 ? strtol(argv[3], NULL, 10) : 0;
	char *pad = NULL;
	struct timespec a, b;

	if (n <= 0 || pad_bytes < 0 || pad_bytes > 120000) {
		fprintf(stderr,
			"usage: exec_storm N MARK [PAD_BYTES] (N > 0, PAD_BYTES <= 120000)\n");
		return 2;
	}
	if (pad_bytes) {
		pad = malloc((size_t)pad_bytes + 1);
		if (!pad) {
			perror("exec_storm");
			return 1;
		}
		memset(pad, 'x', (size_t)pad_bytes);
		pad[pad_bytes] = '\0';
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
			execl(path, path, arg, pad, (char *)NULL);
			_exit(127);
		}
		if (child < 0 || waitpid(child, NULL, 0) < 0) {
			perror("exec_storm");
			return 1;
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &b);
	printf("%.1f\n",
	       ((double)(b.tv_sec - a.tv_sec) * 1e9 + (double)(b.tv_nsec - a.tv_nsec)) / (double)n);
	free(pad);
	return 0;
}
