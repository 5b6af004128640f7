/*
 * killsnoop-c: trace kill() syscalls, one line per call, with the sender,
 * the signal, the target and the result.
 */
#include <linux/types.h>
#include <stdlib.h>
#include <string.h>

#include "../../common/array_size.h"
#include "../../common/bpf_runtime.h"
#include "../../common/options/cli.h"
#include "../../common/clock.h"
#include "../../common/output/columns.h"
#include "../../common/output/event_json.h"
#include "../../common/options/signal_filter_options.h"
#include "../../common/text.h"
#include "tool.h"

#define TOOL "killsnoop-c"
/* The "type" of its JSON events. */
#define EVENT_TYPE "kill"

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

	/* Every option of killsnoop-c's own is a signal filter. */
	return signal_filter_option(TOOL, opt, arg, &o->filter.filter);
}

static const struct option longopts[] = {
	SIGNAL_FILTER_LONG,
	CLI_COMMON_LONG,
	{ NULL, 0, NULL, 0 },
};

static const struct cli_spec cli = {
	.tool = TOOL,
	.shortopts = SIGNAL_FILTER_SHORT,
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

	if (!snoop_event_copy(&event, sizeof(event), data, size))
		return;
	comm_len = bounded_strlen(e->comm, KILL_COMM_SIZE);
	if (t->opts->common.json) {
		struct json_writer *w = output_json();

		event_json_begin(w, EVENT_TYPE, t->start_ns, e->ktime, e->cgroup_id);
		jsonw_uint_field(w, "pid", e->pid);
		jsonw_uint_field(w, "tid", e->tid);
		jsonw_uint_field(w, "uid", e->uid);
		jsonw_bytes_field(w, "comm", e->comm, comm_len);
		jsonw_int_field(w, "sig", e->sig);
		event_json_signal(w, "signal", e->sig);
		jsonw_int_field(w, "tpid", e->tpid);
		jsonw_int_field(w, "ret", e->ret);
		jsonw_end_object(w);
		return;
	}
	clock_hms(hms, sizeof(hms));
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

static int configure(struct snoop_bpf *bpf, void *ctx)
{
	const struct tracer *t = ctx;

	return snoop_bpf_set_config(bpf, &t->opts->filter);
}

static void started(void *ctx)
{
	struct tracer *t = ctx;

	t->start_ns = monotonic_ns();
	if (!t->opts->common.json)
		printf("%-9s %-*s %-16s %-4s %-*s %s\n", "TIME", t->pid_width, "PID", "COMM", "SIG",
		       t->pid_width, "TPID", "RESULT");
}

static const struct snoop_handlers handlers = {
	.configure = configure,
	.on_event = on_event,
	.started = started,
};

int main(int argc, char *argv[])
{
	struct options opts = { 0 };
	struct tracer t = { .opts = &opts, .pid_width = pid_column_width() };
	int rc = cli_parse(&cli, argc, argv, &opts.common, &opts);

	if (!rc)
		rc = snoop_bpf_main(&killsnoop_tool, &opts.common.settings, opts.common.show_source,
				    &handlers, &t);
	return snoop_exit_status(rc);
}
