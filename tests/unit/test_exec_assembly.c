#include <stdlib.h>

#include "../../common/array_size.h"
#include "../../tools/execsnoop/exec_assembly.h"
#include "unit.h"

#define SEC 1000000000ULL

/* What the emit callback saw: "PID RET FILE|arg|arg..." with ?, ~ (cut), + (more). */
static char seen[8][1024];
static int nseen;
static size_t seen_first_arg[8];
/* The record's exe (with "!" when deleted) and cwd; "-" when absent. */
static char seen_exe[8][512], seen_cwd[8][512];

static void put_string(char **p, const struct exec_string *s)
{
	*p += sprintf(*p, "%s%.*s%s", s->unreadable ? "?" : "", (int)s->len, s->s,
		      s->cut ? "~" : "");
}

static void record(void *ctx, const struct exec_record *r)
{
	char *p = seen[nseen];

	(void)ctx;
	p += sprintf(p, "%u %d ", r->done->tgid, r->done->retval);
	put_string(&p, &r->file);
	for (size_t i = r->first_arg; i < r->argc; i++) {
		*p++ = '|';
		put_string(&p, &r->argv[i]);
	}
	if (r->more)
		sprintf(p, " +");
	seen_first_arg[nseen] = r->first_arg;
	snprintf(seen_exe[nseen], sizeof(seen_exe[nseen]), "%.*s%s", r->exe.s ? (int)r->exe.len : 1,
		 r->exe.s ? r->exe.s : "-", r->exe_deleted ? "!" : "");
	snprintf(seen_cwd[nseen], sizeof(seen_cwd[nseen]), "%.*s", r->cwd.s ? (int)r->cwd.len : 1,
		 r->cwd.s ? r->cwd.s : "-");
	nseen++;
}

static struct exec_assembly *fresh(unsigned capacity)
{
	nseen = 0;
	memset(seen, 0, sizeof(seen));
	return exec_assembly_new(capacity, capacity, record, NULL);
}

static struct exec_piece ev;

static void piece(struct exec_assembly *a, __u32 tgid, __u64 id, __u32 kind, __u32 offset,
		  const void *data, __u32 len, __u32 flags, unsigned long long now)
{
	ev = (struct exec_piece){ .exec_id = id,
				  .kind = kind,
				  .tgid = tgid,
				  .offset = offset,
				  .len = len,
				  .flags = flags };
	memcpy(ev.data, data, len);
	exec_assembly_feed(a, &ev, EXEC_PIECE_HEADER_SIZE + len, now);
}

static void filename(struct exec_assembly *a, __u32 tgid, __u64 id, const char *name)
{
	piece(a, tgid, id, EXEC_EVENT_FILENAME, 0, name, (__u32)strlen(name) + 1, 0, 0);
}

/* Argument strings as the kernel lays them out: each with its NUL ("a\0b\0"). */
static void args(struct exec_assembly *a, __u32 tgid, __u64 id, __u32 offset, const char *bytes,
		 __u32 len)
{
	piece(a, tgid, id, EXEC_EVENT_ARGS, offset, bytes, len, 0, 0);
}

static struct exec_done done_event(__u32 tgid, __u64 id, int retval, __u32 pieces, __u32 args_len)
{
	return (struct exec_done){ .exec_id = id,
				   .kind = EXEC_EVENT_DONE,
				   .tgid = tgid,
				   .tid = tgid,
				   .retval = retval,
				   .pieces = pieces,
				   .args_len = args_len };
}

static void done(struct exec_assembly *a, struct exec_done d)
{
	exec_assembly_feed(a, &d, sizeof(d), 0);
}

static void whole_exec(void)
{
	struct exec_assembly *a = fresh(8);

	filename(a, 10, 1, "/bin/true");
	args(a, 10, 1, 0, "true\0a b\0\0x", 11);
	done(a, done_event(10, 1, 0, 2, 11));
	CHECK(nseen == 1);
	/* argv[0] is the caller's name for it: the file takes its place */
	CHECK_STR(seen[0], "10 0 /bin/true|a b||x~");
	CHECK(exec_assembly_stats(a)->completed == 1 && exec_assembly_pending(a) == 0);
	exec_assembly_free(a);
}

