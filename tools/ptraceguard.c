/*
 * ptraceguard-c: stop ptrace() on the spot. At the entry of every ptrace()
 * call the BPF program signals the calling process (SIGKILL by default)
 * before the syscall goes on, and reports each intervention.
 */
#include <linux/types.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../common/bpf_runtime.h"
#include "../common/cli.h"
#include "../common/kernel_env.h"
#include "../common/parse.h"
#include "../common/text.h"
#include "../programs/ptraceguard.h"
#include "ptraceguard.bpf.inc"

#define TOOL "ptraceguard-c"
#define PERF_PAGES 16
#define MAX_ALLOWED 64	/* entries of the allowed map */

struct options {
	struct cli_common common;
	struct ptraceguard_config config;
	struct guard_comm allowed[MAX_ALLOWED];
	int nallowed;
};

struct tracer {
	const struct options *opts;
	unsigned long long start_ns;
	int pid_width;
};

static void usage(FILE *out)
{
	fputs("Usage: " TOOL " [OPTIONS]\n"
	      "Stop ptrace(): signal every process that calls it (SIGKILL unless -s),\n"
	      "before the call goes on, and report it. Never the guard itself, PID 1\n"
	      "or a kernel thread.\n\n"
	      "      --dry-run          report the calls, signal nobody\n"
	      "  -P, --ppid PPID        only callers whose parent is PPID\n"
	      "  -u, --uid USER         only callers running as this user (name or UID)\n"
	      "      --allow COMM       let callers with this command name through\n"
	      "                         (repeatable, up to 64; e.g. --allow gdb)\n"
	      "  -s, --signal SIGNAL    the signal to send (default KILL)\n",
	      out);
	cli_common_help(out);
	fputs("\nExamples:\n"
	      "  " TOOL "                     # kill every ptrace() caller\n"
	      "  " TOOL " --dry-run           # only report them\n"
	      "  " TOOL " --allow gdb         # let gdb debug, stop the rest\n"
	      "  " TOOL " -P 1234 -s STOP     # stop children of 1234 that call ptrace()\n",
	      out);
}

enum { OPT_DRY_RUN = OPT_TOOL, OPT_ALLOW };

static int allow_option(struct options *o, const char *comm)
{
	size_t len = strlen(comm);

	if (len == 0 || len >= GUARD_COMM_SIZE)
		return cli_bad_value(TOOL, "--allow",
				     "a command name has 1 to 15 bytes (the kernel's comm)");
	if (o->nallowed == MAX_ALLOWED)
		return cli_bad_value(TOOL, "--allow", "at most 64 names");
	memcpy(o->allowed[o->nallowed++].comm, comm, len);
	return 0;
}

static int tool_option(int opt, const char *arg, void *ctx)
{
	struct options *o = ctx;
	char why[128];
	uint64_t ppid;
	int sig;

	switch (opt) {
	case OPT_DRY_RUN:
		o->config.dry_run = 1;
		break;
	case OPT_ALLOW:
		return allow_option(o, arg);
	case 'P':
		if (!parse_uint(arg, 0, INT32_MAX, &ppid, why, sizeof(why)))
			return cli_bad_value(TOOL, "-P/--ppid", why);
		o->config.ppid = (__u32)ppid;
		o->config.filter_ppid = 1;
		break;
	case 'u':
		if (!parse_user(arg, &o->config.uid, why, sizeof(why)))
			return cli_bad_value(TOOL, "-u/--uid", why);
		o->config.filter_uid = 1;
		break;
	case 's':
		if (!parse_signal(arg, &sig, why, sizeof(why)))
			return cli_bad_value(TOOL, "-s/--signal", why);
		if (sig == 0)
			return cli_bad_value(TOOL, "-s/--signal", "0 sends nothing; use --dry-run");
		o->config.signal = (__u32)sig;
		break;
	}
	return 0;
}

static const struct option longopts[] = {
	{ "dry-run", no_argument, NULL, OPT_DRY_RUN },
	{ "ppid", required_argument, NULL, 'P' },
	{ "uid", required_argument, NULL, 'u' },
	{ "allow", required_argument, NULL, OPT_ALLOW },
	{ "signal", required_argument, NULL, 's' },
	CLI_COMMON_LONG,
	{ NULL, 0, NULL, 0 },
};

static const struct cli_spec cli = {
	.tool = TOOL,
	.shortopts = "P:u:s:",
	.longopts = longopts,
	.usage = usage,
	.option = tool_option,
};

/* Names of ptrace requests (include/uapi/linux/ptrace.h and x86's). */
static const char *request_name(long long request)
{
	static const struct {
		long long request;
		const char *name;
	} names[] = {
		{ 0, "TRACEME" }, { 1, "PEEKTEXT" }, { 2, "PEEKDATA" }, { 3, "PEEKUSER" },
		{ 4, "POKETEXT" }, { 5, "POKEDATA" }, { 6, "POKEUSER" }, { 7, "CONT" },
		{ 8, "KILL" }, { 9, "SINGLESTEP" }, { 12, "GETREGS" }, { 13, "SETREGS" },
		{ 14, "GETFPREGS" }, { 15, "SETFPREGS" }, { 16, "ATTACH" }, { 17, "DETACH" },
		{ 18, "GETFPXREGS" }, { 19, "SETFPXREGS" }, { 24, "SYSCALL" },
		{ 0x4200, "SETOPTIONS" }, { 0x4201, "GETEVENTMSG" }, { 0x4202, "GETSIGINFO" },
		{ 0x4203, "SETSIGINFO" }, { 0x4204, "GETREGSET" }, { 0x4205, "SETREGSET" },
		{ 0x4206, "SEIZE" }, { 0x4207, "INTERRUPT" }, { 0x4208, "LISTEN" },
		{ 0x4209, "PEEKSIGINFO" }, { 0x420a, "GETSIGMASK" }, { 0x420b, "SETSIGMASK" },
		{ 0x420c, "SECCOMP_GET_FILTER" }, { 0x420d, "SECCOMP_GET_METADATA" },
		{ 0x420e, "GET_SYSCALL_INFO" }, { 0x420f, "GET_RSEQ_CONFIGURATION" },
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (names[i].request == request)
			return names[i].name;
	}
	return NULL;
}

