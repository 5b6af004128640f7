/*
 * Kprobe mode's programs of every tool, compiled through the runtime and
 * loaded through the kernel's verifier without attaching. The kprobe
 * program type needs only BPF events, not kprobes, so this checks the
 * kprobe half of the tools even on a kernel that cannot attach them.
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
};

int main(void)
{
	static const struct case_ cases[] = {
		{ "execsnoop-c", execsnoop_bpf_source, "execve" },
		{ "killsnoop-c", killsnoop_bpf_source, "kill" },
	};
	const struct bpf_settings settings = { .mode = PROBE_MODE_KPROBE };
	int passed = 0, failed = 0;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct case_ *c = &cases[i];
		const char *const syscalls[] = { c->syscall };
		const struct bpf_tool tool = { .name = c->name, .source = c->source,
						.syscalls = syscalls, .nsyscalls = 1 };
		struct snoop_bpf *b = snoop_bpf_new(&tool, &settings);
		int rc = b ? 0 : EXIT_RUNTIME;

		if (!rc)
			rc = snoop_bpf_prepare(b, SNOOP_LOAD_ONLY);
		if (!rc)
			rc = snoop_bpf_compile(b);
		if (!rc)
			rc = snoop_bpf_load(b);
		printf("%s %s: kprobe mode programs compile and pass the verifier\n",
		       rc ? "FAIL" : "ok  ", c->name);
		if (rc)
			failed++;
		else
			passed++;
		snoop_bpf_free(b);
	}
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
