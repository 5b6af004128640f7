/*
 * sigsnoop -D: pairs each sent signal (a syscall's exit, or a kernel
 * signal) with its fate: delivered to a thread after some delay, or never
 * (ignored, merged with one already pending, dropped, target gone, still
 * pending when the tool stopped). The send and the delivery come from
 * different CPUs in either order; the kernel's generation time (signal_id)
 * joins them. A delivery with signal_id 0 is a fatal signal taking its
 * process down: every send to that process waiting is then delivered. A
 * delivery or an exit is kept for a second, for sends still on their way.
 *
 * Every lookup goes through a hash of the signal ID or of the process, so
 * an event costs the same however many wait. Memory is bounded: at most
 * capacity records wait. When full, the oldest
 * send waiting for its fate is reported as still pending, and the oldest
 * delivery waiting for its send is dropped and counted.
 */
#ifndef SNOOP_DELIVERY_H
#define SNOOP_DELIVERY_H

#include <linux/types.h>
#include <stddef.h>

#include "../../programs/sigsnoop.h"

enum delivery_fate {
	FATE_NOT_SENT, /* no signal was generated: the call failed, or signal 0 */
	FATE_DELIVERED,
	FATE_IGNORED, /* the target ignores it */
	FATE_MERGED,  /* the same signal was pending already */
	FATE_DROPPED, /* the target's queue was full */
	FATE_GONE,    /* the target exited before taking it */
	FATE_PENDING, /* not taken while the tool ran */
};

struct delivery {
	enum delivery_fate fate;
	__u32 tid;		     /* FATE_DELIVERED: the thread that took it */
	__u32 pid;		     /* and its process */
	unsigned long long delay_ns; /* from generation to delivery */
};

/* Called once per send, with its fate. */
typedef void (*delivery_fn)(void *ctx, const struct sig_event *send, const struct delivery *d);

struct delivery_pairing;

struct delivery_pairing *delivery_pairing_new(size_t capacity, delivery_fn fn, void *ctx);

/* A SEND, DELIVER or GONE event; now_ns is the reader's monotonic time. */
void delivery_on_event(struct delivery_pairing *p, const struct sig_event *e,
		       unsigned long long now_ns);

/* Drops deliveries whose send has not come within a second. */
void delivery_expire(struct delivery_pairing *p, unsigned long long now_ns);

/* At the end: every send still waiting is reported as pending. */
void delivery_flush(struct delivery_pairing *p);

/* Deliveries dropped without their send (lost events, or a full table). */
unsigned long long delivery_unmatched(const struct delivery_pairing *p);

void delivery_pairing_free(struct delivery_pairing *p);

#endif
