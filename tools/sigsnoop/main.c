/*
 * sigsnoop-c: trace every signal-sending syscall (kill, tkill, tgkill,
 * rt_sigqueueinfo, rt_tgsigqueueinfo, pidfd_send_signal), one line per
 * call with sender, signal, target and result; with -k the signals the
 * kernel generates itself; with -D when and to which thread each signal
 * was delivered, or why it never was.
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
#include "../../common/signals.h"
#include "../../common/options/signal_filter_options.h"
#include "../../common/text.h"
#include "delivery.h"
#include "tool.h"

#define TOOL "sigsnoop-c"
/* The "type" of its JSON events. */
#define EVENT_TYPE "signal"
/* -D: sends waiting for their fate, as many as the kernel side follows, and as many deliveries and exits. */
#define WAITING_SIGNALS (2 * SIG_PENDING_MAX)

struct options {
	struct cli_common common;
	struct sigsnoop_config config;
	bool names;
};

struct tracer {
	const struct options *opts;
	struct delivery_pairing *pairing;
	unsigned long long start_ns;
	int pid_width;
	int sig_width;
};

static void usage(FILE *out)
{
	fputs("Usage: " TOOL " [OPTIONS]\n"
	      "Trace signals: kill, tkill, tgkill, rt_sigqueueinfo, rt_tgsigqueueinfo and\n"
	      "pidfd_send_signal calls, and with -k the signals the kernel sends itself.\n\n"
	      "  -x, --failed           only show failed calls\n"
	      "  -p, --pid PID          only signals sent by this process\n"
	      "  -T, --tpid TPID        only signals aimed at this target, as the call\n"
	      "                         names it (for tgkill, the thread)\n"
	      "  -s, --signal SIGNALS   only these signals: a comma list of numbers or\n"
	      "                         names (9,TERM,SIGUSR1,RTMIN+2)\n"
	      "  -n, --name             print signal names instead of numbers\n"
	      "  -k, --kernel           also signals the kernel generates (SIGCHLD,\n"
	      "                         SIGSEGV, SIGPIPE, timers, OOM kills), as 'kernel'\n"
	      "  -D, --delivery         show when and to which thread each signal was\n"
	      "                         delivered, or why it never was\n",
	      out);
	cli_common_help(out);
	fputs("\nExamples:\n"
	      "  " TOOL "                 # every signal sent by a syscall\n"
	      "  " TOOL " -k -n           # the kernel's signals too, with names\n"
	      "  " TOOL " -D -T 1234      # signals to 1234 and their delivery\n"
	      "  " TOOL " -x -s KILL      # failed attempts to SIGKILL\n",
	      out);
}

static int tool_option(int opt, const char *arg, void *ctx)
{
	struct options *o = ctx;
	int rc = signal_filter_option(TOOL, opt, arg, &o->config.filter);

	if (rc != CLI_NOT_MINE)
		return rc;
	switch (opt) {
	case 'n':
		o->names = true;
		break;
	case 'k':
		o->config.kernel = 1;
		break;
	case 'D':
		o->config.delivery = 1;
		break;
	}
	return 0;
}

static const struct option longopts[] = {
	SIGNAL_FILTER_LONG,
	{ "name", no_argument, NULL, 'n' },
	{ "kernel", no_argument, NULL, 'k' },
	{ "delivery", no_argument, NULL, 'D' },
	CLI_COMMON_LONG,
	{ NULL, 0, NULL, 0 },
};

static const struct cli_spec cli = {
	.tool = TOOL,
	.shortopts = SIGNAL_FILTER_SHORT "nkD",
	.longopts = longopts,
	.usage = usage,
	.option = tool_option,
};

static const char *syscall_name(__u32 syscall)
{
	return syscall < SIGSNOOP_NSYSCALLS ? sigsnoop_syscalls[syscall] : "kernel";
}

/* What a delivery column or key says of a fate. Indexed by enum delivery_fate. */
static const char *const fate_names[] = { "-",	     "delivered", "ignored", "merged",
					  "dropped", "gone",	  "pending" };

static void print_json(const struct tracer *t, const struct sig_event *e, const struct delivery *d)
{
	struct json_writer *w = output_json();

	event_json_begin(w, EVENT_TYPE, t->start_ns, e->ktime, e->cgroup_id);
	jsonw_uint_field(w, "pid", e->pid);
	jsonw_uint_field(w, "tid", e->tid);
	jsonw_uint_field(w, "uid", e->uid);
	jsonw_bytes_field(w, "comm", e->comm, bounded_strlen(e->comm, SIG_COMM_SIZE));
	jsonw_string_field(w, "syscall", syscall_name(e->syscall));
	jsonw_int_field(w, "sig", e->sig);
	event_json_signal(w, "signal", e->sig);
	if (e->tpid_known)
		jsonw_int_field(w, "tpid", e->tpid);
	else
		jsonw_null_field(w, "tpid");
	if (e->syscall == SIG_SYS_KERNEL)
		jsonw_null_field(w, "ret");
	else
		jsonw_int_field(w, "ret", e->ret);
	if (e->gen_result != SIG_GEN_NONE)
		jsonw_bytes_field(w, "tcomm", e->tcomm, bounded_strlen(e->tcomm, SIG_COMM_SIZE));
	else
		jsonw_null_field(w, "tcomm");
	if (d) {
		jsonw_start_object_field(w, "delivery");
		jsonw_string_field(w, "fate", d->fate ? fate_names[d->fate] : "not sent");
		if (d->fate == FATE_DELIVERED) {
			jsonw_uint_field(w, "tid", d->tid);
			jsonw_uint_field(w, "pid", d->pid);
			jsonw_decimal_field(w, "delay_us", d->delay_ns, 3, 3);
		}
		jsonw_end_object(w);
	}
	jsonw_end_object(w);
}

