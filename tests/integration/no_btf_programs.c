/*
 * Every tool's programs as a kernel without BTF gets them: compiled with
 * no struct offsets from BTF (FIELD_OFFSET then takes the layout of the
 * kernel headers), and with entry and exit programs for the syscalls, since
 * such a kernel cannot say it has bpf_task_pt_regs. No kernel here lacks
 * BTF, so the programs are compiled, against the headers the runtime finds,
 * and not loaded. Needs root (the header search may unpack headers into
 * the private cache). Ends with "N passed, N failed, N skipped".
 */
#include "../../common/array_size.h"
#include "../../common/compile.h"
#include "../../common/kheaders.h"
#include "../../common/probe_plan.h"
#include "../../tools/execsnoop/tool.h"
#include "../../tools/exitsnoop/tool.h"
#include "../../tools/killsnoop/tool.h"
#include "../../tools/ptraceguard/tool.h"
#include "../../tools/sigsnoop/tool.h"
#include "../report.h"

/* Every tool as its main.c runs it (sigsnoop-c with -D: every program). */
static const struct snoop_tool *const tools[] = { &execsnoop_tool, &exitsnoop_tool, &killsnoop_tool,
						  &sigsnoop_tool, &ptraceguard_tool };

static void compile_without_btf(const struct snoop_tool *t)
{
	struct prog_image img = { 0 };
	struct probe_plan plan;
	char err[4096] = "";
	/* The programs of each syscall's entry and exit, as without bpf_task_pt_regs. */
	struct snoop_tool tool = *t;

	if (tool.syscall_probes == SYSCALL_EXIT_READS_ARGS)
		tool.syscall_probes = SYSCALL_ENTRY_AND_EXIT;
	tool.syscalls_unattached = false;
	/* SNOOP_LOAD_ONLY: the compile flags, and no struct offsets (a compile would add them). */
	if (probe_plan_init(&plan, &tool, PROBE_MODE_TRACEPOINT, false) ||
	    probe_plan_choose(&plan, SNOOP_LOAD_ONLY))
		snprintf(err, sizeof(err), "planning: %s", plan.err);
	else if (plan.nattachments > IMAGE_MAX_PROGS)
		snprintf(err, sizeof(err), "too many programs");
	if (!err[0]) {
		struct snoop_function funcs[IMAGE_MAX_PROGS];

		probe_plan_functions(&plan, funcs);
		snoop_compile(tool.source, plan.cflag_ptrs, plan.ncflags, funcs, plan.nattachments,
			      &img, err, sizeof(err));
	}
	report_check(!err[0], "%s: compiled without BTF, its offsets from the kernel headers%s%s",
		     tool.name, err[0] ? ": " : "", err);
	prog_image_free(&img);
	probe_plan_free(&plan);
}

int main(void)
{
	struct kheaders_search search;
	struct kheaders headers;
	char err[512] = "";
	int rc;

	/* The headers the tools themselves would compile against. */
	kheaders_default_search(&search, NULL);
	rc = kheaders_select(&search, &headers, err, sizeof(err));
	if (!report_check(!rc, "kernel headers to compile against, as the tools find them: %s",
			  rc		    ? err
			  : headers.tree[0] ? headers.tree
					    : "none, and none needed"))
		return report_end();
	for (size_t i = 0; i < ARRAY_SIZE(tools); i++)
		compile_without_btf(tools[i]);
	return report_end();
}
