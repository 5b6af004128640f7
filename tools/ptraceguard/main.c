/*
 * ptraceguard-c: stop ptrace(). Where the kernel runs BPF LSM programs, its
 * hooks refuse the calls that attach (PTRACE_ATTACH, SEIZE, TRACEME);
 * elsewhere those, and everywhere the calls of a thread that traces
 * someone, get their caller signalled (SIGKILL unless -s) at the syscall's
 * entry. Each intervention is reported, and what a killed caller leaves
 * behind is repaired: a target its PTRACE_ATTACH stopped is continued, its
 * own child waiting to be traced is killed.
 */
#include <errno.h>
#include <linux/magic.h>
#include <linux/types.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "../../common/array_size.h"
#include "../../common/bpf_runtime.h"
#include "../../common/options/cli.h"
#include "../../common/clock.h"
#include "../../common/output/columns.h"
#include "../../common/output/event_json.h"
#include "../../common/options/parse.h"
#include "../../common/signals.h"
#include "../../common/text.h"
#include "repairs.h"
#include "tool.h"

#define TOOL "ptraceguard-c"
/* The "type" of its JSON events. */
#define EVENT_TYPE "ptrace"
#define MAX_ALLOWED 64 /* --allow entries */

struct options {
	struct cli_common common;
	struct ptraceguard_config config;
	struct guard_exe allowed[MAX_ALLOWED];
	int nallowed;
};

struct tracer {
	struct options *opts; /* configure writes what the kernel lets the guard do */
	unsigned long long start_ns;
	int pid_width;
	struct repairs repairs;
};

static void usage(FILE *out)
{
	fputs("Usage: " TOOL " [OPTIONS]\n"
	      "Stop ptrace(): where the kernel runs BPF LSM programs, the calls that attach\n"
	      "fail with EPERM; elsewhere their caller is signalled (SIGKILL unless -s)\n"
	      "before the call goes on, and so is a tracer's every other call (without a\n"
	      "tracee those fail by themselves). Every intervention is reported.\n"
	      "Never the guard itself, init, a kernel thread, or a caller that shares its\n"
	      "target's memory (LeakSanitizer's helper).\n\n"
	      "      --dry-run          report the calls, stop nothing\n"
	      "  -P, --ppid PPID        only callers whose parent is PPID\n"
	      "  -u, --uid USER         only callers running as this user (name or UID)\n"
	      "      --allow PATH[:USER]\n"
	      "                         let this executable through (by its device and\n"
	      "                         inode, never its name), run by USER if given;\n"
	      "                         repeatable, up to 64 (e.g. --allow /usr/bin/gdb)\n"
	      "  -s, --signal SIGNAL    the signal to send (default KILL)\n",
	      out);
	cli_common_help(out);
	fputs("\nExamples:\n"
	      "  " TOOL "                           # stop every ptrace() caller\n"
	      "  " TOOL " --dry-run                 # only report them\n"
	      "  " TOOL " --allow /usr/bin/gdb:alice # alice's gdb may debug\n"
	      "  " TOOL " -P 1234 -s STOP           # stop children of 1234 that call ptrace()\n",
	      out);
}

enum { OPT_DRY_RUN = OPT_TOOL, OPT_ALLOW };

/* The kernel's dev_t of a stat()'s st_dev (MKDEV: 12 bits of major, 20 of minor). */
static __u64 kernel_dev(dev_t dev)
{
	return ((__u64)major(dev) << 20) | minor(dev);
}

