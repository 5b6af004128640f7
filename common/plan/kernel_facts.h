/*
 * What the running kernel offers a tool, probed into one struct of facts:
 * each fact at most once a start, and only the facts the plans ask for
 * (probe_plan_choose and probe_plan_compile say which they lack). This is the only code that
 * loads probe programs or mounts file systems (tracefs, securityfs) to
 * find out; the planner decides from the struct alone, so tests can give
 * it any kernel's facts.
 */
#ifndef SNOOP_KERNEL_FACTS_H
#define SNOOP_KERNEL_FACTS_H

#include <stdbool.h>
#include <stddef.h>

#include "../snoop_tool.h"

/* The groups of facts, each probed at once. */
enum kernel_fact {
	/* BTF: whether there is any, and the helpers. */
	FACT_BTF = 1u << 0,
	/* tracefs mounted where libbcc reads it, each syscall's sys_enter tracepoint (root). */
	FACT_TRACEPOINTS = 1u << 1,
	FACT_KPROBES = 1u << 2,
	/* /proc/kallsyms: each syscall's kernel functions. */
	FACT_FUNCTIONS = 1u << 3,
	/* A fentry program on each of those functions (root; with FACT_BTF, FACT_FUNCTIONS). */
	FACT_FENTRY = 1u << 4,
	/* The LSM list, and an LSM program on the tool's first hook (root; securityfs mounted). */
	FACT_LSM = 1u << 5,
	/* An fmod_ret program on security_HOOK of the tool's first hook (root). */
	FACT_FMOD_RET = 1u << 6,
	/* The cgroup hierarchy the events' cgroup IDs are of. */
	FACT_CGROUP = 1u << 7,
	/* Each compat syscall's x86 32-bit entry point in the BTF (a pass over all its names). */
	FACT_IA32 = 1u << 8,
};

#define FACTS_ALL 0x1ffu

/* Why a trampoline program (fentry, fmod_ret, LSM) cannot be used here. */
enum refusal {
	REFUSAL_NONE,		 /* it loads and attaches */
	REFUSAL_NO_BTF,		 /* the kernel has no BTF */
	REFUSAL_NO_FUNCTION,	 /* no such function, in kallsyms or in the BTF */
	REFUSAL_ARGS_UNREADABLE, /* the verifier lets no program read its arguments */
	REFUSAL_LOAD,		 /* the kernel refuses to load such programs (error) */
	REFUSAL_ATTACH,		 /* ... or to attach them there (error) */
	REFUSAL_NO_LSM_LIST,	 /* no /sys/kernel/security/lsm */
	REFUSAL_LSM_NOT_LISTED,	 /* bpf is not among the LSMs (detail: the list) */
	REFUSAL_MOUNT,		 /* securityfs could not be mounted (error) */
};

struct trampoline_fact {
	enum refusal refusal;
	int error;	  /* the errno of REFUSAL_LOAD, REFUSAL_ATTACH, REFUSAL_MOUNT */
	char detail[192]; /* the verifier's reason, or the LSM list */
};

#define FACT_FUNC_LEN 128
#define FACTS_MAX_SYSCALLS 16

/* One syscall of the tool (or of its 32-bit entry points), and what the kernel has of it. */
struct syscall_fact {
	const char *syscall;
	bool compat;		       /* the tool traces its 32-bit entry point too */
	bool tracepoint;	       /* syscalls:sys_enter_NAME */
	bool ia32_entry;	       /* BTF names __ia32_compat_sys_NAME or __ia32_sys_NAME */
	char fn[FACT_FUNC_LEN];	       /* __x64_sys_execve, or sys_execve; "" when none */
	bool wrapper;		       /* fn takes the user's struct pt_regs (arch wrapper) */
	char compat_fn[FACT_FUNC_LEN]; /* its 32-bit entry point; "" when none */
	struct trampoline_fact fentry; /* on fn */
	struct trampoline_fact compat_fentry; /* on compat_fn, where compat */
};

struct kernel_facts {
	unsigned known; /* the enum kernel_fact groups probed */
	bool btf;
	bool task_pt_regs;  /* the bpf_task_pt_regs helper (Linux 5.15) */
	bool ringbuf;	    /* BPF ring buffers (Linux 5.8) */
	bool kprobes;	    /* the kprobe PMU or kprobe_events */
	int kallsyms_error; /* errno when /proc/kallsyms could not be read; 0 */
	struct syscall_fact syscalls[FACTS_MAX_SYSCALLS];
	size_t nsyscalls;
	const char *lsm_hook; /* the tool's first LSM hook, or NULL */
	struct trampoline_fact lsm;
	struct trampoline_fact fmod_ret;
	int cgroup_ssid; /* the v1 controller's subsystem number; -1 for the unified hierarchy */
};

/*
 * Facts for tool, none known yet: its syscalls and 32-bit ones, each once.
 * Returns 0, or -1 with err set when the tool has too many.
 */
int kernel_facts_init(struct kernel_facts *f, const struct snoop_tool *tool, char *err,
		      size_t errlen);

/* The syscall's facts, or NULL when the tool has no such syscall. */
const struct syscall_fact *kernel_facts_syscall(const struct kernel_facts *f, const char *syscall);

/*
 * Probes the groups of want not known yet, and marks them known. Returns 0,
 * or -1 with err set when the machine cannot be made ready to probe (a
 * tracefs mount refused).
 */
int kernel_facts_probe(struct kernel_facts *f, unsigned want, char *err, size_t errlen);

/*
 * Why a trampoline program of kind what ("fentry", "LSM", "fmod_ret") on
 * fn is refused, as one clause for a message.
 */
void refusal_text(const struct trampoline_fact *t, const char *what, const char *fn, char *buf,
		  size_t len);

#endif
