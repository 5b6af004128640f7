/*
 * execsnoop-c: trace every exec, one line per exec, with its whole command
 * line, the parent and the return value.
 */
#include <linux/types.h>
#include <regex.h>
#include <stdlib.h>
#include <string.h>

#include "../../common/array_size.h"
#include "../../common/bpf_runtime.h"
#include "../../common/options/cli.h"
#include "../../common/clock.h"
#include "../../common/output/event_json.h"
#include "../../common/output/event_order.h"
#include "exec_assembly.h"
#include "../../common/options/parse.h"
#include "../../common/text.h"
#include "../../programs/execsnoop.h"
#include "tool.h"

#define TOOL "execsnoop-c"
/* The "type" of its JSON events. */
#define EVENT_TYPE "exec"
#define DEFAULT_MAX_ARGS 20
#define MAX_MAX_ARGS EXEC_MAX_ARGS
/*
 * Execs whose pieces are in and whose DONE is not: about one per CPU at a
 * time, records kept for them between bursts. A DONE waits in the time
 * order queue, so after the reader was held up (a busy machine), every exec
 * read at once waits: as many as DONEs can wait there.
 */
#define PENDING_EXECS_KEPT 64
#define PENDING_EXECS_MAX EVENT_ORDER_MAX
/* -l's line: the file, every argument and a space between each two. */
#define LINE_MAX_BYTES (EXEC_ARGS_MAX_BYTES + 2 * (EXEC_NAME_MAX + 256) + EXEC_MAX_STRINGS)

/* The loginuid of a task no login set (include/linux/audit.h's AUDIT_UID_UNSET). */
#define AUDIT_UID_UNSET 4294967295U

struct options {
	struct cli_common common;
	bool time, timestamp, fails, quote, print_uid, print_cpu, print_pcomm, lineage;
	bool filter_uid, filter_ppid;
	__u32 uid, ppid;
	unsigned max_args;
	bool have_name, have_line;
	regex_t name, line;
};

struct tracer {
	const struct options *opts;
	struct exec_assembly *assembly;
	unsigned long long start_ns;
	char *line; /* -l: LINE_MAX_BYTES */
};

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: " TOOL " [OPTIONS]\n"
		"Trace every exec: one line per program started, with its arguments.\n\n"
		"  -T, --time             include a time column (HH:MM:SS)\n"
		"  -t, --timestamp        include seconds since the start\n"
		"  -x, --fails            include failed exec()s (ARGS of one that cannot be\n"
		"                         read show as ?)\n"
		"  -u, --uid USER         trace this user (name or UID) only\n"
		"  -q, --quote            put quotes around each argument\n"
		"  -n, --name REGEX       only commands whose name matches REGEX\n"
		"  -l, --line REGEX       only commands whose arguments match REGEX\n"
		"  -U, --print-uid        include a UID column\n"
		"  -C, --print-cpu        include a CPU column\n"
		"  -M, --print-pcomm      include the parent's command name (PCOMM)\n"
		"  -P, --ppid PPID        trace children of this parent PID only\n"
		"      --max-args N       arguments shown, the filename included (1-%d, default %d)\n"
		"      --lineage          include EUID, LOGINUID, EXEC_ID and PARENT_EXEC_ID\n",
		MAX_MAX_ARGS, DEFAULT_MAX_ARGS);
	cli_common_help(out);
	fputs("\nExamples:\n"
	      "  " TOOL "                 # trace all exec()s\n"
	      "  " TOOL " -x -T           # include failures, with a time column\n"
	      "  " TOOL " -u alice -q     # alice's execs, arguments quoted\n"
	      "  " TOOL " -l tpkg         # execs whose arguments contain tpkg\n",
	      out);
}

static bool compile_regex(regex_t *re, const char *pattern, const char *option)
{
	int err = regcomp(re, pattern, REG_EXTENDED | REG_NOSUB);

	if (err) {
		char why[256];

		regerror(err, re, why, sizeof(why));
		cli_bad_value(TOOL, option, why);
		return false;
	}
	return true;
}

