/*
 * The probe plan: which BPF programs a tool's run compiles and where each
 * attaches, in the mode chosen for this kernel (tracepoints, fentry or
 * kprobes), with the compile flags that select them. A pure function of
 * the tool, its options and the kernel's facts (common/plan/kernel_facts.h): it
 * probes, loads, mounts and prints nothing. What it chose and why is in
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

#define PLAN_MAX_NOTES 8
#define PLAN_NOTE_LEN 640

struct probe_plan {
	const struct snoop_tool *tool;
	enum probe_mode asked_mode; /* --mode */
	bool ring_buffer_asked;	    /* --ring-buffer */
	enum probe_mode mode;
	bool syscall_wrapper;
	char cflags[MAX_CFLAGS][CFLAG_LEN];
	const char *cflag_ptrs[MAX_CFLAGS];
	int ncflags;
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
 * Chooses the mode and what the kernel lets each program do, from facts
 * alone, and sets the compile flags (the struct offsets apart: a compile
 * adds them with probe_plan_add_cflag). Each call starts afresh. Returns
 * 0; -1 with p->err; or PLAN_NEEDS_FACTS with p->facts_needed, the groups
 * of facts to probe before it is called again.
 */
int probe_plan_choose(struct probe_plan *p, enum snoop_purpose purpose,
		      const struct kernel_facts *facts);

/* A compile flag more; -1 with p->err when there is no room. */
int probe_plan_add_cflag(struct probe_plan *p, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* The functions to take from the compiled module: each attachment's (nattachments of them). */
void probe_plan_functions(const struct probe_plan *p, struct snoop_function *funcs);

/* The program type of an attachment in the chosen mode. */
int probe_plan_prog_type(const struct probe_plan *p, const struct attachment *a);

static inline bool attachment_is_syscall(const struct attachment *a)
{
	return a->kind == ATTACH_SYSCALL || a->kind == ATTACH_COMPAT_SYSCALL;
}

/* Whether the LSM hooks, or fmod_ret programs in their place, are planned: calls can be denied. */
bool probe_plan_hooks_deny(const struct probe_plan *p);

/* Prints the source exactly as it will be compiled, preceded by its mode and cflags. */
void probe_plan_print_source(const struct probe_plan *p, FILE *out);

void probe_plan_free(struct probe_plan *p);

#endif
