/*
 * Which cgroup an event came from, in the terms a log pipeline joins on:
 * the cgroup's path, the container ID and the Kubernetes pod UID that the
 * path holds. The BPF programs send a cgroup ID (programs/snoop.bpf.h's
 * current_cgroup_id); the ID is the inode number of the cgroup's directory,
 * so the path is found by walking the hierarchy.
 */
#ifndef SNOOP_CGROUPS_H
#define SNOOP_CGROUPS_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * The hierarchy events name cgroups in: the unified (v2) one where
 * /sys/fs/cgroup is cgroup2, else the v1 hierarchy of the first of
 * memory, pids, cpu that is mounted (ssid: its subsystem number, the
 * line of /proc/cgroups it is on).
 */
struct cgroup_hierarchy {
	int ssid; /* -1: v2, the task's cgroup as bpf_get_current_cgroup_id() gives it */
	char mount[PATH_MAX]; /* where it is mounted */
	char root[PATH_MAX];  /* the cgroup mounted there ("/" but in a cgroup namespace) */
};

/*
 * The hierarchy, found at the first call: the BPF programs' cgroup IDs
 * (the scope map's cgroup_ssid) and their paths agree by coming from it. NULL when
 * none is mounted.
 */
const struct cgroup_hierarchy *cgroup_hierarchy(void);

/* The hierarchy of a mountinfo and a /proc/cgroups text (cgroup_hierarchy's core). */
bool cgroup_hierarchy_parse(struct cgroup_hierarchy *h, const char *mountinfo,
			    const char *proc_cgroups, bool unified_root);

#define CONTAINER_ID_LEN 64
#define POD_UID_LEN 36

/*
 * The container ID in a cgroup path, as docker, containerd, CRI-O and
 * podman name their cgroups with the cgroupfs and systemd drivers
 * ("/docker/ID", "/kubepods/.../pod<UID>/ID", "crio-ID.scope",
 * "libpod-ID", "docker-ID.scope", "cri-containerd-ID.scope"): the
 * innermost 64-hex-digit name, conmon's cgroups excepted. False if none.
 */
bool container_id_from_path(const char *path, char id[CONTAINER_ID_LEN + 1]);

/* The pod UID in a kubelet's cgroup path ("pod<UID>", or "-pod<UID_>.slice" with systemd). */
bool pod_uid_from_path(const char *path, char uid[POD_UID_LEN + 1]);

/*
 * Cgroup IDs to paths. An unknown ID makes the hierarchy be walked again,
 * at most every CGROUP_RESCAN_NS: a cgroup made since the last walk is
 * found, and a table rebuilt at each walk holds only cgroups that exist
 * (at most CGROUP_NAMES_MAX).
 */
#define CGROUP_NAMES_MAX 65536
#define CGROUP_RESCAN_NS 10000000ULL

struct cgroup_name;

struct cgroup_names {
	const struct cgroup_hierarchy *hierarchy; /* NULL: none, no paths */
	struct cgroup_name *slots;		  /* open addressing, by ID */
	size_t nslots;
	unsigned long long scanned_ns; /* when the hierarchy was last walked */
	bool scanned;
};

void cgroup_names_init(struct cgroup_names *n);

/* The path of cgroup id (under the hierarchy's root), or NULL when none is known. */
const char *cgroup_names_path(struct cgroup_names *n, uint64_t id);

#endif