static bool number_option(const char *arg, const char *option, uint64_t min, uint64_t max,
			  uint64_t *out)
{
	char why[128];

	if (parse_uint(arg, min, max, out, why, sizeof(why)))
		return true;
	cli_bad_value(TOOL, option, why);
	return false;
}

enum { OPT_MAX_ARGS = OPT_TOOL, OPT_LINEAGE };

static int tool_option(int opt, const char *arg, void *ctx)
{
	struct options *o = ctx;
	uint64_t value;
	char why[128];

	switch (opt) {
	case 'T':
		o->time = true;
		break;
	case 't':
		o->timestamp = true;
		break;
	case 'x':
		o->fails = true;
		break;
	case 'q':
		o->quote = true;
		break;
	case 'U':
		o->print_uid = true;
		break;
	case 'C':
		o->print_cpu = true;
		break;
	case 'M':
		o->print_pcomm = true;
		break;
	case 'u':
		if (!parse_user(arg, &o->uid, why, sizeof(why)))
			return cli_bad_value(TOOL, "-u/--uid", why);
		o->filter_uid = true;
		break;
	case 'P':
		if (!number_option(arg, "-P/--ppid", 0, INT32_MAX, &value))
			return EXIT_USAGE;
		o->ppid = (__u32)value;
		o->filter_ppid = true;
		break;
	case 'n':
		if (o->have_name)
			regfree(&o->name);
		o->have_name = compile_regex(&o->name, arg, "-n/--name");
		return o->have_name ? 0 : EXIT_USAGE;
	case 'l':
		if (o->have_line)
			regfree(&o->line);
		o->have_line = compile_regex(&o->line, arg, "-l/--line");
		return o->have_line ? 0 : EXIT_USAGE;
	case OPT_MAX_ARGS:
		if (!number_option(arg, "--max-args", 1, MAX_MAX_ARGS, &value))
			return EXIT_USAGE;
		o->max_args = (unsigned)value;
		break;
	case OPT_LINEAGE:
		o->lineage = true;
		break;
	}
	return 0;
}

static const struct option longopts[] = {
	{ "time", no_argument, NULL, 'T' },
	{ "timestamp", no_argument, NULL, 't' },
	{ "fails", no_argument, NULL, 'x' },
	{ "uid", required_argument, NULL, 'u' },
	{ "quote", no_argument, NULL, 'q' },
	{ "name", required_argument, NULL, 'n' },
	{ "line", required_argument, NULL, 'l' },
	{ "print-uid", no_argument, NULL, 'U' },
	{ "print-cpu", no_argument, NULL, 'C' },
	{ "print-pcomm", no_argument, NULL, 'M' },
	{ "ppid", required_argument, NULL, 'P' },
	{ "max-args", required_argument, NULL, OPT_MAX_ARGS },
	{ "lineage", no_argument, NULL, OPT_LINEAGE },
	CLI_COMMON_LONG,
	{ NULL, 0, NULL, 0 },
};

static const struct cli_spec cli = {
	.tool = TOOL,
	.shortopts = "TtxqUCMu:n:l:P:",
	.longopts = longopts,
	.usage = usage,
	.option = tool_option,
};

static void print_header(const struct options *o)
{
	if (o->common.json)
		return;
	if (o->time)
		printf("%-9s", "TIME");
	if (o->timestamp)
		printf("%-8s ", "TIME(s)");
	if (o->print_uid)
		printf("%-6s ", "UID");
	if (o->print_cpu)
		printf("%-3s ", "CPU");
	printf("%-16s %-7s %-7s ", "COMM", "PID", "PPID");
	if (o->print_pcomm)
		printf("%-16s ", "PCOMM");
	if (o->lineage)
		printf("%-6s %-10s %-*s %-*s ", "EUID", "LOGINUID", EXEC_ID_COLUMN, "EXEC_ID",
		       EXEC_ID_COLUMN, "PARENT_EXEC_ID");
	printf("%3s %s\n", "RET", "ARGS");
}

