/*
 * The tasks every tool looks at: --pidns, --cgroup and --mntnsmap, and the
 * cgroup hierarchy events name (from what is mounted), as the
 * single value of the scope map (set by common/options/scope_options.c, read by
 * programs/snoop.bpf.h).
 */
#ifndef SNOOP_SCOPE_H
#define SNOOP_SCOPE_H

struct snoop_scope {
	__u64 pidns_dev; /* the PID namespace: stat() of /proc/self/ns/pid */
	__u64 pidns_ino;
	__u32 pidns;  /* only its tasks, with their PIDs there */
	__u32 cgroup; /* only tasks in scope_cgroup[0]'s subtree */
	__u32 mntns;  /* only tasks whose mount namespace is in scope_mntns[0] */
	/* cgroup v1: the subsystem number of the hierarchy whose IDs events carry; -1 on v2 */
	__s32 cgroup_ssid;
};

#endif