/* "signalled", "dry-run", "allowed" or "failed: REASON". */
static void describe_action(const struct guard_event *e, char *buf, size_t len)
{
	switch (e->action) {
	case GUARD_SIGNALLED:
		strfmt(buf, len, "signalled");
		break;
	case GUARD_DRY_RUN:
		strfmt(buf, len, "dry-run");
		break;
	case GUARD_ALLOWED:
		strfmt(buf, len, "allowed");
		break;
	default:
		strfmt(buf, len, "failed: %s", strerror(-e->send_ret));
		break;
	}
}

static void on_event(void *ctx, const void *data, size_t size)
{
	const struct tracer *t = ctx;
	struct guard_event event;
	const struct guard_event *e = &event;
	const char *request;
	char hms[16], sig[24], action[96], number[24];
	size_t comm_len;

	/* Copied out: perf puts raw samples at 4-byte alignment. */
	if (size < sizeof(event))
		return;
	memcpy(&event, data, sizeof(event));
	comm_len = bounded_strlen(e->comm, GUARD_COMM_SIZE);
	clock_hms(hms, sizeof(hms));
	describe_action(e, action, sizeof(action));
	if (!signal_name((int)e->signal, sig, sizeof(sig)))
		strfmt(sig, sizeof(sig), "%u", e->signal);
	request = request_name(e->request);
	if (t->opts->common.json) {
		printf("{\"time\":\"%s\",\"timestamp\":%.6f,\"pid\":%u,\"tid\":%u,\"ppid\":%u,"
		       "\"uid\":%u,\"comm\":",
		       hms, seconds_after(t->start_ns, e->ktime),
		       e->pid, e->tid, e->ppid, e->uid);
		json_string(stdout, e->comm, comm_len);
		printf(",\"request\":%lld,\"request_name\":", (long long)e->request);
		if (request)
			printf("\"PTRACE_%s\"", request);
		else
			fputs("null", stdout);
		printf(",\"tpid\":%lld,\"signal\":\"%s\",\"action\":\"%s\",\"error\":%d}\n",
		       (long long)e->target, sig, e->action == GUARD_SEND_FAILED ? "failed"
											: action,
		       e->action == GUARD_SEND_FAILED ? -e->send_ret : 0);
		return;
	}
	if (!request) {
		strfmt(number, sizeof(number), "%lld", (long long)e->request);
		request = number;
	}
	printf("%-9s %-*u ", hms, t->pid_width, e->pid);
	text_escape_padded(stdout, e->comm, comm_len, 16);
	printf(" %-*u %-6u %-12s %-*lld %-8s %s\n", t->pid_width, e->ppid, e->uid, request,
	       t->pid_width, (long long)e->target, sig, action);
}

static const char *const syscalls[] = { "ptrace" };

static const struct bpf_tool ptraceguard_tool = {
	.name = TOOL,
	.source = ptraceguard_bpf_source,
	.syscalls = syscalls,
	.nsyscalls = 1,
	.syscall_probes = SYSCALL_ENTRY_ONLY,
};

static int guard(struct snoop_bpf *bpf, const struct options *o)
{
	struct tracer t = { .opts = o, .pid_width = pid_column_width() };
	__u32 zero = 0;
	__u8 yes = 1;
	int rc = snoop_bpf_map_set(bpf, "config", &zero, &o->config);

	for (int i = 0; !rc && i < o->nallowed; i++)
		rc = snoop_bpf_map_set(bpf, "allowed", &o->allowed[i], &yes);
	if (!rc)
		rc = snoop_bpf_open_perf(bpf, "events", on_event, &t, PERF_PAGES);
	if (!rc)
		rc = snoop_bpf_attach(bpf);
	if (rc)
		return rc;
	t.start_ns = monotonic_ns();
	if (!o->common.json)
		printf("%-9s %-*s %-16s %-*s %-6s %-12s %-*s %-8s %s\n", "TIME", t.pid_width, "PID",
		       "COMM", t.pid_width, "PPID", "UID", "REQUEST", t.pid_width, "TPID", "SIGNAL",
		       "ACTION");
	return snoop_bpf_run(bpf, NULL, NULL);
}

int main(int argc, char *argv[])
{
	struct options opts = { .config.signal = 9 };
	struct snoop_bpf *bpf;
	int rc = cli_parse(&cli, argc, argv, &opts.common, &opts);

	if (rc >= 0)
		return rc;
	opts.config.self_tgid = (__u32)getpid();
	bpf = snoop_bpf_new(&ptraceguard_tool, &opts.common.bpf);
	if (!bpf)
		return EXIT_RUNTIME;
	rc = snoop_bpf_start(bpf, opts.common.ebpf);
	if (!rc)
		rc = guard(bpf, &opts);
	snoop_bpf_free(bpf);
	return rc == SNOOP_DONE ? 0 : rc;
}