/* PATH or PATH:USER, PATH an executable: its identity, and the user or anyone. */
static int allow_option(struct options *o, const char *arg)
{
	char path[4096], why[256];
	const char *user = NULL, *colon = strrchr(arg, ':');
	struct guard_exe *e;
	struct statfs fs;
	struct stat st;

	if (o->nallowed == MAX_ALLOWED)
		return cli_bad_value(TOOL, "--allow", "at most 64 entries");
	/* PATH:USER, unless the whole is a file whose name has a colon. */
	if (colon && stat(arg, &st) != 0) {
		user = colon + 1;
		strfmt(path, sizeof(path), "%.*s", (int)(colon - arg), arg);
	} else if (!strfmt(path, sizeof(path), "%s", arg)) {
		return cli_bad_value(TOOL, "--allow", "path too long");
	}
	if (path[0] != '/')
		return cli_bad_value(
			TOOL, "--allow",
			"an executable's absolute path, such as /usr/bin/gdb: a command "
			"name can be taken by any program");
	if (stat(path, &st)) {
		strfmt(why, sizeof(why), "%s: %s", path, strerror(errno));
		return cli_bad_value(TOOL, "--allow", why);
	}
	if (!S_ISREG(st.st_mode) || !(st.st_mode & 0111)) {
		strfmt(why, sizeof(why), "%s is not an executable file", path);
		return cli_bad_value(TOOL, "--allow", why);
	}
	e = &o->allowed[o->nallowed++];
	e->dev = kernel_dev(st.st_dev);
	e->ino = st.st_ino;
	e->uid = GUARD_ANY_UID;
	if (user && !parse_user(user, &e->uid, why, sizeof(why)))
		return cli_bad_value(TOOL, "--allow", why);
	if (statfs(path, &fs) == 0 && ((unsigned long)fs.f_type == BTRFS_SUPER_MAGIC ||
				       (unsigned long)fs.f_type == OVERLAYFS_SUPER_MAGIC))
		fprintf(stderr,
			TOOL
			": --allow: %s is on btrfs or overlayfs, where the inode stat() "
			"shows may not be the kernel's: its callers may be stopped all the same\n",
			path);
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
		{ 0, "TRACEME" },
		{ 1, "PEEKTEXT" },
		{ 2, "PEEKDATA" },
		{ 3, "PEEKUSER" },
		{ 4, "POKETEXT" },
		{ 5, "POKEDATA" },
		{ 6, "POKEUSER" },
		{ 7, "CONT" },
		{ 8, "KILL" },
		{ 9, "SINGLESTEP" },
		{ 12, "GETREGS" },
		{ 13, "SETREGS" },
		{ 14, "GETFPREGS" },
		{ 15, "SETFPREGS" },
		{ 16, "ATTACH" },
		{ 17, "DETACH" },
		{ 18, "GETFPXREGS" },
		{ 19, "SETFPXREGS" },
		{ 24, "SYSCALL" },
		{ 0x4200, "SETOPTIONS" },
		{ 0x4201, "GETEVENTMSG" },
		{ 0x4202, "GETSIGINFO" },
		{ 0x4203, "SETSIGINFO" },
		{ 0x4204, "GETREGSET" },
		{ 0x4205, "SETREGSET" },
		{ 0x4206, "SEIZE" },
		{ 0x4207, "INTERRUPT" },
		{ 0x4208, "LISTEN" },
		{ 0x4209, "PEEKSIGINFO" },
		{ 0x420a, "GETSIGMASK" },
		{ 0x420b, "SETSIGMASK" },
		{ 0x420c, "SECCOMP_GET_FILTER" },
		{ 0x420d, "SECCOMP_GET_METADATA" },
		{ 0x420e, "GET_SYSCALL_INFO" },
		{ 0x420f, "GET_RSEQ_CONFIGURATION" },
	};

	for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
		if (names[i].request == request)
			return names[i].name;
	}
	return NULL;
}

/* Indexed by enum guard_action; "failed" is followed by its reason. */
static const char *const action_names[] = { "?",       "signalled", "failed",
					    "dry-run", "allowed",   "denied" };

static const char *action_name(const struct guard_event *e)
{
	return e->action > 0 && e->action <= GUARD_DENIED ? action_names[e->action] : "?";
}

/* Indexed by enum guard_door: JSON's "door", and the REQUEST column of a door but ptrace. */
static const struct {
	const char *json;
	const char *column;
} door_names[] = {
	{ "ptrace", NULL },
	{ "process_vm_readv", "VM_READV" },
	{ "process_vm_writev", "VM_WRITEV" },
	{ "pidfd_getfd", "PIDFD_GETFD" },
	{ "/proc/PID/mem", "PROC_MEM" },
	{ "other", NULL },
};

/* The REQUEST column: ptrace's request, another door's name, or "syscall:NR" for a check elsewhere. */
static const char *request_column(const struct guard_event *e, char *buf, size_t len)
{
	if (e->door == GUARD_DOOR_PTRACE) {
		const char *name = request_name(e->request);

		if (name)
			return name;
		strfmt(buf, len, "%lld", (long long)e->request);
		return buf;
	}
	if (e->door < ARRAY_SIZE(door_names) && door_names[e->door].column)
		return door_names[e->door].column;
	strfmt(buf, len, "syscall:%d", e->syscall_nr);
	return buf;
}

