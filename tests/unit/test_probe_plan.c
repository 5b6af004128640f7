/*
 * The probe plan (common/plan/probe_plan.c) from faked facts: every tool in
 * every mode on every kernel of the README's table (tests/kernel_rows.h),
 * what it asks to be probed, and each failure saying why.
 */
#include "../kernel_rows.h"
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
	struct kernel_facts f;

	/* Showing the source: no facts that need root. */
	row_facts(&kernel_rows[1], &tool, &f);
	f.known = FACT_BTF | FACT_CGROUP;
	probe_plan_init(&p, &tool, PROBE_MODE_TRACEPOINT, false);
	CHECK(probe_plan_choose(&p, SNOOP_SHOW_SOURCE, &f) == 0);
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
	struct kernel_facts f;

	row_facts(&kernel_rows[1], &tool, &f);
	probe_plan_init(&p, &tool, PROBE_MODE_TRACEPOINT, false);
	CHECK(probe_plan_choose(&p, SNOOP_TRACE, &f) == -1);
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
	struct kernel_facts f;
	char want[sizeof(name) + 32];

	memset(name, 'h', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	snprintf(want, sizeof(want), "LSM hook name too long: %s", name);
	row_facts(&kernel_rows[1], &tool, &f);
	probe_plan_init(&p, &tool, PROBE_MODE_TRACEPOINT, false);
	CHECK(probe_plan_choose(&p, SNOOP_TRACE, &f) == -1);
	CHECK_STR(p.err, want);
	probe_plan_free(&p);
}

/* The row's facts that a probe finds, for probe_row. */
static const struct kernel_facts *row_truth;

static int probe_row(struct kernel_facts *f, unsigned want)
{
	row_copy_facts(f, row_truth, want);
	return 0;
}

/*
 * Every tool, in every mode, with every row's facts: the row's plan. The
 * plan starts knowing nothing, every fact the opposite of the row's until
 * it asks for it, as the runtime probes them.
 */
static void every_row_every_tool(void)
{
	for (size_t r = 0; r < ARRAY_SIZE(kernel_rows); r++) {
		for (size_t t = 0; t < ARRAY_SIZE(row_tools); t++) {
			for (int mode = PROBE_MODE_AUTO; mode <= PROBE_MODE_FENTRY; mode++) {
				struct kernel_facts truth, f;
				char why[512];
				bool ok;

				row_facts(&kernel_rows[r], row_tools[t], &truth);
				row_unknown_facts(&truth, &f);
				row_truth = &truth;
				ok = row_plan_agrees(&kernel_rows[r], row_tools[t],
						     (enum probe_mode)mode, &f, probe_row, why,
						     sizeof(why));
				if (!ok)
					fprintf(stderr, "  %s, %s -m %s: %s\n", kernel_rows[r].name,
						row_tools[t]->name,
						probe_mode_name((enum probe_mode)mode), why);
				CHECK(ok);
			}
		}
	}
}

/* The facts of the kernel's build, for probe_build_only: a probe of any other fails. */
#define BUILD_FACTS (FACT_BTF | FACT_TRACEPOINTS | FACT_FUNCTIONS | FACT_IA32)

static int probe_build_only(struct kernel_facts *f, unsigned want)
{
	if (want & ~BUILD_FACTS)
		return -1;
	row_copy_facts(f, row_truth, want);
	return 0;
}

static bool same_compile(const struct compile_plan *a, const struct compile_plan *b)
{
	if (a->ncflags != b->ncflags || a->nprograms != b->nprograms)
		return false;
	for (int i = 0; i < a->ncflags; i++) {
		if (strcmp(a->cflags[i], b->cflags[i]))
			return false;
	}
	for (size_t i = 0; i < a->nprograms; i++) {
		if (strcmp(a->programs[i].func, b->programs[i].func) ||
		    a->programs[i].prog_type != b->programs[i].prog_type)
			return false;
	}
	return true;
}