/* The arguments a line shows after the file: argv[first_arg], ... within --max-args. */
static size_t shown_args(const struct options *o, const struct exec_record *r)
{
	size_t left = r->argc > r->first_arg ? r->argc - r->first_arg : 0;

	return left < o->max_args - 1 ? left : o->max_args - 1;
}

/* Whether the line ends in "...": arguments past those shown. */
static bool more_args(const struct options *o, const struct exec_record *r)
{
	return r->more || r->first_arg + shown_args(o, r) < r->argc;
}

/* An argument as text: "?" when it could not be read. */
static void put_string(char *line, size_t *n, const struct exec_string *s)
{
	if (s->unreadable) {
		line[(*n)++] = '?';
		return;
	}
	memcpy(line + *n, s->s, s->len);
	*n += s->len;
}

/* The file and its arguments joined by spaces, as -l matches them. */
static bool line_matches(const struct tracer *t, const struct exec_record *r)
{
	size_t n = 0, shown = shown_args(t->opts, r);

	put_string(t->line, &n, &r->file);
	for (size_t i = 0; i < shown; i++) {
		t->line[n++] = ' ';
		put_string(t->line, &n, &r->argv[r->first_arg + i]);
	}
	t->line[n] = '\0';
	return regexec(&t->opts->line, t->line, 0, NULL, 0) == 0;
}

static bool wanted(const struct tracer *t, const struct exec_record *r)
{
	const struct options *o = t->opts;

	if (r->done->retval != 0 && !o->fails)
		return false;
	if (o->have_name) {
		char comm[EXEC_COMM_SIZE + 1];

		memcpy(comm, r->done->comm, EXEC_COMM_SIZE);
		comm[bounded_strlen(r->done->comm, EXEC_COMM_SIZE)] = '\0';
		if (regexec(&o->name, comm, 0, NULL, 0))
			return false;
	}
	return !o->have_line || line_matches(t, r);
}

/* A string of the record, or null where the caller's memory could not be read. */
static void json_exec_string(struct json_writer *w, const struct exec_string *s)
{
	if (s->unreadable)
		jsonw_null(w);
	else
		jsonw_bytes(w, s->s, s->len);
}

static const char *syscall_name(__u32 syscall)
{
	static const char *const names[] = { [EXEC_SYS_EXECVE] = "execve",
					     [EXEC_SYS_EXECVEAT] = "execveat",
					     [EXEC_SYS_EXECVE_32] = "execve_32",
					     [EXEC_SYS_EXECVEAT_32] = "execveat_32" };

	return syscall < ARRAY_SIZE(names) ? names[syscall] : NULL;
}

/* "name": a path the kernel side walked; null when it sent none, or cut it short of the root. */
static void json_path(struct json_writer *w, const char *name, const struct exec_string *s)
{
	if (s->s && !s->cut)
		jsonw_bytes_field(w, name, s->s, s->len);
	else
		jsonw_null_field(w, name);
}