static void print_call(const struct tracer *t, const struct guard_event *e)
{
	const char *request = e->door == GUARD_DOOR_PTRACE ? request_name(e->request) : NULL;
	char hms[16], sig[24], action[96], number[24];
	size_t comm_len = bounded_strlen(e->comm, GUARD_COMM_SIZE);

	clock_hms(hms, sizeof(hms));
	if (!signal_name((int)e->signal, sig, sizeof(sig)))
		strfmt(sig, sizeof(sig), "%u", e->signal);
	if (e->action == GUARD_SEND_FAILED)
		strfmt(action, sizeof(action), "failed: %s", strerror(-e->send_ret));
	else
		strfmt(action, sizeof(action), "%s", action_name(e));
	if (t->opts->common.json) {
		struct json_writer *w = output_json();
		char full_name[48];

		event_json_begin(w, EVENT_TYPE, t->start_ns, e->ktime, e->cgroup_id);
		jsonw_uint_field(w, "pid", e->pid);
		jsonw_uint_field(w, "tid", e->tid);
		jsonw_uint_field(w, "ppid", e->ppid);
		jsonw_uint_field(w, "uid", e->uid);
		jsonw_bytes_field(w, "comm", e->comm, comm_len);
		if (e->door < ARRAY_SIZE(door_names))
			jsonw_string_field(w, "door", door_names[e->door].json);
		else
			jsonw_null_field(w, "door");
		jsonw_int_field(w, "syscall_nr", e->syscall_nr);
		jsonw_int_field(w, "request", (long long)e->request);
		if (request && strfmt(full_name, sizeof(full_name), "PTRACE_%s", request))
			jsonw_string_field(w, "request_name", full_name);
		else
			jsonw_null_field(w, "request_name");
		jsonw_int_field(w, "tpid", (long long)e->target);
		jsonw_string_field(w, "signal", sig);
		jsonw_string_field(w, "action", action_name(e));
		jsonw_int_field(w, "error", e->action == GUARD_SEND_FAILED ? -e->send_ret : 0);
		jsonw_end_object(w);
		return;
	}
	request = request_column(e, number, sizeof(number));
	printf("%-9s %-*u ", hms, t->pid_width, e->pid);
	text_escape_padded(stdout, e->comm, comm_len, 16);
	printf(" %-*u %-6u %-12s %-*lld %-8s %s\n", t->pid_width, e->ppid, e->uid, request,
	       t->pid_width, (long long)e->target, sig, action);
}

/* A repair to make once the caller is gone (tools/ptraceguard/repairs.c). */
static void note_repair(struct tracer *t, pid_t caller, pid_t target, bool kill_helper)
{
	if (repairs_note(&t->repairs, caller, target, kill_helper, monotonic_ns()))
		fprintf(stderr, TOOL ": too many repairs waiting: %d left as it is\n", (int)target);
}

static void on_event(void *ctx, const void *data, size_t size)
{
	struct tracer *t = ctx;
	struct guard_event e;

	if (!snoop_event_copy(&e, sizeof(e), data, size))
		return;
	if (e.kind == GUARD_EVENT_STOPPED) {
		if (!e.was_stopped)
			note_repair(t, (pid_t)e.pid, (pid_t)e.helper, false);
		return;
	}
	print_call(t, &e);
	if (e.action == GUARD_SIGNALLED && e.helper)
		note_repair(t, (pid_t)e.pid, (pid_t)e.helper, true);
}

static void after_batch(void *ctx)
{
	struct tracer *t = ctx;

	repairs_make(&t->repairs, monotonic_ns());
}

/* The guard's own identity, in its PID namespace, for the program to leave it alone. */
static int know_self(struct ptraceguard_config *cfg)
{
	struct stat st;

	if (stat("/proc/self/ns/pid", &st)) {
		fprintf(stderr, TOOL ": cannot read this process's PID namespace: %s\n",
			strerror(errno));
		return EXIT_RUNTIME;
	}
	cfg->self_ns_dev = st.st_dev;
	cfg->self_ns_ino = st.st_ino;
	cfg->self_tgid = (__u32)getpid();
	return 0;
}

static int configure(struct snoop_bpf *bpf, void *ctx)
{
	struct tracer *t = ctx;
	struct options *o = t->opts;
	__u8 yes = 1;
	int rc;

	o->config.deny = snoop_bpf_hooks_deny(bpf);
	o->config.allow = o->nallowed > 0;
	rc = snoop_bpf_set_config(bpf, &o->config);
	for (int i = 0; !rc && i < o->nallowed; i++)
		rc = snoop_bpf_map_set(bpf, "allowed", &o->allowed[i], &yes);
	return rc;
}

static void started(void *ctx)
{
	struct tracer *t = ctx;

	t->start_ns = monotonic_ns();
	if (!t->opts->common.json)
		printf("%-9s %-*s %-16s %-*s %-6s %-12s %-*s %-8s %s\n", "TIME", t->pid_width,
		       "PID", "COMM", t->pid_width, "PPID", "UID", "REQUEST", t->pid_width, "TPID",
		       "SIGNAL", "ACTION");
}

/* Repairs still waiting are given up (repairs.h). */
static void finish(void *ctx)
{
	struct tracer *t = ctx;

	repairs_end(&t->repairs);
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
	struct options opts = { .config.signal = SIGKILL };
	struct tracer t = { .opts = &opts, .pid_width = pid_column_width() };
	int rc = cli_parse(&cli, argc, argv, &opts.common, &opts);

	if (rc)
		return snoop_exit_status(rc);
	t.repairs.log = opts.common.settings.verbose ? stderr : NULL;
	rc = know_self(&opts.config);
	if (!rc)
		rc = snoop_bpf_main(&ptraceguard_tool, &opts.common.settings,
				    opts.common.show_source, &handlers, &t);
	return snoop_exit_status(rc);
}