/*
 * On every row, each tool's compile plan asks for facts of the kernel's
 * build alone, whatever else is known (what a mount, a boot option or the
 * verifier says never changes the program, which the cache key leaves
 * out); it compiles the modes the build offers, and is the same as from
 * every fact known.
 */
static void compile_plan_from_build_facts(void)
{
	for (size_t r = 0; r < ARRAY_SIZE(kernel_rows); r++) {
		const struct kernel_row *row = &kernel_rows[r];

		for (size_t t = 0; t < ARRAY_SIZE(row_tools); t++) {
			struct kernel_facts truth, f;
			struct probe_plan lazy, known;
			char why[512] = "";
			int rc;

			row_facts(row, row_tools[t], &truth);
			row_unknown_facts(&truth, &f);
			row_truth = &truth;
			probe_plan_init(&lazy, row_tools[t], PROBE_MODE_AUTO, false);
			probe_plan_init(&known, row_tools[t], PROBE_MODE_FENTRY, false);
			rc = row_compile_plan(&lazy, &f, probe_build_only, why, sizeof(why));
			if (!rc)
				rc = row_compile_plan(&known, &truth, NULL, why, sizeof(why));
			if (!rc && !same_compile(&lazy.compile, &known.compile))
				strfmt(why, sizeof(why),
				       "another compile plan with every fact known");
			if (!rc && !why[0] &&
			    (plan_has_cflag(&lazy, "-DSNOOP_TRACEPOINT=1") != row->tracepoints ||
			     !plan_has_cflag(&lazy, "-DSNOOP_KPROBE=1") ||
			     plan_has_cflag(&lazy, "-DSNOOP_FENTRY=1") !=
				     (row->btf && row->wrappers)))
				strfmt(why, sizeof(why),
				       "modes compiled: tracepoint %d kprobe %d fentry %d",
				       plan_has_cflag(&lazy, "-DSNOOP_TRACEPOINT=1"),
				       plan_has_cflag(&lazy, "-DSNOOP_KPROBE=1"),
				       plan_has_cflag(&lazy, "-DSNOOP_FENTRY=1"));
			if (why[0])
				fprintf(stderr, "  %s, %s: %s\n", row->name, row_tools[t]->name,
					why);
			CHECK(!why[0]);
			probe_plan_free(&lazy);
			probe_plan_free(&known);
		}
	}
}

/* Where the syscalls have tracepoints, auto mode asks for no fentry or kprobe facts. */
static void auto_mode_probes_lazily(void)
{
	struct probe_plan p;
	struct kernel_facts f;

	row_facts(&kernel_rows[1], &killsnoop_tool, &f);
	f.known = FACT_BTF | FACT_CGROUP;
	probe_plan_init(&p, &killsnoop_tool, PROBE_MODE_AUTO, false);
	CHECK(probe_plan_choose(&p, SNOOP_TRACE, &f) == PLAN_NEEDS_FACTS);
	CHECK(p.facts_needed == FACT_TRACEPOINTS);
	f.known |= FACT_TRACEPOINTS;
	CHECK(probe_plan_choose(&p, SNOOP_TRACE, &f) == 0);
	CHECK(p.mode == PROBE_MODE_TRACEPOINT);
	/* Without them: the functions, then fentry, and no more. */
	f.syscalls[0].tracepoint = false;
	CHECK(probe_plan_choose(&p, SNOOP_TRACE, &f) == PLAN_NEEDS_FACTS);
	CHECK(p.facts_needed == FACT_FUNCTIONS);
	f.known |= FACT_FUNCTIONS;
	CHECK(probe_plan_choose(&p, SNOOP_TRACE, &f) == PLAN_NEEDS_FACTS);
	CHECK(p.facts_needed == FACT_FENTRY);
	f.known |= FACT_FENTRY;
	CHECK(probe_plan_choose(&p, SNOOP_TRACE, &f) == 0);
	CHECK(p.mode == PROBE_MODE_FENTRY);
	CHECK(!(f.known & FACT_KPROBES));
	probe_plan_free(&p);
}

