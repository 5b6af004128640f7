/* Events in kernel-time order: the queue, the window's release, a full queue. */
#include <string.h>

#include "../../common/output/event_order.h"
#include "unit.h"

/* A test event: its time first, as the tools' events have it, then a tag. */
struct timed {
	uint64_t time;
	uint64_t tag;
};

/* What was delivered, in order. */
struct delivered {
	struct timed ev[EVENT_ORDER_MAX + 8];
	size_t n;
};

static struct delivered out;

static void record(void *ctx, const void *data, size_t size)
{
	(void)ctx;
	if (size == sizeof(struct timed) && out.n < EVENT_ORDER_MAX + 8)
		memcpy(&out.ev[out.n++], data, size);
}

/* Queued, or delivered at once when the heap says so. */
static void push(struct event_order *q, uint64_t time, uint64_t tag)
{
	struct timed e = { time, tag };

	if (!event_order_push(q, time, &e, sizeof(e), record, NULL))
		record(NULL, &e, sizeof(e));
}

static void oldest_first(void)
{
	struct event_order q = { 0 };
	static const uint64_t in[] = { 50, 10, 40, 20, 30 };

	out.n = 0;
	for (size_t i = 0; i < sizeof(in) / sizeof(in[0]); i++)
		push(&q, in[i], i);
	event_order_release(&q, 25, record, NULL); /* up to 25 now, the rest later */
	CHECK(out.n == 2 && out.ev[0].time == 10 && out.ev[1].time == 20);
	push(&q, 35, 9);
	event_order_release(&q, UINT64_MAX, record, NULL);
	CHECK(out.n == 6 && out.ev[2].time == 30 && out.ev[3].time == 35 && out.ev[4].time == 40 &&
	      out.ev[5].time == 50);
	event_order_free(&q);
}

static void equal_times_keep_arrival(void)
{
	struct event_order q = { 0 };

	out.n = 0;
	for (uint64_t tag = 0; tag < 20; tag++)
		push(&q, 7 + tag % 2, tag);
	event_order_release(&q, UINT64_MAX, record, NULL);
	CHECK(out.n == 20);
	for (size_t i = 1; i < out.n; i++)
		CHECK(out.ev[i - 1].time < out.ev[i].time ||
		      (out.ev[i - 1].time == out.ev[i].time && out.ev[i - 1].tag < out.ev[i].tag));
	event_order_free(&q);
}

/* Full: the oldest goes out to make room, and an event older than all goes out itself. */
static void full_heap(void)
{
	struct event_order q = { 0 };
	char big[EVENT_ORDER_SLOT + 1] = { 0 };

	out.n = 0;
	for (uint64_t i = 0; i < EVENT_ORDER_MAX; i++)
		push(&q, 1000 + i, i);
	CHECK(out.n == 0 && q.len == EVENT_ORDER_MAX);
	push(&q, 5000000, 1);
	CHECK(out.n == 1 && out.ev[0].time == 1000);
	push(&q, 10, 2);
	CHECK(out.n == 2 && out.ev[1].time == 10);
	CHECK(!event_order_push(&q, 1, big, sizeof(big), record, NULL));
	event_order_release(&q, UINT64_MAX, record, NULL);
	CHECK(out.n == EVENT_ORDER_MAX + 2 && out.ev[2].time == 1001 &&
	      out.ev[out.n - 1].time == 5000000);
	event_order_free(&q);
}

/*
 * Two CPUs' perf buffers read one after the other: runs of events in order
 * that interleave in time, and stragglers of a shared ring. All come out
 * oldest first, each once.
 */
static void interleaved_runs(void)
{
	struct event_order q = { 0 };
	uint64_t seed = 12345, t0 = 1000000;

	out.n = 0;
	for (uint64_t batch = 0; batch < 4; batch++) {
		for (uint64_t cpu = 0; cpu < 2; cpu++)
			for (uint64_t i = 0; i < 500; i++)
				push(&q, t0 + batch * 2000 + i * 4 + cpu, out.n + i);
		for (uint64_t i = 0; i < 100; i++) {
			seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
			push(&q, t0 + batch * 2000 + (seed >> 33) % 2000, i);
		}
		event_order_release(&q, t0 + batch * 2000 + 1000, record, NULL);
	}
	event_order_release(&q, UINT64_MAX, record, NULL);
	CHECK(out.n == 4 * 1100 && q.len == 0);
	for (size_t i = 1; i < out.n; i++)
		CHECK(out.ev[i - 1].time <= out.ev[i].time);
	event_order_free(&q);
}

UNIT_SUITE(event_order_tests,
	   { "event order: oldest first, up to the release time, the rest later", oldest_first },
	   { "event order: equal times keep their order of arrival", equal_times_keep_arrival },
	   { "event order: a full queue lets its oldest go; a larger event is not queued",
	     full_heap },
	   { "event order: interleaved runs and stragglers come out oldest first",
	     interleaved_runs });
