#include "delivery.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* How long a delivery waits for its send (they come from different CPUs). */
#define SEND_WAIT_NS 1000000000ULL

struct waiting {
	bool used;
	bool is_send;		/* a send waiting for its fate, else a delivery for its send */
	unsigned long long since_ns;
	struct sig_event event;
};

struct delivery_pairing {
	struct waiting *slots;
	size_t capacity;
	delivery_fn fn;
	void *ctx;
	unsigned long long unmatched;
};

struct delivery_pairing *delivery_pairing_new(size_t capacity, delivery_fn fn, void *ctx)
{
	struct delivery_pairing *p = calloc(1, sizeof(*p));

	if (!p)
		return NULL;
	p->slots = calloc(capacity, sizeof(*p->slots));
	if (!p->slots) {
		free(p);
		return NULL;
	}
	p->capacity = capacity;
	p->fn = fn;
	p->ctx = ctx;
	return p;
}

static void report(struct delivery_pairing *p, const struct sig_event *send, enum delivery_fate fate,
		   const struct sig_event *deliver)
{
	struct delivery d = { .fate = fate };

	if (deliver) {
		d.tid = deliver->tid;
		d.pid = deliver->pid;
		d.delay_ns = deliver->ktime > send->signal_id ? deliver->ktime - send->signal_id : 0;
	}
	p->fn(p->ctx, send, &d);
}

/* The fate a send carries itself, or FATE_PENDING when a delivery must tell. */
static enum delivery_fate fate_of_send(const struct sig_event *e)
{
	switch (e->gen_result) {
	case SIG_GEN_DELIVERED:
	case SIG_GEN_LOSE_INFO:
		return e->signal_id ? FATE_PENDING : FATE_NOT_SENT;
	case SIG_GEN_IGNORED:
		return FATE_IGNORED;
	case SIG_GEN_ALREADY_PENDING:
		return FATE_MERGED;
	case SIG_GEN_OVERFLOW_FAIL:
		return FATE_DROPPED;
	default:
		return FATE_NOT_SENT;
	}
}

/* The waiting send whose signal this delivery is. */
static struct waiting *find_send(struct delivery_pairing *p, __u64 signal_id)
{
	for (size_t i = 0; i < p->capacity; i++) {
		struct waiting *w = &p->slots[i];

		if (w->used && w->is_send && w->event.signal_id == signal_id)
			return w;
	}
	return NULL;
}

/* Whether a delivery or an exit seen before its send settles that send. */
static bool settles(const struct sig_event *seen, const struct sig_event *send)
{
	if (seen->kind == SIG_EVENT_DELIVER && seen->signal_id)
		return seen->signal_id == send->signal_id;
	/* a fatal signal's delivery, or an exit: whatever was pending for the task */
	return send->tpid_known && (__u32)send->tpid == seen->pid;
}

/*
 * A delivery or an exit that came before the send it settles, if any: its
 * own delivery first, then a fatal one, then the target's exit.
 */
static struct waiting *find_settling(struct delivery_pairing *p, const struct sig_event *send)
{
	struct waiting *best = NULL;
	int best_rank = 3;

	for (size_t i = 0; i < p->capacity; i++) {
		struct waiting *w = &p->slots[i];
		int rank;

		if (!w->used || w->is_send || !settles(&w->event, send))
			continue;
		rank = w->event.kind == SIG_EVENT_GONE ? 2 : w->event.signal_id ? 0 : 1;
		if (rank < best_rank) {
			best = w;
			best_rank = rank;
		}
	}
	return best;
}

/* A free slot; when none, the oldest waiting record makes room. */
static struct waiting *free_slot(struct delivery_pairing *p)
{
	struct waiting *oldest = NULL;

	for (size_t i = 0; i < p->capacity; i++) {
		struct waiting *w = &p->slots[i];

		if (!w->used)
			return w;
		if (!oldest || w->since_ns < oldest->since_ns)
			oldest = w;
	}
	if (!oldest)
		return NULL;	/* no capacity at all */
	if (oldest->is_send)
		report(p, &oldest->event, FATE_PENDING, NULL);
	else if (oldest->event.kind == SIG_EVENT_DELIVER && oldest->event.signal_id)
		p->unmatched++;
	oldest->used = false;
	return oldest;
}

