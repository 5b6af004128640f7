#include "delivery.h"
#include "../../common/hash.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* How long a delivery waits for its send (they come from different CPUs). */
#define SEND_WAIT_NS 1000000000ULL
#define NO_SLOT UINT32_MAX

/* A place in a doubly linked list of slots, by index. */
struct link {
	uint32_t prev, next;
};

struct list {
	uint32_t head, tail; /* oldest first */
};

/* The lists a record is in, each through its own link. */
enum list_kind {
	AGE,	/* sends, or the others; free slots */
	BY_ID,	/* the bucket of its signal ID */
	BY_PID, /* the bucket of its process */
	LIST_KINDS
};

/*
 * A record waiting, in the lists that find it at once: its age list (sends,
 * or the others), the bucket of its signal ID (sends, and deliveries that
 * have one), the bucket of its process (a send's target when known, and a
 * fatal delivery's or an exit's process). Free slots are on the age link.
 */
struct waiting {
	bool is_send; /* a send waiting for its fate, else a delivery for its send */
	unsigned long long since_ns;
	struct sig_event event;
	struct link links[LIST_KINDS];
};

struct delivery_pairing {
	struct waiting *slots;
	uint32_t capacity;
	uint32_t bucket_mask;
	struct list free_slots, sends, others;
	/* Buckets: sends by signal ID and by target, deliveries by signal ID, the rest by process. */
	struct list *send_ids, *send_pids, *delivery_ids, *other_pids;
	delivery_fn fn;
	void *ctx;
	unsigned long long unmatched;
};

static struct link *link_at(struct delivery_pairing *p, uint32_t i, enum list_kind kind)
{
	return &p->slots[i].links[kind];
}

static void list_append(struct delivery_pairing *p, struct list *l, uint32_t i, enum list_kind kind)
{
	struct link *k = link_at(p, i, kind);

	k->prev = l->tail;
	k->next = NO_SLOT;
	if (l->tail != NO_SLOT)
		link_at(p, l->tail, kind)->next = i;
	else
		l->head = i;
	l->tail = i;
}

static void list_remove(struct delivery_pairing *p, struct list *l, uint32_t i, enum list_kind kind)
{
	struct link *k = link_at(p, i, kind);

	if (k->prev != NO_SLOT)
		link_at(p, k->prev, kind)->next = k->next;
	else
		l->head = k->next;
	if (k->next != NO_SLOT)
		link_at(p, k->next, kind)->prev = k->prev;
	else
		l->tail = k->prev;
}

static struct list *bucket(const struct delivery_pairing *p, struct list *table, uint64_t key)
{
	return &table[hash_index(key) & p->bucket_mask];
}

/* The list of each kind a record is in (NULL for none), as its contents say. */
static void lists_of(struct delivery_pairing *p, const struct waiting *w,
		     struct list *lists[LIST_KINDS])
{
	const struct sig_event *e = &w->event;

	lists[AGE] = w->is_send ? &p->sends : &p->others;
	lists[BY_ID] = lists[BY_PID] = NULL;
	if (w->is_send) {
		lists[BY_ID] = bucket(p, p->send_ids, e->signal_id);
		if (e->tpid_known)
			lists[BY_PID] = bucket(p, p->send_pids, (__u32)e->tpid);
	} else if (e->kind == SIG_EVENT_DELIVER && e->signal_id) {
		lists[BY_ID] = bucket(p, p->delivery_ids, e->signal_id);
	} else {
		lists[BY_PID] = bucket(p, p->other_pids, e->pid);
	}
}

static void link_slot(struct delivery_pairing *p, uint32_t i)
{
	struct list *lists[LIST_KINDS];

	lists_of(p, &p->slots[i], lists);
	for (int kind = 0; kind < LIST_KINDS; kind++) {
		if (lists[kind])
			list_append(p, lists[kind], i, (enum list_kind)kind);
	}
}

/* Takes a record out of every list, and frees its slot. */
static void release(struct delivery_pairing *p, struct waiting *w)
{
	uint32_t i = (uint32_t)(w - p->slots);
	struct list *lists[LIST_KINDS];

	lists_of(p, w, lists);
	for (int kind = 0; kind < LIST_KINDS; kind++) {
		if (lists[kind])
			list_remove(p, lists[kind], i, (enum list_kind)kind);
	}
	list_append(p, &p->free_slots, i, AGE);
}

static struct list *new_buckets(size_t n)
{
	struct list *table = malloc(n * sizeof(*table));

	for (size_t i = 0; table && i < n; i++)
		table[i] = (struct list){ NO_SLOT, NO_SLOT };
	return table;
}

struct delivery_pairing *delivery_pairing_new(size_t capacity, delivery_fn fn, void *ctx)
{
	struct delivery_pairing *p;
	size_t nbuckets = 1;

