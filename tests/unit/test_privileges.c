/* What a tool says when it lacks a capability it needs to start (common/privileges.h). */
#include "unit.h"

#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../../common/files.h"
#include "../../common/privileges.h"

static void missing_names_the_capability(void)
{
	char err[256];

	privileges_missing(err, sizeof(err), CAP_BPF, "load its BPF programs");
	CHECK_STR(err, "needs CAP_BPF to load its BPF programs, which it does not have (run it "
		       "as root, or give it CAP_BPF)");
	privileges_missing(err, sizeof(err), CAP_DAC_READ_SEARCH, "read tracefs");
	CHECK(strstr(err, "needs CAP_DAC_READ_SEARCH to read tracefs,") == err);
}

/* In a child with an empty effective set, root or not: the first need named, CAP_BPF. */
static void no_capability_names_cap_bpf_first(void)
{
	char err[256] = "";
	int pipefd[2], status = -1;
	pid_t pid;

	CHECK(pipe(pipefd) == 0);
	pid = fork();
	if (pid == 0) {
		cap_t none = cap_get_proc();
		char child_err[256] = "";
		int rc;

		close(pipefd[0]);
		if (!none || cap_clear_flag(none, CAP_EFFECTIVE) || cap_set_proc(none))
			_exit(3);
		rc = privileges_check_start(true, child_err, sizeof(child_err));
		if (write_all(pipefd[1], child_err, strlen(child_err)))
			_exit(4);
		_exit(rc == -1 ? 0 : 5);
	}
	close(pipefd[1]);
	CHECK(read_full(pipefd[0], err, sizeof(err) - 1) > 0);
	close(pipefd[0]);
	CHECK(waitpid(pid, &status, 0) == pid);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	CHECK(strstr(err, "needs CAP_BPF to load its BPF programs,") == err);
}

UNIT_SUITE(privileges_tests,
	   { "privileges: a missing capability is named as capabilities(7) names it",
	     missing_names_the_capability },
	   { "privileges: without any capability, CAP_BPF is the first need named",
	     no_capability_names_cap_bpf_first });
