/*
 * What a tool needs to start, as capabilities rather than as root: CAP_BPF
 * and CAP_PERFMON to load and attach its programs (CAP_SYS_ADMIN before
 * Linux 5.8), CAP_KILL where it signals others once attached, and
 * CAP_SYS_RESOURCE before Linux 5.11, where BPF maps count against
 * RLIMIT_MEMLOCK. What a plan adds is named where it is needed: tracefs
 * (CAP_DAC_READ_SEARCH to read it, CAP_SYS_ADMIN to mount it), perf events
 * where perf_event_paranoid is above 2 (CAP_SYS_ADMIN), and perf buffers'
 * locked pages (CAP_IPC_LOCK). A missing one gets one line naming
 * it, before the tool fails deeper on an EPERM.
 */
#ifndef SNOOP_PRIVILEGES_H
#define SNOOP_PRIVILEGES_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/capability.h>

/* Whether the calling thread has cap in its effective set. */
bool privileges_have(cap_value_t cap);

/* The message for a missing capability: "needs CAP_X to TO, which it does not have". */
void privileges_missing(char *err, size_t errlen, cap_value_t cap, const char *to);

/*
 * Before anything is probed or loaded: 0, or -1 with err naming what is
 * missing. signals: the tool signals processes of other users once
 * attached (CAP_KILL). A process started by a user other than root with
 * file capabilities or as set-user-ID is refused: its cache and header
 * search trust that user. So is one that holds the capabilities yet is
 * refused bpf() (a seccomp filter, an LSM), which a test map tells.
 */
int privileges_check_start(bool signals, char *err, size_t errlen);

/*
 * Once the plan is made: 0, or -1 with err naming CAP_SYS_ADMIN where the
 * plan opens perf events (perf buffers, tracepoints or kprobes attached
 * through them: uses, for the message) and kernel.perf_event_paranoid is
 * above 2, where Debian's kernels let nothing less open any.
 */
int privileges_check_perf_events(const char *uses, char *err, size_t errlen);

/*
 * Before ncpus perf buffers of pages are mapped: 0, or -1 with err naming
 * CAP_IPC_LOCK (and the --buffer-pages that fit) where they are beyond
 * what the kernel's perf_mmap lets a user lock without it.
 */
int privileges_check_perf_pages(int ncpus, int pages, char *err, size_t errlen);

#endif
