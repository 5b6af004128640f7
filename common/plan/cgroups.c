#include "cgroups.h"
#include "../hash.h"

#include <ctype.h>
#include <dirent.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "../array_size.h"
#include "../clock.h"
#include "../files.h"
#include "../text.h"

#define CGROUP_ROOT "/sys/fs/cgroup"
#define MAX_DEPTH 32

/* v1 controllers to name cgroups by, in order of preference: container runtimes make all three. */
static const char *const v1_controllers[] = { "memory", "pids", "cpu" };

/* Whether list (comma-separated) holds word. */
static bool has_word(const char *list, const char *word)
{
	size_t n = strlen(word);

	for (const char *p = list; p; p = strchr(p, ',')) {
		if (*p == ',')
			p++;
		if (!strncmp(p, word, n) && (p[n] == ',' || p[n] == '\0' || p[n] == '\n'))
			return true;
	}
	return false;
}

struct mount_line {
	char root[PATH_MAX];
	char point[PATH_MAX];
	char fstype[32];
	char options[256]; /* the super block's */
};

/* One line of a mountinfo: false when malformed or escaped (a path with spaces). */
static bool parse_mount_line(const char *line, struct mount_line *m)
{
	const char *dash = strstr(line, " - ");
	char fmt[64];

	if (!dash || strchr(line, '\\'))
		return false;
	snprintf(fmt, sizeof(fmt), "%%*s %%*s %%*s %%%ds %%%ds", PATH_MAX - 1, PATH_MAX - 1);
	if (sscanf(line, fmt, m->root, m->point) != 2)
		return false;
	return sscanf(dash + 3, "%31s %*s %255s", m->fstype, m->options) == 2;
}

/* The line of /proc/cgroups a controller is on: its subsystem number, or -1. */
static int subsystem_number(const char *proc_cgroups, const char *controller)
{
	size_t n = strlen(controller);
	int ssid = 0;

	for (const char *p = proc_cgroups; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
		if (*p == '#')
			continue;
		if (!strncmp(p, controller, n) && isspace((unsigned char)p[n]))
			return ssid;
		ssid++;
	}
	return -1;
}

/*
 * The mount of a cgroup hierarchy: cgroup2, or the v1 one of controller
 * (NULL for v2). The last one listed: a container's own cgroup mounts lie
 * under the host's that its manifest mounts over them.
 */
static bool find_mount(const char *mountinfo, const char *controller, struct mount_line *m)
{
	struct mount_line cur;
	bool found = false;

	for (const char *p = mountinfo; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
		char line[2 * PATH_MAX + 512];
		size_t len = strcspn(p, "\n");

		if (len >= sizeof(line))
			continue;
		memcpy(line, p, len);
		line[len] = '\0';
		if (!parse_mount_line(line, &cur))
			continue;
		if ((!controller && !strcmp(cur.fstype, "cgroup2")) ||
		    (controller && !strcmp(cur.fstype, "cgroup") &&
		     has_word(cur.options, controller))) {
			*m = cur;
			found = true;
		}
	}
	return found;
}

static void take_mount(struct cgroup_hierarchy *h, const struct mount_line *m, int ssid)
{
	h->ssid = ssid;
	strfmt(h->mount, sizeof(h->mount), "%s", m->point);
	strfmt(h->root, sizeof(h->root), "%s", m->root);
}

bool cgroup_hierarchy_parse(struct cgroup_hierarchy *h, const char *mountinfo,
			    const char *proc_cgroups, bool unified_root)
{
	struct mount_line m;

	if (!unified_root) {
		for (size_t i = 0; i < ARRAY_SIZE(v1_controllers); i++) {
			int ssid = subsystem_number(proc_cgroups, v1_controllers[i]);

			if (ssid >= 0 && find_mount(mountinfo, v1_controllers[i], &m)) {
				take_mount(h, &m, ssid);
				return true;
			}
		}
	}
	/* A v2 host, or a v1 host with none of those controllers: its unified hierarchy. */
	if (!find_mount(mountinfo, NULL, &m))
		return false;
	take_mount(h, &m, -1);
	return true;
}

