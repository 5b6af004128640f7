#include "event_order.h"

#include <stdlib.h>
#include <string.h>

struct queued_event {
	uint64_t time;
	uint64_t arrival;	/* equal times keep their order of arrival */
	size_t size;
	unsigned char data[EVENT_ORDER_SLOT];
};

uint64_t event_time_first_field(const void *data, size_t size)
{
	uint64_t t = 0;

	if (size >= sizeof(t))
		memcpy(&t, data, sizeof(t));	/* perf samples are 4-byte aligned */
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

/* Removes the oldest event and delivers it. */
static void pop(struct event_order *q, event_deliver_fn deliver, void *ctx)
{
	struct queued_event oldest = q->heap[0];
	size_t i = 0;

	q->heap[0] = q->heap[--q->len];
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, m = i;

		if (l < q->len && earlier(&q->heap[l], &q->heap[m]))
			m = l;
		if (r < q->len && earlier(&q->heap[r], &q->heap[m]))
			m = r;
		if (m == i)
			break;
		swap(&q->heap[i], &q->heap[m]);
		i = m;
	}
	deliver(ctx, oldest.data, oldest.size);
}

/*
 * Room for one more event of time t: the heap grown (doubled, up to
 * EVENT_ORDER_MAX) or its oldest delivered. False when not (out of memory,
 * or t is older than all of a full heap: it goes first itself).
 */
static bool make_room(struct event_order *q, uint64_t t, event_deliver_fn deliver, void *ctx)
{
	struct queued_event *grown;
	size_t cap;

	if (q->len < q->cap)
		return true;
	if (q->cap == EVENT_ORDER_MAX) {
		if (t < q->heap[0].time)
			return false;
		pop(q, deliver, ctx);
		return true;
	}
	cap = q->cap ? 2 * q->cap : 64;
	grown = realloc(q->heap, cap * sizeof(*grown));
	if (!grown)
		return false;
	q->heap = grown;
	q->cap = cap;
	return true;
}

bool event_order_push(struct event_order *q, uint64_t t, const void *data, size_t size,
		      event_deliver_fn deliver, void *ctx)
{
	size_t i;

	if (size > EVENT_ORDER_SLOT || !make_room(q, t, deliver, ctx))
		return false;
	i = q->len++;
	q->heap[i].time = t;
	q->heap[i].arrival = q->arrivals++;
	q->heap[i].size = size;
	memcpy(q->heap[i].data, data, size);
	while (i > 0 && earlier(&q->heap[i], &q->heap[(i - 1) / 2])) {
		swap(&q->heap[i], &q->heap[(i - 1) / 2]);
		i = (i - 1) / 2;
	}
	return true;
}

void event_order_release(struct event_order *q, uint64_t until, event_deliver_fn deliver,
			 void *ctx)
{
	while (q->len && q->heap[0].time <= until)
		pop(q, deliver, ctx);
}

void event_order_free(struct event_order *q)
{
	free(q->heap);
	q->heap = NULL;
	q->len = q->cap = 0;
}