/* Fentry mode on 6.1's facts but for one: refused, with its cause in words. */
static const char *fentry_refusal_with(void (*change)(struct kernel_facts *f))
{
	static struct probe_plan p;
	struct kernel_facts f;

	row_facts(&kernel_rows[1], &ptraceguard_tool, &f);
	change(&f);
	probe_plan_init(&p, &ptraceguard_tool, PROBE_MODE_FENTRY, false);
	if (probe_plan_choose(&p, SNOOP_TRACE, &f) != -1)
		strfmt(p.err, sizeof(p.err), "not refused");
	probe_plan_free(&p);
	return p.err;
}

static void without_wrappers(struct kernel_facts *f)
{
	for (size_t i = 0; i < f->nsyscalls; i++)
		f->syscalls[i].wrapper = false;
}

static void compat_args_unreadable(struct kernel_facts *f)
{
	struct syscall_fact *s = (struct syscall_fact *)kernel_facts_syscall(f, "process_vm_readv");

	s->compat_fentry.refusal = REFUSAL_ARGS_UNREADABLE;
	strfmt(s->compat_fentry.detail, sizeof(s->compat_fentry.detail), "arg0 type FWD");
}

static void fentry_refusals_name_their_cause(void)
{
	CHECK_STR(fentry_refusal_with(without_wrappers),
		  "fentry mode: this kernel's syscall functions take their arguments directly (no "
		  "syscall wrappers); use --mode tracepoint");
	CHECK_STR(fentry_refusal_with(compat_args_unreadable),
		  "fentry mode: the kernel refuses fentry programs that read "
		  "__ia32_sys_process_vm_readv's arguments (arg0 type FWD); use --mode tracepoint");
}

/* --ring-buffer where the kernel has none (no BTF to say so) is refused, naming the option. */
static void ring_buffer_refused_without_btf(void)
{
	struct probe_plan p;
	struct kernel_facts f;

	row_facts(&kernel_rows[4], &killsnoop_tool, &f);
	probe_plan_init(&p, &killsnoop_tool, PROBE_MODE_AUTO, true);
	CHECK(probe_plan_choose(&p, SNOOP_TRACE, &f) == -1);
	CHECK_STR(p.err, "--ring-buffer: no BPF ring buffer in this kernel's BTF (Linux 5.8)");
	probe_plan_free(&p);
}

/* Each refusal cause in words: the cause decides, the text follows. */
static void refusals_said(void)
{
	struct trampoline_fact t = { .refusal = REFUSAL_ATTACH, .error = EBUSY };
	char text[256];

	refusal_text(&t, "fentry", "__x64_sys_kill", text, sizeof(text));
	CHECK_STR(text, "the kernel refuses to attach fentry programs to __x64_sys_kill: Device "
			"or resource busy");
	t = (struct trampoline_fact){ .refusal = REFUSAL_LSM_NOT_LISTED, .detail = "yama" };
	refusal_text(&t, "LSM", "ptrace_access_check", text, sizeof(text));
	CHECK_STR(text, "the bpf LSM is not among this kernel's LSMs (yama)");
}

UNIT_SUITE(
	probe_plan_tests,
	{ "probe plan: a syscall's entry and exit, a tracepoint and a hook",
	  plan_of_tracepoints_and_hooks },
	{ "probe plan: a tracepoint with no category is refused, with its name",
	  bad_tracepoint_name_said },
	{ "probe plan: a hook name too long is refused, with its name", hook_name_too_long_said },
	{ "probe plan: every tool in every mode gets its row's plan on every kernel of the table",
	  every_row_every_tool },
	{ "probe plan: the compile plan takes the kernel's build facts alone, every mode it offers",
	  compile_plan_from_build_facts },
	{ "probe plan: auto mode asks for fentry facts only without tracepoints",
	  auto_mode_probes_lazily },
	{ "probe plan: --ring-buffer refused without BTF", ring_buffer_refused_without_btf },
	{ "probe plan: fentry refused without wrappers, or for a 32-bit entry point",
	  fentry_refusals_name_their_cause },
	{ "probe plan: each refusal cause in words", refusals_said });
