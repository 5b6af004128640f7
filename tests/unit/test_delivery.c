/* sigsnoop -D: pairing sends with their deliveries, in either order. */
#include "../../tools/sigsnoop/delivery.h"
#include "unit.h"

#define MAX_SEEN 16

struct seen {
	int n;
	struct sig_event send[MAX_SEEN];
	struct delivery d[MAX_SEEN];
};

static void record(void *ctx, const struct sig_event *send, const struct delivery *d)
{
	struct seen *s = ctx;

	if (s->n < MAX_SEEN) {
		s->send[s->n] = *send;
		s->d[s->n] = *d;
	}
	s->n++;
}

static struct sig_event send_event(__u64 signal_id, int gen_result, __s32 tpid)
{
	return (struct sig_event){ .kind = SIG_EVENT_SEND,
				   .signal_id = signal_id,
				   .tpid = tpid,
				   .tpid_known = 1,
				   .gen_result = gen_result,
				   .sig = 15,
				   .pid = 100 };
}

static struct sig_event deliver_event(__u64 signal_id, __u64 ktime, __u32 tid)
{
	return (struct sig_event){ .kind = SIG_EVENT_DELIVER,
				   .signal_id = signal_id,
				   .ktime = ktime,
				   .tid = tid,
				   .pid = 200,
				   .sig = 15 };
}

static void delivered_in_either_order(void)
{
	struct seen s = { 0 };
	struct delivery_pairing *p = delivery_pairing_new(8, record, &s);
	struct sig_event a = send_event(1000, SIG_GEN_DELIVERED, 200);
	struct sig_event b = send_event(2000, SIG_GEN_DELIVERED, 200);
	struct sig_event da = deliver_event(1000, 1500, 201), db = deliver_event(2000, 2700, 202);

	delivery_on_event(p, &a, 0);
	CHECK(s.n == 0);
	delivery_on_event(p, &da, 0);
	CHECK(s.n == 1 && s.send[0].signal_id == 1000 && s.d[0].fate == FATE_DELIVERED);
	CHECK(s.d[0].tid == 201 && s.d[0].pid == 200 && s.d[0].delay_ns == 500);
	/* the delivery first: it waits for its send */
	delivery_on_event(p, &db, 0);
	CHECK(s.n == 1);
	delivery_on_event(p, &b, 0);
	CHECK(s.n == 2 && s.send[1].signal_id == 2000 && s.d[1].tid == 202 &&
	      s.d[1].delay_ns == 700);
	delivery_flush(p);
	CHECK(s.n == 2 && delivery_unmatched(p) == 0);
	delivery_pairing_free(p);
}

static void fates_known_at_once(void)
{
	struct seen s = { 0 };
	struct delivery_pairing *p = delivery_pairing_new(8, record, &s);
	struct sig_event e[] = { send_event(0, SIG_GEN_NONE, 5), send_event(1, SIG_GEN_IGNORED, 5),
				 send_event(2, SIG_GEN_ALREADY_PENDING, 5),
				 send_event(3, SIG_GEN_OVERFLOW_FAIL, 5) };
	const enum delivery_fate want[] = { FATE_NOT_SENT, FATE_IGNORED, FATE_MERGED,
					    FATE_DROPPED };

	for (int i = 0; i < 4; i++) {
		delivery_on_event(p, &e[i], 0);
		CHECK(s.n == i + 1 && s.d[i].fate == want[i]);
	}
	delivery_pairing_free(p);
}

