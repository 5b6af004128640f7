/*
 * confine() in a child process, with or without root: what the filter lets
 * through, and the one line and exit status a call outside it ends with.
 */
#include "unit.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/capability.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../../common/confine.h"
#include "../../common/files.h"
#include "../../common/status.h"

enum child_step { READ_STATUS, CALL_GETUID, OPEN_TO_WRITE };

/* What the child of run_confined wrote on stdout and stderr, and how it ended. */
struct child_run {
	char out[4096];
	char err[512];
	int status;
};

/* What fd holds, up to size - 1 bytes, NUL-terminated. */
static void read_all(int fd, char *buf, size_t size)
{
	ssize_t n = read_full(fd, buf, size - 1);

	buf[n > 0 ? n : 0] = '\0';
}

/* The next child gives up CAP_SETUID and CAP_SETGID first, as a container's root may lack them. */
static bool child_without_setid;

static void drop_setid(void)
{
	cap_t now = cap_get_proc();
	const cap_value_t setid[] = { CAP_SETUID, CAP_SETGID };

	if (!now || cap_set_flag(now, CAP_EFFECTIVE, 2, setid, CAP_CLEAR) || cap_set_proc(now))
		_exit(6);
	cap_free(now);
}

/*
 * The child's part: confined with needs, then one step; _exit, so that no
 * atexit handler runs in it.
 */
static void child(unsigned needs, enum child_step step, const char *scratch)
{
	struct confinement c;
	char err[256], status[4096];
	int fd;

	if (child_without_setid)
		drop_setid();
	if (confine("unit", needs, &c, err, sizeof(err))) {
		dprintf(STDERR_FILENO, "confine: %s\n", err);
		_exit(3);
	}
	switch (step) {
	case READ_STATUS:
		fd = open("/proc/self/status", O_RDONLY | O_CLOEXEC);
		read_all(fd, status, sizeof(status));
		if (write(STDOUT_FILENO, status, strlen(status)) < 0)
			_exit(4);
		break;
	case CALL_GETUID:
		syscall(SYS_getuid);
		break;
	case OPEN_TO_WRITE:
		/* Made: the filter let it through (the caller's checks say so). */
		if (open(scratch, O_WRONLY | O_CREAT | O_CLOEXEC, 0600) >= 0)
			_exit(5);
		break;
	}
	_exit(0);
}

static void run_confined(unsigned needs, enum child_step step, const char *scratch,
			 struct child_run *r)
{
	int out[2], err[2];
	pid_t pid;

	CHECK(pipe(out) == 0 && pipe(err) == 0);
	pid = fork();
	if (pid == 0) {
		dup2(out[1], STDOUT_FILENO);
		dup2(err[1], STDERR_FILENO);
		child(needs, step, scratch);
	}
	close(out[1]);
	close(err[1]);
	read_all(out[0], r->out, sizeof(r->out));
	read_all(err[0], r->err, sizeof(r->err));
	close(out[0]);
	close(err[0]);
	r->status = -1;
	CHECK(pid > 0 && waitpid(pid, &r->status, 0) == pid);
}

static bool status_line(const char *status, const char *line)
{
	const char *at = strstr(status, line);

	return at && (at == status || at[-1] == '\n');
}

/*
 * /proc/self/status of a child confined with needs: no_new_privs and a
 * filter, no inheritable or ambient capability, caps (as status shows
 * them) permitted and effective; as root, caps bounding too, and files
 * opened as nobody. Without root there is no capability to drop or keep.
 */
