/*
 * The one interface the tools have over libbcc, and the stages a start
 * walks through: the kernel's facts and the plan (plan/), the program
 * compiled or taken from the cache and loaded (load/), the events read
 * from perf buffers or a ring buffer and printed (output/), as the
 * options say (options/). A tool states its handlers; snoop_bpf_main does
 * the rest.
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
#include <string.h>

#include "options/settings.h"
#include "output/event_loop.h"
#include "plan/probe_plan.h"
#include "status.h"

/*
 * Copies a sample into its event struct (perf puts raw samples at 4-byte
 * alignment); false, and nothing copied, when the sample is too short.
 */
static inline bool snoop_event_copy(void *event, size_t event_size, const void *data, size_t size)
{
	if (size < event_size)
		return false;
	memcpy(event, data, event_size);
	return true;
}

struct snoop_bpf;

/* A tool's runtime, its probes planned; NULL after a line on stderr saying why. */
struct snoop_bpf *snoop_bpf_new(const struct snoop_tool *tool,
				const struct snoop_settings *settings);

/*
 * For SNOOP_LOAD_ONLY and SNOOP_TRACE: requires root, chooses the attach
 * plan from the kernel's facts, probing those it needs, and finds kernel
 * headers; for SNOOP_TRACE the kernel must offer the mode. For
 * SNOOP_SHOW_SOURCE only checks --kernel-headers: the compile plan, which
 * --ebpf prints, is made when a compile needs it.
 */
int snoop_bpf_prepare(struct snoop_bpf *b, enum snoop_purpose purpose);

/*
 * Compiles with libbcc (common/load/compile.h), bypassing the cache.
 * Returns 0, SNOOP_DONE when SIGINT or SIGTERM ended the compile, or an
 * exit status.
 */
int snoop_bpf_compile(struct snoop_bpf *b);
/* Loads the compiled program: maps created, programs through the verifier. */
int snoop_bpf_load(struct snoop_bpf *b);

/* Whether the tool's LSM hooks, or fmod_ret programs in their place, are attached (after snoop_bpf_prepare). */
bool snoop_bpf_hooks_deny(const struct snoop_bpf *b);

/* Writes value at key of a map of the program (option values live in maps). */
int snoop_bpf_map_set(struct snoop_bpf *b, const char *map, const void *key, const void *value);

/* Sets the options: the single value of the program's "config" array. */
int snoop_bpf_set_config(struct snoop_bpf *b, const void *config);

/*
 * What a tool states; the runtime does the rest (snoop_bpf_main). Each
 * takes the ctx given to snoop_bpf_main.
 */
struct snoop_handlers {
	/* Sets the program's config and other maps, and makes what on_event needs: 0 or a status. */
	int (*configure)(struct snoop_bpf *b, void *ctx);
	snoop_sample_fn on_event;
	/* Just attached: the tool's start time, and its header line unless JSON. NULL: none. */
	void (*started)(void *ctx);
	/* After each batch of events (event_loop.h). NULL: none. */
	void (*after_batch)(void *ctx);
	/* After the event loop, or a failure after configure: flush, report, free. NULL: none. */
	void (*finish)(void *ctx);
};

/*
 * A tool's run from start to end: snoop_bpf_new, then the start (prepare,
 * and with show_source print the source; else take the program from the
 * cache or compile it, load it and set the scope), configure, the events
 * opened (a perf buffer on every online CPU, or the ring buffer, of
 * --buffer-pages pages or the tool's) and the programs attached, the tool
 * confined (common/confine.h: only what its event loop needs, from here on),
 * started, the event loop, finish, and snoop_bpf_free. The event loop reads until
 * SIGINT or SIGTERM (or until stdout is closed, unless the tool counts
 * output errors), flushing stdout after each batch so that a pipe sees
 * lines at once; with a stats interval it writes a stats object
 * (common/output/event_json.h) every interval and one at the end. Lost
 * events, updates a full BPF table refused, and events not written are
 * reported on stderr at the end. Returns 0, SNOOP_DONE or an exit status.
 */
int snoop_bpf_main(const struct snoop_tool *tool, const struct snoop_settings *settings,
		   bool show_source, const struct snoop_handlers *h, void *ctx);

/* Detaches every probe and frees everything; b may be NULL. */
void snoop_bpf_free(struct snoop_bpf *b);


#endif