static void gone_and_pending(void)
{
	struct seen s = { 0 };
	struct delivery_pairing *p = delivery_pairing_new(8, record, &s);
	struct sig_event to_300 = send_event(10, SIG_GEN_DELIVERED, 300);
	struct sig_event to_400 = send_event(11, SIG_GEN_DELIVERED, 400);
	struct sig_event gone = { .kind = SIG_EVENT_GONE, .pid = 300 };

	delivery_on_event(p, &to_300, 0);
	delivery_on_event(p, &to_400, 0);
	delivery_on_event(p, &gone, 0);
	CHECK(s.n == 1 && s.send[0].tpid == 300 && s.d[0].fate == FATE_GONE);
	delivery_flush(p);
	CHECK(s.n == 2 && s.send[1].tpid == 400 && s.d[1].fate == FATE_PENDING);
	delivery_pairing_free(p);
}

static void fatal_signal_settles_its_process(void)
{
	struct seen s = { 0 };
	struct delivery_pairing *p = delivery_pairing_new(8, record, &s);
	struct sig_event term = send_event(50, SIG_GEN_DELIVERED, 200);
	struct sig_event other = send_event(51, SIG_GEN_DELIVERED, 999);
	struct sig_event fatal = deliver_event(0, 80, 201);

	delivery_on_event(p, &term, 0);
	delivery_on_event(p, &other, 0);
	/* reported as SIGKILL to each thread of process 200: the first settles it */
	delivery_on_event(p, &fatal, 0);
	delivery_on_event(p, &fatal, 0);
	CHECK(s.n == 1 && s.send[0].signal_id == 50 && s.d[0].fate == FATE_DELIVERED);
	CHECK(s.d[0].tid == 201 && s.d[0].delay_ns == 30);
	delivery_flush(p);
	CHECK(s.n == 2 && s.send[1].signal_id == 51 && delivery_unmatched(p) == 0);
	delivery_pairing_free(p);
}

static void exits_and_fatal_deliveries_before_their_send(void)
{
	struct seen s = { 0 };
	struct delivery_pairing *p = delivery_pairing_new(8, record, &s);
	struct sig_event fatal = deliver_event(0, 80, 201);
	struct sig_event gone = { .kind = SIG_EVENT_GONE, .pid = 300 };
	struct sig_event to_200 = send_event(50, SIG_GEN_DELIVERED, 200);
	struct sig_event again_200 = send_event(60, SIG_GEN_DELIVERED, 200);
	struct sig_event to_300 = send_event(70, SIG_GEN_DELIVERED, 300);

	/* Read from the target's CPU first: the sends are still in the sender's buffer. */
	delivery_on_event(p, &fatal, 0);
	delivery_on_event(p, &gone, 0);
	CHECK(s.n == 0);
	delivery_on_event(p, &to_200, 10);
	delivery_on_event(p, &again_200, 20);
	delivery_on_event(p, &to_300, 30);
	CHECK(s.n == 3 && s.d[0].fate == FATE_DELIVERED && s.d[0].tid == 201);
	CHECK(s.d[1].fate == FATE_DELIVERED && s.d[2].fate == FATE_GONE);
	/* they expire without counting as lost */
	delivery_expire(p, 5000000000ULL);
	delivery_flush(p);
	CHECK(s.n == 3 && delivery_unmatched(p) == 0);
	delivery_pairing_free(p);
}

static void bounded_and_expiring(void)
{
	struct seen s = { 0 };
	struct delivery_pairing *p = delivery_pairing_new(2, record, &s);
	struct sig_event a = send_event(1, SIG_GEN_DELIVERED, 9),
			 b = send_event(2, SIG_GEN_DELIVERED, 9);
	struct sig_event c = send_event(3, SIG_GEN_DELIVERED, 9);
	struct sig_event orphan = deliver_event(77, 100, 9);

	delivery_on_event(p, &a, 1);
	delivery_on_event(p, &b, 2);
	/* full: the oldest send is reported as pending to make room */
	delivery_on_event(p, &c, 3);
	CHECK(s.n == 1 && s.send[0].signal_id == 1 && s.d[0].fate == FATE_PENDING);
	delivery_flush(p);
	CHECK(s.n == 3);
	/* a delivery whose send never comes is dropped after a second, and counted */
	delivery_on_event(p, &orphan, 5000000000ULL);
	delivery_expire(p, 5500000000ULL);
	CHECK(delivery_unmatched(p) == 0);
	delivery_expire(p, 6500000000ULL);
	CHECK(delivery_unmatched(p) == 1);
	delivery_pairing_free(p);
}