/* Found by tests/fuzz/fuzz_exec_assembly.c: an empty ARGS piece before any bytes. */
static void empty_args_piece(void)
{
	struct exec_assembly *a = fresh(8);

	filename(a, 10, 1, "/bin/true");
	args(a, 10, 1, 0, "", 0);
	args(a, 10, 1, 0, "true\0a\0", 7);
	done(a, done_event(10, 1, 0, 3, 7));
	CHECK(nseen == 1);
	CHECK_STR(seen[0], "10 0 /bin/true|a");
	exec_assembly_free(a);
}

static void interleaved_execs_and_chunks(void)
{
	struct exec_assembly *a = fresh(8);

	/* Two CPUs' buffers read one after the other, but an exec of each before its DONE. */
	filename(a, 10, 1, "/bin/one");
	filename(a, 20, 2, "/bin/two");
	args(a, 10, 1, 0, "one\0a", 5);
	args(a, 20, 2, 0, "two\0b\0", 6);
	args(a, 10, 1, 5, "bc\0", 3);
	done(a, done_event(20, 2, 0, 2, 6));
	done(a, done_event(10, 1, 0, 3, 8));
	CHECK(nseen == 2);
	CHECK_STR(seen[0], "20 0 /bin/two|b");
	CHECK_STR(seen[1], "10 0 /bin/one|abc");
	exec_assembly_free(a);
}

static void lost_or_misplaced_pieces_drop_the_exec(void)
{
	struct exec_assembly *a = fresh(8);

	/* A chunk lost: DONE counts more pieces and bytes than came. */
	filename(a, 10, 1, "/bin/x");
	args(a, 10, 1, 0, "x\0", 2);
	done(a, done_event(10, 1, 0, 3, 6));
	/* A chunk where the last did not end. */
	filename(a, 10, 2, "/bin/x");
	args(a, 10, 2, 4, "x\0", 2);
	done(a, done_event(10, 2, 0, 2, 6));
	/* The file name twice. */
	filename(a, 10, 3, "/bin/x");
	filename(a, 10, 3, "/bin/y");
	done(a, done_event(10, 3, 0, 2, 0));
	/* No file name. */
	args(a, 10, 4, 0, "x\0", 2);
	done(a, done_event(10, 4, 0, 1, 2));
	/* DONE whose pieces were all lost. */
	done(a, done_event(10, 5, 0, 2, 2));
	CHECK(nseen == 0);
	CHECK(exec_assembly_stats(a)->incomplete == 4);
	CHECK(exec_assembly_stats(a)->unmatched == 1);
	CHECK(exec_assembly_pending(a) == 0);
	exec_assembly_free(a);
}

static void interpreter_command_lines(void)
{
	static const struct {
		const char *why, *filename, *argv;
		__u32 len;
		bool interpreted;
		const char *want;
		size_t first_arg;
	} cases[] = {
		{ "#!/bin/sh -e: the interpreter, its argument, the script, the caller's arguments",
		  "./s.sh", "/bin/sh\0-e\0./s.sh\0a\0b c", 24, true, "./s.sh|a|b c", 3 },
		{ "an argument equal to the script's name does not move where its arguments start",
		  "./s.sh", "/bin/sh\0./s.sh\0./s.sh", 22, true, "./s.sh|./s.sh", 2 },
		{ "not interpreted: argv[1] equal to the file name is an argument like any other",
		  "/bin/echo", "/bin/echo\0/bin/echo\0", 20, false, "/bin/echo|/bin/echo", 1 },
		{ "the script's name nowhere near the start: all of argv after argv[0]", "/x",
		  "i\0a\0b\0", 6, true, "/x|a|b", 1 },
	};
	struct exec_assembly *a = fresh(8);

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct exec_done d = done_event(10, i + 1, 0, 2, cases[i].len);
		char want[128];

		d.flags = cases[i].interpreted ? EXEC_DONE_INTERPRETED : 0;
		filename(a, 10, i + 1, cases[i].filename);
		args(a, 10, i + 1, 0, cases[i].argv, cases[i].len);
		done(a, d);
		snprintf(want, sizeof(want), "10 0 %s", cases[i].want);
		if (strcmp(seen[i], want) || seen_first_arg[i] != cases[i].first_arg)
			fprintf(stderr, "  %s\n", cases[i].why);
		CHECK_STR(seen[i], want);
		CHECK(seen_first_arg[i] == cases[i].first_arg);
	}
	exec_assembly_free(a);
}

