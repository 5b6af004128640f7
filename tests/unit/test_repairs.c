/* ptraceguard-c's repairs (tools/ptraceguard/repairs.c), on real child processes. */
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../../tools/ptraceguard/repairs.h"
#include "unit.h"

#define NOW 1000000000000ULL

/* A child that waits for signals until it is killed. */
static pid_t idle_child(void)
{
	pid_t pid = fork();

	if (pid == 0) {
		for (;;)
			pause();
	}
	return pid;
}

/* The PID of a child that has exited and been reaped: nothing has it now. */
static pid_t gone_pid(void)
{
	pid_t pid = fork();

	if (pid == 0)
		_exit(0);
	waitpid(pid, NULL, 0);
	return pid;
}

/* Whether child was killed by SIGKILL (it is reaped); waits at most a second. */
static bool killed(pid_t child)
{
	int status = 0;

	for (int i = 0; i < 100; i++) {
		pid_t got = waitpid(child, &status, WNOHANG);

		if (got == child)
			return WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL;
		usleep(10000);
	}
	return false;
}

/* Whether child is alive and was sent nothing that ended it. */
static bool untouched(pid_t child)
{
	return waitpid(child, NULL, WNOHANG) == 0;
}

static void end_child(pid_t child)
{
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
}

static void helper_killed_once_its_caller_is_gone(void)
{
	struct repairs rs = { 0 };
	pid_t caller = idle_child(), helper = idle_child();

	CHECK(repairs_note(&rs, caller, helper, true, NOW) == 0);
	repairs_make(&rs, NOW + 1);
	CHECK(untouched(helper));
	CHECK(repairs_waiting(&rs) == 1);
	end_child(caller);
	repairs_make(&rs, NOW + 2);
	CHECK(killed(helper));
	CHECK(repairs_waiting(&rs) == 0);
}

static void caller_that_outlives_its_signal_keeps_its_tracee(void)
{
	struct repairs rs = { 0 };
	pid_t caller = idle_child(), helper = idle_child();

	CHECK(repairs_note(&rs, caller, helper, true, NOW) == 0);
	repairs_make(&rs, NOW + CALLER_WAIT_NS);
	CHECK(repairs_waiting(&rs) == 1);
	repairs_make(&rs, NOW + CALLER_WAIT_NS + 1);
	CHECK(repairs_waiting(&rs) == 0);
	CHECK(untouched(helper));
	end_child(caller);
	end_child(helper);
}

static void stopped_target_continued(void)
{
	struct repairs rs = { 0 };
	pid_t target = idle_child();
	int status = 0;

	kill(target, SIGSTOP);
	CHECK(waitpid(target, &status, WUNTRACED) == target && WIFSTOPPED(status));
	CHECK(repairs_note(&rs, gone_pid(), target, false, NOW) == 0);
	repairs_make(&rs, NOW + 1);
	CHECK(waitpid(target, &status, WCONTINUED) == target && WIFCONTINUED(status));
	CHECK(repairs_waiting(&rs) == 0);
	end_child(target);
}

static void target_that_never_stops_is_left_alone(void)
{
	struct repairs rs = { 0 };
	pid_t target = idle_child();

	CHECK(repairs_note(&rs, gone_pid(), target, false, NOW) == 0);
	repairs_make(&rs, NOW + STOP_WAIT_NS);
	CHECK(repairs_waiting(&rs) == 1);
	repairs_make(&rs, NOW + STOP_WAIT_NS + 1);
	CHECK(repairs_waiting(&rs) == 0);
	CHECK(untouched(target));
	end_child(target);
}

static void target_gone_needs_no_repair(void)
{
	struct repairs rs = { 0 };

	CHECK(repairs_note(&rs, gone_pid(), gone_pid(), true, NOW) == 0);
	CHECK(repairs_waiting(&rs) == 0);
}

static void waiting_repairs_bounded(void)
{
	struct repairs rs = { 0 };
	pid_t caller = idle_child(), target = idle_child();

	for (int i = 0; i < MAX_REPAIRS; i++)
		CHECK(repairs_note(&rs, caller, target, true, NOW) == 0);
	CHECK(repairs_note(&rs, caller, target, true, NOW) == -1);
	CHECK(repairs_waiting(&rs) == MAX_REPAIRS);
	repairs_end(&rs);
	CHECK(repairs_waiting(&rs) == 0);
	CHECK(untouched(target));
	end_child(caller);
	end_child(target);
}

static void each_repair_said_with_verbose(void)
{
	char *text = NULL, want[128];
	size_t len = 0;
	struct repairs rs = { .log = open_memstream(&text, &len) };
	pid_t helper = idle_child();

	CHECK(repairs_note(&rs, gone_pid(), helper, true, NOW) == 0);
	repairs_make(&rs, NOW + 1);
	CHECK(killed(helper));
	fclose(rs.log);
	snprintf(want, sizeof(want),
		 "ptraceguard-c: killed %d, which the stopped caller left waiting to be traced\n",
		 (int)helper);
	CHECK_STR(text ? text : "", want);
	free(text);
}

UNIT_SUITE(repairs_tests,
	   { "repairs: the caller's helper killed once the caller is gone",
	     helper_killed_once_its_caller_is_gone },
	   { "repairs: a caller that outlives its signal keeps its tracee (given up)",
	     caller_that_outlives_its_signal_keeps_its_tracee },
	   { "repairs: a target the attach stopped is continued", stopped_target_continued },
	   { "repairs: a target that never stops is left alone",
	     target_that_never_stops_is_left_alone },
	   { "repairs: a target already gone needs none", target_gone_needs_no_repair },
	   { "repairs: at most MAX_REPAIRS wait", waiting_repairs_bounded },
	   { "repairs: -v says each repair made", each_repair_said_with_verbose });
