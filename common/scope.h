/*
 * Which tasks a tool looks at, for containers: --pidns (the default when
 * the tool runs in a PID namespace other than the initial one), --cgroup
 * PATH and --mntnsmap PATH, as BCC's tools have them. The BPF side is in
 * programs/snoop.bpf.h; values reach it through maps, never source text.
 */
#ifndef SNOOP_SCOPE_OPTIONS_H
#define SNOOP_SCOPE_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>

struct scope_options {
	bool pidns;		/* --pidns */
	const char *cgroup;	/* --cgroup PATH, or NULL */
	const char *mntnsmap;	/* --mntnsmap PATH, or NULL */
};

/* The checks a path option gets while parsing: false with why filled. */
bool scope_cgroup_path_ok(const char *path, char *why, size_t whylen);
bool scope_mntnsmap_path_ok(const char *path, char *why, size_t whylen);

/* Whether this process is in a PID namespace other than the initial one. */
bool in_child_pidns(void);

struct snoop_bpf;

/*
 * Sets the program's scope maps. Returns 0, EXIT_USAGE when a path names
 * something unusable (the message names the option), or EXIT_RUNTIME.
 */
int scope_apply(struct snoop_bpf *b, const struct scope_options *o, const char *tool,
		bool verbose);

#endif
