/*
 * What a tool keeps once its programs are attached: from then on it only
 * reads its buffers through mappings and descriptors it already holds, and
 * writes lines. confine() drops every capability but those its needs name,
 * sets no_new_privs, and installs a seccomp filter that allows only the
 * system calls of the event loop, of writing, and of the teardown, plus
 * those of its needs. A call outside the filter ends the tool with one line
 * on stderr naming the call (SIGSYS), never a hang. Files are opened only
 * to be read (the cgroups' paths), and as nobody's (file system uid and gid
 * 65534) where the tool runs as root that may change its IDs; the real,
 * effective and saved user stay as they were, so that no other user can
 * signal, stop or reschedule a tool run by root.
 */
#ifndef SNOOP_CONFINE_H
#define SNOOP_CONFINE_H

#include <stddef.h>

/* What a tool does once attached beyond reading events and writing lines. */
enum after_attach_needs {
	/* Signals processes of any user through pidfds: CAP_KILL is kept. */
	AFTER_ATTACH_SIGNALS = 1 << 0,
	/* Tells syslog when a write of its lines fails (a guard's): a unix socket. */
	AFTER_ATTACH_SYSLOG = 1 << 1,
};

/* What confine() left the tool, as -v says it. */
struct confinement {
	char kept[64];	   /* the capabilities kept, by name, or "no capability" */
	unsigned file_uid; /* the user it opens files as */
	int nrules;	   /* how many rules the filter has: one a system call, or a use of it */
};

/*
 * Confines the calling process (one thread) for a tool of that name, with
 * needs (enum after_attach_needs): 0 and c filled, or -1 with err set.
 * Capabilities the process does not have are not kept, whatever the needs.
 */
int confine(const char *tool, unsigned needs, struct confinement *c, char *err, size_t errlen);

#endif
