/*
 * exec-cases: makes execs of every kind and says, one JSON line each, what
 * it passed: the file name and argv (hex, so that any byte survives), the
 * result, and for a successful exec what the kernel shows of the new
 * program (/proc/PID/cmdline and /proc/PID/exe), read while it is stopped.
 *
 * A successful exec runs this program again with EXEC_CASES_STOP=1 in its
 * environment: it stops itself first thing, before it could change its
 * arguments, and is killed once read.
 *
 * Usage: exec-cases CASE...   (exec-cases list names them; all runs each)
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define STOP_ENV "EXEC_CASES_STOP=1"
#define SELF "/proc/self/exe"
#define LONG_BYTES 32768

static char *const stop_env[] = { STOP_ENV, NULL };

/*
 * String literals on a page of their own: a child fresh from fork() has
 * not mapped it (fork copies no page table entries of file mappings), and
 * an exec that fails before it reads its arguments leaves it unmapped.
 */
#define OWN_PAGE __attribute__((section(".rodata.exec_cases"), aligned(4096)))
static const char page_arg1[] OWN_PAGE = "literal-one";
static const char page_arg2[] __attribute__((section(".rodata.exec_cases"))) = "literal two";

/* A file name and its arguments on one page: reading the name maps them too. */
static const struct {
	char name[48];
	char arg1[16];
	char arg2[16];
} same_page __attribute__((aligned(128))) = { "/nonexistent/exec-cases-enoent", "same-one",
					      "same two" };

struct attempt {
	const char *name;     /* the case */
	const char *filename; /* as passed; NULL when it is not a string (execveat's "") */
	int dirfd;	      /* execveat's, or AT_FDCWD */
	char *const *argv;    /* as passed; NULL for argc 0 */
	int bad_index;	      /* argv[bad_index] is a bad pointer; -1 none; -2 argv itself */
};

static void hex(const char *s, size_t len)
{
	putchar('"');
	for (size_t i = 0; i < len; i++)
		printf("%02x", (unsigned char)s[i]);
	putchar('"');
}

/* /proc/PID/cmdline as a JSON list of hex strings. */
static void print_cmdline(pid_t pid)
{
	char path[64], buf[LONG_BYTES * 2];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/cmdline", (int)pid);
	fd = open(path, O_RDONLY);
	n = fd < 0 ? -1 : read(fd, buf, sizeof(buf));
	if (fd >= 0)
		close(fd);
	if (n < 0) {
		fputs("null", stdout);
		return;
	}
	putchar('[');
	for (ssize_t at = 0; at < n;) {
		size_t len = strnlen(buf + at, (size_t)(n - at));

		if (at)
			putchar(',');
		hex(buf + at, len);
		at += (ssize_t)len + 1;
	}
	putchar(']');
}

/* The target of /proc/PID/LINK (exe, cwd), hex, or null. */
static void print_link(pid_t pid, const char *link)
{
	char path[64], target[PATH_MAX];
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, link);
	n = readlink(path, target, sizeof(target));
	if (n < 0)
		fputs("null", stdout);
	else
		hex(target, (size_t)n);
}

/*
 * Waits for the child: stopped by its new program (ret 0; the kernel's
 * view is printed, then it is killed), or gone after a failed exec, its
 * exit status the errno.
 */
static void report(const struct attempt *a, pid_t pid, pid_t tid)
{
	int status = 0;
	bool stopped;

	while (waitpid(pid, &status, WUNTRACED) < 0 && errno == EINTR)
		;
	stopped = WIFSTOPPED(status);
	printf("{\"case\":\"%s\",\"pid\":%d,\"tid\":%d,\"ppid\":%d,\"dirfd\":%d,\"filename\":",
	       a->name, (int)pid, (int)tid, (int)getpid(), a->dirfd);
	if (a->filename)
		hex(a->filename, strlen(a->filename));
	else
		fputs("null", stdout);
	fputs(",\"argv\":", stdout);
	if (a->bad_index == -2) {
		fputs("null", stdout);
	} else {
		putchar('[');
		for (int i = 0; a->argv && a->argv[i]; i++) {
			if (i)
				putchar(',');
			if (i == a->bad_index)
				fputs("null", stdout);
			else
				hex(a->argv[i], strlen(a->argv[i]));
		}
		putchar(']');
	}
	/* Killed: the exec itself was refused a way no errno tells (int $0x80 without IA32 emulation). */
	if (WIFSIGNALED(status))
		printf(",\"ret\":null,\"signal\":%d,\"cmdline\":", WTERMSIG(status));
	else
		printf(",\"ret\":%d,\"cmdline\":", stopped ? 0 : -WEXITSTATUS(status));
	if (stopped)
		print_cmdline(pid);
	else
		fputs("null", stdout);
	fputs(",\"exe\":", stdout);
	if (stopped)
		print_link(pid, "exe");
	else
		fputs("null", stdout);
	fputs(",\"cwd\":", stdout);
	if (stopped)
		print_link(pid, "cwd");
	else
		fputs("null", stdout);
	puts("}");
	fflush(stdout);
	if (stopped) {
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
	}
}

