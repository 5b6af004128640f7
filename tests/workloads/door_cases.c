/*
 * door-cases: a target holding a secret, and an attacker that tries one
 * door into it, for ptraceguard-c's tests (the oracle is what each says).
 *
 * Usage: door_cases target
 *          holds SECRET in its memory and, on fd 3, a file that holds it
 *          too; prints "ready ADDRESS" once set, then "buffer: CONTENT" of
 *          its memory at every SIGUSR1, until killed
 *        door_cases DOOR PID ADDRESS
 *          one attempt on PID's memory at ADDRESS (or its fd 3). Prints
 *          "got: BYTES" (what was read out) or "wrote: N" (bytes written
 *          in) and exits 0, or "error: ..." and exits 1; a guard's signal
 *          ends it otherwise. DOOR is one of
 *          vm_readv   process_vm_readv(2)
 *          vm_writev  process_vm_writev(2), of INJECTED
 *          mem_read   a read of /proc/PID/mem
 *          mem_write  a write of INJECTED to /proc/PID/mem
 *          getfd      pidfd_getfd(2) of its fd 3, then a read of it
 *          stack      a read of /proc/PID/stack (its kernel stack: root only)
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

#define SECRET "snoopc-secret-0123456789"
#define INJECTED "INJECTED"
#define SECRET_FD 3

static char secret[] = SECRET;

static int fail(const char *what)
{
	printf("error: %s: %s\n", what, strerror(errno));
	return 1;
}

static int target(void)
{
	FILE *f = tmpfile();
	sigset_t usr1;
	int sig;

	if (!f || fputs(SECRET, f) < 0 || fflush(f) || dup2(fileno(f), SECRET_FD) < 0 ||
	    lseek(SECRET_FD, 0, SEEK_SET) < 0)
		return fail("the secret's file");
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	sigprocmask(SIG_BLOCK, &usr1, NULL);
	printf("ready %p\n", (void *)secret);
	for (;;) {
		if (sigwait(&usr1, &sig) == 0)
			printf("buffer: %.*s\n", (int)strlen(SECRET), secret);
	}
}

static int got(const char *buf, ssize_t n)
{
	if (n < 0)
		return fail("read");
	printf("got: %.*s\n", (int)n, buf);
	return 0;
}

static int wrote(ssize_t n)
{
	if (n < 0)
		return fail("write");
	printf("wrote: %zd\n", n);
	return 0;
}

static int attack(const char *door, pid_t pid, unsigned long address)
{
	char buf[sizeof(SECRET)] = "", path[64], inject[] = INJECTED;
	struct iovec local = { buf, sizeof(SECRET) - 1 },
		     remote = { (void *)address, local.iov_len };
	struct iovec injected = { inject, sizeof(INJECTED) - 1 };
	int fd, pidfd;

	snprintf(path, sizeof(path), "/proc/%d/mem", (int)pid);
	if (!strcmp(door, "vm_readv"))
		return got(buf, process_vm_readv(pid, &local, 1, &remote, 1, 0));
	if (!strcmp(door, "vm_writev")) {
		remote.iov_len = injected.iov_len;
		return wrote(process_vm_writev(pid, &injected, 1, &remote, 1, 0));
	}
	if (!strcmp(door, "mem_read")) {
		fd = open(path, O_RDONLY);
		return fd < 0 ? fail(path)
			      : got(buf, pread(fd, buf, local.iov_len, (off_t)address));
	}
	if (!strcmp(door, "mem_write")) {
		fd = open(path, O_RDWR);
		return fd < 0 ? fail(path)
			      : wrote(pwrite(fd, inject, injected.iov_len, (off_t)address));
	}
	if (!strcmp(door, "stack")) {
		snprintf(path, sizeof(path), "/proc/%d/stack", (int)pid);
		fd = open(path, O_RDONLY);
		return fd < 0 ? fail(path) : got(buf, read(fd, buf, local.iov_len));
	}
	if (!strcmp(door, "getfd")) {
		pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
		if (pidfd < 0)
			return fail("pidfd_open");
		fd = (int)syscall(SYS_pidfd_getfd, pidfd, SECRET_FD, 0);
		return fd < 0 ? fail("pidfd_getfd") : got(buf, pread(fd, buf, local.iov_len, 0));
	}
	fprintf(stderr, "door_cases: no door %s\n", door);
	return 2;
}

int main(int argc, char *argv[])
{
	setvbuf(stdout, NULL, _IONBF, 0);
	if (argc == 2 && !strcmp(argv[1], "target"))
		return target();
	if (argc == 4)
		return attack(argv[1], (pid_t)atoi(argv[2]), strtoul(argv[3], NULL, 16));
	fprintf(stderr, "usage: door_cases target | door_cases DOOR PID ADDRESS\n");
	return 2;
}
