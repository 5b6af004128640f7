/*
 * Every tool's programs as a kernel without BTF gets them: compiled with
 * no struct offsets from BTF (FIELD_OFFSET then takes the layout of the
 * kernel headers), and with entry and exit programs for the syscalls, since
 * such a kernel cannot say it has bpf_task_pt_regs. No kernel here lacks
 * BTF, so the programs are compiled, against the headers the runtime finds,
 * and not loaded. Needs root (the header search may unpack headers into
 * the private cache). Ends with "N passed, N failed, N skipped".
 */
#include "../../common/load/compile.h"
#include "../../common/files.h"
#include "../../common/load/kheaders.h"
#include "../kernel_rows.h"
#include "../report.h"

static void compile_without_btf(const struct snoop_tool *t)
{
	struct prog_image img = { 0 };
	struct probe_plan plan;
	struct kernel_facts facts = { 0 };
	char err[4096] = "";
	const struct snoop_tool tool = *t;

	/* The facts of a kernel without BTF: no bpf_task_pt_regs, so entry and exit programs. */
	for (size_t i = 0; i < ARRAY_SIZE(kernel_rows); i++) {
		if (!kernel_rows[i].btf)
			row_facts(&kernel_rows[i], &tool, &facts);
	}
	/* No struct offsets: without BTF, FIELD_OFFSET takes the headers' layout. */
	probe_plan_init(&plan, &tool, PROBE_MODE_TRACEPOINT, false);
	if (probe_plan_compile(&plan, SNOOP_COMPILE, &facts))
		snprintf(err, sizeof(err), "planning: %s", plan.err);
	else if (plan.compile.nprograms > IMAGE_MAX_PROGS)
		snprintf(err, sizeof(err), "too many programs");
	if (!err[0]) {
		struct snoop_function funcs[IMAGE_MAX_PROGS];

		probe_plan_functions(&plan, funcs);
		snoop_compile(tool.source, plan.compile.cflag_ptrs, plan.compile.ncflags, funcs,
			      plan.compile.nprograms, &img, err, sizeof(err));
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
	kheaders_default_search(&search, NULL, SNOOP_CACHE_DIR);
	rc = kheaders_select(&search, &headers, err, sizeof(err));
	if (!report_check(!rc, "kernel headers to compile against, as the tools find them: %s",
			  rc		    ? err
			  : headers.tree[0] ? headers.tree
					    : "none, and none needed"))
		return report_end();
	for (size_t i = 0; i < ARRAY_SIZE(row_tools); i++)
		compile_without_btf(row_tools[i]);
	return report_end();
}