static void check_confined(unsigned needs, const char *caps)
{
	struct child_run r;
	char line[64];

	run_confined(needs, READ_STATUS, NULL, &r);
	CHECK(WIFEXITED(r.status) && WEXITSTATUS(r.status) == 0);
	CHECK_STR(r.err, "");
	CHECK(status_line(r.out, "NoNewPrivs:\t1\n"));
	CHECK(status_line(r.out, "Seccomp:\t2\n"));
	CHECK(status_line(r.out, "CapInh:\t0000000000000000\n"));
	CHECK(status_line(r.out, "CapAmb:\t0000000000000000\n"));
	if (geteuid() != 0) {
		CHECK(status_line(r.out, "CapEff:\t0000000000000000\n"));
		return;
	}
	snprintf(line, sizeof(line), "CapPrm:\t%s\n", caps);
	CHECK(status_line(r.out, line));
	snprintf(line, sizeof(line), "CapEff:\t%s\n", caps);
	CHECK(status_line(r.out, line));
	snprintf(line, sizeof(line), "CapBnd:\t%s\n", caps);
	CHECK(status_line(r.out, line));
	CHECK(status_line(r.out, "Uid:\t0\t0\t0\t65534\n"));
	CHECK(status_line(r.out, "Gid:\t0\t0\t0\t65534\n"));
	CHECK(status_line(r.out, "Groups:\t \n"));
}

/* Root that may not change its IDs opens files as root, confined all the same. */
static void root_without_setid_keeps_its_file_ids(void)
{
	struct child_run r;

	if (geteuid() != 0)
		return; /* nothing to give up */
	child_without_setid = true;
	run_confined(0, READ_STATUS, NULL, &r);
	child_without_setid = false;
	CHECK(WIFEXITED(r.status) && WEXITSTATUS(r.status) == 0);
	CHECK(status_line(r.out, "Uid:\t0\t0\t0\t0\n"));
	CHECK(status_line(r.out, "CapEff:\t0000000000000000\n"));
	CHECK(status_line(r.out, "CapPrm:\t0000000000000000\n"));
	CHECK(status_line(r.out, "Seccomp:\t2\n"));
}

static void confined_reads_and_writes(void)
{
	check_confined(0, "0000000000000000");
}

static void signals_keep_cap_kill(void)
{
	check_confined(AFTER_ATTACH_SIGNALS, "0000000000000020");
}

static void call_outside_filter_ends_with_one_line(void)
{
	struct child_run r;
	char want[256];

	run_confined(0, CALL_GETUID, NULL, &r);
	snprintf(want, sizeof(want),
		 "unit: system call getuid (%d) is outside the tool's seccomp filter: stopping "
		 "(a bug: please report it)\n",
		 SYS_getuid);
	CHECK(WIFEXITED(r.status) && WEXITSTATUS(r.status) == EXIT_RUNTIME);
	CHECK_STR(r.err, want);
}

static void open_to_write_is_outside_filter(void)
{
	char scratch[] = "/tmp/snoopc-unit-confine.XXXXXX", made[64];
	struct child_run r;

	CHECK(mkdtemp(scratch) != NULL);
	/* Any user may write there: only the filter can stop the file being made. */
	CHECK(chmod(scratch, 01777) == 0);
	snprintf(made, sizeof(made), "%s/made", scratch);
	run_confined(0, OPEN_TO_WRITE, made, &r);
	CHECK(WIFEXITED(r.status) && WEXITSTATUS(r.status) == EXIT_RUNTIME);
	CHECK(strstr(r.err, "unit: system call openat (") == r.err);
	CHECK(access(made, F_OK) != 0 && errno == ENOENT);
	unlink(made);
	rmdir(scratch);
}

UNIT_SUITE(confine_tests,
	   { "confine: no capability, no_new_privs, a filter; files read, lines written",
	     confined_reads_and_writes },
	   { "confine: CAP_KILL kept for signals, and nothing else", signals_keep_cap_kill },
	   { "confine: root without CAP_SETUID and CAP_SETGID keeps its file IDs",
	     root_without_setid_keeps_its_file_ids },
	   { "confine: a call outside the filter ends the process with one line naming it",
	     call_outside_filter_ends_with_one_line },
	   { "confine: a file opened to be written is outside the filter, and not made",
	     open_to_write_is_outside_filter });
