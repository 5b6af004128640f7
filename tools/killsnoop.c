/*
 * killsnoop-c: trace kill() syscalls, one line per call, with the sender,
 * the signal, the target and the result.
 */
#include <linux/types.h>
#include <stdlib.h>
#include <string.h>

#include "../common/bpf_runtime.h"
#include "../common/cli.h"
#include "../common/kernel_env.h"
#include "../common/parse.h"
#include "../common/signal_filter.h"
#include "../common/text.h"
#include "../programs/killsnoop.h"
#include "killsnoop.bpf.inc"

#define TOOL "killsnoop-c"
#define PERF_PAGES 64

struct options {
	struct cli_common common;
	struct killsnoop_config filter;
};

struct tracer {
	const struct options *opts;
	unsigned long long start_ns;
	int pid_width;
};

static void usage(FILE *out)
{
	fputs("Usage: " TOOL " [OPTIONS]\n"
	      "Trace signals sent with the kill() syscall.\n\n"
	      "  -x, --failed           only show failed kill() calls\n"
	      "  -p, --pid PID          only kill() calls sent by this process\n"
	      "  -T, --tpid TPID        only kill() calls aimed at this target (a PID,\n"
	      "                         or -PGID, 0 or -1 as kill() takes them)\n"
	      "  -s, --signal SIGNALS   only these signals: a comma list of numbers or\n"
	      "                         names (9,TERM,SIGUSR1,RTMIN+2)\n",
	      out);
	cli_common_help(out);
	fputs("\nExamples:\n"
	      "  " TOOL "                 # trace all kill() calls\n"
	      "  " TOOL " -x              # only failed ones\n"
	      "  " TOOL " -s KILL,TERM    # only SIGKILL and SIGTERM\n"
	      "  " TOOL " -T 1234         # only those sent to PID 1234\n",
	      out);
}

static int tool_option(int opt, const char *arg, void *ctx)
{
	struct options *o = ctx;
	bool taken;

	/* Every option of killsnoop-c's own is a signal filter. */
	return signal_filter_option(TOOL, opt, arg, &o->filter.filter, &taken);
}

static const struct option longopts[] = {
	{ "failed", no_argument, NULL, 'x' },
	{ "pid", required_argument, NULL, 'p' },
	{ "tpid", required_argument, NULL, 'T' },
	{ "signal", required_argument, NULL, 's' },
	CLI_COMMON_LONG,
	{ NULL, 0, NULL, 0 },
};

static const struct cli_spec cli = {
	.tool = TOOL,
	.shortopts = "xp:T:s:",
	.longopts = longopts,
	.usage = usage,
	.option = tool_option,
};

static void on_event(void *ctx, const void *data, size_t size)
{
	const struct tracer *t = ctx;
	struct kill_event event;
	const struct kill_event *e = &event;
	struct text_line line;
	char hms[16];
	size_t comm_len;

	/* Copied out: perf puts raw samples at 4-byte alignment. */
	if (size < sizeof(event))
		return;
	memcpy(&event, data, sizeof(event));
	comm_len = bounded_strlen(e->comm, KILL_COMM_SIZE);
	clock_hms(hms, sizeof(hms));
	if (t->opts->common.json) {
		char name[24];

		printf("{\"time\":\"%s\",\"timestamp\":%.6f,\"pid\":%u,\"tid\":%u,\"uid\":%u,"
		       "\"comm\":",
		       hms, seconds_after(t->start_ns, e->ktime),
		       e->pid, e->tid, e->uid);
		json_string(stdout, e->comm, comm_len);
		printf(",\"sig\":%d,\"signal\":", e->sig);
		if (signal_name(e->sig, name, sizeof(name)))
			printf("\"%s\"", name);
		else
			fputs("null", stdout);
		printf(",\"tpid\":%d,\"ret\":%d}\n", e->tpid, e->ret);
		return;
	}
	line.len = 0;
	line_text(&line, hms, 9);
	line_char(&line, ' ');
	line_int(&line, e->pid, t->pid_width);
	line_char(&line, ' ');
	line_escaped(&line, e->comm, comm_len, 16);
	line_char(&line, ' ');
	line_int(&line, e->sig, 4);
	line_char(&line, ' ');
	line_int(&line, e->tpid, t->pid_width);
	line_char(&line, ' ');
	line_int(&line, e->ret, 0);
	line_write(&line, stdout);
}

static const char *const syscalls[] = { "kill" };

static const struct bpf_tool killsnoop_tool = {
	.name = TOOL,
	.source = killsnoop_bpf_source,
	.syscalls = syscalls,
	.nsyscalls = 1,
	.syscall_probes = SYSCALL_EXIT_READS_ARGS,
};

static int trace(struct snoop_bpf *bpf, const struct options *o)
{
	struct tracer t = { .opts = o, .pid_width = pid_column_width() };
	int rc = snoop_bpf_open_perf(bpf, "events", on_event, &t, PERF_PAGES);

	if (!rc)
		rc = snoop_bpf_attach(bpf);
	if (rc)
		return rc;
	t.start_ns = monotonic_ns();
	if (!o->common.json)
		printf("%-9s %-*s %-16s %-4s %-*s %s\n", "TIME", t.pid_width, "PID", "COMM", "SIG",
		       t.pid_width, "TPID", "RESULT");
	return snoop_bpf_run(bpf, NULL, NULL);
}

int main(int argc, char *argv[])
{
	struct options opts = { 0 };
	struct snoop_bpf *bpf = NULL;
	__u32 zero = 0;
	int rc = cli_parse(&cli, argc, argv, &opts.common, &opts);

	if (rc >= 0)
		return rc;
	bpf = snoop_bpf_new(&killsnoop_tool, &opts.common.bpf);
	if (!bpf)
		return EXIT_RUNTIME;
	rc = snoop_bpf_start(bpf, opts.common.ebpf);
	if (!rc)
		rc = snoop_bpf_map_set(bpf, "config", &zero, &opts.filter);
	if (!rc)
		rc = trace(bpf, &opts);
	snoop_bpf_free(bpf);
	return rc == SNOOP_DONE ? 0 : rc;
}
