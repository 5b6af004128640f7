/*
 * The state a program keeps per CPU beside its buffer of events
 * (programs/snoop.bpf.h's send_event), shared with common/output/event_loop.c,
 * which reads and writes it through a mapping of the map: once attached, a
 * tool makes no bpf() call.
 */
#ifndef SNOOP_EVENT_SEND_H
#define SNOOP_EVENT_SEND_H

struct event_send_state {
	/* Ring buffer: set by user space, the bytes this CPU sends before it wakes the reader. */
	__u64 wakeup_bytes;
	/* Ring buffer: bytes sent since this CPU last woke the reader. */
	__u64 unannounced;
	/*
	 * Events the buffer had no room for. A perf buffer's own count reaches
	 * the reader only with the CPU's next event that fits, so the last
	 * losses of a burst could go unreported: this one is exact and current.
	 */
	__u64 lost;
	/* To 64 bytes, a cache line on most CPUs: each CPU writes its entry of one array. */
	__u64 padding[5];
};

#endif
