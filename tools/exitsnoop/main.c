/*
 * exitsnoop-c: trace process exits, one line per process (or per thread),
 * with its age, its exit code or the signal that ended it, and who sent
 * that signal: a process and the syscall it used, or the kernel and why.
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
#include "../../common/options/parse.h"
#include "../../common/signals.h"
#include "../../common/text.h"
#include "tool.h"

#define TOOL "exitsnoop-c"
/* The "type" of its JSON events. */
#define EVENT_TYPE "exit"

enum { OPT_PER_THREAD = OPT_TOOL, OPT_LINEAGE };

struct options {
	struct cli_common common;
	struct exitsnoop_config config;
	bool time, lineage;
};

struct tracer {
	const struct options *opts;
	unsigned long long start_ns;
	int pid_width;
};

static void usage(FILE *out)
{
	fputs("Usage: " TOOL " [OPTIONS]\n"
	      "Trace process exits: age, exit code or the signal that ended the process,\n"
	      "and who sent that signal.\n\n"
	      "  -t, --timestamp        include a TIME column (local time)\n"
	      "  -x, --failed           only exits with a non-zero code or by a signal\n"
	      "  -p, --pid PID          only this process\n"
	      "      --per-thread       one line per thread exit, not per process\n"
	      "      --lineage          include the EXEC_ID column: the program that exited\n",
	      out);
	cli_common_help(out);
	fputs("\nExamples:\n"
	      "  " TOOL "                 # every process exit\n"
	      "  " TOOL " -x              # those that failed or were killed\n"
	      "  " TOOL " -p 1234         # when 1234 ends, and why\n"
	      "  " TOOL " --json -x       # who killed what, as JSON lines\n",
	      out);
}

static int tool_option(int opt, const char *arg, void *ctx)
{
	struct options *o = ctx;
	char why[128];
	uint64_t pid;

	switch (opt) {
	case 't':
		o->time = true;
		break;
	case 'x':
		o->config.failed_only = 1;
		break;
	case 'p':
		if (!parse_uint(arg, 1, INT32_MAX, &pid, why, sizeof(why)))
			return cli_bad_value(TOOL, "-p/--pid", why);
		o->config.pid = (__u32)pid;
		break;
	case OPT_PER_THREAD:
		o->config.per_thread = 1;
		break;
	case OPT_LINEAGE:
		o->lineage = true;
		break;
	}
	return 0;
}

static const struct option longopts[] = {
	{ "timestamp", no_argument, NULL, 't' },
	{ "failed", no_argument, NULL, 'x' },
	{ "pid", required_argument, NULL, 'p' },
	{ "per-thread", no_argument, NULL, OPT_PER_THREAD },
	{ "lineage", no_argument, NULL, OPT_LINEAGE },
	CLI_COMMON_LONG,
	{ NULL, 0, NULL, 0 },
};

static const struct cli_spec cli = {
	.tool = TOOL,
	.shortopts = "txp:",
	.longopts = longopts,
	.usage = usage,
	.option = tool_option,
};

/* What the sender's cause is called, in text and in JSON. Indexed by enum exit_cause. */
static const char *const cause_names[] = { "unknown", "syscall",      "fault",
					   "oom",     "parent_death", "kernel" };

static const char *cause_name(__u32 cause)
{
	return cause < ARRAY_SIZE(cause_names) ? cause_names[cause] : "unknown";
}

static const char *syscall_name(__u32 syscall)
{
	return syscall < EXITSNOOP_NSYSCALLS ? exitsnoop_syscalls[syscall] : NULL;
}

/* The signal that ended the process (0: it exited), and its exit status. */
static int exit_signal(const struct exit_event *e)
{
	return e->exit_code & 0x7f;
}

static int exit_status(const struct exit_event *e)
{
	return (e->exit_code >> 8) & 0xff;
}

static bool core_dumped(const struct exit_event *e)
{
	return exit_signal(e) && (e->exit_code & 0x80);
}

static void sender_json(struct json_writer *w, const struct exit_sender *s)
{
	const char *syscall = s->cause == EXIT_CAUSE_SYSCALL ? syscall_name(s->syscall) : NULL;

	jsonw_start_object_field(w, "sender");
	jsonw_string_field(w, "cause", cause_name(s->cause));
	jsonw_uint_field(w, "pid", s->pid);
	jsonw_uint_field(w, "tid", s->tid);
	jsonw_uint_field(w, "uid", s->uid);
	jsonw_bytes_field(w, "comm", s->comm, bounded_strlen(s->comm, EXIT_COMM_SIZE));
	if (syscall)
		jsonw_string_field(w, "syscall", syscall);
	else
		jsonw_null_field(w, "syscall");
	jsonw_int_field(w, "code", s->code);
	jsonw_end_object(w);
}

