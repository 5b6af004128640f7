#include "scope_options.h"

#include <bpf/bpf.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/bpf.h>
#include <linux/magic.h>
#include <linux/types.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

/* The initial PID namespace's inode number (include/linux/proc_ns.h). */
#define PROC_PID_INIT_INO 0xEFFFFFFCU

bool scope_cgroup_path_ok(const char *path, char *why, size_t whylen)
{
	struct statfs fs;

	if (statfs(path, &fs)) {
		snprintf(why, whylen, "%s: %s", path, strerror(errno));
		return false;
	}
	if ((unsigned long)fs.f_type != CGROUP2_SUPER_MAGIC) {
		snprintf(why, whylen, "%s is not a cgroup v2 directory", path);
		return false;
	}
	return true;
}

bool scope_mntnsmap_path_ok(const char *path, char *why, size_t whylen)
{
	struct stat st;

	if (stat(path, &st)) {
		snprintf(why, whylen, "%s: %s", path, strerror(errno));
		return false;
	}
	return true;
}

bool in_child_pidns(void)
{
	struct stat st;

	return stat("/proc/self/ns/pid", &st) == 0 && st.st_ino != PROC_PID_INIT_INO;
}

/* BCC's mount namespace map: a hash of 8-byte namespace IDs to 4-byte values. */
static int open_mntnsmap(const char *path, int *fd_out, char *err, size_t errlen)
{
	struct bpf_map_info info = { 0 };
	__u32 len = sizeof(info);
	int fd = bpf_obj_get(path);

	if (fd < 0) {
		snprintf(err, errlen, "--mntnsmap: %s is not a pinned BPF map: %s", path,
			 strerror(errno));
		return -1;
	}
	if (bpf_obj_get_info_by_fd(fd, &info, &len) || info.type != BPF_MAP_TYPE_HASH ||
	    info.key_size != 8 || info.value_size != 4) {
		close(fd);
		snprintf(err, errlen,
			 "--mntnsmap: %s is not a hash map of 8-byte mount namespace "
			 "IDs to 4-byte values",
			 path);
		return -1;
	}
	*fd_out = fd;
	return 0;
}

int scope_pidns_get(const struct scope_options *o, struct snoop_scope *scope, char *err,
		    size_t errlen)
{
	struct stat st;

	if (!o->pidns && !in_child_pidns())
		return 0;
	if (stat("/proc/self/ns/pid", &st)) {
		snprintf(err, errlen, "--pidns: cannot read this process's PID namespace: %s",
			 strerror(errno));
		return -1;
	}
	scope->pidns = 1;
	scope->pidns_dev = st.st_dev;
	scope->pidns_ino = st.st_ino;
	return 0;
}

int scope_paths_open(const struct scope_options *o, struct scope_values *v, char *err,
		     size_t errlen)
{
	v->cgroup_fd = v->mntns_map_fd = -1;
	if (o->cgroup) {
		v->cgroup_fd = open(o->cgroup, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (v->cgroup_fd < 0) {
			snprintf(err, errlen, "--cgroup: %s: %s", o->cgroup, strerror(errno));
			return -1;
		}
		v->scope.cgroup = 1;
	}
	if (o->mntnsmap) {
		if (open_mntnsmap(o->mntnsmap, &v->mntns_map_fd, err, errlen)) {
			scope_values_close(v);
			return -1;
		}
		v->scope.mntns = 1;
	}
	return 0;
}

void scope_values_close(struct scope_values *v)
{
	if (v->cgroup_fd >= 0)
		close(v->cgroup_fd);
	if (v->mntns_map_fd >= 0)
		close(v->mntns_map_fd);
	v->cgroup_fd = v->mntns_map_fd = -1;
}