/* A whole small file of /proc, NUL-terminated, in a malloc'd buffer; NULL on failure. */
static char *read_proc_file(const char *path)
{
	size_t size = 1 << 16;
	char *buf = malloc(size);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n = fd >= 0 && buf ? read_full(fd, buf, size - 1) : -1;

	if (fd >= 0)
		close(fd);
	if (n < 0) {
		free(buf);
		return NULL;
	}
	buf[n] = '\0';
	return buf;
}

const struct cgroup_hierarchy *cgroup_hierarchy(void)
{
	static struct cgroup_hierarchy h;
	static bool looked, found;
	struct statfs fs;
	char *mountinfo, *proc_cgroups;

	if (looked)
		return found ? &h : NULL;
	looked = true;
	mountinfo = read_proc_file("/proc/self/mountinfo");
	proc_cgroups = read_proc_file("/proc/cgroups");
	found = mountinfo && cgroup_hierarchy_parse(&h, mountinfo, proc_cgroups ? proc_cgroups : "",
						    statfs(CGROUP_ROOT, &fs) == 0 &&
							    fs.f_type == CGROUP2_SUPER_MAGIC);
	free(mountinfo);
	free(proc_cgroups);
	return found ? &h : NULL;
}

static bool is_hex(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (!isxdigit((unsigned char)s[i]) || isupper((unsigned char)s[i]))
			return false;
	}
	return true;
}

/* A path component's container ID: [prefix-]ID[.scope], conmon's excepted. */
static bool component_container_id(const char *name, size_t len, char *id)
{
	static const char *const prefixes[] = { "docker-",	   "libpod-",	  "crio-",
						"cri-containerd-", "containerd-", "" };
	static const char suffix[] = ".scope";

	if (len > sizeof(suffix) - 1 &&
	    !memcmp(name + len - (sizeof(suffix) - 1), suffix, sizeof(suffix) - 1))
		len -= sizeof(suffix) - 1;
	for (size_t i = 0; i < ARRAY_SIZE(prefixes); i++) {
		size_t plen = strlen(prefixes[i]);

		if (len == plen + CONTAINER_ID_LEN && !memcmp(name, prefixes[i], plen) &&
		    is_hex(name + plen, CONTAINER_ID_LEN)) {
			memcpy(id, name + plen, CONTAINER_ID_LEN);
			id[CONTAINER_ID_LEN] = '\0';
			return true;
		}
	}
	return false;
}

bool container_id_from_path(const char *path, char id[CONTAINER_ID_LEN + 1])
{
	const char *end = path + strlen(path);

	/* From the innermost component out: podman's "libpod-ID.scope/container" too. */
	while (end > path) {
		const char *start = end;

		while (start > path && start[-1] != '/')
			start--;
		if (component_container_id(start, (size_t)(end - start), id))
			return true;
		end = start > path ? start - 1 : path;
	}
	return false;
}

/* A UID's shape: 8-4-4-4-12 lower-case hex digits, with '-' (or the systemd driver's '_'). */
static bool uid_shape(const char *s)
{
	for (int i = 0; i < POD_UID_LEN; i++) {
		bool dash = i == 8 || i == 13 || i == 18 || i == 23;

		if (dash ? s[i] != '-' && s[i] != '_' : !is_hex(s + i, 1))
			return false;
	}
	return true;
}

bool pod_uid_from_path(const char *path, char uid[POD_UID_LEN + 1])
{
	for (const char *p = strstr(path, "pod"); p; p = strstr(p + 1, "pod")) {
		const char *u = p + 3;
		char after;

		/* "pod" starts a component, or follows the systemd slice's '-'. */
		if (p > path && p[-1] != '/' && p[-1] != '-')
			continue;
		if (strnlen(u, POD_UID_LEN) < POD_UID_LEN || !uid_shape(u))
			continue;
		after = u[POD_UID_LEN];
		if (after != '\0' && after != '/' && after != '.')
			continue;
		for (int i = 0; i < POD_UID_LEN; i++)
			uid[i] = u[i] == '_' ? '-' : u[i];
		uid[POD_UID_LEN] = '\0';
		return true;
	}
	return false;
}

