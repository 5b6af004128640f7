/*
 * A program's events (programs/snoop.bpf.h's send_event): from its BPF ring
 * buffer, or from a perf buffer per online CPU, read until SIGINT or
 * SIGTERM, each sample handed to the tool, stdout flushed after each batch.
 * Every function that can fail returns -1 with a message in err.
 */
#ifndef SNOOP_EVENT_LOOP_H
#define SNOOP_EVENT_LOOP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "event_order.h"

/* One event, as the BPF program sent it (copy it out: see snoop_event_copy). */
typedef void (*snoop_sample_fn)(void *ctx, const void *data, size_t size);

struct perf_reader;
struct ring_buffer;
struct event_send_state;

/* For whom a program's events are read, and what else the program keeps about them. */
struct event_reading {
	snoop_sample_fn fn;
	void *ctx;
	/* Each event's kernel time, for handing them to fn in that order (event_order.h); NULL: as read. */
	snoop_event_time_fn time_of;
	/* The program's per-CPU state (programs/event_send.h), mapped by the caller: an entry per possible CPU. */
	volatile struct event_send_state *send_states;
	int nsend_states;
};

struct event_loop {
	struct ring_buffer *ring;     /* the ring buffer's reader, or NULL: */
	struct perf_reader **readers; /* ... the perf buffers' */
	int nreaders;
	struct event_reading reading; /* as the caller opened it with */
	struct event_order order;
	uint64_t newest;       /* ring: the newest event time read */
	uint64_t events;       /* events read */
	bool draining;	       /* stopped: the last batch, what the buffers still held */
	uint64_t lost;	       /* events a full buffer had no room for (event_sends) */
	uint64_t batch_events; /* events read since stdout was last flushed */
	uint64_t unwritten;    /* events whose lines a failed write lost */
	int output_errno;      /* the last write error reported, or 0 */
};

/* Reads the ring buffer map_fd, of ring_bytes bytes, as r says. */
int event_loop_open_ring(struct event_loop *l, int map_fd, size_t ring_bytes,
			 const struct event_reading *r, char *err, size_t errlen);

/*
 * The same from a perf buffer of pages pages on every online CPU, each
 * registered in the perf event array map_fd.
 */
int event_loop_open_perf(struct event_loop *l, int map_fd, int pages, const struct event_reading *r,
			 char *err, size_t errlen);

/*
 * Connects to syslog now, as tool: a guard's failed writes go there, and
 * /dev/log may take only root's connections, while the loop runs confined.
 */
void event_loop_syslog_open(const char *tool);

/*
 * Reads the buffers until a stop (or until stdout is closed, unless
 * output_errors_counted: then a failed write is counted, said on stderr
 * and to syslog (event_loop_syslog_open), and the loop goes on), calling after_batch (may
 * be NULL) after each batch, the last one with draining set. A stop while
 * a write blocks is a clean end, with no last batch.
 */
int event_loop_run(struct event_loop *l, const char *tool, bool output_errors_counted,
		   void (*after_batch)(void *ctx), void *ctx, char *err, size_t errlen);

void event_loop_close(struct event_loop *l);

#endif