static void wait_for(struct delivery_pairing *p, const struct sig_event *e, bool is_send,
		     unsigned long long now_ns)
{
	struct waiting *w = free_slot(p);

	if (!w)
		return;
	w->used = true;
	w->is_send = is_send;
	w->since_ns = now_ns;
	w->event = *e;
}

static void on_send(struct delivery_pairing *p, const struct sig_event *e, unsigned long long now_ns)
{
	enum delivery_fate fate = fate_of_send(e);
	struct waiting *seen;

	if (fate != FATE_PENDING) {
		report(p, e, fate, NULL);
		return;
	}
	seen = find_settling(p, e);
	if (!seen) {
		wait_for(p, e, true, now_ns);
		return;
	}
	if (seen->event.kind == SIG_EVENT_GONE) {
		report(p, e, FATE_GONE, NULL);
		return;
	}
	report(p, e, FATE_DELIVERED, &seen->event);
	/* A fatal delivery settles every send to its process: it stays until it expires. */
	if (seen->event.signal_id)
		seen->used = false;
}

/* Sends to process pid still waiting: each gets fate (and delivery, if any). */
static void settle_target(struct delivery_pairing *p, __u32 pid, enum delivery_fate fate,
			  const struct sig_event *deliver)
{
	for (size_t i = 0; i < p->capacity; i++) {
		struct waiting *w = &p->slots[i];

		if (w->used && w->is_send && w->event.tpid_known && (__u32)w->event.tpid == pid) {
			report(p, &w->event, fate, deliver);
			w->used = false;
		}
	}
}

static void on_deliver(struct delivery_pairing *p, const struct sig_event *e,
		       unsigned long long now_ns)
{
	struct waiting *send;

	if (!e->signal_id) {
		/* A fatal signal took the process down: everything pending for it was delivered. */
		settle_target(p, e->pid, FATE_DELIVERED, e);
	} else if ((send = find_send(p, e->signal_id))) {
		report(p, &send->event, FATE_DELIVERED, e);
		send->used = false;
		return;
	}
	/* Its send may still be in another CPU's buffer. */
	wait_for(p, e, false, now_ns);
}

static void on_gone(struct delivery_pairing *p, const struct sig_event *e,
		    unsigned long long now_ns)
{
	settle_target(p, e->pid, FATE_GONE, NULL);
	wait_for(p, e, false, now_ns);
}

void delivery_on_event(struct delivery_pairing *p, const struct sig_event *e,
		       unsigned long long now_ns)
{
	switch (e->kind) {
	case SIG_EVENT_SEND:
		on_send(p, e, now_ns);
		break;
	case SIG_EVENT_DELIVER:
		on_deliver(p, e, now_ns);
		break;
	case SIG_EVENT_GONE:
		on_gone(p, e, now_ns);
		break;
	default:
		break;
	}
}

void delivery_expire(struct delivery_pairing *p, unsigned long long now_ns)
{
	for (size_t i = 0; i < p->capacity; i++) {
		struct waiting *w = &p->slots[i];

		if (w->used && !w->is_send && now_ns - w->since_ns > SEND_WAIT_NS) {
			w->used = false;
			/* Fatal deliveries and exits need no send; a plain delivery did. */
			if (w->event.kind == SIG_EVENT_DELIVER && w->event.signal_id)
				p->unmatched++;
		}
	}
}

void delivery_flush(struct delivery_pairing *p)
{
	delivery_expire(p, ~0ULL);
	for (size_t i = 0; i < p->capacity; i++) {
		struct waiting *w = &p->slots[i];

		if (w->used) {
			report(p, &w->event, FATE_PENDING, NULL);
			w->used = false;
		}
	}
}

unsigned long long delivery_unmatched(const struct delivery_pairing *p)
{
	return p->unmatched;
}

void delivery_pairing_free(struct delivery_pairing *p)
{
	if (!p)
		return;
	free(p->slots);
	free(p);
}
