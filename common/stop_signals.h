/*
 * SIGINT and SIGTERM as requests to stop, installed at the tool's very
 * start (snoop_bpf_new) and read by the event loop: a stop at any moment,
 * during the compile, the load or the attach too, goes through the tool's
 * usual path, so that what it made is removed and what it attached
 * detached.
 */
#ifndef SNOOP_STOP_SIGNALS_H
#define SNOOP_STOP_SIGNALS_H

#include <stdbool.h>
#include <sys/types.h>

/*
 * From now on SIGINT and SIGTERM ask for a stop instead of ending the
 * process, and a closed stdout shows as a write error (SIGPIPE ignored).
 * A stop makes a stdout pipe non-blocking, so that a write blocked on a
 * pipe nobody reads returns.
 */
void catch_stop_signals(void);
bool stop_was_requested(void);

/*
 * Waits for the child pid to end: 0 with *status set (-1 when it cannot
 * be waited for), or 1 when a stop came first: the child is then killed
 * and reaped, with its process group where it leads one (so that tar's
 * xz goes with tar), so that no child's work keeps the tool from its stop. For
 * the start-up only: the seccomp filter (common/confine.h) allows neither
 * wait4 nor nanosleep.
 */
int wait_child(pid_t pid, int *status);

/* After a stop: stdout's pipe blocking again, as it was. */
void stop_restore_output(void);

#endif