static void print_json(const struct tracer *t, const struct exit_event *e)
{
	struct json_writer *w = output_json();
	int sig = exit_signal(e);

	event_json_begin(w, EVENT_TYPE, t->start_ns, e->ktime, e->cgroup_id);
	jsonw_uint_field(w, "pid", e->pid);
	jsonw_uint_field(w, "tid", e->tid);
	jsonw_uint_field(w, "ppid", e->ppid);
	jsonw_uint_field(w, "uid", e->uid);
	jsonw_bytes_field(w, "comm", e->comm, bounded_strlen(e->comm, EXIT_COMM_SIZE));
	jsonw_decimal_field(w, "age", e->ktime > e->start_ns ? e->ktime - e->start_ns : 0, 9, 6);
	event_json_exec_id(w, "exec_id", &e->exec);
	jsonw_int_field(w, "exit_code", e->exit_code);
	if (sig) {
		jsonw_null_field(w, "status");
		jsonw_int_field(w, "sig", sig);
	} else {
		jsonw_int_field(w, "status", exit_status(e));
		jsonw_null_field(w, "sig");
	}
	event_json_signal(w, "signal", sig);
	jsonw_bool_field(w, "core_dumped", core_dumped(e));
	if (e->has_sender)
		sender_json(w, &e->sender);
	else
		jsonw_null_field(w, "sender");
	jsonw_end_object(w);
}

static void print_comm(const char *comm)
{
	text_escape(stdout, comm, bounded_strlen(comm, EXIT_COMM_SIZE), false);
}

/* " from 4242/4243 sender (tgkill)", " from a fault ...": who sent the signal. */
static void print_sender(const struct exit_sender *s)
{
	switch (s->cause) {
	case EXIT_CAUSE_SYSCALL:
		printf(" from %u/%u ", s->pid, s->tid);
		print_comm(s->comm);
		printf(" (%s)", syscall_name(s->syscall));
		break;
	case EXIT_CAUSE_FAULT:
		printf(" from a fault (si_code %d)", s->code);
		break;
	case EXIT_CAUSE_OOM:
		printf(" from the OOM killer");
		break;
	case EXIT_CAUSE_PARENT_DEATH:
		printf(" from its parent's death, %u ", s->pid);
		print_comm(s->comm);
		break;
	default:
		printf(" from the kernel, in %u ", s->pid);
		print_comm(s->comm);
		printf(" (si_code %d)", s->code);
		break;
	}
}

static void print_exit(const struct tracer *t, const struct exit_event *e)
{
	int sig = exit_signal(e);
	char name[24];

	if (t->opts->common.json) {
		print_json(t, e);
		return;
	}
	if (t->opts->time) {
		char hms[16];

		clock_hms(hms, sizeof(hms));
		printf("%-9s ", hms);
	}
	text_escape_padded(stdout, e->comm, bounded_strlen(e->comm, EXIT_COMM_SIZE), 16);
	printf(" %-*u %-*u %-*u %-8.2f ", t->pid_width, e->pid, t->pid_width, e->ppid, t->pid_width,
	       e->tid, seconds_after(e->start_ns, e->ktime));
	if (t->opts->lineage)
		exec_id_column(stdout, &e->exec);
	if (!sig) {
		printf("%d\n", exit_status(e));
		return;
	}
	printf("signal %d (%s)%s", sig, signal_name(sig, name, sizeof(name)) ? name + 3 : "?",
	       core_dumped(e) ? ", core dumped" : "");
	if (e->has_sender)
		print_sender(&e->sender);
	putchar('\n');
}

static void on_event(void *ctx, const void *data, size_t size)
{
	struct exit_event event;

	if (snoop_event_copy(&event, sizeof(event), data, size))
		print_exit(ctx, &event);
}

static int configure(struct snoop_bpf *bpf, void *ctx)
{
	const struct tracer *t = ctx;

	return snoop_bpf_set_config(bpf, &t->opts->config);
}

static void started(void *ctx)
{
	struct tracer *t = ctx;
	const struct options *o = t->opts;

	t->start_ns = monotonic_ns();
	if (o->common.json)
		return;
	if (o->time)
		printf("%-9s ", "TIME");
	printf("%-16s %-*s %-*s %-*s %-8s ", "PCOMM", t->pid_width, "PID", t->pid_width, "PPID",
	       t->pid_width, "TID", "AGE(s)");
	if (o->lineage)
		printf("%-*s ", EXEC_ID_COLUMN, "EXEC_ID");
	printf("EXIT_CODE\n");
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
		rc = snoop_bpf_main(&exitsnoop_tool, &opts.common.settings, opts.common.show_source,
				    &handlers, &t);
	return snoop_exit_status(rc);
}
