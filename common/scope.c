#include "scope.h"
#include "bpf_runtime.h"
#include "text.h"

#include <bpf/bpf.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/bpf.h>
#include <linux/types.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "../programs/scope.h"

#define CGROUP2_SUPER_MAGIC 0x63677270
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

static int scope_fail(const char *tool, int status, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int scope_fail(const char *tool, int status, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", tool);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return status;
}

/* BCC's mount namespace map: a hash of 8-byte namespace IDs to 4-byte values. */
static int open_mntnsmap(const char *path, const char *tool, int *fd_out)
{
	struct bpf_map_info info = { 0 };
	__u32 len = sizeof(info);
	int fd = bpf_obj_get(path);

	if (fd < 0)
		return scope_fail(tool, EXIT_USAGE, "--mntnsmap: %s is not a pinned BPF map: %s", path,
				  strerror(errno));
	if (bpf_obj_get_info_by_fd(fd, &info, &len) || info.type != BPF_MAP_TYPE_HASH ||
	    info.key_size != 8 || info.value_size != 4) {
		close(fd);
		return scope_fail(tool, EXIT_USAGE,
				  "--mntnsmap: %s is not a hash map of 8-byte mount namespace IDs to "
				  "4-byte values", path);
	}
	*fd_out = fd;
	return 0;
}

int scope_apply(struct snoop_bpf *b, const struct scope_options *o, const char *tool,
		bool verbose)
{
	struct snoop_scope scope = { 0 };
	int zero = 0, rc;

	if (o->pidns || in_child_pidns()) {
		struct stat st;

		if (stat("/proc/self/ns/pid", &st))
			return scope_fail(tool, EXIT_RUNTIME,
					  "--pidns: cannot read this process's PID namespace");
		scope.pidns = 1;
		scope.pidns_dev = st.st_dev;
		scope.pidns_ino = st.st_ino;
		if (verbose)
			fprintf(stderr, "%s: PID namespace %llu: its tasks, with its PIDs\n", tool,
				(unsigned long long)st.st_ino);
	}
	if (o->cgroup) {
		int fd = open(o->cgroup, O_RDONLY | O_DIRECTORY);

		if (fd < 0)
			return scope_fail(tool, EXIT_USAGE, "--cgroup: %s: %s", o->cgroup,
					  strerror(errno));
		rc = bpf_map_update_elem(snoop_bpf_map_fd(b, "scope_cgroup"), &zero, &fd, 0);
		close(fd);
		if (rc)
			return scope_fail(tool, EXIT_USAGE, "--cgroup: %s: %s", o->cgroup,
					  strerror(errno));
		scope.cgroup = 1;
	}
	if (o->mntnsmap) {
		int fd = -1;

		rc = open_mntnsmap(o->mntnsmap, tool, &fd);
		if (rc)
			return rc;
		rc = bpf_map_update_elem(snoop_bpf_map_fd(b, "scope_mntns"), &zero, &fd, 0);
		close(fd);
		if (rc)
			return scope_fail(tool, EXIT_USAGE,
					  "--mntnsmap: %s cannot serve as the map of mount namespaces "
					  "(%s; it must be a plain hash map, no flags)",
					  o->mntnsmap, strerror(errno));
		scope.mntns = 1;
	}
	return snoop_bpf_map_set(b, "scope", &zero, &scope);
}
