/* The probe plan's start (common/probe_plan.c): each failure says why. */
#include "../../common/array_size.h"
#include "../../common/probe_plan.h"
#include "unit.h"

static const char *const syscalls[] = { "kill" };

static void plan_of_tracepoints_and_hooks(void)
{
	static const char *const tracepoints[] = { "signal:signal_generate" };
	static const char *const hooks[] = { "ptrace_access_check" };
	const struct snoop_tool tool = { .name = "t",
					 .syscalls = syscalls,
					 .nsyscalls = 1,
					 .tracepoints = tracepoints,
					 .ntracepoints = 1,
					 .lsm_hooks = hooks,
					 .nlsm_hooks = 1 };
	struct probe_plan p;

	CHECK(probe_plan_init(&p, &tool, PROBE_MODE_TRACEPOINT, false) == 0);
	CHECK(p.nattachments == 4); /* the syscall's entry and exit, the tracepoint, the hook */
	probe_plan_free(&p);
}

static void bad_tracepoint_name_said(void)
{
	static const char *const tracepoints[] = { "no_category" };
	const struct snoop_tool tool = { .name = "t",
					 .syscalls = syscalls,
					 .nsyscalls = 1,
					 .tracepoints = tracepoints,
					 .ntracepoints = 1 };
	struct probe_plan p;

	CHECK(probe_plan_init(&p, &tool, PROBE_MODE_TRACEPOINT, false) == -1);
	CHECK_STR(p.err, "bad tracepoint name: no_category");
	probe_plan_free(&p);
}

static void hook_name_too_long_said(void)
{
	char name[FUNC_NAME_LEN + 8];
	const char *hooks[] = { name };
	const struct snoop_tool tool = { .name = "t",
					 .syscalls = syscalls,
					 .nsyscalls = 1,
					 .lsm_hooks = hooks,
					 .nlsm_hooks = 1 };
	struct probe_plan p;
	char want[sizeof(name) + 32];

	memset(name, 'h', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	snprintf(want, sizeof(want), "LSM hook name too long: %s", name);
	CHECK(probe_plan_init(&p, &tool, PROBE_MODE_TRACEPOINT, false) == -1);
	CHECK_STR(p.err, want);
	probe_plan_free(&p);
}

UNIT_SUITE(probe_plan_tests,
	   { "probe plan: a syscall's entry and exit, a tracepoint and a hook",
	     plan_of_tracepoints_and_hooks },
	   { "probe plan: a tracepoint with no category is refused, with its name",
	     bad_tracepoint_name_said },
	   { "probe plan: a hook name too long is refused, with its name",
	     hook_name_too_long_said });
