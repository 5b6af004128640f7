#include "kheaders.h"
#include "files.h"
#include "text.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#define DEBIAN_PREFIX "linux-headers-"
#define DEBIAN_COMMON "-common"

void kheaders_default_search(struct kheaders_search *s, const char *option_dir)
{
	static struct utsname un;

	uname(&un);
	*s = (struct kheaders_search){
		.option_dir = option_dir,
		.env_dir = getenv("BCC_KERNEL_SOURCE"),
		.modules_dir = "/lib/modules",
		.archive = "/sys/kernel/kheaders.tar.xz",
		.src_dir = "/usr/src",
		.cache_dir = SNOOP_CACHE_DIR,
		.release = un.release,
#if defined(__aarch64__)
		.arch_flavour = "arm64",
#else
		.arch_flavour = "amd64",
#endif
	};
}

static bool is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

bool kheaders_tree_usable(const char *dir)
{
	char path[PATH_MAX];
	struct stat st;

	if (!strfmt(path, sizeof(path), "%s/include/linux/kconfig.h", dir))
		return false;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* Reads UTS_RELEASE from DIR/include/generated/utsrelease.h, "" if absent. */
static void read_release(const char *dir, char *buf, size_t len)
{
	char path[PATH_MAX], line[256];
	FILE *f;

	buf[0] = '\0';
	strfmt(path, sizeof(path), "%s/include/generated/utsrelease.h", dir);
	f = fopen(path, "r");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		char *start = strstr(line, "UTS_RELEASE \"");
		char *end;

		if (!start)
			continue;
		start += strlen("UTS_RELEASE \"");
		end = strchr(start, '"');
		if (end && (size_t)(end - start) < len) {
			memcpy(buf, start, (size_t)(end - start));
			buf[end - start] = '\0';
		}
		break;
	}
	fclose(f);
}

static int use_tree(struct kheaders *out, enum kheaders_source source, const char *dir)
{
	out->source = source;
	if (!strfmt(out->tree, sizeof(out->tree), "%s", dir))
		return -1;
	read_release(dir, out->release, sizeof(out->release));
	return 0;
}

/* libbcc's own rule: build/ and source/ together mean the split layout. */
static bool modules_tree(const struct kheaders_search *s, char *dir, size_t len)
{
	char build[PATH_MAX], source[PATH_MAX];

	strfmt(build, sizeof(build), "%s/%s/build", s->modules_dir, s->release);
	strfmt(source, sizeof(source), "%s/%s/source", s->modules_dir, s->release);
	strfmt(dir, len, "%s", is_dir(build) && is_dir(source) ? source : build);
	return kheaders_tree_usable(dir);
}

/* Newest VERSION with both linux-headers-VERSION-common and -FLAVOUR. */
static bool newest_debian_pair(const struct kheaders_search *s, char *version, size_t len)
{
	DIR *d = opendir(s->src_dir);
	struct dirent *e;
	bool found = false;

	if (!d)
		return false;
	while ((e = readdir(d))) {
		size_t n = strlen(e->d_name);
		char ver[NAME_MAX + 1], flavour[PATH_MAX], common[PATH_MAX];

		if (strncmp(e->d_name, DEBIAN_PREFIX, strlen(DEBIAN_PREFIX)) ||
		    n <= strlen(DEBIAN_PREFIX) + strlen(DEBIAN_COMMON) ||
		    strcmp(e->d_name + n - strlen(DEBIAN_COMMON), DEBIAN_COMMON))
			continue;
		n -= strlen(DEBIAN_PREFIX) + strlen(DEBIAN_COMMON);
		memcpy(ver, e->d_name + strlen(DEBIAN_PREFIX), n);
		ver[n] = '\0';
		strfmt(common, sizeof(common), "%s/%s", s->src_dir, e->d_name);
		strfmt(flavour, sizeof(flavour), "%s/" DEBIAN_PREFIX "%s-%s/include/generated",
			 s->src_dir, ver, s->arch_flavour);
		if (!kheaders_tree_usable(common) || !is_dir(flavour))
			continue;
		if (!found || strverscmp(ver, version) > 0) {
			strfmt(version, len, "%s", ver);
			found = true;
		}
	}
	closedir(d);
	return found;
}