/* Full with both kinds: the oldest record of either kind makes room; the rest flush in age order. */
static void oldest_of_either_kind_makes_room(void)
{
	struct seen s = { 0 };
	struct delivery_pairing *p = delivery_pairing_new(4, record, &s);
	struct sig_event s1 = send_event(1, SIG_GEN_DELIVERED, 9),
			 s3 = send_event(3, SIG_GEN_DELIVERED, 9);
	struct sig_event s5 = send_event(5, SIG_GEN_DELIVERED, 8),
			 s6 = send_event(6, SIG_GEN_DELIVERED, 8);
	struct sig_event d2 = deliver_event(70, 2, 9), d4 = deliver_event(71, 4, 9);

	delivery_on_event(p, &s1, 1);
	delivery_on_event(p, &d2, 2);
	delivery_on_event(p, &s3, 3);
	delivery_on_event(p, &d4, 4);
	delivery_on_event(p, &s5, 5);
	CHECK(s.n == 1 && s.send[0].signal_id == 1 && s.d[0].fate == FATE_PENDING);
	delivery_on_event(p, &s6, 6);
	CHECK(s.n == 1 && delivery_unmatched(p) == 1);
	delivery_flush(p);
	CHECK(s.n == 4 && delivery_unmatched(p) == 2);
	CHECK(s.send[1].signal_id == 3 && s.send[2].signal_id == 5 && s.send[3].signal_id == 6);
	delivery_pairing_free(p);
}

/* Thousands waiting at once, each found again by its signal ID. */
static void many_waiting_paired(void)
{
	enum { N = 12000 };
	struct seen s = { 0 };
	struct delivery_pairing *p = delivery_pairing_new(N, record, &s);
	bool paired = true;

	for (__u64 i = 1; i <= N; i++) {
		struct sig_event e = send_event(i * 1000, SIG_GEN_DELIVERED, (__s32)(i % 300));

		delivery_on_event(p, &e, i);
	}
	for (__u64 i = N; i >= 1; i--) {
		struct sig_event d = deliver_event(i * 1000, i * 1000 + i, (__u32)(i % 300));
		int before = s.n;

		d.pid = (__u32)(i % 300);
		delivery_on_event(p, &d, N + 1);
		/* a delivery without its send would wait, and report nothing */
		paired = paired && s.n == before + 1;
	}
	CHECK(paired && s.n == N);
	for (int i = 0; i < MAX_SEEN; i++)
		CHECK(s.d[i].fate == FATE_DELIVERED &&
		      s.send[i].signal_id == (N - (__u64)i) * 1000);
	CHECK(s.send[0].signal_id == N * 1000 && s.d[0].delay_ns == N && s.d[0].pid == N % 300);
	delivery_flush(p);
	CHECK(s.n == N && delivery_unmatched(p) == 0);
	delivery_pairing_free(p);
}

UNIT_SUITE(delivery_tests,
	   { "delivery: send and delivery paired in either order", delivered_in_either_order },
	   { "delivery: ignored, merged, dropped, not sent at once", fates_known_at_once },
	   { "delivery: target gone, still pending at the end", gone_and_pending },
	   { "delivery: a fatal signal settles its process", fatal_signal_settles_its_process },
	   { "delivery: exits and fatal deliveries before their send",
	     exits_and_fatal_deliveries_before_their_send },
	   { "delivery: bounded table, deliveries without send expire", bounded_and_expiring },
	   { "delivery: the oldest of sends and deliveries makes room",
	     oldest_of_either_kind_makes_room },
	   { "delivery: 12000 waiting, each paired by its signal ID", many_waiting_paired });
