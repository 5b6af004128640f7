#include "exec_assembly.h"
#include "text.h"

#include <stdlib.h>
#include <string.h>

struct exec_assembly {
	unsigned max_args;
	unsigned capacity;
	unsigned used;			/* records[0, used) are pending */
	struct exec_record *records;
	exec_emit_fn emit;
	void *ctx;
	struct exec_assembly_stats stats;
};

struct exec_assembly *exec_assembly_new(unsigned max_args, unsigned capacity,
					exec_emit_fn emit, void *ctx)
{
	struct exec_assembly *a = calloc(1, sizeof(*a));

	if (!a)
		return NULL;
	a->records = calloc(capacity, sizeof(*a->records));
	if (!a->records) {
		free(a);
		return NULL;
	}
	a->max_args = max_args;
	a->capacity = capacity;
	a->emit = emit;
	a->ctx = ctx;
	return a;
}

void exec_assembly_free(struct exec_assembly *a)
{
	if (!a)
		return;
	for (unsigned i = 0; i < a->capacity; i++)
		free(a->records[i].args);
	free(a->records);
	free(a);
}

unsigned exec_assembly_pending(const struct exec_assembly *a)
{
	return a->used;
}

const struct exec_assembly_stats *exec_assembly_stats(const struct exec_assembly *a)
{
	return &a->stats;
}

/* Ends record i; the last pending record takes its place (args arrays swap, none is lost). */
static void finish(struct exec_assembly *a, unsigned i)
{
	struct exec_record done = a->records[i];

	a->used--;
	a->records[i] = a->records[a->used];
	a->records[a->used] = done;
}

static void drop(struct exec_assembly *a, unsigned i)
{
	a->stats.incomplete++;
	finish(a, i);
}

static int find(const struct exec_assembly *a, __u32 tgid, __u64 exec_id)
{
	for (unsigned i = 0; i < a->used; i++) {
		if (a->records[i].tgid == tgid && a->records[i].exec_id == exec_id)
			return (int)i;
	}
	return -1;
}

static int create(struct exec_assembly *a, __u32 tgid, __u64 exec_id, unsigned long long now)
{
	struct exec_record *r;
	struct exec_arg *args;

	if (a->used == a->capacity) {
		unsigned oldest = 0;

		for (unsigned i = 1; i < a->used; i++) {
			if (a->records[i].first_ns < a->records[oldest].first_ns)
				oldest = i;
		}
		drop(a, oldest);
	}
	r = &a->records[a->used];
	args = r->args;
	if (!args) {
		args = malloc(a->max_args * sizeof(*args));
		if (!args)
			return -1;
	}
	for (unsigned i = 0; i < a->max_args; i++)
		args[i].present = false;
	memset(r, 0, sizeof(*r));
	r->args = args;
	r->tgid = tgid;
	r->exec_id = exec_id;
	r->first_ns = now;
	r->expected = -1;
	return (int)a->used++;
}

static int find_or_create(struct exec_assembly *a, __u32 tgid, __u64 exec_id,
			  unsigned long long now)
{
	int i = find(a, tgid, exec_id);

	return i >= 0 ? i : create(a, tgid, exec_id, now);
}

/*
 * A return whose entry left no exec_id (an exec from a non-leader thread
 * returns under the leader's TID): the newest pending exec of that process.
 */
static int find_unreturned(const struct exec_assembly *a, __u32 tgid)
{
	int best = -1;

	for (unsigned i = 0; i < a->used; i++) {
		const struct exec_record *r = &a->records[i];

		if (r->tgid == tgid && !r->have_ret &&
		    (best < 0 || r->first_ns > a->records[best].first_ns))
			best = (int)i;
	}
	return best;
}

static void try_complete(struct exec_assembly *a, unsigned i)
{
	struct exec_record *r = &a->records[i];
	bool whole;

	if (!r->have_ret || r->expected < 0)
		return;
	/* The entry's pieces share one buffer, in order: what is missing now is lost. */
	whole = !r->inconsistent && r->received == (unsigned)r->expected;
	for (int k = 0; whole && k < r->expected; k++)
		whole = r->args[k].present;
	if (!whole) {
		drop(a, i);
		return;
	}
	a->stats.completed++;
	a->emit(a->ctx, r);
	finish(a, i);
}

static void add_arg(struct exec_record *r, const struct exec_event *ev, unsigned max_args)
{
	struct exec_arg *arg;

	if (ev->index >= max_args || r->args[ev->index].present) {
		r->inconsistent = true;
		return;
	}
	arg = &r->args[ev->index];
	arg->present = true;
	arg->truncated = ev->flags & EXEC_ARG_TRUNCATED;
	arg->len = (unsigned short)bounded_strlen(ev->arg, EXEC_ARG_SIZE);
	memcpy(arg->data, ev->arg, arg->len);
	r->received++;
}

void exec_assembly_feed(struct exec_assembly *a, const void *data, size_t size,
			unsigned long long now_ns)
{
	struct exec_event ev;
	int i;

	if (size < EXEC_EVENT_HEADER_SIZE) {
		a->stats.malformed++;
		return;
	}
	memset(&ev, 0, sizeof(ev));
	memcpy(&ev, data, size < sizeof(ev) ? size : sizeof(ev));

	switch (ev.kind) {
	case EXEC_EVENT_ARG:
		if (size < sizeof(ev)) {
			a->stats.malformed++;
			return;
		}
		i = find_or_create(a, ev.tgid, ev.exec_id, now_ns);
		if (i < 0)
			return;
		add_arg(&a->records[i], &ev, a->max_args);
		break;
	case EXEC_EVENT_ARGS_END:
		i = find_or_create(a, ev.tgid, ev.exec_id, now_ns);
		if (i < 0)
			return;
		if (a->records[i].expected >= 0 || ev.index > a->max_args)
			a->records[i].inconsistent = true;
		a->records[i].expected = (int)ev.index;
		a->records[i].more_args = ev.flags & EXEC_ARGS_MORE;
		break;
	case EXEC_EVENT_RET:
		i = ev.exec_id ? find_or_create(a, ev.tgid, ev.exec_id, now_ns)
			       : find_unreturned(a, ev.tgid);
		if (i < 0) {
			a->stats.unmatched++;
			return;
		}
		if (a->records[i].have_ret)
			a->records[i].inconsistent = true;
		memcpy(&a->records[i].ret, &ev, EXEC_EVENT_HEADER_SIZE);
		a->records[i].have_ret = true;
		a->records[i].ret_ns = now_ns;
		break;
	default:
		a->stats.malformed++;
		return;
	}
	try_complete(a, (unsigned)i);
}

void exec_assembly_expire(struct exec_assembly *a, unsigned long long now_ns)
{
	unsigned i = 0;

	while (i < a->used) {
		const struct exec_record *r = &a->records[i];
		bool stale = r->have_ret ? now_ns - r->ret_ns > EXEC_RET_WAIT_NS
					 : now_ns - r->first_ns > EXEC_ENTRY_WAIT_NS;

		if (stale)
			drop(a, i);	/* the last record moved to i: look at i again */
		else
			i++;
	}
}
