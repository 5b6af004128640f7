#include <stdlib.h>

#include "../../common/exec_assembly.h"
#include "unit.h"

#define SEC 1000000000ULL

/* What the emit callback saw, as "PID RET arg|arg|..." lines. */
static char seen[8][512];
static int nseen;

static void record(void *ctx, const struct exec_record *r)
{
	char *p = seen[nseen];

	(void)ctx;
	p += sprintf(p, "%u %d", r->ret.tgid, r->ret.retval);
	for (int i = 0; i < r->expected; i++)
		p += sprintf(p, "%c%.*s%s", i ? '|' : ' ', r->args[i].len, r->args[i].data,
			     r->args[i].truncated ? "~" : "");
	if (r->more_args)
		sprintf(p, " +");
	nseen++;
}

static struct exec_assembly *fresh(unsigned max_args, unsigned capacity)
{
	nseen = 0;
	memset(seen, 0, sizeof(seen));
	return exec_assembly_new(max_args, capacity, record, NULL);
}

static void arg(struct exec_assembly *a, __u32 tgid, __u64 id, __u32 index, const char *s,
		unsigned long long now)
{
	struct exec_event ev = { .kind = EXEC_EVENT_ARG, .tgid = tgid, .tid = tgid, .exec_id = id,
				 .index = index };

	/* As the kernel sends it: cut to fit with its end byte, and marked. */
	if (strlen(s) >= EXEC_ARG_SIZE) {
		memcpy(ev.arg, s, EXEC_ARG_SIZE - 1);
		ev.flags = EXEC_ARG_TRUNCATED;
	} else {
		memcpy(ev.arg, s, strlen(s));
	}
	exec_assembly_feed(a, &ev, sizeof(ev), now);
}

static void end(struct exec_assembly *a, __u32 tgid, __u64 id, __u32 count, bool more,
		unsigned long long now)
{
	struct exec_event ev = { .kind = EXEC_EVENT_ARGS_END, .tgid = tgid, .exec_id = id,
				 .index = count, .flags = more ? EXEC_ARGS_MORE : 0 };

	exec_assembly_feed(a, &ev, EXEC_EVENT_HEADER_SIZE, now);
}

static void ret(struct exec_assembly *a, __u32 tgid, __u64 id, int retval, unsigned long long now)
{
	struct exec_event ev = { .kind = EXEC_EVENT_RET, .tgid = tgid, .tid = tgid, .exec_id = id,
				 .retval = retval };

	exec_assembly_feed(a, &ev, EXEC_EVENT_HEADER_SIZE, now);
}

static void in_order(void)
{
	struct exec_assembly *a = fresh(20, 8);

	arg(a, 100, 5, 0, "/bin/ls", 0);
	arg(a, 100, 5, 1, "-l", 0);
	end(a, 100, 5, 2, false, 0);
	CHECK(nseen == 0);
	ret(a, 100, 5, 0, 0);
	CHECK(nseen == 1);
	CHECK_STR(seen[0], "100 0 /bin/ls|-l");
	CHECK(exec_assembly_pending(a) == 0);
	CHECK(exec_assembly_stats(a)->completed == 1);
	exec_assembly_free(a);
}

static void return_from_another_cpu_first(void)
{
	struct exec_assembly *a = fresh(20, 8);

	ret(a, 100, 5, 0, 0);
	arg(a, 100, 5, 0, "/bin/true", 0);
	CHECK(nseen == 0);
	end(a, 100, 5, 1, false, 0);
	CHECK(nseen == 1);
	CHECK_STR(seen[0], "100 0 /bin/true");
	exec_assembly_free(a);
}

/* sh -c 'exec b': two execs of one process whose pieces cross between CPUs. */
static void two_execs_of_one_process_interleaved(void)
{
	struct exec_assembly *a = fresh(20, 8);

	ret(a, 100, 1, 0, 0);
	arg(a, 100, 2, 0, "/bin/b", 0);
	end(a, 100, 2, 1, false, 0);
	ret(a, 100, 2, 0, 0);
	arg(a, 100, 1, 0, "/bin/sh", 0);
	arg(a, 100, 1, 1, "-c", 0);
	end(a, 100, 1, 2, false, 0);
	CHECK(nseen == 2);
	CHECK_STR(seen[0], "100 0 /bin/b");
	CHECK_STR(seen[1], "100 0 /bin/sh|-c");
	exec_assembly_free(a);
}

static void lost_argument_never_printed(void)
{
	struct exec_assembly *a = fresh(20, 8);

	arg(a, 100, 5, 0, "/bin/ls", 0);
	/* argument 1 lost */
	arg(a, 100, 5, 2, "x", 0);
	end(a, 100, 5, 3, false, 0);
	ret(a, 100, 5, 0, 0);
	CHECK(nseen == 0);
	CHECK(exec_assembly_stats(a)->incomplete == 1);
	CHECK(exec_assembly_pending(a) == 0);
	/* The next exec of the same process is whole and stands alone. */
	arg(a, 100, 6, 0, "/bin/true", 0);
	end(a, 100, 6, 1, false, 0);
	ret(a, 100, 6, 0, 0);
	CHECK(nseen == 1);
	CHECK_STR(seen[0], "100 0 /bin/true");
	exec_assembly_free(a);
}

static void lost_end_times_out(void)
{
	struct exec_assembly *a = fresh(20, 8);

	arg(a, 100, 5, 0, "/bin/ls", 0);
	ret(a, 100, 5, 0, 0);
	exec_assembly_expire(a, EXEC_RET_WAIT_NS / 2);
	CHECK(exec_assembly_pending(a) == 1);
	exec_assembly_expire(a, EXEC_RET_WAIT_NS + 1);
	CHECK(exec_assembly_pending(a) == 0);
	CHECK(exec_assembly_stats(a)->incomplete == 1);
	CHECK(nseen == 0);
	exec_assembly_free(a);
}