struct cgroup_name {
	uint64_t id; /* 0: an empty slot */
	char *path;
};

void cgroup_names_init(struct cgroup_names *n)
{
	memset(n, 0, sizeof(*n));
	n->hierarchy = cgroup_hierarchy();
}

static void free_slots(struct cgroup_name *slots, size_t nslots)
{
	for (size_t i = 0; i < nslots; i++)
		free(slots[i].path);
	free(slots);
}

static struct cgroup_name *slot_of(struct cgroup_name *slots, size_t nslots, uint64_t id)
{
	size_t i = hash_index(id) & (nslots - 1);

	while (slots[i].id && slots[i].id != id)
		i = (i + 1) & (nslots - 1);
	return &slots[i];
}

struct walk {
	struct cgroup_name *slots;
	size_t nslots;
	size_t used;
};

/* Records dir (open as fd, at path) and the cgroups below it. Closes fd. */
static void walk_cgroups(struct walk *w, int fd, char *path, size_t len, int depth)
{
	struct cgroup_name *s;
	struct stat st;
	DIR *d;
	struct dirent *e;

	if (fstat(fd, &st) || w->used >= CGROUP_NAMES_MAX) {
		close(fd);
		return;
	}
	s = slot_of(w->slots, w->nslots, st.st_ino);

	if (!s->id) {
		s->path = strdup(len ? path : "/");
		if (s->path) {
			s->id = st.st_ino;
			w->used++;
		}
	}
	d = depth < MAX_DEPTH ? fdopendir(fd) : NULL;
	if (!d) {
		close(fd);
		return;
	}
	while ((e = readdir(d))) {
		size_t nlen = strlen(e->d_name);
		int child;

		if (e->d_type != DT_DIR || e->d_name[0] == '.' || len + 1 + nlen >= PATH_MAX)
			continue;
		child = openat(dirfd(d), e->d_name,
			       O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
		if (child < 0)
			continue;
		path[len] = '/';
		memcpy(path + len + 1, e->d_name, nlen + 1);
		walk_cgroups(w, child, path, len + 1 + nlen, depth + 1);
		path[len] = '\0';
	}
	closedir(d);
}

/* Walks the hierarchy again into a new table: only cgroups that exist now are in it. */
static void rescan(struct cgroup_names *n)
{
	const struct cgroup_hierarchy *h = n->hierarchy;
	struct walk w = { .nslots = 2 * CGROUP_NAMES_MAX };
	char path[PATH_MAX];
	size_t len = strcmp(h->root, "/") ? strlen(h->root) : 0;
	int fd;

	n->scanned = true;
	n->scanned_ns = monotonic_ns();
	/* Sized for the most it takes: 2 MiB of slots, paths as they come. */
	w.slots = calloc(w.nslots, sizeof(*w.slots));
	fd = w.slots ? open(h->mount, O_RDONLY | O_DIRECTORY | O_CLOEXEC) : -1;
	if (fd < 0) {
		free(w.slots);
		return;
	}
	memcpy(path, h->root, len + 1);
	path[len] = '\0';
	walk_cgroups(&w, fd, path, len, 0);
	free_slots(n->slots, n->nslots);
	n->slots = w.slots;
	n->nslots = w.nslots;
}

const char *cgroup_names_path(struct cgroup_names *n, uint64_t id)
{
	struct cgroup_name *s;

	if (!id || !n->hierarchy)
		return NULL;
	s = n->slots ? slot_of(n->slots, n->nslots, id) : NULL;
	if (s && s->id)
		return s->path;
	if (n->scanned && monotonic_ns() - n->scanned_ns < CGROUP_RESCAN_NS)
		return NULL;
	rescan(n);
	s = n->slots ? slot_of(n->slots, n->nslots, id) : NULL;
	return s && s->id ? s->path : NULL;
}
