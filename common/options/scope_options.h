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

#include "../../programs/scope.h"

struct scope_options {
	bool pidns;	      /* --pidns */
	const char *cgroup;   /* --cgroup PATH, or NULL */
	const char *mntnsmap; /* --mntnsmap PATH, or NULL */
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
 * The PID namespace part of the scope (--pidns, or the tool's own
 * namespace when it runs in a child one), into scope. Returns 0, or -1
 * with why in err: the machine's fault.
 */
int scope_pidns_get(const struct scope_options *o, struct snoop_scope *scope, char *err,
		    size_t errlen);

/*
 * The --cgroup and --mntnsmap paths opened into v (v->scope's cgroup and
 * mntns set). Returns 0, or -1 with err naming the option: the path names
 * something unusable, the user's fault. Close with scope_values_close.
 */
int scope_paths_open(const struct scope_options *o, struct scope_values *v, char *err,
		     size_t errlen);
void scope_values_close(struct scope_values *v);

#endif