	if (capacity == 0 || capacity >= NO_SLOT / 2)
		return NULL;
	p = calloc(1, sizeof(*p));
	if (!p)
		return NULL;
	while (nbuckets < capacity)
		nbuckets *= 2;
	p->slots = calloc(capacity, sizeof(*p->slots));
	p->send_ids = new_buckets(nbuckets);
	p->send_pids = new_buckets(nbuckets);
	p->delivery_ids = new_buckets(nbuckets);
	p->other_pids = new_buckets(nbuckets);
	if (!p->slots || !p->send_ids || !p->send_pids || !p->delivery_ids || !p->other_pids) {
		delivery_pairing_free(p);
		return NULL;
	}
	p->capacity = (uint32_t)capacity;
	p->bucket_mask = (uint32_t)nbuckets - 1;
	p->free_slots = p->sends = p->others = (struct list){ NO_SLOT, NO_SLOT };
	for (uint32_t i = 0; i < p->capacity; i++)
		list_append(p, &p->free_slots, i, AGE);
	p->fn = fn;
	p->ctx = ctx;
	return p;
}

static void report(struct delivery_pairing *p, const struct sig_event *send,
		   enum delivery_fate fate, const struct sig_event *deliver)
{
	struct delivery d = { .fate = fate };

	if (deliver) {
		d.tid = deliver->tid;
		d.pid = deliver->pid;
		d.delay_ns = deliver->ktime > send->signal_id ? deliver->ktime - send->signal_id
							      : 0;
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
	for (uint32_t i = bucket(p, p->send_ids, signal_id)->head; i != NO_SLOT;
	     i = p->slots[i].links[BY_ID].next) {
		if (p->slots[i].event.signal_id == signal_id)
			return &p->slots[i];
	}
	return NULL;
}

/*
 * A delivery or an exit that came before the send it settles, if any: its
 * own delivery first, then a fatal one to its target, then the target's
 * exit (the oldest of each).
 */
static struct waiting *find_settling(struct delivery_pairing *p, const struct sig_event *send)
{
	struct waiting *gone = NULL;

	for (uint32_t i = bucket(p, p->delivery_ids, send->signal_id)->head; i != NO_SLOT;
	     i = p->slots[i].links[BY_ID].next) {
		if (p->slots[i].event.signal_id == send->signal_id)
			return &p->slots[i];
	}
	if (!send->tpid_known)
		return NULL;
	for (uint32_t i = bucket(p, p->other_pids, (__u32)send->tpid)->head; i != NO_SLOT;
	     i = p->slots[i].links[BY_PID].next) {
		struct waiting *w = &p->slots[i];

		if (w->event.pid != (__u32)send->tpid)
			continue;
		if (w->event.kind == SIG_EVENT_DELIVER)
			return w;
		if (!gone)
			gone = w;
	}
	return gone;
}

/* A free slot; when none, the oldest waiting record makes room. */
static struct waiting *free_slot(struct delivery_pairing *p)
{
	uint32_t send = p->sends.head, other = p->others.head, i = p->free_slots.head;
	struct waiting *oldest;

	if (i != NO_SLOT) {
		list_remove(p, &p->free_slots, i, AGE);
		return &p->slots[i];
	}
	if (send == NO_SLOT)
		oldest = &p->slots[other];
	else if (other == NO_SLOT || p->slots[send].since_ns <= p->slots[other].since_ns)
		oldest = &p->slots[send];
	else
		oldest = &p->slots[other];
	if (oldest->is_send)
		report(p, &oldest->event, FATE_PENDING, NULL);
	else if (oldest->event.kind == SIG_EVENT_DELIVER && oldest->event.signal_id)
		p->unmatched++;
	release(p, oldest);
	i = p->free_slots.tail;
	list_remove(p, &p->free_slots, i, AGE);
	return &p->slots[i];
}

static void wait_for(struct delivery_pairing *p, const struct sig_event *e, bool is_send,
		     unsigned long long now_ns)
{
	struct waiting *w = free_slot(p);

	w->is_send = is_send;
	w->since_ns = now_ns;
	w->event = *e;
	link_slot(p, (uint32_t)(w - p->slots));
}

static void on_send(struct delivery_pairing *p, const struct sig_event *e,
		    unsigned long long now_ns)
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
		release(p, seen);
}

/* Sends to process pid still waiting: each gets fate (and delivery, if any). */
static void settle_target(struct delivery_pairing *p, __u32 pid, enum delivery_fate fate,
			  const struct sig_event *deliver)
{
	uint32_t i = bucket(p, p->send_pids, pid)->head;

	while (i != NO_SLOT) {
		struct waiting *w = &p->slots[i];

		i = w->links[BY_PID].next;
		if ((__u32)w->event.tpid == pid) {
			report(p, &w->event, fate, deliver);
			release(p, w);
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
		release(p, send);
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

/* Deliveries and exits are kept SEND_WAIT_NS, in the order they came. */
void delivery_expire(struct delivery_pairing *p, unsigned long long now_ns)
{
	while (p->others.head != NO_SLOT) {
		struct waiting *w = &p->slots[p->others.head];

		if (now_ns - w->since_ns <= SEND_WAIT_NS)
			break;
		/* Fatal deliveries and exits need no send; a plain delivery did. */
		if (w->event.kind == SIG_EVENT_DELIVER && w->event.signal_id)
			p->unmatched++;
		release(p, w);
	}
}

void delivery_flush(struct delivery_pairing *p)
{
	delivery_expire(p, ~0ULL);
	while (p->sends.head != NO_SLOT) {
		struct waiting *w = &p->slots[p->sends.head];

		report(p, &w->event, FATE_PENDING, NULL);
		release(p, w);
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
	free(p->send_ids);
	free(p->send_pids);
	free(p->delivery_ids);
	free(p->other_pids);
	free(p);
}