static long do_execveat(int dirfd, const char *name, char *const argv[], int flags)
{
	return syscall(SYS_execveat, dirfd, name, argv, stop_env, flags);
}

/* In a child: the exec, then the errno as exit status if it failed. */
static void child_exec(const struct attempt *a, int flags)
{
	if (a->dirfd == AT_FDCWD)
		execve(a->filename, a->argv, stop_env);
	else
		do_execveat(a->dirfd, a->filename ? a->filename : "", a->argv, flags);
	_exit(errno);
}

static void forked(const struct attempt *a, int flags)
{
	pid_t pid = fork();

	if (pid == 0)
		child_exec(a, flags);
	report(a, pid, pid);
}

static void case_literals(void)
{
	struct attempt a = { "literals", SELF, AT_FDCWD, NULL, -1 };
	static char *argv[] = { "exec-cases", NULL, NULL, NULL };
	pid_t pid;

	/* The literals' pointers, not their bytes: neither process maps their page here. */
	argv[1] = (char *)page_arg1;
	argv[2] = (char *)page_arg2;
	a.argv = argv;
	pid = fork();
	if (pid == 0) {
		execle(SELF, "exec-cases", page_arg1, page_arg2, (char *)NULL, stop_env);
		_exit(errno);
	}
	report(&a, pid, pid);
}

static void case_vfork(void)
{
	static char *const argv[] = { "vforked", "v-one", "v two", NULL };
	const struct attempt a = { "vfork", SELF, AT_FDCWD, argv, -1 };
	pid_t pid = vfork();

	if (pid == 0) {
		execve(SELF, argv, stop_env);
		_exit(errno);
	}
	report(&a, pid, pid);
}

static void case_posix_spawn(void)
{
	static char *const argv[] = { "spawned", "s-one", "s two", NULL };
	const struct attempt a = { "posix_spawn", SELF, AT_FDCWD, argv, -1 };
	pid_t pid = -1;

	if (posix_spawn(&pid, SELF, NULL, NULL, argv, stop_env))
		return;
	report(&a, pid, pid);
}

static int tid_pipe[2];

static void *exec_from_thread(void *arg)
{
	pid_t tid = (pid_t)syscall(SYS_gettid);

	(void)arg;
	if (write(tid_pipe[1], &tid, sizeof(tid)) != sizeof(tid))
		_exit(EIO);
	child_exec(arg, 0);
	return NULL;
}

/* The exec from a thread other than the leader, which takes the leader's PID. */
static void case_thread(void)
{
	static char *const argv[] = { "threaded", "t-one", "t two", NULL };
	const struct attempt a = { "thread", SELF, AT_FDCWD, argv, -1 };
	pid_t pid, tid = 0;

	if (pipe(tid_pipe))
		return;
	pid = fork();
	if (pid == 0) {
		pthread_t thread;

		if (pthread_create(&thread, NULL, exec_from_thread, (void *)&a))
			_exit(EAGAIN);
		pause();
		_exit(0);
	}
	if (read(tid_pipe[0], &tid, sizeof(tid)) != sizeof(tid))
		tid = 0;
	close(tid_pipe[0]);
	close(tid_pipe[1]);
	report(&a, pid, tid);
}

/* fexecve: execveat(fd, "", ..., AT_EMPTY_PATH) on this program opened. */
static void case_fexecve(void)
{
	static char *const argv[] = { "fexecved", "f-one", NULL };
	struct attempt a = { "fexecve", NULL, -1, argv, -1 };

	a.dirfd = open(SELF, O_RDONLY | O_CLOEXEC);
	forked(&a, AT_EMPTY_PATH);
	close(a.dirfd);
}