/* An EXE or CWD piece: names leaf first, one per slot. */
static void path_piece(struct exec_assembly *a, __u32 tgid, __u64 id, __u32 kind,
		       const char *const *names, int n, __u32 flags)
{
	static char slots[EXEC_PIECE_MAX];

	memset(slots, 0, sizeof(slots));
	for (int i = 0; i < n; i++)
		strcpy(slots + i * EXEC_PATH_NAME, names[i]);
	piece(a, tgid, id, kind, 0, slots, (__u32)n * EXEC_PATH_NAME, flags, 0);
}

static void paths_of_execs_by_descriptor(void)
{
	struct exec_assembly *a = fresh(8);
	const char *const usr_bin_true[] = { "true", "bin", "", "usr" }; /* a mount point between */
	const char *const memfd[] = { "memfd:x" };
	struct exec_done d = done_event(10, 1, 0, 3, 5);

	filename(a, 10, 1, "/dev/fd/3");
	path_piece(a, 10, 1, EXEC_EVENT_EXE, usr_bin_true, 4, 0);
	args(a, 10, 1, 0, "t\0a\0", 4);
	d.args_len = 4;
	d.flags = EXEC_DONE_BY_FD;
	done(a, d);
	CHECK_STR(seen[0], "10 0 /usr/bin/true|a");
	filename(a, 10, 2, "/dev/fd/4");
	path_piece(a, 10, 2, EXEC_EVENT_EXE, memfd, 1, EXEC_PIECE_DELETED);
	d = done_event(10, 2, 0, 2, 0);
	d.flags = EXEC_DONE_BY_FD;
	done(a, d);
	CHECK_STR(seen[1], "10 0 /memfd:x (deleted)");
	/* A walk cut short is marked. */
	filename(a, 10, 3, "/dev/fd/5");
	path_piece(a, 10, 3, EXEC_EVENT_EXE, usr_bin_true, 2, EXEC_PIECE_CUT);
	d = done_event(10, 3, 0, 2, 0);
	d.flags = EXEC_DONE_BY_FD;
	done(a, d);
	CHECK_STR(seen[2], "10 0 /bin/true~");
	exec_assembly_free(a);
}

static void exe_and_cwd(void)
{
	struct exec_assembly *a = fresh(8);
	const char *const sh[] = { "dash", "bin", "usr" };
	const char *const work[] = { "w", "tmp" };
	const char *const memfd[] = { "memfd:x" };
	const char *const root[] = { "" }; /* the walk stops at once: one empty slot */
	struct exec_done d = done_event(10, 1, 0, 4, 4);

	/* A script: its name shown first, the interpreter as the file that runs. */
	filename(a, 10, 1, "./s.sh");
	path_piece(a, 10, 1, EXEC_EVENT_EXE, sh, 3, 0);
	path_piece(a, 10, 1, EXEC_EVENT_CWD, work, 2, 0);
	args(a, 10, 1, 0, "sh\0a\0", 5);
	d.args_len = 5;
	d.flags = EXEC_DONE_INTERPRETED;
	done(a, d);
	CHECK_STR(seen[0], "10 0 ./s.sh|a");
	CHECK_STR(seen_exe[0], "/usr/bin/dash");
	CHECK_STR(seen_cwd[0], "/tmp/w");
	/* A memfd run by descriptor: its path with the flag, and a cwd at the root. */
	filename(a, 10, 2, "/dev/fd/3");
	path_piece(a, 10, 2, EXEC_EVENT_EXE, memfd, 1, EXEC_PIECE_DELETED);
	path_piece(a, 10, 2, EXEC_EVENT_CWD, root, 1, 0);
	d = done_event(10, 2, 0, 3, 0);
	d.flags = EXEC_DONE_BY_FD;
	done(a, d);
	CHECK_STR(seen[1], "10 0 /memfd:x (deleted)");
	CHECK_STR(seen_exe[1], "/memfd:x!");
	CHECK_STR(seen_cwd[1], "/");
	/* None sent (a failed exec, a kernel without BTF): absent, not empty. */
	filename(a, 10, 3, "/bin/x");
	done(a, done_event(10, 3, -2, 1, 0));
	CHECK_STR(seen_exe[2], "-");
	CHECK_STR(seen_cwd[2], "-");
	exec_assembly_free(a);
}

