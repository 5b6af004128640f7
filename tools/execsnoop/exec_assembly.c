#include "exec_assembly.h"
#include "../../common/text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* An EXE or CWD piece: a slot per directory. */
#define PATH_MAX_BYTES (EXEC_PATH_DEPTH * EXEC_PATH_NAME)
/* Unreadable ranges of one exec: one per argument, as a failed exec reads them. */
#define MAX_UNREADABLE (EXEC_MAX_STRINGS + 1)
#define AT_FDCWD_VALUE -100
#define DELETED_SUFFIX " (deleted)"

struct byte_range {
	size_t start, end;
};

/* Bytes grown as an exec's pieces need them. */
struct bytes {
	char *at; /* NULL until the first */
	size_t len, cap;
};

/* A piece that comes whole, once (FILENAME, EXE, CWD). */
struct whole_piece {
	bool have;
	__u32 flags;
	struct bytes bytes;
};

/* The pieces of one exec so far. */
struct pending {
	unsigned slot; /* its place in slots, while pending */
	__u32 tgid;
	__u64 exec_id;
	unsigned long long first_ns;
	unsigned pieces;
	bool inconsistent; /* a piece came twice, out of place or too large */
	unsigned nunreadable;
	/*
	 * Kept with the record from one exec to the next, grown to what the
	 * execs needed: fixed arrays of their largest sizes made a record of
	 * 33 KB, and a burst read at once makes one for each of its execs
	 * (their pages' faults were most of the reader's time).
	 */
	struct whole_piece filename;   /* up to EXEC_NAME_MAX */
	struct whole_piece exe, cwd;   /* names of EXEC_PATH_NAME, leaf first */
	struct bytes args;	       /* argument strings: up to EXEC_ARGS_MAX_BYTES */
	struct byte_range *unreadable; /* MAX_UNREADABLE of them, made when first needed */
};

struct exec_assembly {
	/* [0, used): the execs pending; [used, allocated): records free for the next. */
	struct pending **slots;
	unsigned used, allocated, slots_cap;
	unsigned kept;	/* records kept allocated between bursts */
	unsigned limit; /* execs pending at most */
	exec_emit_fn emit;
	void *ctx;
	struct exec_assembly_stats stats;
	/* The record given out: built when an exec completes. */
	struct exec_string argv[EXEC_MAX_STRINGS];
	char file[PATH_MAX_BYTES + sizeof(DELETED_SUFFIX) + 1];
	char exe[PATH_MAX_BYTES + 1], cwd[PATH_MAX_BYTES + 1];
};

struct exec_assembly *exec_assembly_new(unsigned kept, unsigned limit, exec_emit_fn emit, void *ctx)
{
	struct exec_assembly *a;

	if (limit == 0 || kept > limit)
		return NULL;
	a = calloc(1, sizeof(*a));
	if (!a)
		return NULL;
	a->kept = kept;
	a->limit = limit;
	a->emit = emit;
	a->ctx = ctx;
	return a;
}

static void free_record(struct pending *p)
{
	free(p->filename.bytes.at);
	free(p->exe.bytes.at);
	free(p->cwd.bytes.at);
	free(p->args.at);
	free(p->unreadable);
	free(p);
}

