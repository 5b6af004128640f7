/*
 * The state a program keeps per CPU beside its BPF ring buffer of events
 * (programs/snoop.bpf.h's send_event), shared with common/event_loop.c.
 */
#ifndef SNOOP_EVENT_RING_H
#define SNOOP_EVENT_RING_H

struct event_ring_state {
	/* Set by user space: the bytes this CPU sends before it wakes the reader. */
	__u64 wakeup_bytes;
	/* Bytes sent since this CPU last woke the reader. */
	__u64 unannounced;
	/* Events the ring had no room for. */
	__u64 lost;
};

#endif
