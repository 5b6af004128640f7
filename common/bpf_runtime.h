/*
 * The one interface the tools have over libbcc: prepare the machine,
 * compile the embedded BPF C (or take it from the cache of compiled
 * programs), load, attach in the chosen mode, read perf buffers, tear down.
 *
 * Every function that can fail prints one line on stderr, prefixed with the
 * tool's name, and returns an exit status: 0, EXIT_USAGE or EXIT_RUNTIME.
 */
#ifndef SNOOP_BPF_RUNTIME_H
#define SNOOP_BPF_RUNTIME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "btf_fields.h"
#include "scope.h"

#define EXIT_USAGE 2
#define EXIT_RUNTIME 1

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

struct bpf_define {
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
struct bpf_tool {
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
	 * snoop_bpf_lsm_active() true; elsewhere they are left out (0).
	 */
	const char *const *lsm_hooks;
	size_t nlsm_hooks;
	/* Numbers the program takes as -D NAME=VALUE (constants of the tool, never user input). */
	const struct bpf_define *defines;
	size_t ndefines;
	/*
	 * A guard: a failed write of its output is counted and reported (on
	 * stderr and to syslog), and the programs stay attached until SIGINT
	 * or SIGTERM. Other tools stop when their output is gone.
	 */
	bool output_errors_counted;
	/*
	 * With a prefix P, each syscall exit program (of syscall S, or of its
	 * 32-bit entry point) is put in slot 0 of the prog array P_S_calls (or
	 * P_compat_S_calls), to run again by a tail call of itself: kernels let
	 * a tail call go only to a program of the same hook. NULL: none.
	 */
	const char *exit_tail_call;
	/*
	 * Kernel struct fields the program reads with FIELD_OFFSET, beyond
	 * those programs/snoop.bpf.h reads for every tool.
	 */
	const struct kernel_field *fields;
	size_t nfields;
};

struct bpf_settings {
	enum probe_mode mode;
	const char *kernel_headers;	/* --kernel-headers, or NULL */
	bool verbose;			/* phases and their times on stderr */
	bool no_cache;			/* --no-cache: compile, neither read nor write the cache */
	int buffer_pages;		/* --buffer-pages: perf buffer pages per CPU; 0: the tool's */
	struct scope_options scope;	/* --pidns, --cgroup, --mntnsmap */
};

typedef void (*bpf_sample_fn)(void *ctx, const void *data, size_t size);

struct snoop_bpf;

struct snoop_bpf *snoop_bpf_new(const struct bpf_tool *tool, const struct bpf_settings *settings);

/* What the program is prepared for; each asks more of the machine. */
enum snoop_purpose {
	SNOOP_SHOW_SOURCE,	/* --ebpf: mode and cflags only, no root needed */
	SNOOP_LOAD_ONLY,	/* compile and load, even where the mode cannot attach */
	SNOOP_TRACE,		/* everything, attach included */
};

/*
 * Chooses the mode and collects struct offsets from BTF. Past
 * SNOOP_SHOW_SOURCE it also requires root, mounts what tracing needs and
 * finds kernel headers; for SNOOP_TRACE the kernel must offer the mode.
 */
int snoop_bpf_prepare(struct snoop_bpf *b, enum snoop_purpose purpose);

/*
 * What every tool does before it sets its maps: prepare, then with
 * show_source (--ebpf) print the source and return SNOOP_DONE, else take
 * the program from the cache of compiled programs (common/prog_cache.h)
 * or compile and store it, load it and set the scope (common/scope.h).
 * Returns 0 when loaded, SNOOP_DONE when SIGINT or SIGTERM came before the
 * load (the tool exits 0), or an exit status.
 */
#define SNOOP_DONE (-1)
int snoop_bpf_start(struct snoop_bpf *b, bool show_source);

/* Prints the source exactly as it will be compiled, preceded by its cflags. */
void snoop_bpf_print_source(const struct snoop_bpf *b, FILE *out);

/* Compiles with libbcc (common/bcc_compile.h), bypassing the cache. */
int snoop_bpf_compile(struct snoop_bpf *b);
/* Loads the compiled program: maps created, programs through the verifier. */
int snoop_bpf_load(struct snoop_bpf *b);
int snoop_bpf_attach(struct snoop_bpf *b);

/* Whether the tool's LSM hooks are attached (after snoop_bpf_prepare). */
bool snoop_bpf_lsm_active(const struct snoop_bpf *b);

/* The descriptor of a map of the program, or -1. */
int snoop_bpf_map_fd(struct snoop_bpf *b, const char *map);

/* Writes value at key of a map of the program (option values live in maps). */
int snoop_bpf_map_set(struct snoop_bpf *b, const char *map, const void *key, const void *value);

/*
 * Opens a perf buffer on every online CPU for a BPF_PERF_OUTPUT: of
 * --buffer-pages pages when given, else page_count.
 */
int snoop_bpf_open_perf(struct snoop_bpf *b, const char *map, bpf_sample_fn fn, void *ctx,
			int page_count);

/*
 * The event loop: reads the perf buffers until SIGINT or SIGTERM (or until
 * stdout is closed, unless the tool counts output errors), calling
 * after_batch (may be NULL) and flushing stdout after each batch so that a
 * pipe sees lines at once. Reports lost events, updates that a full BPF
 * table refused, and events not written, on stderr at the end. Returns 0 or EXIT_RUNTIME.
 */
int snoop_bpf_run(struct snoop_bpf *b, void (*after_batch)(void *ctx), void *ctx);

/* Detaches every probe and frees everything; b may be NULL. */
void snoop_bpf_free(struct snoop_bpf *b);


#endif