static void failed_execs_by_descriptor(void)
{
	struct exec_assembly *a = fresh(8);
	struct exec_done d = done_event(10, 1, -2, 2, 2);

	d.syscall = EXEC_SYS_EXECVEAT;
	d.dirfd = 3;
	filename(a, 10, 1, "");
	args(a, 10, 1, 0, "x\0", 2);
	done(a, d);
	d.exec_id = 2;
	filename(a, 10, 2, "rel/prog");
	args(a, 10, 2, 0, "x\0", 2);
	done(a, d);
	d.exec_id = 3;
	filename(a, 10, 3, "/abs");
	args(a, 10, 3, 0, "x\0", 2);
	done(a, d);
	d.exec_id = 4;
	d.syscall = EXEC_SYS_EXECVEAT_32;
	d.dirfd = -100; /* AT_FDCWD */
	filename(a, 10, 4, "rel");
	args(a, 10, 4, 0, "x\0", 2);
	done(a, d);
	CHECK(nseen == 4);
	CHECK_STR(seen[0], "10 -2 /dev/fd/3");
	CHECK_STR(seen[1], "10 -2 /dev/fd/3/rel/prog");
	CHECK_STR(seen[2], "10 -2 /abs");
	CHECK_STR(seen[3], "10 -2 rel");
	exec_assembly_free(a);
}

static void unreadable_strings(void)
{
	struct exec_assembly *a = fresh(8);
	struct exec_done d = done_event(10, 1, -14, 4, 5);

	piece(a, 10, 1, EXEC_EVENT_FILENAME, 0, "", 1, EXEC_PIECE_UNREADABLE, 0);
	args(a, 10, 1, 0, "x\0", 2);
	piece(a, 10, 1, EXEC_EVENT_ARGS, 2, "", 1, EXEC_PIECE_UNREADABLE, 0);
	args(a, 10, 1, 3, "y\0", 2);
	done(a, d);
	CHECK_STR(seen[0], "10 -14 ?|?|y");
	/* argv itself unreadable: its one string is shown, as ? */
	d = done_event(10, 2, -14, 2, 1);
	d.flags = EXEC_DONE_ARGV_UNREADABLE;
	filename(a, 10, 2, "/bin/x");
	piece(a, 10, 2, EXEC_EVENT_ARGS, 0, "", 1, EXEC_PIECE_UNREADABLE, 0);
	done(a, d);
	CHECK_STR(seen[1], "10 -14 /bin/x|?");
	CHECK(seen_first_arg[1] == 0);
	exec_assembly_free(a);
}

static void many_strings_and_more(void)
{
	struct exec_assembly *a = fresh(8);
	static char bytes[2 * (EXEC_MAX_STRINGS + 5)];
	struct exec_done d;

	memset(bytes, 0, sizeof(bytes));
	for (size_t i = 0; i < EXEC_MAX_STRINGS + 5; i++)
		bytes[2 * i] = 'a';
	filename(a, 10, 1, "/bin/x");
	args(a, 10, 1, 0, bytes, sizeof(bytes));
	done(a, done_event(10, 1, 0, 2, sizeof(bytes)));
	CHECK(nseen == 1);
	CHECK(strstr(seen[0], " +") != NULL);
	/* A failed exec says it stopped at --max-args. */
	d = done_event(10, 2, -2, 2, 2);
	d.flags = EXEC_DONE_MORE_ARGS;
	filename(a, 10, 2, "/bin/x");
	args(a, 10, 2, 0, "x\0", 2);
	done(a, d);
	CHECK_STR(seen[1], "10 -2 /bin/x +");
	exec_assembly_free(a);
}

static void bounded_by_capacity_and_time(void)
{
	struct exec_assembly *a = fresh(2);

	piece(a, 1, 1, EXEC_EVENT_FILENAME, 0, "/a", 3, 0, 0);
	piece(a, 2, 2, EXEC_EVENT_FILENAME, 0, "/b", 3, 0, 1);
	/* Full: the oldest makes room. */
	piece(a, 3, 3, EXEC_EVENT_FILENAME, 0, "/c", 3, 0, 2);
	CHECK(exec_assembly_pending(a) == 2);
	CHECK(exec_assembly_stats(a)->incomplete == 1);
	done(a, done_event(1, 1, 0, 1, 0));
	CHECK(exec_assembly_stats(a)->unmatched == 1);
	exec_assembly_expire(a, SEC);
	CHECK(exec_assembly_pending(a) == 2);
	exec_assembly_expire(a, 3 + SEC);
	CHECK(exec_assembly_pending(a) == 0);
	CHECK(exec_assembly_stats(a)->incomplete == 3);
	CHECK(nseen == 0);
	exec_assembly_free(a);
}

