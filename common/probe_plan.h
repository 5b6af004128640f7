/*
 * The probe plan: which BPF programs a tool's run compiles and where each
 * attaches, in the mode chosen for this kernel (tracepoints, fentry or
 * kprobes), with the compile flags that select them and the kernel struct
 * offsets they read. No BPF is loaded here. Every function that can fail
 * returns -1 with why in the plan's err (common/status.h): the runtime
 * chooses the exit status.
 */
#ifndef SNOOP_PROBE_PLAN_H
#define SNOOP_PROBE_PLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "btf_fields.h"
#include "compile.h"
#include "event_order.h"
#include "kernel_env.h"

enum probe_mode {
	PROBE_MODE_AUTO,
	PROBE_MODE_TRACEPOINT,
	PROBE_MODE_KPROBE,
	PROBE_MODE_FENTRY,
};

bool probe_mode_parse(const char *s, enum probe_mode *mode);

/* Which programs a tool has for each of its syscalls. */
enum syscall_probes {
	SYSCALL_ENTRY_AND_EXIT,
	SYSCALL_ENTRY_ONLY,
	/*
	 * The exit alone, reading the arguments back from the registers the
	 * syscall was entered with, where the kernel lets programs read them
	 * (bpf_task_pt_regs, Linux 5.15, with BTF): the runtime then sets
	 * SNOOP_EXIT_ARGS=1. Entry and exit elsewhere.
	 */
	SYSCALL_EXIT_READS_ARGS,
};

struct snoop_define {
	const char *name;
	long value;
};

/*
 * What a tool asks of the runtime. For each syscall S the program defines
 * tracepoint__syscalls__sys_enter_S and tracepoint__syscalls__sys_exit_S
 * (TRACEPOINT_PROBE) when SNOOP_TRACEPOINT is set; otherwise
 * SYSCALL_PROBES(S, ...) or SYSCALL_RETURN_PROBE(S, ...) of
 * programs/snoop.bpf.h defines the kprobe (SNOOP_KPROBE) or fentry
 * (SNOOP_FENTRY) programs.
 */
struct snoop_tool {
	const char *name;
	const char *source;
	const char *const *syscalls;
	size_t nsyscalls;
	enum syscall_probes syscall_probes;
	/*
	 * This run attaches no syscall program: the syscalls still decide
	 * which modes the kernel can do, and the program compiled is the same.
	 */
	bool syscalls_unattached;
	/*
	 * Syscalls whose 32-bit entry points (x86's int $0x80) are traced too,
	 * where the kernel has them: in the kprobe and fentry modes, with
	 * COMPAT_SYSCALL_*_PROBE, under SNOOP_COMPAT_FUNC_S. Syscall
	 * tracepoints never fire for them.
	 */
	const char *const *compat_syscalls;
	size_t ncompat_syscalls;
	/* "category:event" tracepoints the program handles in every mode
	 * (TRACEPOINT_PROBE(category, event)). */
	const char *const *tracepoints;
	size_t ntracepoints;
	/* Raw tracepoints the program handles in every mode (RAW_TRACEPOINT_PROBE(event)). */
	const char *const *raw_tracepoints;
	size_t nraw_tracepoints;
	/*
	 * LSM hooks (LSM_PROBE(hook)), in every mode, where the kernel runs BPF
	 * LSM programs and has bpf_task_pt_regs: then SNOOP_LSM is 1 and
	 * snoop_bpf_hooks_deny() true. Elsewhere, in the fentry mode, fmod_ret
	 * programs on their security_ functions where the kernel takes them
	 * (KMOD_RET(security_hook, args..., int ret)): SNOOP_FMOD_RET is 1, and
	 * snoop_bpf_hooks_deny() true. Else neither (0).
	 */
	const char *const *lsm_hooks;
	size_t nlsm_hooks;
	/* Numbers the program takes as -D NAME=VALUE (constants of the tool, never user input). */
	const struct snoop_define *defines;
	size_t ndefines;
	/*
	 * A guard: a failed write of its output is counted and reported (on
	 * stderr and to syslog), and the programs stay attached until SIGINT
	 * or SIGTERM. Other tools stop when their output is gone.
	 */
	bool output_errors_counted;
	/* Each event's kernel time, for the lines in that order (event_order.h); NULL: as read. */
	snoop_event_time_fn event_time;
	/*
	 * With a prefix P, each syscall exit program (of syscall S, or of its
	 * 32-bit entry point) is put in slot 0 of the prog array P_S_calls (or
	 * P_compat_S_calls), to run again by a tail call of itself: kernels let
	 * a tail call go only to a program of the same hook. NULL: none.
	 */
	const char *exit_tail_call;
	/*
	 * The default size of its events' buffer, in pages (--buffer-pages
	 * overrides it): the perf buffer of each CPU (the runtime halves it
	 * on machines with many CPUs), or with --ring-buffer the BPF ring
	 * buffer that every CPU shares. Each a power of two.
	 */
	int ring_buffer_pages;
	int perf_buffer_pages;
	/*
	 * Kernel struct fields the program reads with FIELD_OFFSET, beyond
	 * those programs/snoop.bpf.h reads for every tool.
	 */
	const struct kernel_field *fields;
	size_t nfields;
};