/* Removes a tree this tool made: directories and symbolic links only. */
static void remove_tree(int parent, const char *name)
{
	int fd = openat(parent, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	DIR *d;
	struct dirent *e;

	if (fd < 0) {
		unlinkat(parent, name, 0);
		return;
	}
	d = fdopendir(fd);
	if (!d) {
		close(fd);
		return;
	}
	while ((e = readdir(d))) {
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			remove_tree(fd, e->d_name);
	}
	closedir(d);
	unlinkat(parent, name, AT_REMOVEDIR);
}

/* In directory fd, one symbolic link per entry of target_dir. */
static int link_entries(int fd, const char *target_dir)
{
	DIR *d = opendir(target_dir);
	struct dirent *e;
	char target[PATH_MAX];

	if (!d)
		return -1;
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		strfmt(target, sizeof(target), "%s/%s", target_dir, e->d_name);
		if (symlinkat(target, fd, e->d_name)) {
			closedir(d);
			return -1;
		}
	}
	closedir(d);
	return 0;
}

static int make_subdirs(int fd, const char *const names[], size_t n)
{
	int cur = dup(fd);

	for (size_t i = 0; i < n && cur >= 0; i++) {
		int next;

		if (mkdirat(cur, names[i], 0700) && errno != EEXIST)
			next = -1;
		else
			next = openat(cur, names[i], O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		close(cur);
		cur = next;
	}
	return cur;
}

/*
 * Builds in directory fd the merged layout libbcc expects of one tree:
 * -common's include/ and arch/ARCH/include/ with the flavour's generated
 * and config directories beside them.
 */
static int build_merged(int fd, const char *common, const char *flavour, const char *karch)
{
	const char *const include[] = { "include" };
	const char *const arch_include[] = { "arch", karch, "include" };
	char src[PATH_MAX], gen[PATH_MAX], cfg[PATH_MAX];
	int inc_fd, arch_fd, rc = -1;

	inc_fd = make_subdirs(fd, include, 1);
	arch_fd = make_subdirs(fd, arch_include, 3);
	if (inc_fd < 0 || arch_fd < 0)
		goto out;
	strfmt(src, sizeof(src), "%s/include", common);
	strfmt(gen, sizeof(gen), "%s/include/generated", flavour);
	strfmt(cfg, sizeof(cfg), "%s/include/config", flavour);
	if (link_entries(inc_fd, src) || symlinkat(gen, inc_fd, "generated") ||
	    symlinkat(cfg, inc_fd, "config"))
		goto out;
	strfmt(src, sizeof(src), "%s/arch/%s/include", common, karch);
	strfmt(gen, sizeof(gen), "%s/arch/%s/include/generated", flavour, karch);
	if (link_entries(arch_fd, src) || symlinkat(gen, arch_fd, "generated"))
		goto out;
	rc = 0;
out:
	if (inc_fd >= 0)
		close(inc_fd);
	if (arch_fd >= 0)
		close(arch_fd);
	return rc;
}

static int debian_tree(const struct kheaders_search *s, const char *version,
		       struct kheaders *out, char *err, size_t errlen)
{
	const char *karch = strcmp(s->arch_flavour, "arm64") ? "x86" : "arm64";
	char common[PATH_MAX], flavour[PATH_MAX], name[NAME_MAX], tmp[PATH_MAX], path[PATH_MAX];
	int cache_fd, dir_fd = -1, tmp_fd = -1, rc = -1;

	strfmt(common, sizeof(common), "%s/" DEBIAN_PREFIX "%s" DEBIAN_COMMON, s->src_dir, version);
	strfmt(flavour, sizeof(flavour), "%s/" DEBIAN_PREFIX "%s-%s", s->src_dir, version,
		 s->arch_flavour);
	strfmt(name, sizeof(name), "%s-%s", version, s->arch_flavour);

	cache_fd = private_dir_open(AT_FDCWD, s->cache_dir, err, errlen);
	if (cache_fd < 0)
		return -1;
	dir_fd = private_dir_open(cache_fd, "kernel-headers", err, errlen);
	if (dir_fd < 0)
		goto out;
	strfmt(path, sizeof(path), "%s/kernel-headers/%s", s->cache_dir, name);
	if (!kheaders_tree_usable(path)) {
		/* Build aside and rename into place, so a reader never sees half a tree. */
		strfmt(tmp, sizeof(tmp), ".%s.%ld", name, (long)getpid());
		remove_tree(dir_fd, tmp);
		tmp_fd = private_dir_open(dir_fd, tmp, err, errlen);
		if (tmp_fd < 0)
			goto out;
		if (build_merged(tmp_fd, common, flavour, karch)) {
			snprintf(err, errlen, "cannot build a header tree in %s/kernel-headers: %s",
				 s->cache_dir, strerror(errno));
			remove_tree(dir_fd, tmp);
			goto out;
		}
		remove_tree(dir_fd, name);
		if (renameat(dir_fd, tmp, dir_fd, name))
			remove_tree(dir_fd, tmp);	/* another run won the race */
		if (!kheaders_tree_usable(path)) {
			snprintf(err, errlen, "the header tree %s is not usable", path);
			goto out;
		}
	}
	rc = use_tree(out, KHEADERS_DEBIAN, path);
	if (rc == 0)
		read_release(flavour, out->release, sizeof(out->release));
out:
	if (tmp_fd >= 0)
		close(tmp_fd);
	if (dir_fd >= 0)
		close(dir_fd);
	close(cache_fd);
	return rc;
}

int kheaders_resolve(const struct kheaders_search *s, struct kheaders *out,
		     bool *bad_option, char *err, size_t errlen)
{
	char dir[PATH_MAX], version[NAME_MAX];

	memset(out, 0, sizeof(*out));
	*bad_option = false;
	if (s->option_dir) {
		if (!kheaders_tree_usable(s->option_dir)) {
			*bad_option = true;
			snprintf(err, errlen, "--kernel-headers: %s has no include/linux/kconfig.h",
				 s->option_dir);
			return -1;
		}
		return use_tree(out, KHEADERS_OPTION, s->option_dir);
	}
	if (s->env_dir && *s->env_dir) {
		if (!kheaders_tree_usable(s->env_dir)) {
			snprintf(err, errlen, "BCC_KERNEL_SOURCE: %s has no include/linux/kconfig.h",
				 s->env_dir);
			return -1;
		}
		return use_tree(out, KHEADERS_ENV, s->env_dir);
	}
	if (modules_tree(s, dir, sizeof(dir))) {
		out->source = KHEADERS_MODULES;	/* libbcc finds the tree by itself */
		/* Generated headers, utsrelease.h among them, are in build/ of a split tree. */
		strfmt(dir, sizeof(dir), "%s/%s/build", s->modules_dir, s->release);
		read_release(dir, out->release, sizeof(out->release));
		return 0;
	}
	if (access(s->archive, R_OK) == 0) {
		out->source = KHEADERS_ARCHIVE;
		strfmt(out->release, sizeof(out->release), "%s", s->release);
		return 0;
	}
	if (newest_debian_pair(s, version, sizeof(version)))
		return debian_tree(s, version, out, err, errlen);
	snprintf(err, errlen,
		 "no kernel headers found: install linux-headers-%s (or Debian's linux-headers-%s), "
		 "load the kheaders module, or point --kernel-headers at a tree",
		 s->release, s->arch_flavour);
	return -1;
}

void kheaders_describe(const struct kheaders *k, const char *running, char *buf, size_t len)
{
	static const char *const where[] = {
		[KHEADERS_OPTION] = "--kernel-headers",
		[KHEADERS_ENV] = "BCC_KERNEL_SOURCE",
		[KHEADERS_MODULES] = "/lib/modules",
		[KHEADERS_ARCHIVE] = "the kheaders archive",
		[KHEADERS_DEBIAN] = "Debian's linux-headers packages",
	};

	buf[0] = '\0';
	if (!strcmp(k->release, running))
		return;
	strfmt(buf, len, "kernel headers %s from %s%s%s are not the running kernel's (%s)",
		 k->release[0] ? k->release : "of unknown release", where[k->source],
		 k->tree[0] ? " at " : "", k->tree, running);
}
