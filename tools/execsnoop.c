/*
 * execsnoop-c: trace exec() syscalls, one line per exec, with the
 * arguments, the parent and the return value.
 */
#include <linux/types.h>
#include <regex.h>
#include <stdlib.h>
#include <string.h>

#include "../common/bpf_runtime.h"
#include "../common/cli.h"
#include "../common/exec_assembly.h"
#include "../common/parse.h"
#include "../common/text.h"
#include "../programs/execsnoop.h"
#include "execsnoop.bpf.inc"

#define TOOL "execsnoop-c"
#define DEFAULT_MAX_ARGS 20
/* The verifier accepts the argument loop up to this bound. */
#define MAX_MAX_ARGS EXEC_MAX_ARGS
#define PENDING_EXECS 1024
#define PERF_PAGES 64

struct options {
	struct cli_common common;
	bool time, timestamp, fails, quote, print_uid, print_cpu, print_pcomm;
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
};

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: " TOOL " [OPTIONS]\n"
		"Trace exec() syscalls: one line per exec with its arguments.\n\n"
		"  -T, --time             include a time column (HH:MM:SS)\n"
		"  -t, --timestamp        include seconds since the start\n"
		"  -x, --fails            include failed exec()s\n"
		"  -u, --uid USER         trace this user (name or UID) only\n"
		"  -q, --quote            put quotes around each argument\n"
		"  -n, --name REGEX       only commands whose name matches REGEX\n"
		"  -l, --line REGEX       only commands whose arguments match REGEX\n"
		"  -U, --print-uid        include a UID column\n"
		"  -C, --print-cpu        include a CPU column\n"
		"  -M, --print-pcomm      include the parent's command name (PCOMM)\n"
		"  -P, --ppid PPID        trace children of this parent PID only\n"
		"      --max-args N       arguments shown, the filename included (1-%d, default %d)\n",
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

enum { OPT_MAX_ARGS = OPT_TOOL };

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
	printf("%3s %s\n", "RET", "ARGS");
}

/* The arguments joined by spaces, as -l matches them. */
static bool line_matches(const struct options *o, const struct exec_record *r)
{
	char line[MAX_MAX_ARGS * EXEC_ARG_SIZE + 1];
	size_t n = 0;

	for (int i = 0; i < r->expected; i++) {
		if (i > 0)
			line[n++] = ' ';
		memcpy(line + n, r->args[i].data, r->args[i].len);
		n += r->args[i].len;
	}
	line[n] = '\0';
	return regexec(&o->line, line, 0, NULL, 0) == 0;
}

static bool wanted(const struct options *o, const struct exec_record *r)
{
	if (r->ret.retval != 0 && !o->fails)
		return false;
	if (o->have_name) {
		char comm[EXEC_COMM_SIZE + 1];

		memcpy(comm, r->ret.comm, EXEC_COMM_SIZE);
		comm[bounded_strlen(r->ret.comm, EXEC_COMM_SIZE)] = '\0';
		if (regexec(&o->name, comm, 0, NULL, 0))
			return false;
	}
	return !o->have_line || line_matches(o, r);
}

static void print_json(const struct tracer *t, const struct exec_record *r)
{
	const struct exec_event *e = &r->ret;
	char hms[16];
	bool first = true;

	clock_hms(hms, sizeof(hms));
	printf("{\"time\":\"%s\",\"timestamp\":%.6f,\"uid\":%u,\"cpu\":%u,\"comm\":", hms,
	       seconds_after(t->start_ns, e->ktime), e->uid, e->cpu);
	json_string(stdout, e->comm, bounded_strlen(e->comm, EXEC_COMM_SIZE));
	printf(",\"pid\":%u,\"tid\":%u,\"ppid\":%u,\"pcomm\":", e->tgid, e->tid, e->ppid);
	json_string(stdout, e->pcomm, bounded_strlen(e->pcomm, EXEC_COMM_SIZE));
	printf(",\"ret\":%d,\"args\":[", e->retval);
	for (int i = 0; i < r->expected; i++) {
		if (i > 0)
			putchar(',');
		json_string(stdout, r->args[i].data, r->args[i].len);
	}
	printf("],\"truncated_args\":[");
	for (int i = 0; i < r->expected; i++) {
		if (r->args[i].truncated) {
			printf("%s%d", first ? "" : ",", i);
			first = false;
		}
	}
	printf("],\"more_args\":%s}\n", r->more_args ? "true" : "false");
}