/* What the program is prepared for; each asks more of the machine. */
enum snoop_purpose {
	SNOOP_SHOW_SOURCE, /* --ebpf: mode and cflags only, no root needed */
	SNOOP_LOAD_ONLY,   /* compile and load, even where the mode cannot attach */
	SNOOP_TRACE,	   /* everything, attach included */
};

#define MAX_CFLAGS 96
#define CFLAG_LEN 96
#define FUNC_NAME_LEN 128

enum attachment_kind {
	ATTACH_SYSCALL,	       /* a syscall's entry or exit */
	ATTACH_COMPAT_SYSCALL, /* the same, at its 32-bit entry point */
	ATTACH_TRACEPOINT,     /* one of the tool's tracepoints */
	ATTACH_RAW_TRACEPOINT,
	ATTACH_LSM,	 /* an LSM hook */
	ATTACH_FMOD_RET, /* the same hook's security_ function, BPF_MODIFY_RETURN */
};

/* One BPF program and where it attaches. */
struct attachment {
	enum attachment_kind kind;
	const char *syscall; /* syscalls: its name */
	bool is_return;
	char category[32];	    /* of a tracepoint: "syscalls", "signal", ... */
	char func[FUNC_NAME_LEN];   /* BPF function */
	char target[FUNC_NAME_LEN]; /* tracepoint name or kernel function */
	int prog_fd;		    /* owned by the loaded image */
	int perf_fd;		    /* tracepoints and kprobes */
	int link_fd;		    /* fentry, fexit and raw tracepoints */
	char kprobe_event[64];	    /* for kprobes: the event name to remove */
};

struct probe_plan {
	const struct snoop_tool *tool;
	enum probe_mode asked_mode; /* --mode */
	bool verbose;		    /* -v: what was chosen, and why, on stderr */
	enum probe_mode mode;
	bool syscall_wrapper;
	/* kprobe and fentry: the kernel functions of the tool's syscalls, each name once. */
	struct syscall_function *functions;
	size_t nfunctions;
	char cflags[MAX_CFLAGS][CFLAG_LEN];
	const char *cflag_ptrs[MAX_CFLAGS];
	int ncflags;
	bool have_offsets;	/* the BTF struct offsets are among the cflags */
	bool lsm_active;	/* the LSM hooks are planned */
	bool fmod_ret_active;	/* ... or, in their place, fmod_ret programs */
	char no_lsm_why[256];	/* why not the LSM hooks */
	bool compat_sys_enter;	/* 32-bit entries taken at raw_syscalls:sys_enter */
	bool ring_buffer_asked; /* --ring-buffer */
	bool ring_buffer;	/* events through a BPF ring buffer (SNOOP_RINGBUF) */
	struct attachment *attachments;
	size_t nattachments;
	char err[512]; /* why the last call failed */
};

/* Every program the tool could attach, before the kernel is asked anything. 0, or -1. */
int probe_plan_init(struct probe_plan *p, const struct snoop_tool *tool, enum probe_mode mode,
		    bool verbose);

/*
 * Chooses the mode and what the kernel lets each program do, and sets the
 * compile flags; for SNOOP_SHOW_SOURCE the struct offsets too (a compile
 * adds them with probe_plan_field_offsets). Returns 0, or -1 with p->err.
 */
int probe_plan_choose(struct probe_plan *p, enum snoop_purpose purpose);

/* Adds the kernel's struct offsets from BTF as -D values, once. */
int probe_plan_field_offsets(struct probe_plan *p);

/* The functions to take from the compiled module: each attachment's (nattachments of them). */
void probe_plan_functions(const struct probe_plan *p, struct snoop_function *funcs);

/* The program type of an attachment in the chosen mode. */
int probe_plan_prog_type(const struct probe_plan *p, const struct attachment *a);

bool attachment_is_syscall(const struct attachment *a);

/* Whether the tool's LSM hooks are planned (after probe_plan_choose). */
/* Whether the LSM hooks, or fmod_ret programs in their place, are planned: calls can be denied. */
bool probe_plan_hooks_deny(const struct probe_plan *p);

const char *probe_mode_name(enum probe_mode mode);

/* Prints the source exactly as it will be compiled, preceded by its mode and cflags. */
void probe_plan_print_source(const struct probe_plan *p, FILE *out);

void probe_plan_free(struct probe_plan *p);

#endif
