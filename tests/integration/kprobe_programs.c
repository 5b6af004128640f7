/*
 * Programs of the tools that this kernel does not run, compiled through the
 * runtime and loaded through the kernel's verifier without attaching:
 * - kprobe mode's: the kprobe program type needs only BPF events, not
 *   kprobes, so this checks the kprobe half of the tools even on a kernel
 *   that cannot attach them;
 * - the entry and exit pairs of killsnoop and execsnoop, which kernels
 *   without bpf_task_pt_regs (before 5.15, or without BTF) get instead of
 *   their exit programs alone.
 * Needs root. Ends with "N passed, N failed, N skipped".
 */
#include "../../common/array_size.h"
#include "../../common/bpf_runtime.h"
#include "../../tools/execsnoop/tool.h"
#include "../../tools/exitsnoop/tool.h"
#include "../../tools/killsnoop/tool.h"
#include "../report.h"

struct case_ {
	const struct snoop_tool *tool;
	enum probe_mode mode;
	enum syscall_probes probes;
	const char *what;
};

int main(void)
{
	static const struct case_ cases[] = {
		{ &execsnoop_tool, PROBE_MODE_KPROBE, SYSCALL_EXIT_READS_ARGS,
		  "kprobe mode programs" },
		{ &execsnoop_tool, PROBE_MODE_KPROBE, SYSCALL_ENTRY_AND_EXIT,
		  "kprobe mode entry and exit pairs" },
		{ &execsnoop_tool, PROBE_MODE_TRACEPOINT, SYSCALL_ENTRY_AND_EXIT,
		  "tracepoint mode entry and exit pairs" },
		{ &killsnoop_tool, PROBE_MODE_KPROBE, SYSCALL_EXIT_READS_ARGS,
		  "kprobe mode program" },
		{ &killsnoop_tool, PROBE_MODE_KPROBE, SYSCALL_ENTRY_AND_EXIT,
		  "kprobe mode entry and exit pair" },
		{ &killsnoop_tool, PROBE_MODE_TRACEPOINT, SYSCALL_ENTRY_AND_EXIT,
		  "tracepoint mode entry and exit pair" },
		{ &exitsnoop_tool, PROBE_MODE_KPROBE, SYSCALL_ENTRY_AND_EXIT,
		  "kprobe mode: the signal syscalls' entry and exit pairs" },
	};

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		const struct case_ *c = &cases[i];
		struct snoop_tool tool = *c->tool;
		const struct snoop_settings settings = { .mode = c->mode };
		struct snoop_bpf *b;
		int rc;

		tool.syscall_probes = c->probes;
		b = snoop_bpf_new(&tool, &settings);
		rc = b ? 0 : EXIT_RUNTIME;
		if (!rc)
			rc = snoop_bpf_prepare(b, SNOOP_LOAD_ONLY);
		if (!rc)
			rc = snoop_bpf_compile(b);
		if (!rc)
			rc = snoop_bpf_load(b);
		report_check(!rc, "%s: %s: compiled, and accepted by the verifier", tool.name,
			     c->what);
		snoop_bpf_free(b);
	}
	return report_end();
}