void exec_assembly_free(struct exec_assembly *a)
{
	if (!a)
		return;
	for (unsigned i = 0; i < a->allocated; i++)
		free_record(a->slots[i]);
	free(a->slots);
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

/*
 * Ends an exec's wait. Its record stays for the next exec, a burst's too
 * until the batch ends (exec_assembly_expire frees those past the kept
 * ones), so that a burst does not allocate a record for each exec.
 */
static void release(struct exec_assembly *a, struct pending *p)
{
	struct pending *last = a->slots[--a->used];

	a->slots[p->slot] = last;
	last->slot = p->slot;
	a->slots[a->used] = p;
}

static void drop(struct exec_assembly *a, struct pending *p)
{
	a->stats.incomplete++;
	release(a, p);
}

static struct pending *find(struct exec_assembly *a, __u32 tgid, __u64 exec_id)
{
	for (unsigned i = 0; i < a->used; i++) {
		struct pending *p = a->slots[i];

		if (p->tgid == tgid && p->exec_id == exec_id)
			return p;
	}
	return NULL;
}

/* A free record: one kept, else a new one (false: no memory). */
static bool have_free_record(struct exec_assembly *a)
{
	struct pending *p;

	if (a->used < a->allocated)
		return true;
	if (a->allocated == a->slots_cap) {
		unsigned cap = a->slots_cap ? 2 * a->slots_cap : 16;
		struct pending **bigger;

		if (cap > a->limit)
			cap = a->limit;
		bigger = realloc(a->slots, cap * sizeof(*bigger));
		if (!bigger)
			return false;
		a->slots = bigger;
		a->slots_cap = cap;
	}
	p = malloc(sizeof(*p));
	if (!p)
		return false;
	p->filename.bytes = p->exe.bytes = p->cwd.bytes = p->args = (struct bytes){ NULL, 0, 0 };
	p->unreadable = NULL;
	a->slots[a->allocated++] = p;
	return true;
}

/* A piece not yet come, its bytes kept for the next exec's. */
static void reset(struct whole_piece *w)
{
	w->have = false;
	w->flags = 0;
	w->bytes.len = 0;
}

/*
 * A new record. Execs wait for their DONE as long as it waits to be put in
 * time order, so a burst read at once can leave many pending; past the
 * limit (or out of memory), the oldest is dropped to make room.
 */
static struct pending *create(struct exec_assembly *a, __u32 tgid, __u64 exec_id,
			      unsigned long long now)
{
	struct pending *p;

	if (a->used == a->limit || !have_free_record(a)) {
		struct pending *oldest = NULL;

		for (unsigned i = 0; i < a->used; i++)
			if (!oldest || a->slots[i]->first_ns < oldest->first_ns)
				oldest = a->slots[i];
		if (!oldest)
			return NULL;
		drop(a, oldest);
		if (!have_free_record(a))
			return NULL;
	}
	p = a->slots[a->used];
	memset(p, 0, offsetof(struct pending, filename));
	reset(&p->filename);
	reset(&p->exe);
	reset(&p->cwd);
	p->args.len = 0;
	p->slot = a->used++;
	p->tgid = tgid;
	p->exec_id = exec_id;
	p->first_ns = now;
	return p;
}

static bool append(struct bytes *b, const char *data, size_t len)
{
	if (len == 0)
		return true; /* and b->at may still be NULL */
	if (b->len + len > b->cap) {
		size_t cap = b->cap ? b->cap : 256;
		char *bigger;

		while (cap < b->len + len)
			cap *= 2;
		bigger = realloc(b->at, cap);
		if (!bigger)
			return false;
		b->at = bigger;
		b->cap = cap;
	}
	memcpy(b->at + b->len, data, len);
	b->len += len;
	return true;
}

/* Copies a whole piece of at most max bytes into its field, once. */
static void take_once(struct whole_piece *w, size_t max, const struct exec_piece *hdr,
		      const char *data, struct pending *p)
{
	if (w->have || hdr->len == 0 || hdr->len > max || !append(&w->bytes, data, hdr->len)) {
		p->inconsistent = true;
		return;
	}
	w->flags = hdr->flags;
	w->have = true;
}

static void on_piece(struct exec_assembly *a, const struct exec_piece *hdr, const char *data,
		     unsigned long long now)
{
	struct pending *p = find(a, hdr->tgid, hdr->exec_id);

	if (!p)
		p = create(a, hdr->tgid, hdr->exec_id, now);
	if (!p)
		return;
	p->pieces++;
	switch (hdr->kind) {
	case EXEC_EVENT_FILENAME:
		take_once(&p->filename, EXEC_NAME_MAX, hdr, data, p);
		break;
	case EXEC_EVENT_EXE:
		take_once(&p->exe, PATH_MAX_BYTES, hdr, data, p);
		break;
	case EXEC_EVENT_CWD:
		take_once(&p->cwd, PATH_MAX_BYTES, hdr, data, p);
		break;
	default:
		/* Argument bytes come in order, each piece where the last ended. */
		if (hdr->offset != p->args.len || p->args.len + hdr->len > EXEC_ARGS_MAX_BYTES ||
		    !append(&p->args, data, hdr->len)) {
			p->inconsistent = true;
			break;
		}
		if (!(hdr->flags & EXEC_PIECE_UNREADABLE))
			break;
		if (!p->unreadable)
			p->unreadable = malloc(MAX_UNREADABLE * sizeof(*p->unreadable));
		if (p->nunreadable == MAX_UNREADABLE || !p->unreadable) {
			p->inconsistent = true;
			break;
		}
		p->unreadable[p->nunreadable].start = hdr->offset;
		p->unreadable[p->nunreadable++].end = hdr->offset + hdr->len;
		break;
	}
}

static bool in_unreadable(const struct pending *p, size_t offset)
{
	for (unsigned i = 0; i < p->nunreadable; i++) {
		if (offset >= p->unreadable[i].start && offset < p->unreadable[i].end)
			return true;
	}
	return false;
}

/* The argument strings, NUL-separated; one without its NUL was cut. */
static void split_args(struct exec_assembly *a, const struct pending *p, struct exec_record *r)
{
	size_t at = 0;

	r->argc = 0;
	r->more = false;
	while (at < p->args.len) {
		const char *nul = memchr(p->args.at + at, '\0', p->args.len - at);
		size_t end = nul ? (size_t)(nul - p->args.at) : p->args.len;
		struct exec_string *s = &a->argv[r->argc];

		if (r->argc == EXEC_MAX_STRINGS) {
			r->more = true;
			break;
		}
		s->unreadable = in_unreadable(p, at);
		s->s = s->unreadable ? "" : p->args.at + at;
		s->len = s->unreadable ? 0 : end - at;
		s->cut = !nul;
		r->argc++;
		at = end + 1;
	}
	r->argv = a->argv;
}

static bool string_is(const struct exec_string *s, const struct exec_string *t)
{
	return !s->unreadable && !t->unreadable && s->len == t->len && !memcmp(s->s, t->s, s->len);
}

/*
 * After an interpreter took over, argv is its command line: the
 * interpreter, its #! argument, then the script's name as the kernel got
 * it (the file name), then the caller's arguments after argv[0].
 */
static size_t first_arg(const struct exec_record *r, bool interpreted)
{
	if (interpreted) {
		for (size_t i = 1; i < r->argc && i < EXEC_MAX_STRINGS - EXEC_MAX_ARGS; i++) {
			if (string_is(&r->argv[i], &r->filename))
				return i + 1;
		}
	}
	return 1;
}

/*
 * An EXE or CWD piece's names (slots, leaf first) as a path, root first,
 * into buf; with deleted_suffix, " (deleted)" after one unlinked. Absent
 * (s NULL) when the piece did not come.
 */
static struct exec_string path_text(char *buf, size_t cap, const struct whole_piece *w,
				    bool deleted_suffix)
{
	struct exec_string s = { 0 };
	size_t n = 0;

	if (!w->have)
		return s;
	for (size_t slot = w->bytes.len / EXEC_PATH_NAME; slot-- > 0 && n < cap;) {
		const char *name = w->bytes.at + slot * EXEC_PATH_NAME;
		size_t len = bounded_strlen(name, EXEC_PATH_NAME);

		/* Empty where the walk crossed a mount point. */
		if (len)
			n += (size_t)snprintf(buf + n, cap - n, "/%.*s", (int)len, name);
	}
	if (n == 0)
		n = (size_t)snprintf(buf, cap, "/");
	if (deleted_suffix && n < cap && (w->flags & EXEC_PIECE_DELETED))
		n += (size_t)snprintf(buf + n, cap - n, DELETED_SUFFIX);
	s.s = buf;
	s.len = n < cap ? n : cap - 1;
	s.cut = w->flags & EXEC_PIECE_CUT;
	return s;
}

/* What ran, as the record shows it first. */
static void file_of(struct exec_assembly *a, const struct pending *p, struct exec_record *r)
{
	const struct exec_done *d = r->done;
	bool at = d->syscall == EXEC_SYS_EXECVEAT || d->syscall == EXEC_SYS_EXECVEAT_32;

	r->file = r->filename;
	/* By descriptor, the file's path; after a #!, the file running is the interpreter. */
	if (p->exe.have && (d->flags & EXEC_DONE_BY_FD) && !(d->flags & EXEC_DONE_INTERPRETED)) {
		r->file = path_text(a->file, sizeof(a->file), &p->exe, true);
	} else if (at && d->dirfd != AT_FDCWD_VALUE && !r->filename.unreadable &&
		   (r->filename.len == 0 || r->filename.s[0] != '/')) {
		/* As the kernel names a file opened through a descriptor. */
		int n = snprintf(a->file, sizeof(a->file), "/dev/fd/%d%s%.*s", d->dirfd,
				 r->filename.len ? "/" : "", (int)r->filename.len, r->filename.s);

		r->file.s = a->file;
		r->file.len = n > 0 && (size_t)n < sizeof(a->file) ? (size_t)n : 0;
	}
}

static void on_done(struct exec_assembly *a, const struct exec_done *d)
{
	struct pending *p = find(a, d->tgid, d->exec_id);
	struct exec_record r = { .done = d };

	if (!p) {
		a->stats.unmatched++;
		return;
	}
	if (p->inconsistent || !p->filename.have || p->pieces != d->pieces ||
	    p->args.len != d->args_len) {
		drop(a, p);
		return;
	}
	r.filename.unreadable = p->filename.flags & EXEC_PIECE_UNREADABLE;
	r.filename.s = r.filename.unreadable ? "" : p->filename.bytes.at;
	r.filename.len = r.filename.unreadable
				 ? 0
				 : bounded_strlen(p->filename.bytes.at, p->filename.bytes.len);
	split_args(a, p, &r);
	r.more = r.more || (d->flags & EXEC_DONE_MORE_ARGS);
	r.first_arg = first_arg(&r, d->flags & EXEC_DONE_INTERPRETED);
	/* argv itself unreadable where a line would not show it: it shows as its last string. */
	if ((d->flags & EXEC_DONE_ARGV_UNREADABLE) && r.argc > 0 && r.argc <= r.first_arg)
		r.first_arg = r.argc - 1;
	file_of(a, p, &r);
	r.exe = path_text(a->exe, sizeof(a->exe), &p->exe, false);
	r.exe_deleted = p->exe.flags & EXEC_PIECE_DELETED;
	r.cwd = path_text(a->cwd, sizeof(a->cwd), &p->cwd, false);
	a->stats.completed++;
	a->emit(a->ctx, &r);
	release(a, p);
}

uint64_t exec_event_time(const void *data, size_t size)
{
	struct exec_done done;

	if (size < sizeof(done))
		return 0;
	memcpy(&done, data, sizeof(done)); /* perf samples are 4-byte aligned */
	return done.kind == EXEC_EVENT_DONE ? done.ktime : 0;
}

void exec_assembly_feed(struct exec_assembly *a, const void *data, size_t size,
			unsigned long long now_ns)
{
	struct exec_piece hdr;
	struct exec_done done;

	if (size < EXEC_PIECE_HEADER_SIZE) {
		a->stats.malformed++;
		return;
	}
	/* Copied out: perf puts raw samples at 4-byte alignment. */
	memcpy(&hdr, data, EXEC_PIECE_HEADER_SIZE);
	switch (hdr.kind) {
	case EXEC_EVENT_DONE:
		if (size < sizeof(done)) {
			a->stats.malformed++;
			return;
		}
		memcpy(&done, data, sizeof(done));
		on_done(a, &done);
		break;
	case EXEC_EVENT_FILENAME:
	case EXEC_EVENT_EXE:
	case EXEC_EVENT_CWD:
	case EXEC_EVENT_ARGS:
		if (hdr.len > EXEC_PIECE_MAX || hdr.len > size - EXEC_PIECE_HEADER_SIZE) {
			a->stats.malformed++;
			return;
		}
		on_piece(a, &hdr, (const char *)data + EXEC_PIECE_HEADER_SIZE, now_ns);
		break;
	default:
		a->stats.malformed++;
		break;
	}
}

void exec_assembly_expire(struct exec_assembly *a, unsigned long long now_ns)
{
	/* Backwards: a drop moves the last pending record into the place it frees. */
	for (unsigned i = a->used; i-- > 0;) {
		struct pending *p = a->slots[i];

		if (now_ns - p->first_ns > EXEC_WAIT_NS)
			drop(a, p);
	}
	/* Past a burst, memory returns to its usual size. */
	while (a->allocated > a->kept && a->allocated > a->used)
		free_record(a->slots[--a->allocated]);
}
