/*
 * Programs of the tools that this kernel does not run, compiled through the
 * runtime and loaded through the kernel's verifier without attaching:
 * - kprobe mode's: the kprobe program type needs only BPF events, not
 *   kprobes, so this checks the kprobe half of the tools even on a kernel
 *   that cannot attach them;
 * - killsnoop's entry and exit pair, which kernels without bpf_task_pt_regs
 *   (before 5.15, or without BTF) get instead of its exit program alone.
 * Needs root. Ends with "N passed, N failed".
 */
#include <stdio.h>

#include "../../common/bpf_runtime.h"
#include "execsnoop.bpf.inc"
#include "killsnoop.bpf.inc"

struct case_ {
	const char *name;
	const char *source;
	const char *syscall;
	enum probe_mode mode;
	enum syscall_probes probes;
	const char *what;
};

int main(void)
{
	static const struct case_ cases[] = {
		{ "execsnoop-c", execsnoop_bpf_source, "execve", PROBE_MODE_KPROBE,
		  SYSCALL_ENTRY_AND_EXIT, "kprobe mode programs" },
		{ "killsnoop-c", killsnoop_bpf_source, "kill", PROBE_MODE_KPROBE,
		  SYSCALL_EXIT_READS_ARGS, "kprobe mode program" },
		{ "killsnoop-c", killsnoop_bpf_source, "kill", PROBE_MODE_KPROBE,
		  SYSCALL_ENTRY_AND_EXIT, "kprobe mode entry and exit pair" },
		{ "killsnoop-c", killsnoop_bpf_source, "kill", PROBE_MODE_TRACEPOINT,
		  SYSCALL_ENTRY_AND_EXIT, "tracepoint mode entry and exit pair" },
	};
	int passed = 0, failed = 0;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct case_ *c = &cases[i];
		const char *const syscalls[] = { c->syscall };
		const struct bpf_tool tool = { .name = c->name, .source = c->source,
						.syscalls = syscalls, .nsyscalls = 1,
						.syscall_probes = c->probes };
		const struct bpf_settings settings = { .mode = c->mode };
		struct snoop_bpf *b = snoop_bpf_new(&tool, &settings);
		int rc = b ? 0 : EXIT_RUNTIME;

		if (!rc)
			rc = snoop_bpf_prepare(b, SNOOP_LOAD_ONLY);
		if (!rc)
			rc = snoop_bpf_compile(b);
		if (!rc)
			rc = snoop_bpf_load(b);
		printf("%s %s: %s: compiled, and accepted by the verifier\n",
		       rc ? "FAIL" : "ok  ", c->name, c->what);
		if (rc)
			failed++;
		else
			passed++;
		snoop_bpf_free(b);
	}
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
