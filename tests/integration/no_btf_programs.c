/*
 * Every tool's programs as a kernel without BTF gets them: compiled with
 * no struct offsets from BTF (FIELD_OFFSET then takes the layout of the
 * kernel headers), and with entry and exit programs for the syscalls, since
 * such a kernel cannot say it has bpf_task_pt_regs. No kernel here lacks
 * BTF, so the programs are compiled, against the headers the runtime finds,
 * and not loaded. Needs root (the header search may unpack headers into
 * the private cache). Ends with "N passed, N failed".
 */
#include <stdio.h>
#include <stdlib.h>

#include "../../common/array_size.h"
#include "../../common/compile.h"
#include "../../common/kheaders.h"
#include "../../common/probe_plan.h"
#include "../../tools/execsnoop/tool.h"
#include "../../tools/exitsnoop/tool.h"
#include "../../tools/killsnoop/tool.h"
#include "../../tools/ptraceguard/tool.h"
#include "../../tools/sigsnoop/tool.h"

/* Every tool as its main.c runs it (sigsnoop-c with -D: every program). */
static const struct snoop_tool *const tools[] = { &execsnoop_tool, &exitsnoop_tool, &killsnoop_tool,
						  &sigsnoop_tool, &ptraceguard_tool };

static int passed, failed;

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
	printf("%s %s: compiled without BTF, its offsets from the kernel headers%s%s\n",
	       err[0] ? "FAIL" : "ok  ", tool.name, err[0] ? ": " : "", err);
	if (err[0])
		failed++;
	else
		passed++;
	prog_image_free(&img);
	probe_plan_free(&plan);
}

int main(void)
{
	struct kheaders_search search;
	struct kheaders headers;
	char err[512];

	kheaders_default_search(&search, NULL);
	if (kheaders_resolve(&search, &headers, err, sizeof(err)) ||
	    (headers.tree[0] && setenv("BCC_KERNEL_SOURCE", headers.tree, 1))) {
		printf("FAIL no kernel headers to compile against: %s\n", err);
		printf("0 passed, 1 failed\n");
		return 1;
	}
	for (size_t i = 0; i < ARRAY_SIZE(tools); i++)
		compile_without_btf(tools[i]);
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
