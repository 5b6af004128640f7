/*
 * Joins execsnoop's events into one record per exec (step one: arguments;
 * step two: the return value). Events of one exec may arrive in any order
 * across per-CPU buffers, and some may be lost; a record is given out only
 * when every argument the kernel sent has arrived along with the return.
 * Everything else is counted and dropped. Memory is bounded by capacity.
 */
#ifndef SNOOP_EXEC_ASSEMBLY_H
#define SNOOP_EXEC_ASSEMBLY_H

#include <linux/types.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../programs/execsnoop.h"

/* How long a record that has its return waits for missing arguments. */
#define EXEC_RET_WAIT_NS 1000000000ULL
/* How long a record waits for its return (an exec that never returns). */
#define EXEC_ENTRY_WAIT_NS 30000000000ULL

struct exec_arg {
	bool present;
	bool truncated;
	unsigned short len;
	char data[EXEC_ARG_SIZE];
};

struct exec_record {
	__u64 exec_id;
	__u32 tgid;
	unsigned long long first_ns;	/* arrival of the first piece */
	unsigned long long ret_ns;	/* arrival of the return */
	int expected;			/* arguments the kernel sent; -1 until known */
	unsigned received;
	bool more_args;			/* argv had more than max_args entries */
	bool have_ret;
	bool inconsistent;		/* a piece arrived twice or out of range */
	struct exec_event ret;		/* the RET event (without arg) */
	struct exec_arg *args;		/* max_args slots */
};

struct exec_assembly_stats {
	uint64_t completed;
	uint64_t incomplete;	/* dropped: a piece was lost, or it timed out */
	uint64_t unmatched;	/* a return whose entry was never seen */
	uint64_t malformed;	/* an event of the wrong size or kind */
};

typedef void (*exec_emit_fn)(void *ctx, const struct exec_record *record);

struct exec_assembly;

struct exec_assembly *exec_assembly_new(unsigned max_args, unsigned capacity,
					exec_emit_fn emit, void *ctx);
void exec_assembly_feed(struct exec_assembly *a, const void *data, size_t size,
			unsigned long long now_ns);
/* Drops records that waited too long; call after each batch of events. */
void exec_assembly_expire(struct exec_assembly *a, unsigned long long now_ns);
unsigned exec_assembly_pending(const struct exec_assembly *a);
const struct exec_assembly_stats *exec_assembly_stats(const struct exec_assembly *a);
void exec_assembly_free(struct exec_assembly *a);

#endif