static void print_json(const struct tracer *t, const struct exec_record *r)
{
	const struct exec_done *e = r->done;
	size_t shown = shown_args(t->opts, r);
	const char *syscall = syscall_name(e->syscall);
	bool interpreted = e->flags & EXEC_DONE_INTERPRETED;
	struct json_writer *w = output_json();

	event_json_begin(w, EVENT_TYPE, t->start_ns, e->ktime, e->cgroup_id);
	jsonw_uint_field(w, "uid", e->uid);
	jsonw_uint_field(w, "euid", e->euid);
	jsonw_uint_field(w, "egid", e->egid);
	if (e->loginuid == AUDIT_UID_UNSET)
		jsonw_null_field(w, "loginuid");
	else
		jsonw_uint_field(w, "loginuid", e->loginuid);
	event_json_exec_id(w, "exec_id", &e->exec);
	event_json_exec_id(w, "parent_exec_id", &e->parent);
	jsonw_uint_field(w, "cpu", e->cpu);
	jsonw_bytes_field(w, "comm", e->comm, bounded_strlen(e->comm, EXEC_COMM_SIZE));
	jsonw_uint_field(w, "pid", e->tgid);
	jsonw_uint_field(w, "tid", e->tid);
	jsonw_uint_field(w, "ppid", e->ppid);
	jsonw_bytes_field(w, "pcomm", e->pcomm, bounded_strlen(e->pcomm, EXEC_COMM_SIZE));
	jsonw_int_field(w, "ret", e->retval);
	if (syscall)
		jsonw_string_field(w, "syscall", syscall);
	else
		jsonw_null_field(w, "syscall");
	jsonw_name(w, "filename");
	json_exec_string(w, &r->filename);
	json_path(w, "exe", &r->exe);
	jsonw_bool_field(w, "exe_deleted", r->exe.s && r->exe_deleted);
	json_path(w, "cwd", &r->cwd);
	jsonw_start_array_field(w, "args");
	json_exec_string(w, &r->file);
	for (size_t i = 0; i < shown; i++)
		json_exec_string(w, &r->argv[r->first_arg + i]);
	jsonw_end_array(w);
	jsonw_start_array_field(w, "truncated_args");
	for (size_t i = 0; i < shown; i++) {
		if (r->argv[r->first_arg + i].cut)
			jsonw_uint(w, i + 1);
	}
	jsonw_end_array(w);
	jsonw_bool_field(w, "more_args", more_args(t->opts, r));
	jsonw_bool_field(w, "truncated", e->flags & EXEC_DONE_CUT);
	jsonw_name(w, "argv0");
	if (!interpreted && r->argc > 0)
		json_exec_string(w, &r->argv[0]);
	else
		jsonw_null(w);
	jsonw_start_array_field(w, "interpreter");
	for (size_t i = 0; interpreted && i + 1 < r->first_arg; i++)
		json_exec_string(w, &r->argv[i]);
	jsonw_end_array(w);
	jsonw_end_object(w);
}

/* An argument in the ARGS column: ? when unreadable, ... after one cut short. */
static void print_arg(const struct options *o, const struct exec_string *s)
{
	if (s->unreadable)
		putchar('?');
	else
		text_escape(stdout, s->s, s->len, o->quote);
	if (s->cut)
		fputs("...", stdout);
}

/* --lineage's columns: EUID, LOGINUID (- when unset), EXEC_ID, PARENT_EXEC_ID (- when unknown). */
static void print_lineage(const struct exec_done *e)
{
	printf("%-6u ", e->euid);
	if (e->loginuid == AUDIT_UID_UNSET)
		printf("%-10s ", "-");
	else
		printf("%-10u ", e->loginuid);
	exec_id_column(stdout, &e->exec);
	exec_id_column(stdout, &e->parent);
}

static void print_text(const struct tracer *t, const struct exec_record *r)
{
	const struct options *o = t->opts;
	const struct exec_done *e = r->done;
	size_t shown = shown_args(o, r);

	if (o->time) {
		char hms[16];

		clock_hms(hms, sizeof(hms));
		printf("%-9s", hms);
	}
	if (o->timestamp)
		printf("%-8.3f ", seconds_after(t->start_ns, e->ktime));
	if (o->print_uid)
		printf("%-6u ", e->uid);
	if (o->print_cpu)
		printf("%-3u ", e->cpu);
	text_escape_padded(stdout, e->comm, bounded_strlen(e->comm, EXEC_COMM_SIZE), 16);
	printf(" %-7u %-7u ", e->tgid, e->ppid);
	if (o->print_pcomm) {
		text_escape_padded(stdout, e->pcomm, bounded_strlen(e->pcomm, EXEC_COMM_SIZE), 16);
		putchar(' ');
	}
	if (o->lineage)
		print_lineage(e);
	printf("%3d ", e->retval);
	print_arg(o, &r->file);
	for (size_t i = 0; i < shown; i++) {
		putchar(' ');
		print_arg(o, &r->argv[r->first_arg + i]);
	}
	if (more_args(o, r))
		fputs(" ...", stdout);
	putchar('\n');
}

