/*
 * sigsnoop -D's pairing, fed streams of sends, deliveries and exits that
 * the input describes, in any order, with time moving on and the table
 * filling up. Every send is reported exactly once (by the end, with
 * delivery_flush), and a delivery reported with a send is one of its
 * process.
 */
#include <string.h>

#include "../../tools/sigsnoop/delivery.h"
#include "fuzz.h"

#define MAX_SENDS 4096

static unsigned char reported[MAX_SENDS];

static void on_fate(void *ctx, const struct sig_event *send, const struct delivery *d)
{
	(void)ctx;
	/* Each send carries its serial number in tid. */
	FUZZ_REQUIRE(send->kind == SIG_EVENT_SEND && send->tid < MAX_SENDS);
	FUZZ_REQUIRE(reported[send->tid] == 0);
	reported[send->tid] = 1;
	FUZZ_REQUIRE(d->fate >= FATE_NOT_SENT && d->fate <= FATE_PENDING);
	if (d->fate == FATE_DELIVERED && send->tpid_known)
		FUZZ_REQUIRE(d->pid == (__u32)send->tpid);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_input in = { data, data + size };
	struct delivery_pairing *p =
		delivery_pairing_new(1 + (size ? data[0] % 16 : 0), on_fate, NULL);
	unsigned long long now = 0;
	__u32 sends = 0;

	if (!p)
		return 0;
	memset(reported, 0, sizeof(reported));
	while (in.p < in.end && sends < MAX_SENDS) {
		uint8_t op = fuzz_byte(&in), k = fuzz_byte(&in) % 8;
		struct sig_event e = {
			.ktime = now,
			.pid = 100 + fuzz_byte(&in) % 4,
			.sig = 1 + fuzz_byte(&in) % 64,
		};

		/*
		 * A generation's ID names one process's signal, as the kernel's
		 * time does: few of them, so that sends and deliveries meet.
		 */
		e.signal_id = k ? k + 8 * (e.pid - 100) : 0;
		switch (op % 3) {
		case 0:
			e.kind = SIG_EVENT_SEND;
			e.tid = sends++;
			e.tpid = (__s32)e.pid;
			e.pid = 1;
			e.tpid_known = !(op & 0x40);
			e.gen_result = (__s32)((op >> 4) % 7) - 1;
			break;
		case 1:
			/* A delivery to one thread of the process, or a fatal one (signal_id 0). */
			e.kind = SIG_EVENT_DELIVER;
			e.tid = 1000 + e.pid;
			break;
		default:
			e.kind = SIG_EVENT_GONE;
			break;
		}
		delivery_on_event(p, &e, now);
		if (op & 0x80) {
			now += (unsigned long long)fuzz_byte(&in) * 20000000ULL;
			delivery_expire(p, now);
		}
	}
	delivery_flush(p);
	for (__u32 i = 0; i < sends; i++)
		FUZZ_REQUIRE(reported[i] == 1);
	delivery_pairing_free(p);
	return 0;
}