/*
 * A reader held up reads many execs' pieces before their DONEs (which wait
 * to be put in time order): past the kept records, up to the limit, none is
 * dropped, and the records of the burst go when their execs complete.
 */
static void burst_past_kept_records(void)
{
	struct exec_assembly *a = exec_assembly_new(2, 8, record, NULL);
	char name[16];

	nseen = 0;
	for (__u32 i = 1; i <= 6; i++) {
		snprintf(name, sizeof(name), "/bin/x%u", i);
		filename(a, i, i, name);
		args(a, i, i, 0, "x\0", 2);
	}
	CHECK(exec_assembly_pending(a) == 6);
	for (__u32 i = 6; i >= 1; i--)
		done(a, done_event(i, i, 0, 2, 2));
	CHECK(nseen == 6 && exec_assembly_stats(a)->completed == 6);
	CHECK_STR(seen[0], "6 0 /bin/x6");
	CHECK_STR(seen[5], "1 0 /bin/x1");
	CHECK(exec_assembly_pending(a) == 0 && exec_assembly_stats(a)->incomplete == 0);
	/* At the limit, the oldest makes room again. */
	for (__u32 i = 1; i <= 9; i++)
		filename(a, 100 + i, i, "/bin/y");
	CHECK(exec_assembly_pending(a) == 8 && exec_assembly_stats(a)->incomplete == 1);
	done(a, done_event(101, 1, 0, 1, 0));
	CHECK(exec_assembly_stats(a)->unmatched == 1);
	done(a, done_event(109, 9, 0, 1, 0));
	CHECK(nseen == 7 && exec_assembly_pending(a) == 7);
	CHECK(exec_assembly_new(3, 2, record, NULL) == NULL);
	exec_assembly_free(a);
}

static void malformed_events(void)
{
	struct exec_assembly *a = fresh(4);
	struct exec_done d = done_event(1, 1, 0, 0, 0);
	struct exec_piece p = { .kind = EXEC_EVENT_ARGS, .len = 100 };

	exec_assembly_feed(a, &d, 8, 0);			   /* short */
	exec_assembly_feed(a, &d, sizeof(d) - 1, 0);		   /* short DONE */
	exec_assembly_feed(a, &p, EXEC_PIECE_HEADER_SIZE + 10, 0); /* len past the event */
	p.kind = 99;
	exec_assembly_feed(a, &p, EXEC_PIECE_HEADER_SIZE + 100, 0); /* unknown kind */
	CHECK(exec_assembly_stats(a)->malformed == 4);
	CHECK(exec_assembly_pending(a) == 0 && nseen == 0);
	exec_assembly_free(a);
}

UNIT_SUITE(assembly_tests,
	   { "exec assembly: an exec whole, argv[0] replaced by the file", whole_exec },
	   { "exec assembly: execs and chunks interleaved", interleaved_execs_and_chunks },
	   { "exec assembly: an empty ARGS piece", empty_args_piece },
	   { "exec assembly: a lost or misplaced piece drops the exec",
	     lost_or_misplaced_pieces_drop_the_exec },
	   { "exec assembly: an interpreter's command line, the script's arguments after it",
	     interpreter_command_lines },
	   { "exec assembly: the path of an exec by descriptor", paths_of_execs_by_descriptor },
	   { "exec assembly: the file that runs and the working directory", exe_and_cwd },
	   { "exec assembly: failed execveat by descriptor shown as /dev/fd/N",
	     failed_execs_by_descriptor },
	   { "exec assembly: unreadable strings and argv", unreadable_strings },
	   { "exec assembly: more strings than kept, --max-args reached", many_strings_and_more },
	   { "exec assembly: bounded by capacity and time", bounded_by_capacity_and_time },
	   { "exec assembly: a burst past the kept records loses nothing",
	     burst_past_kept_records },
	   { "exec assembly: malformed events counted", malformed_events });
