/*
 * The exec-joining state machine, fed streams of pieces and DONEs that the
 * input describes: execs interleaved, pieces lost, repeated, out of range,
 * of the wrong size or kind, time moving on. Each exec's data is made of
 * its own letter, so a record that shows another exec's bytes is caught,
 * and every record stays within its bounds.
 */
#include <string.h>

#include "../../tools/execsnoop/exec_assembly.h"
#include "fuzz.h"

#define EXECS 4

/* The letter of exec id (1 to EXECS): all its data but the NULs that end strings. */
static char letter(__u64 id)
{
	return (char)('a' + id % 26);
}

static void check_string(const struct exec_string *s, char want)
{
	FUZZ_REQUIRE(s->len <= EXEC_ARGS_MAX_BYTES);
	for (size_t i = 0; i < s->len; i++)
		FUZZ_REQUIRE(s->s[i] == want || s->s[i] == '/');
}

/* What ran: the same, and the suffix the tool adds for an unlinked file. */
static void check_file(const struct exec_string *s, char want)
{
	static const char deleted[] = " (deleted)";
	struct exec_string t = *s;

	if (t.len >= sizeof(deleted) - 1 &&
	    !memcmp(t.s + t.len - (sizeof(deleted) - 1), deleted, sizeof(deleted) - 1))
		t.len -= sizeof(deleted) - 1;
	check_string(&t, want);
}

static void emitted(void *ctx, const struct exec_record *r)
{
	char want = letter(r->done->exec_id);

	(void)ctx;
	FUZZ_REQUIRE(r->argc <= EXEC_MAX_STRINGS);
	FUZZ_REQUIRE(r->first_arg <= r->argc + 1);
	check_string(&r->filename, want);
	check_file(&r->file, want);
	for (size_t i = 0; i < r->argc; i++)
		check_string(&r->argv[i], want);
}

static struct exec_piece piece;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_input in = { data, data + size };
	struct exec_assembly *a = exec_assembly_new(
		1 + data[0] % 4, 1 + data[0] % 4 + (data[0] >> 4) % 4, emitted, NULL);
	unsigned long long now = 0;

	if (!a)
		return 0;
	while (in.p < in.end) {
		uint8_t op = fuzz_byte(&in);
		__u64 id = 1 + op % EXECS;
		__u32 kind = 1 + (op >> 2) % 6; /* 6: not a kind */

		if (kind == EXEC_EVENT_DONE) {
			struct exec_done d = {
				.exec_id = id,
				.kind = kind,
				.tgid = (__u32)id,
				.args_len = fuzz_u16(&in),
				.pieces = fuzz_byte(&in) % 8,
				.flags = fuzz_byte(&in) & 0x1f,
				.retval = (op & 0x80) ? -2 : 0,
			};

			exec_assembly_feed(
				a, &d, (op & 0x40) ? sizeof(d) - 1 - fuzz_byte(&in) % 8 : sizeof(d),
				now);
		} else {
			__u32 len = fuzz_u16(&in) % (EXEC_PIECE_MAX + 64);
			__u32 fill = len < EXEC_PIECE_MAX ? len : EXEC_PIECE_MAX;

			piece = (struct exec_piece){ .exec_id = id,
						     .kind = kind,
						     .tgid = (__u32)id,
						     .offset =
							     fuzz_u16(&in) * (__u32)fuzz_byte(&in),
						     .len = len,
						     .flags = fuzz_byte(&in) & 7 };
			memset(piece.data, letter(id), fill);
			/* NULs end strings; where, the input says. */
			for (uint8_t n = fuzz_byte(&in) % 4; n > 0 && fill; n--)
				piece.data[fuzz_u16(&in) % fill] = '\0';
			exec_assembly_feed(
				a, &piece,
				EXEC_PIECE_HEADER_SIZE + (fill - (op & 0x40 ? fill / 2 : 0)), now);
		}
		if (op % 16 == 15) {
			now += (unsigned long long)fuzz_byte(&in) * 10000000ULL;
			exec_assembly_expire(a, now);
		}
	}
	exec_assembly_free(a);
	return 0;
}
