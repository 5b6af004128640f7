/*
 * The probe plan, in two parts. The compile plan: one program per tool and
 * kernel, holding the programs of every mode the kernel offers
 * (tracepoints, kprobes, fentry), with the compile flags that select them;
 * it depends on the kernel's build and --ring-buffer alone, so a start in
 * any mode takes it from the cache. The attach plan: the mode chosen for
 * this run, and which of those programs it loads and where each attaches.
 * Both are pure functions of the tool, its options and the kernel's facts
 * (common/plan/kernel_facts.h): they probe, load, mount and print nothing. What it chose and why is in
 * its notes, for -v. Every function that can fail returns -1 with why in
 * the plan's err (common/status.h): the runtime chooses the exit status.
 */
#ifndef SNOOP_PROBE_PLAN_H
#define SNOOP_PROBE_PLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "../load/compile.h"
#include "kernel_facts.h"
#include "probe_mode.h"
#include "../snoop_tool.h"

/* What the program is prepared for; each asks more of the machine. */
enum snoop_purpose {
	SNOOP_SHOW_SOURCE, /* --ebpf: the compile plan only, no root needed */
	SNOOP_COMPILE,	   /* one mode's programs for the compile plan: build facts only */
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
	int prog_type;		    /* enum bpf_prog_type, in the plan's mode */
	int prog_fd;		    /* owned by the loaded image */
	int perf_fd;		    /* tracepoints and kprobes */
	int link_fd;		    /* fentry, fexit and raw tracepoints */
	char kprobe_event[64];	    /* for kprobes: the event name to remove */
};

#define PLAN_MAX_NOTES 12
#define PLAN_NOTE_LEN 640

/* What one compile of the tool's program takes, for every mode at once. */
struct compile_plan {
	char cflags[MAX_CFLAGS][CFLAG_LEN];
	const char *cflag_ptrs[MAX_CFLAGS];
	int ncflags;
	struct attachment *programs; /* every mode's, each function once */
	size_t nprograms;
	bool compat_sys_enter; /* the tracepoint mode's raw_syscalls:sys_enter program */
};

struct probe_plan {
	const struct snoop_tool *tool;
	enum probe_mode asked_mode; /* --mode */
	bool ring_buffer_asked;	    /* --ring-buffer */
	enum probe_mode mode;
	bool syscall_wrapper;
	struct compile_plan compile;
	bool lsm_active;       /* the LSM hooks are planned */
	bool fmod_ret_active;  /* ... or, in their place, fmod_ret programs */
	char no_lsm_why[256];  /* why not the LSM hooks */
	bool compat_sys_enter; /* 32-bit entries taken at raw_syscalls:sys_enter */
	bool ring_buffer;      /* events through a BPF ring buffer (SNOOP_RINGBUF) */
	struct attachment *attachments;
	size_t nattachments;
	/* What was chosen, and why: one line each, for -v. */
	char notes[PLAN_MAX_NOTES][PLAN_NOTE_LEN];
	int nnotes;
	unsigned facts_needed; /* after PLAN_NEEDS_FACTS: the enum kernel_fact groups */
	char err[512];	       /* why the last call failed */
};

/* probe_plan_choose's answer when it needs facts not yet probed. */
#define PLAN_NEEDS_FACTS 1

/* A plan for tool, with --mode and --ring-buffer; nothing chosen yet. */
void probe_plan_init(struct probe_plan *p, const struct snoop_tool *tool, enum probe_mode mode,
		     bool ring_buffer);

/*
 * The attach plan: chooses the mode and what the kernel lets each program
 * do, from facts alone. Each call starts afresh. Returns 0; -1 with
 * p->err; or PLAN_NEEDS_FACTS with p->facts_needed, the groups of facts to
 * probe before it is called again.
 */
int probe_plan_choose(struct probe_plan *p, enum snoop_purpose purpose,
		      const struct kernel_facts *facts);

/*
 * The compile plan (p->compile): the programs of every mode the kernel's
 * build offers, whatever this run attaches, and their flags (the struct
 * offsets apart: a compile adds them with probe_plan_add_cflag). Facts of
 * the kernel's build only: nothing that a mount, a boot option or a
 * refusal at load time changes. With SNOOP_SHOW_SOURCE, as compiled where
 * the kernel has syscall tracepoints. Returns as probe_plan_choose.
 */
int probe_plan_compile(struct probe_plan *p, enum snoop_purpose purpose,
		       const struct kernel_facts *facts);

/* A compile flag more; -1 with p->err when there is no room. */
int probe_plan_add_cflag(struct probe_plan *p, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* The functions to take from the compiled module: the compile plan's (nprograms of them). */
void probe_plan_functions(const struct probe_plan *p, struct snoop_function *funcs);

static inline bool attachment_is_syscall(const struct attachment *a)
{
	return a->kind == ATTACH_SYSCALL || a->kind == ATTACH_COMPAT_SYSCALL;
}

/* Whether the LSM hooks, or fmod_ret programs in their place, are planned: calls can be denied. */
bool probe_plan_hooks_deny(const struct probe_plan *p);

/* Prints the source exactly as it will be compiled, preceded by its cflags. */
void probe_plan_print_source(const struct probe_plan *p, FILE *out);

void probe_plan_free(struct probe_plan *p);

#endif
