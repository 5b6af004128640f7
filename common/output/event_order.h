/*
 * Events in kernel-timestamp order across CPUs. Each CPU has its own perf
 * buffer, read one after the other, so a batch of events comes out of
 * order (a child's exec before its parent's); a ring buffer shared by the
 * CPUs holds them in the order they were sent, which can differ from that
 * of their timestamps by as much as the time between the two. Events with a time wait in a
 * queue until every event that could come before them has been read: those
 * older than the start of a read less EVENT_ORDER_WINDOW_NS (which covers
 * the microseconds between a program's timestamp and its event being in
 * the buffer) go out, oldest first.
 */
#ifndef SNOOP_EVENT_ORDER_H
#define SNOOP_EVENT_ORDER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define EVENT_ORDER_WINDOW_NS 1000000ULL
/* Events larger than a slot go out at once (none of the tools' timed ones is). */
#define EVENT_ORDER_SLOT 192
/* Events waiting at most: the oldest goes out first when they are this many. */
#define EVENT_ORDER_MAX 8192

/* An event's kernel time (CLOCK_MONOTONIC), or 0 for one that goes out as it comes. */
typedef uint64_t (*snoop_event_time_fn)(const void *data, size_t size);

/* For events whose first field is their time, a __u64 (kill, signal, ptrace). */
uint64_t event_time_first_field(const void *data, size_t size);

typedef void (*event_deliver_fn)(void *ctx, const void *data, size_t size);

struct queued_event;
struct event_slot;

/*
 * The events waiting: those that come in order (at or after the last of
 * the run) in a run, a ring of cap entries; the others in a min-heap by
 * time, then arrival. The oldest is the earlier of the run's first and the
 * heap's top. Each entry names a slot holding the event's copy.
 */
struct event_order {
	struct queued_event *run;
	size_t run_start, run_len;
	struct queued_event *heap;
	size_t heap_len;
	size_t len, cap;	  /* events queued, and room for them */
	struct event_slot *slots; /* cap copies of events... */
	uint32_t *free_slots;	  /* ... of which these are free */
	size_t nfree;
	uint64_t arrivals;
};

/*
 * Queues a copy of an event of time t. False when it is not queued (too
 * large, out of memory, or older than all of a full queue): the caller
 * delivers it now. When the queue is full, its oldest event goes to
 * deliver first.
 */
bool event_order_push(struct event_order *q, uint64_t t, const void *data, size_t size,
		      event_deliver_fn deliver, void *ctx);

/* Delivers every queued event of time up to until, oldest first. */
void event_order_release(struct event_order *q, uint64_t until, event_deliver_fn deliver,
			 void *ctx);

void event_order_free(struct event_order *q);

#endif
