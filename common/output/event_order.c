#include "event_order.h"

#include <stdlib.h>
#include <string.h>

/* An event's place in the queue: its copy stays in its slot while these move. */
struct queued_event {
	uint64_t time;
	uint64_t arrival; /* equal times keep their order of arrival */
	uint32_t slot;
};

struct event_slot {
	size_t size;
	unsigned char data[EVENT_ORDER_SLOT];
};

uint64_t event_time_first_field(const void *data, size_t size)
{
	uint64_t t = 0;

	if (size >= sizeof(t))
		memcpy(&t, data, sizeof(t)); /* perf samples are 4-byte aligned */
	return t;
}

static bool earlier(const struct queued_event *a, const struct queued_event *b)
{
	return a->time < b->time || (a->time == b->time && a->arrival < b->arrival);
}

static void swap(struct queued_event *a, struct queued_event *b)
{
	struct queued_event t = *a;

	*a = *b;
	*b = t;
}

_Static_assert((EVENT_ORDER_MAX & (EVENT_ORDER_MAX - 1)) == 0,
	       "the queue doubles from 64 up to EVENT_ORDER_MAX, a power of two");

/* The run's i-th entry's index: cap is a power of two, so a mask, not a division. */
static size_t run_index(const struct event_order *q, size_t i)
{
	return (q->run_start + i) & (q->cap - 1);
}

static struct queued_event *run_first(const struct event_order *q)
{
	return q->run_len ? &q->run[q->run_start] : NULL;
}

static struct queued_event *run_last(const struct event_order *q)
{
	return q->run_len ? &q->run[run_index(q, q->run_len - 1)] : NULL;
}

static void heap_add(struct event_order *q, struct queued_event e)
{
	size_t i = q->heap_len++;

	q->heap[i] = e;
	while (i > 0 && earlier(&q->heap[i], &q->heap[(i - 1) / 2])) {
		swap(&q->heap[i], &q->heap[(i - 1) / 2]);
		i = (i - 1) / 2;
	}
}

static struct queued_event heap_take(struct event_order *q)
{
	struct queued_event first = q->heap[0];
	size_t i = 0;

	q->heap[0] = q->heap[--q->heap_len];
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, m = i;

		if (l < q->heap_len && earlier(&q->heap[l], &q->heap[m]))
			m = l;
		if (r < q->heap_len && earlier(&q->heap[r], &q->heap[m]))
			m = r;
		if (m == i)
			break;
		swap(&q->heap[i], &q->heap[m]);
		i = m;
	}
	return first;
}

/* The oldest queued event (the earlier of the run's first and the heap's top), or NULL. */
static const struct queued_event *oldest(const struct event_order *q)
{
	const struct queued_event *r = run_first(q);

	if (!q->heap_len)
		return r;
	return r && earlier(r, &q->heap[0]) ? r : &q->heap[0];
}

/* Removes the oldest event and delivers it; its slot is free again. */
static void pop(struct event_order *q, event_deliver_fn deliver, void *ctx)
{
	struct queued_event e;

	if (q->run_len && (!q->heap_len || earlier(run_first(q), &q->heap[0]))) {
		e = *run_first(q);
		q->run_start = run_index(q, 1);
		q->run_len--;
	} else {
		e = heap_take(q);
	}
	q->len--;
	q->free_slots[q->nfree++] = e.slot;
	deliver(ctx, q->slots[e.slot].data, q->slots[e.slot].size);
}

/* The run's entries laid out from index 0 again, in room for cap entries. */
static struct queued_event *unwrapped_run(const struct event_order *q, size_t cap)
{
	struct queued_event *run = malloc(cap * sizeof(*run));

	if (!run)
		return NULL;
	for (size_t i = 0; i < q->run_len; i++)
		run[i] = q->run[run_index(q, i)];
	return run;
}

/* Doubles the room for events (to at most EVENT_ORDER_MAX), with the new slots free. */
static bool grow(struct event_order *q)
{
	size_t cap = q->cap ? 2 * q->cap : 64;
	struct queued_event *heap, *run;
	struct event_slot *slots;
	uint32_t *free_slots;

	heap = realloc(q->heap, cap * sizeof(*heap));
	if (!heap)
		return false;
	q->heap = heap;
	slots = realloc(q->slots, cap * sizeof(*slots));
	if (!slots)
		return false;
	q->slots = slots;
	free_slots = realloc(q->free_slots, cap * sizeof(*free_slots));
	if (!free_slots)
		return false;
	q->free_slots = free_slots;
	run = unwrapped_run(q, cap);
	if (!run)
		return false;
	free(q->run);
	q->run = run;
	q->run_start = 0;
	for (size_t s = q->cap; s < cap; s++)
		q->free_slots[q->nfree++] = (uint32_t)s;
	q->cap = cap;
	return true;
}

/*
 * Room for one more event of time t: more room made (doubled, up to
 * EVENT_ORDER_MAX) or the oldest delivered. False when not (out of memory,
 * or t is older than every event of a full queue: it goes first itself).
 */
static bool make_room(struct event_order *q, uint64_t t, event_deliver_fn deliver, void *ctx)
{
	if (q->len < q->cap)
		return true;
	if (q->cap == EVENT_ORDER_MAX) {
		if (t < oldest(q)->time)
			return false;
		pop(q, deliver, ctx);
		return true;
	}
	return grow(q);
}

bool event_order_push(struct event_order *q, uint64_t t, const void *data, size_t size,
		      event_deliver_fn deliver, void *ctx)
{
	struct queued_event e = { .time = t };
	struct event_slot *slot;
	const struct queued_event *last;

	if (size > EVENT_ORDER_SLOT || !make_room(q, t, deliver, ctx))
		return false;
	e.arrival = q->arrivals++;
	e.slot = q->free_slots[--q->nfree];
	slot = &q->slots[e.slot];
	slot->size = size;
	memcpy(slot->data, data, size);
	q->len++;
	/* In order after the run's last event, as nearly all are: the run takes it at no cost. */
	last = run_last(q);
	if (!last || t >= last->time) {
		q->run[run_index(q, q->run_len)] = e;
		q->run_len++;
	} else {
		heap_add(q, e);
	}
	return true;
}

void event_order_release(struct event_order *q, uint64_t until, event_deliver_fn deliver, void *ctx)
{
	const struct queued_event *e;

	while ((e = oldest(q)) && e->time <= until)
		pop(q, deliver, ctx);
}

void event_order_free(struct event_order *q)
{
	free(q->heap);
	free(q->run);
	free(q->slots);
	free(q->free_slots);
	memset(q, 0, sizeof(*q));
}
