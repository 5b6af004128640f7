/*
 * Joins execsnoop's events into one record per exec: its pieces (file
 * name, paths of the file and the working directory, argument bytes), then DONE with the result. The pieces of an
 * exec come from one program run on one CPU, in order; events of other
 * execs may come between them, and some may be lost. A record is given out
 * only when DONE finds every piece it counts, in place; anything else is
 * counted and dropped, never shown with another exec's data. Memory is
 * bounded by limit records of at most EXEC_ARGS_MAX_BYTES of arguments; past
 * a burst, it returns to the kept records.
 */
#ifndef SNOOP_EXEC_ASSEMBLY_H
#define SNOOP_EXEC_ASSEMBLY_H

#include <linux/types.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../../programs/execsnoop.h"

/* How long the pieces of an exec wait for their DONE (sent right after them). */
#define EXEC_WAIT_NS 1000000000ULL
/* Argument strings split out of a record: --max-args, and room for an interpreter's. */
#define EXEC_MAX_STRINGS (EXEC_MAX_ARGS + 8)

/* A string of a record: not NUL-terminated. */
struct exec_string {
	const char *s;
	size_t len;
	bool unreadable; /* the caller's memory could not be read: s is empty */
	bool cut;	 /* cut at EXEC_ARGS_MAX_BYTES */
};

/* One exec, whole; valid during the emit callback only. */
struct exec_record {
	const struct exec_done *done;
	struct exec_string filename; /* the kernel's name for the file (or the caller's, failed) */
	/*
	 * What ran, as shown first: the path of the file for an exec by
	 * descriptor (" (deleted)" when unlinked), /dev/fd/N[/NAME] for a
	 * failed one, else the file name.
	 */
	struct exec_string file;
	/*
	 * The paths of the file that runs (/proc/PID/exe's, the interpreter
	 * after a #!) and of the working directory, root first; s is NULL when
	 * the kernel side did not send them (a failed exec, no BTF).
	 */
	struct exec_string exe, cwd;
	bool exe_deleted;	  /* unlinked, or never linked (memfd) */
	struct exec_string *argv; /* argv[0] first: the caller's, or an interpreter's */
	size_t argc;		  /* strings received, at most EXEC_MAX_STRINGS */
	bool more;		  /* argv goes on past argc */
	/*
	 * The first argv entry that is an argument of the file: 1, or past an
	 * interpreter's command line (the interpreter, its #! argument, the
	 * script's name).
	 */
	size_t first_arg;
};

struct exec_assembly_stats {
	uint64_t completed;
	uint64_t incomplete; /* dropped: a piece was lost, or it timed out */
	uint64_t unmatched;  /* a DONE whose pieces were never seen */
	uint64_t malformed;  /* an event of the wrong size or kind */
};

typedef void (*exec_emit_fn)(void *ctx, const struct exec_record *record);

struct exec_assembly;

/* Keeps kept records allocated, and lets limit execs wait at most (NULL: no memory, or kept > limit). */
struct exec_assembly *exec_assembly_new(unsigned kept, unsigned limit, exec_emit_fn emit,
					void *ctx);

/*
 * A raw event's kernel time, for the events in time order: a DONE event's
 * (it makes the line); 0 for the pieces, which go to the assembly as they
 * come, before their DONE event.
 */
uint64_t exec_event_time(const void *data, size_t size);
void exec_assembly_feed(struct exec_assembly *a, const void *data, size_t size,
			unsigned long long now_ns);
/*
 * Drops records that waited too long and frees those a burst left past the
 * kept ones; call after each batch of events.
 */
void exec_assembly_expire(struct exec_assembly *a, unsigned long long now_ns);
unsigned exec_assembly_pending(const struct exec_assembly *a);
const struct exec_assembly_stats *exec_assembly_stats(const struct exec_assembly *a);
void exec_assembly_free(struct exec_assembly *a);

#endif
