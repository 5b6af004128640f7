/*
 * Which tasks a tool looks at, for containers: --pidns (the default when
 * the tool runs in a PID namespace other than the initial one), --cgroup
 * PATH and --mntnsmap PATH, as BCC's tools have them. The BPF side is in
 * programs/snoop.bpf.h; values reach it through maps, never source text.
 */
#ifndef SNOOP_SCOPE_OPTIONS_H
#define SNOOP_SCOPE_OPTIONS_H

#include <linux/types.h>
#include <stdbool.h>
#include <stddef.h>

#include "../programs/scope.h"

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

/*
 * What the program's scope maps get: the value of scope[0], and the
 * descriptors for scope_cgroup[0] and scope_mntns[0] (-1: none), which the
 * runtime, owner of the maps, writes.
 */
struct scope_values {
	struct snoop_scope scope;
	int cgroup_fd;
	int mntns_map_fd;
};

/*
 * The scope the options ask for. Returns 0, or EXIT_USAGE when a path
 * names something unusable, EXIT_RUNTIME otherwise, with err naming the
 * option. Close the descriptors with scope_values_close.
 */
int scope_values_get(const struct scope_options *o, struct scope_values *v, char *err,
		     size_t errlen);
void scope_values_close(struct scope_values *v);

#endif