static void print_text(const struct tracer *t, const struct exec_record *r)
{
	const struct options *o = t->opts;
	const struct exec_event *e = &r->ret;

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
	printf("%3d ", e->retval);
	for (int i = 0; i < r->expected; i++) {
		if (i > 0)
			putchar(' ');
		text_escape(stdout, r->args[i].data, r->args[i].len, o->quote);
		if (r->args[i].truncated)
			fputs("...", stdout);
	}
	if (r->more_args)
		fputs(" ...", stdout);
	putchar('\n');
}

static void on_exec(void *ctx, const struct exec_record *r)
{
	const struct tracer *t = ctx;

	if (!wanted(t->opts, r))
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

static const char *const syscalls[] = { "execve" };

static const struct bpf_tool execsnoop_tool = {
	.name = TOOL,
	.source = execsnoop_bpf_source,
	.syscalls = syscalls,
	.nsyscalls = 1,
};

static int trace(struct snoop_bpf *bpf, const struct options *o)
{
	struct tracer t = { .opts = o };
	const struct exec_assembly_stats *stats;
	int rc;

	t.assembly = exec_assembly_new(o->max_args, PENDING_EXECS, on_exec, &t);
	if (!t.assembly) {
		fprintf(stderr, TOOL ": out of memory\n");
		return EXIT_RUNTIME;
	}
	rc = snoop_bpf_open_perf(bpf, "events", on_event, &t, PERF_PAGES);
	if (!rc)
		rc = snoop_bpf_attach(bpf);
	if (!rc) {
		t.start_ns = monotonic_ns();
		print_header(o);
		rc = snoop_bpf_run(bpf, after_batch, &t);
	}
	stats = exec_assembly_stats(t.assembly);
	if (stats->incomplete)
		fprintf(stderr, TOOL ": %llu execs dropped: some of their events were lost\n",
			(unsigned long long)stats->incomplete);
	if (o->common.bpf.verbose)
		fprintf(stderr, TOOL ": %llu execs, %llu returns without entry, %llu malformed events\n",
			(unsigned long long)stats->completed, (unsigned long long)stats->unmatched,
			(unsigned long long)stats->malformed);
	exec_assembly_free(t.assembly);
	return rc;
}

int main(int argc, char *argv[])
{
	struct options opts = { 0 };
	struct execsnoop_config config = { 0 };
	struct snoop_bpf *bpf = NULL;
	__u32 zero = 0;
	int rc;

	opts.max_args = DEFAULT_MAX_ARGS;
	rc = cli_parse(&cli, argc, argv, &opts.common, &opts);
	if (rc >= 0)
		goto out;
	bpf = snoop_bpf_new(&execsnoop_tool, &opts.common.bpf);
	if (!bpf) {
		rc = EXIT_RUNTIME;
		goto out;
	}
	rc = snoop_bpf_start(bpf, opts.common.ebpf);
	config.max_args = opts.max_args;
	config.filter_uid = opts.filter_uid;
	config.uid = opts.uid;
	config.filter_ppid = opts.filter_ppid;
	config.ppid = opts.ppid;
	if (!rc)
		rc = snoop_bpf_map_set(bpf, "config", &zero, &config);
	if (!rc)
		rc = trace(bpf, &opts);
out:
	snoop_bpf_free(bpf);
	if (opts.have_name)
		regfree(&opts.name);
	if (opts.have_line)
		regfree(&opts.line);
	return rc == SNOOP_DONE ? 0 : rc;
}