static void exec_that_never_returns_is_evicted(void)
{
	struct exec_assembly *a = fresh(20, 8);

	arg(a, 100, 5, 0, "/bin/stuck", 0);
	end(a, 100, 5, 1, false, 0);
	exec_assembly_expire(a, 10 * SEC);
	CHECK(exec_assembly_pending(a) == 1);
	exec_assembly_expire(a, EXEC_ENTRY_WAIT_NS + 1);
	CHECK(exec_assembly_pending(a) == 0);
	CHECK(exec_assembly_stats(a)->incomplete == 1);
	exec_assembly_free(a);
}

static void capacity_bounds_pending(void)
{
	struct exec_assembly *a = fresh(4, 2);

	arg(a, 1, 1, 0, "/one", 1);
	arg(a, 2, 2, 0, "/two", 2);
	arg(a, 3, 3, 0, "/three", 3);	/* evicts the oldest */
	CHECK(exec_assembly_pending(a) == 2);
	CHECK(exec_assembly_stats(a)->incomplete == 1);
	end(a, 3, 3, 1, false, 3);
	ret(a, 3, 3, 0, 3);
	end(a, 1, 1, 1, false, 3);
	ret(a, 1, 1, 0, 3);	/* its argument went with the eviction */
	CHECK(nseen == 1);
	CHECK_STR(seen[0], "3 0 /three");
	for (int i = 0; i < 1000; i++)
		arg(a, 10, (__u64)i + 10, 0, "/x", 4);
	CHECK(exec_assembly_pending(a) == 2);
	exec_assembly_free(a);
}

static void truncation_and_more_args(void)
{
	struct exec_assembly *a = fresh(3, 8);
	char longarg[200];

	memset(longarg, 'x', sizeof(longarg) - 1);
	longarg[sizeof(longarg) - 1] = '\0';
	arg(a, 7, 9, 0, "/bin/echo", 0);
	arg(a, 7, 9, 1, longarg, 0);
	arg(a, 7, 9, 2, "", 0);
	end(a, 7, 9, 3, true, 0);
	ret(a, 7, 9, 0, 0);
	CHECK(nseen == 1);
	CHECK(strstr(seen[0], "|" "xxxxxxxx"));
	CHECK(strstr(seen[0], "x~|"));	/* cut, marked, then the empty argument */
	CHECK(strlen(seen[0]) > 3 && !strcmp(seen[0] + strlen(seen[0]) - 3, "| +"));
	exec_assembly_free(a);
}

static void return_without_id_pairs_with_process(void)
{
	struct exec_assembly *a = fresh(20, 8);

	/* exec from a non-leader thread: its entry id is not found at the exit */
	arg(a, 100, 5, 0, "/bin/from-thread", 0);
	end(a, 100, 5, 1, false, 0);
	ret(a, 100, 0, 0, 0);
	CHECK(nseen == 1);
	CHECK_STR(seen[0], "100 0 /bin/from-thread");
	ret(a, 200, 0, 0, 0);	/* nothing pending for 200 */
	CHECK(exec_assembly_stats(a)->unmatched == 1);
	exec_assembly_free(a);
}

static void malformed_events_are_counted(void)
{
	struct exec_assembly *a = fresh(2, 8);
	struct exec_event ev = { .kind = 99 };

	exec_assembly_feed(a, &ev, sizeof(ev), 0);
	exec_assembly_feed(a, &ev, 3, 0);
	ev.kind = EXEC_EVENT_ARG;
	exec_assembly_feed(a, &ev, EXEC_EVENT_HEADER_SIZE, 0);	/* ARG without its text */
	CHECK(exec_assembly_stats(a)->malformed == 3);
	/* An index past max_args or a second return spoils the record. */
	arg(a, 5, 5, 0, "/a", 0);
	arg(a, 5, 5, 7, "/b", 0);
	end(a, 5, 5, 1, false, 0);
	ret(a, 5, 5, 0, 0);
	arg(a, 6, 6, 0, "/c", 0);
	ret(a, 6, 6, 0, 0);
	ret(a, 6, 6, 0, 0);
	end(a, 6, 6, 1, false, 0);
	CHECK(nseen == 0);
	CHECK(exec_assembly_stats(a)->incomplete == 2);
	exec_assembly_free(a);
}

static void failed_exec_keeps_retval(void)
{
	struct exec_assembly *a = fresh(20, 8);

	arg(a, 42, 1, 0, "/nonexistent", 0);
	end(a, 42, 1, 1, false, 0);
	ret(a, 42, 1, -2, 0);
	CHECK(nseen == 1);
	CHECK_STR(seen[0], "42 -2 /nonexistent");
	exec_assembly_free(a);
}

UNIT_SUITE(assembly_tests,
	   { "assembly: pieces in order", in_order },
	   { "assembly: return arrives first (other CPU)", return_from_another_cpu_first },
	   { "assembly: two execs of one process interleaved", two_execs_of_one_process_interleaved },
	   { "assembly: lost argument is never printed", lost_argument_never_printed },
	   { "assembly: lost end times out", lost_end_times_out },
	   { "assembly: exec that never returns is evicted", exec_that_never_returns_is_evicted },
	   { "assembly: capacity bounds pending execs", capacity_bounds_pending },
	   { "assembly: truncation, empty and more-args marks", truncation_and_more_args },
	   { "assembly: return without id pairs with its process", return_without_id_pairs_with_process },
	   { "assembly: malformed events are counted", malformed_events_are_counted },
	   { "assembly: failed exec keeps its return value", failed_exec_keeps_retval });
