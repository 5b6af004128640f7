/*
 * In a guest whose kernel has its exact headers installed: the header
 * search must pick them (/lib/modules/RELEASE, release matching uname -r),
 * and the task_struct offsets the tools take from BTF must be the headers'
 * own. The second is checked by compiling, against those headers and with
 * the BTF offsets as -D values, a program of static assertions.
 * Needs root. Ends with "N passed, N failed, N skipped".
 */
#include <string.h>
#include <sys/utsname.h>

#include "../../common/bpf_runtime.h"
#include "../../common/files.h"
#include "../../common/load/kheaders.h"
#include "../../tools/execsnoop/tool.h"
#include "../report.h"

static const char offsets_source[] =
	/*
	 * The kernel's own layout assertions hold for the compiler that built
	 * it, not always for clang's BPF target (7.2's fs.h asserts the size of
	 * struct filename): this program asserts only the offsets the tools read.
	 */
	"#include <linux/build_bug.h>\n"
	"#undef static_assert\n"
	"#define static_assert(...)\n"
	"#include <linux/sched.h>\n"
	"#include <linux/mm_types.h>\n"
	"#include <linux/binfmts.h>\n"
	"#include <linux/fs.h>\n"
	"#include <linux/mount.h>\n"
	"#define AGREE(type, field) _Static_assert(offsetof(struct type, field) == "
	"SNOOP_OFF_##type##__##field, #type \".\" #field \": BTF and headers disagree\")\n"
	"AGREE(task_struct, real_parent);\n"
	"AGREE(task_struct, tgid);\n"
	"AGREE(task_struct, comm);\n"
	"AGREE(task_struct, flags);\n"
	"AGREE(task_struct, mm);\n"
	"AGREE(mm_struct, arg_start);\n"
	"AGREE(mm_struct, arg_end);\n"
	"AGREE(linux_binprm, filename);\n"
	"AGREE(linux_binprm, interp);\n"
	"AGREE(linux_binprm, fdpath);\n"
	"AGREE(linux_binprm, file);\n"
	"AGREE(file, f_path);\n"
	"AGREE(path, dentry);\n"
	"AGREE(dentry, d_parent);\n"
	"AGREE(dentry, d_name);\n"
	"AGREE(vfsmount, mnt_root);\n"
	/*
	 * The functions the runtime takes from a compiled program: one compile
	 * holds every mode's (programs/snoop.bpf.h names them so).
	 */
	"#if SNOOP_TRACEPOINT\n"
	"TRACEPOINT_PROBE(syscalls, sys_enter_execve) { return 0; }\n"
	"TRACEPOINT_PROBE(syscalls, sys_exit_execve) { return 0; }\n"
	"#endif\n"
	"#if SNOOP_KPROBE\n"
	"int kprobe_enter_execve(struct pt_regs *ctx) { return 0; }\n"
	"int kprobe_exit_execve(struct pt_regs *ctx) { return 0; }\n"
	"#endif\n"
	"#if SNOOP_FENTRY\n"
	"#define NOOP_FENTRY(fn) KFUNC_PROBE(fn, struct pt_regs *regs) { return 0; }\n"
	"#define NOOP_FEXIT(fn) KRETFUNC_PROBE(fn, struct pt_regs *regs, long ret) { return 0; }\n"
	"NOOP_FENTRY(SNOOP_FUNC_execve)\n"
	"NOOP_FEXIT(SNOOP_FUNC_execve)\n"
	"#endif\n";

int main(void)
{
	static const char *const syscalls[] = { "execve" };
	/* The fields execsnoop-c reads, besides every tool's own. */
	const struct snoop_tool tool = { .name = "header-offsets",
					 .source = offsets_source,
					 .syscalls = syscalls,
					 .nsyscalls = 1,
					 .fields = execsnoop_fields,
					 .nfields = execsnoop_tool.nfields };
	const struct snoop_settings settings = { .mode = PROBE_MODE_TRACEPOINT };
	struct kheaders_search search;
	struct kheaders headers;
	struct utsname un;
	char err[512] = "", detail[640];
	struct snoop_bpf *b;
	int rc;

	uname(&un);
	kheaders_default_search(&search, NULL, SNOOP_CACHE_DIR);
	rc = kheaders_resolve(&search, &headers, err, sizeof(err));
	snprintf(detail, sizeof(detail), "%s", rc ? err : headers.release);
	report_check(!rc && headers.source == KHEADERS_MODULES &&
			     !strcmp(headers.release, un.release),
		     "headers: the running kernel's own, from /lib/modules: %s", detail);

	b = snoop_bpf_new(&tool, &settings);
	rc = b ? snoop_bpf_prepare(b, SNOOP_LOAD_ONLY) : EXIT_RUNTIME;
	if (!rc)
		rc = snoop_bpf_compile(b);
	report_check(!rc, "headers: task_struct, mm_struct, linux_binprm, file and dentry offsets "
			  "from BTF agree with the headers");
	snoop_bpf_free(b);

	return report_end();
}