/* One line per signal; d is its fate with -D, else NULL. */
static void print_signal(const struct tracer *t, const struct sig_event *e,
			 const struct delivery *d)
{
	char hms[16], sig[24], tpid[16], ret[16];

	if (t->opts->common.json) {
		print_json(t, e, d);
		return;
	}
	clock_hms(hms, sizeof(hms));
	if (!t->opts->names || !signal_name(e->sig, sig, sizeof(sig)))
		strfmt(sig, sizeof(sig), "%d", e->sig);
	if (e->tpid_known)
		strfmt(tpid, sizeof(tpid), "%d", e->tpid);
	else
		strfmt(tpid, sizeof(tpid), "?");
	if (e->syscall == SIG_SYS_KERNEL)
		strfmt(ret, sizeof(ret), "-");
	else
		strfmt(ret, sizeof(ret), "%d", e->ret);
	printf("%-9s %-*u ", hms, t->pid_width, e->pid);
	text_escape_padded(stdout, e->comm, bounded_strlen(e->comm, SIG_COMM_SIZE), 16);
	printf(" %-17s %-*s %-*s ", syscall_name(e->syscall), t->sig_width, sig, t->pid_width,
	       tpid);
	if (!d) {
		printf("%s\n", ret);
		return;
	}
	printf("%-6s ", ret);
	if (d->fate == FATE_DELIVERED)
		printf("%u after %lluus\n", d->tid, (d->delay_ns + 500) / 1000);
	else
		printf("%s\n", fate_names[d->fate]);
}

static void on_fate(void *ctx, const struct sig_event *send, const struct delivery *d)
{
	print_signal(ctx, send, d);
}

static void on_event(void *ctx, const void *data, size_t size)
{
	struct tracer *t = ctx;
	struct sig_event event;

	if (!snoop_event_copy(&event, sizeof(event), data, size))
		return;
	if (t->pairing)
		delivery_on_event(t->pairing, &event, monotonic_ns());
	else if (event.kind == SIG_EVENT_SEND)
		print_signal(t, &event, NULL);
}

static void after_batch(void *ctx)
{
	struct tracer *t = ctx;

	if (t->pairing)
		delivery_expire(t->pairing, monotonic_ns());
}

static int configure(struct snoop_bpf *bpf, void *ctx)
{
	struct tracer *t = ctx;
	int rc = snoop_bpf_set_config(bpf, &t->opts->config);

	if (rc || !t->opts->config.delivery)
		return rc;
	t->pairing = delivery_pairing_new(WAITING_SIGNALS, on_fate, t);
	if (!t->pairing) {
		fprintf(stderr, TOOL ": out of memory\n");
		return EXIT_RUNTIME;
	}
	return 0;
}

static void started(void *ctx)
{
	struct tracer *t = ctx;

	t->start_ns = monotonic_ns();
	if (!t->opts->common.json)
		printf("%-9s %-*s %-16s %-17s %-*s %-*s %s\n", "TIME", t->pid_width, "PID", "COMM",
		       "SYSCALL", t->sig_width, "SIG", t->pid_width, "TPID",
		       t->pairing ? "RESULT DELIVERY" : "RESULT");
}

/* Signals still waiting for a thread to take them go out; those never sent are counted. */
static void finish(void *ctx)
{
	struct tracer *t = ctx;

	if (!t->pairing)
		return;
	delivery_flush(t->pairing);
	output_flush();
	if (delivery_unmatched(t->pairing))
		fprintf(stderr, TOOL ": %llu deliveries without their send (events lost)\n",
			delivery_unmatched(t->pairing));
	delivery_pairing_free(t->pairing);
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
	struct options opts = { 0 };
	struct tracer t = { .opts = &opts, .pid_width = pid_column_width() };
	struct snoop_tool tool = sigsnoop_tool;
	int rc = cli_parse(&cli, argc, argv, &opts.common, &opts);

	t.sig_width = opts.names ? 11 : 4;
	if (!opts.config.delivery)
		tool.ntracepoints_unattached = tool.ntracepoints - SIGSNOOP_TRACEPOINTS_ALWAYS;
	if (!rc)
		rc = snoop_bpf_main(&tool, &opts.common.settings, opts.common.show_source,
				    &handlers, &t);
	return snoop_exit_status(rc);
}
