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

static struct waiting *find(struct delivery_pairing *p, bool is_send, __u64 signal_id)
{
	for (size_t i = 0; i < p->capacity; i++) {
		struct waiting *w = &p->slots[i];

		if (w->used && w->is_send == is_send && w->event.signal_id == signal_id)
			return w;
	}
	return NULL;
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
	if (oldest->is_send)
		report(p, &oldest->event, FATE_PENDING, NULL);
	else
		p->unmatched++;
	oldest->used = false;
	return oldest;
}

static void wait_for(struct delivery_pairing *p, const struct sig_event *e, bool is_send,
		     unsigned long long now_ns)
{
	struct waiting *w;

	if (!p->capacity)
		return;
	w = free_slot(p);
	w->used = true;
	w->is_send = is_send;
	w->since_ns = now_ns;
	w->event = *e;
}

static void on_send(struct delivery_pairing *p, const struct sig_event *e, unsigned long long now_ns)
{
	enum delivery_fate fate = fate_of_send(e);
	struct waiting *deliver;

	if (fate != FATE_PENDING) {
		report(p, e, fate, NULL);
		return;
	}
	deliver = find(p, false, e->signal_id);
	if (deliver) {
		report(p, e, FATE_DELIVERED, &deliver->event);
		deliver->used = false;
		return;
	}
	wait_for(p, e, true, now_ns);
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

	/* A fatal signal took the process down: everything pending for it was delivered. */
	if (!e->signal_id) {
		settle_target(p, e->pid, FATE_DELIVERED, e);
		return;
	}
	send = find(p, true, e->signal_id);

	if (send) {
		report(p, &send->event, FATE_DELIVERED, e);
		send->used = false;
		return;
	}
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
		settle_target(p, e->pid, FATE_GONE, NULL);
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
