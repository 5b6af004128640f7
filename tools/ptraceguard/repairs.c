#include "repairs.h"

#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "../../common/text.h"

static int pidfd_open_of(pid_t pid)
{
	return pid > 0 ? (int)syscall(SYS_pidfd_open, pid, 0) : -1;
}

int repairs_note(struct repairs *rs, pid_t caller, pid_t target, bool kill_helper,
		 unsigned long long now_ns)
{
	struct repair *r = NULL;

	for (int i = 0; i < MAX_REPAIRS && !r; i++) {
		if (!rs->waiting[i].used)
			r = &rs->waiting[i];
	}
	if (!r)
		return -1;
	r->target_fd = pidfd_open_of(target);
	if (r->target_fd < 0)
		return 0; /* gone already */
	r->used = true;
	r->kill_helper = kill_helper;
	r->target = target;
	/* A caller already gone (ESRCH) needs no waiting. */
	r->caller_fd = pidfd_open_of(caller);
	r->since_ns = now_ns;
	return 0;
}

static void end_repair(struct repair *r)
{
	if (r->caller_fd >= 0)
		close(r->caller_fd);
	close(r->target_fd);
	r->used = false;
}

/* Whether a process is stopped, as its /proc/PID/stat says (T, or t when traced). */
static bool stopped(pid_t pid)
{
	char path[64], stat[512], *paren;
	FILE *f;
	bool ok;

	strfmt(path, sizeof(path), "/proc/%d/stat", (int)pid);
	f = fopen(path, "r");
	ok = f && fgets(stat, sizeof(stat), f);
	if (f)
		fclose(f);
	paren = ok ? strrchr(stat, ')') : NULL;
	return paren && paren[1] == ' ' && (paren[2] == 'T' || paren[2] == 't');
}

static bool exited(int pidfd)
{
	struct pollfd p = { .fd = pidfd, .events = POLLIN };

	return poll(&p, 1, 0) == 1;
}

void repairs_make(struct repairs *rs, unsigned long long now_ns)
{
	for (int i = 0; i < MAX_REPAIRS; i++) {
		struct repair *r = &rs->waiting[i];
		int sig = r->kill_helper ? SIGKILL : SIGCONT;

		if (!r->used)
			continue;
		if (r->caller_fd >= 0 && exited(r->caller_fd)) {
			close(r->caller_fd);
			r->caller_fd = -1;
			r->since_ns = now_ns;
		}
		if (r->caller_fd >= 0) {
			if (now_ns - r->since_ns > CALLER_WAIT_NS)
				end_repair(r);
			continue;
		}
		if (!r->kill_helper && !stopped(r->target)) {
			if (now_ns - r->since_ns > STOP_WAIT_NS)
				end_repair(r);
			continue;
		}
		if (syscall(SYS_pidfd_send_signal, r->target_fd, sig, NULL, 0) == 0 && rs->log)
			fprintf(rs->log, "ptraceguard-c: %s %d, which the stopped caller left %s\n",
				r->kill_helper ? "killed" : "continued", (int)r->target,
				r->kill_helper ? "waiting to be traced" : "stopped");
		end_repair(r);
	}
}

int repairs_waiting(const struct repairs *rs)
{
	int n = 0;

	for (int i = 0; i < MAX_REPAIRS; i++)
		n += rs->waiting[i].used;
	return n;
}

void repairs_end(struct repairs *rs)
{
	for (int i = 0; i < MAX_REPAIRS; i++) {
		if (rs->waiting[i].used)
			end_repair(&rs->waiting[i]);
	}
}