/* execveat with a directory's descriptor and a name relative to it. */
static void case_execveat_dir(void)
{
	static char *const argv[] = { "at-dir", "d-one", NULL };
	struct attempt a = { "execveat_dir", NULL, -1, argv, -1 };
	char exe[PATH_MAX], *slash;
	ssize_t n = readlink(SELF, exe, sizeof(exe) - 1);

	if (n <= 0)
		return;
	exe[n] = '\0';
	slash = strrchr(exe, '/');
	*slash = '\0';
	a.dirfd = open(exe, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	a.filename = slash + 1;
	forked(&a, 0);
	close(a.dirfd);
}

/* A file in the current directory of the given mode and content; its path in path. */
static bool make_file(char *path, size_t len, const char *name, mode_t mode, const char *text)
{
	int fd;

	snprintf(path, len, "%s/exec-cases-%d-%s", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp",
		 (int)getpid(), name);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
	if (fd < 0)
		return false;
	if (write(fd, text, strlen(text)) != (ssize_t)strlen(text)) {
		close(fd);
		return false;
	}
	close(fd);
	return chmod(path, mode) == 0;
}

/* A #! script whose interpreter is this program, with an argument on its #! line. */
static void case_script(void)
{
	static char script[PATH_MAX];
	char line[PATH_MAX + 64], exe[PATH_MAX];
	char *argv[] = { script, "sc-one", "sc two", NULL };
	struct attempt a = { "script", script, AT_FDCWD, argv, -1 };
	ssize_t n = readlink(SELF, exe, sizeof(exe) - 1);

	if (n <= 0)
		return;
	exe[n] = '\0';
	snprintf(line, sizeof(line), "#!%s --interp-arg\n", exe);
	if (!make_file(script, sizeof(script), "script", 0755, line))
		return;
	forked(&a, 0);
	unlink(script);
}

/* An empty argv: the kernel gives the new program one empty argument. */
static void case_argc0(void)
{
	static char *const argv[] = { NULL };
	const struct attempt a = { "argc0", SELF, AT_FDCWD, argv, -1 };

	forked(&a, 0);
}

static void case_empty_arg(void)
{
	static char *const argv[] = { "empty", "", "after-empty", NULL };
	const struct attempt a = { "empty_arg", SELF, AT_FDCWD, argv, -1 };

	forked(&a, 0);
}

/* A command line of 32 KiB and more: one argument of 20000 bytes, then 13 of 1000. */
static void case_long(void)
{
	static char big[20001], small[13][1001];
	static char *argv[16] = { "long" };
	const struct attempt a = { "long", SELF, AT_FDCWD, argv, -1 };

	memset(big, 'L', sizeof(big) - 1);
	argv[1] = big;
	for (int i = 0; i < 13; i++) {
		memset(small[i], 'a' + i, sizeof(small[i]) - 1);
		argv[2 + i] = small[i];
	}
	forked(&a, 0);
}

static void case_bad_pointer(void)
{
	static char *argv[] = { "bad-pointer", "good", NULL, NULL };
	const struct attempt a = { "bad_pointer", SELF, AT_FDCWD, argv, 2 };

	argv[2] = (char *)1;
	forked(&a, 0);
}

static void case_bad_argv(void)
{
	struct attempt a = { "bad_argv", SELF, AT_FDCWD, NULL, -2 };

	a.argv = (char *const *)1;
	forked(&a, 0);
}

/* ENOENT, its arguments on the file name's page: reading the name maps them. */
static void case_enoent(void)
{
	static char *argv[] = { "enoent", NULL, NULL, NULL };
	struct attempt a = { "enoent", same_page.name, AT_FDCWD, argv, -1 };
	pid_t pid;

	argv[1] = (char *)same_page.arg1;
	argv[2] = (char *)same_page.arg2;
	pid = fork();
	if (pid == 0) {
		execle(same_page.name, "enoent", same_page.arg1, same_page.arg2, (char *)NULL,
		       stop_env);
		_exit(errno);
	}
	report(&a, pid, pid);
}

/*
 * ENOENT, its arguments on a page the child never touched: a kernel that
 * opens the file before it copies the arguments (Linux 6.8 and later)
 * fails without reading them, and they stay unmapped.
 */
static void case_enoent_untouched(void)
{
	static char *argv[] = { "enoent-untouched", NULL, NULL, NULL };
	struct attempt a = { "enoent_untouched", "/nonexistent/exec-cases-untouched", AT_FDCWD,
			     argv, -1 };
	pid_t pid;

	argv[1] = (char *)page_arg1;
	argv[2] = (char *)page_arg2;
	pid = fork();
	if (pid == 0) {
		execle("/nonexistent/exec-cases-untouched", "enoent-untouched", page_arg1,
		       page_arg2, (char *)NULL, stop_env);
		_exit(errno);
	}
	report(&a, pid, pid);
}

static void case_eacces(void)
{
	static char path[PATH_MAX];
	char *argv[] = { "eacces", "e-one", "e two", NULL };
	struct attempt a = { "eacces", path, AT_FDCWD, argv, -1 };

	if (!make_file(path, sizeof(path), "noexec", 0644, "#!/bin/sh\n"))
		return;
	forked(&a, 0);
	unlink(path);
}

/* An anonymous file: fileless, its path /memfd:NAME (deleted). */
static void case_memfd(void)
{
	static char *const argv[] = { "memfd", "m-one", NULL };
	struct attempt a = { "memfd", NULL, -1, argv, -1 };
	char buf[65536];
	int self = open(SELF, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	a.dirfd = (int)syscall(SYS_memfd_create, "exec-cases", 0);
	if (self < 0 || a.dirfd < 0)
		return;
	while ((n = read(self, buf, sizeof(buf))) > 0) {
		if (write(a.dirfd, buf, (size_t)n) != n)
			return;
	}
	close(self);
	forked(&a, AT_EMPTY_PATH);
	close(a.dirfd);
}

#if defined(__x86_64__)
/*
 * execve through int $0x80, as a 32-bit program makes it: the kernel takes
 * 32-bit pointers, so the strings and argv live below 4 GiB (MAP_32BIT).
 */
static void compat_execve(const char *name, const char *filename)
{
	char *low = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);
	static char *argv[] = { "compat32", "c-one", "c two", NULL };
	const struct attempt a = { name, filename, AT_FDCWD, argv, -1 };
	uint32_t *argv32, *envp32;
	char *at;
	pid_t pid;

	if (low == MAP_FAILED)
		return;
	at = low + 256;
	argv32 = (uint32_t *)low;
	envp32 = argv32 + 8;
	for (int i = 0; argv[i]; i++) {
		strcpy(at, argv[i]);
		argv32[i] = (uint32_t)(uintptr_t)at;
		at += strlen(at) + 1;
	}
	strcpy(at, STOP_ENV);
	envp32[0] = (uint32_t)(uintptr_t)at;
	at += strlen(at) + 1;
	strcpy(at, filename);
	pid = fork();
	if (pid == 0) {
		long ret;

		__asm__ volatile("int $0x80"
				 : "=a"(ret)
				 : "a"(11), "b"((uint32_t)(uintptr_t)at),
				   "c"((uint32_t)(uintptr_t)argv32),
				   "d"((uint32_t)(uintptr_t)envp32)
				 : "memory");
		_exit((int)-ret);
	}
	report(&a, pid, pid);
	munmap(low, 4096);
}

static void case_compat32(void)
{
	compat_execve("compat32", SELF);
}

static void case_compat32_enoent(void)
{
	compat_execve("compat32_enoent", "/nonexistent/exec-cases-32");
}
#endif

static const struct {
	const char *name;
	void (*run)(void);
} cases[] = {
	{ "literals", case_literals },	     { "vfork", case_vfork },
	{ "posix_spawn", case_posix_spawn }, { "thread", case_thread },
	{ "fexecve", case_fexecve },	     { "execveat_dir", case_execveat_dir },
	{ "script", case_script },	     { "argc0", case_argc0 },
	{ "empty_arg", case_empty_arg },     { "long", case_long },
	{ "bad_pointer", case_bad_pointer }, { "bad_argv", case_bad_argv },
	{ "enoent", case_enoent },	     { "enoent_untouched", case_enoent_untouched },
	{ "eacces", case_eacces },	     { "memfd", case_memfd },
#if defined(__x86_64__)
	{ "compat32", case_compat32 },	     { "compat32_enoent", case_compat32_enoent },
#endif
};

int main(int argc, char *argv[])
{
	const char *stop = getenv("EXEC_CASES_STOP");

	/* A new program of one of the cases: stop before anything else. */
	if (stop) {
		raise(SIGSTOP);
		return 0;
	}
	for (int i = 1; i < argc; i++) {
		bool found = false;

		for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
			if (!strcmp(argv[i], "list")) {
				puts(cases[c].name);
				found = true;
			} else if (!strcmp(argv[i], "all") || !strcmp(argv[i], cases[c].name)) {
				cases[c].run();
				found = true;
			}
		}
		if (!found) {
			fprintf(stderr, "exec-cases: no case %s (exec-cases list)\n", argv[i]);
			return 2;
		}
	}
	return 0;
}