static void on_exec(void *ctx, const struct exec_record *r)
{
	const struct tracer *t = ctx;

	if (!wanted(t, r))
		return;
	if (t->opts->common.json)
		print_json(t, r);
	else
		print_text(t, r);
}

static void on_event(void *ctx, const void *data, size_t size)
{
	struct tracer *t = ctx;

	exec_assembly_feed(t->assembly, data, size, monotonic_ns());
}

static void after_batch(void *ctx)
{
	struct tracer *t = ctx;

	exec_assembly_expire(t->assembly, monotonic_ns());
}

/* The options the BPF program takes, as its config map's value. */
static int configure(struct snoop_bpf *bpf, void *ctx)
{
	struct tracer *t = ctx;
	const struct options *o = t->opts;
	struct execsnoop_config config = {
		.max_args = o->max_args,
		.fails = o->fails,
		.filter_uid = o->filter_uid,
		.uid = o->uid,
		.filter_ppid = o->filter_ppid,
		.ppid = o->ppid,
		.paths = o->common.json,
		.lineage = o->common.json || o->lineage,
	};
	int rc = snoop_bpf_set_config(bpf, &config);

	if (rc)
		return rc;
	t->assembly = exec_assembly_new(PENDING_EXECS_KEPT, PENDING_EXECS_MAX, on_exec, t);
	t->line = o->have_line ? malloc(LINE_MAX_BYTES) : NULL;
	if (!t->assembly || (o->have_line && !t->line)) {
		exec_assembly_free(t->assembly);
		free(t->line);
		t->assembly = NULL;
		t->line = NULL;
		fprintf(stderr, TOOL ": out of memory\n");
		return EXIT_RUNTIME;
	}
	return 0;
}

static void started(void *ctx)
{
	struct tracer *t = ctx;

	t->start_ns = monotonic_ns();
	print_header(t->opts);
}

/* Execs dropped for their lost pieces are counted; with -v, what the assembly saw. */
static void finish(void *ctx)
{
	struct tracer *t = ctx;
	const struct exec_assembly_stats *stats = exec_assembly_stats(t->assembly);

	if (stats->incomplete)
		fprintf(stderr, TOOL ": %llu execs dropped: some of their events were lost\n",
			(unsigned long long)stats->incomplete);
	if (t->opts->common.settings.verbose)
		fprintf(stderr,
			TOOL
			": %llu execs, %llu results without their pieces, %llu malformed events\n",
			(unsigned long long)stats->completed, (unsigned long long)stats->unmatched,
			(unsigned long long)stats->malformed);
	exec_assembly_free(t->assembly);
	free(t->line);
}

static const struct snoop_handlers handlers = {
	.configure = configure,
	.on_event = on_event,
	.started = started,
	.after_batch = after_batch,
	.finish = finish,
};

int main(int argc, char *argv[])
{
	struct options opts = { .max_args = DEFAULT_MAX_ARGS };
	struct tracer t = { .opts = &opts };
	/* Failed execs are seen at the syscalls' exits; successful ones need no syscall program. */
	struct snoop_tool tool = execsnoop_tool;
	int rc = cli_parse(&cli, argc, argv, &opts.common, &opts);

	tool.syscalls_unattached = !opts.fails;
	if (!rc)
		rc = snoop_bpf_main(&tool, &opts.common.settings, opts.common.show_source,
				    &handlers, &t);
	if (opts.have_name)
		regfree(&opts.name);
	if (opts.have_line)
		regfree(&opts.line);
	return snoop_exit_status(rc);
}
