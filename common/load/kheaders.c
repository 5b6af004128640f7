#include "kheaders.h"
#include "../array_size.h"
#include "../files.h"
#include "../stop_signals.h"
#include "../text.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#define DEBIAN_PREFIX "linux-headers-"
#define DEBIAN_COMMON "-common"

void kheaders_default_search(struct kheaders_search *s, const char *option_dir,
			     const char *cache_dir)
{
	static struct utsname un;

	uname(&un);
	*s = (struct kheaders_search)
	{
		.option_dir = option_dir, .env_dir = getenv("BCC_KERNEL_SOURCE"),
		.modules_dir = "/lib/modules", .archive = "/sys/kernel/kheaders.tar.xz",
		.src_dir = "/usr/src", .cache_dir = cache_dir, .release = un.release,
#if defined(__aarch64__)
		.arch_flavour = "arm64",
#else
		.arch_flavour = "amd64",
#endif
		.trusted_uid = geteuid(),
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

/*
 * Device, inode, size and modification time of the tree's directory and
 * of the files that say which kernel and configuration it is for: a
 * package upgrade or a rebuilt tree changes them.
 */
static void tree_identity(const char *dir, char *buf, size_t len)
{
	static const char *const files[] = { "", "/include/linux/kconfig.h",
					     "/include/generated/autoconf.h",
					     "/include/generated/utsrelease.h" };
	size_t used = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < ARRAY_SIZE(files) && used < len; i++) {
		char path[PATH_MAX];
		struct stat st;
		int n;

		strfmt(path, sizeof(path), "%s%s", dir, files[i]);
		if (stat(path, &st))
			n = snprintf(buf + used, len - used, "- ");
		else
			n = snprintf(buf + used, len - used, "%llx:%llx:%lld:%lld.%09ld ",
				     (unsigned long long)st.st_dev, (unsigned long long)st.st_ino,
				     (long long)st.st_size, (long long)st.st_mtim.tv_sec,
				     st.st_mtim.tv_nsec);
		used += n > 0 ? (size_t)n : 0;
	}
}

static int use_tree(struct kheaders *out, enum kheaders_source source, const char *dir, char *err,
		    size_t errlen)
{
	out->source = source;
	if (!strfmt(out->tree, sizeof(out->tree), "%s", dir) ||
	    !strfmt(out->checked_dirs[0], sizeof(out->checked_dirs[0]), "%s", dir)) {
		snprintf(err, errlen, "the header tree's path is too long: %s", dir);
		return -1;
	}
	read_release(dir, out->release, sizeof(out->release));
	tree_identity(dir, out->identity, sizeof(out->identity));
	return 0;
}

/*
 * libbcc's own rule: build/ and source/ together mean the split layout,
 * whose headers are in source/ and generated ones in build/. libbcc finds
 * the tree by itself: it is usable, so libbcc never looks elsewhere.
 */
static bool modules_tree(const struct kheaders_search *s, struct kheaders *out)
{
	char build[PATH_MAX], source[PATH_MAX];
	bool split;

	strfmt(build, sizeof(build), "%s/%s/build", s->modules_dir, s->release);
	strfmt(source, sizeof(source), "%s/%s/source", s->modules_dir, s->release);
	split = is_dir(build) && is_dir(source);
	if (!kheaders_tree_usable(split ? source : build))
		return false;
	out->source = KHEADERS_MODULES;
	strfmt(out->checked_dirs[0], sizeof(out->checked_dirs[0]), "%s", build);
	if (split)
		strfmt(out->checked_dirs[1], sizeof(out->checked_dirs[1]), "%s", source);
	/* Generated headers, utsrelease.h among them, are in build/ of a split tree. */
	read_release(build, out->release, sizeof(out->release));
	tree_identity(build, out->identity, sizeof(out->identity));
	return true;
}

/*
 * The VERSION with both linux-headers-VERSION-common and -FLAVOUR: the
 * running kernel's (VERSION-FLAVOUR is its release) when installed, else
 * the newest.
 */
static bool debian_pair(const struct kheaders_search *s, char *version, size_t len)
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
		strfmt(flavour, sizeof(flavour), "%s-%s", ver, s->arch_flavour);
		if (!strcmp(flavour, s->release)) {
			strfmt(version, len, "%s", ver);
			found = true;
			break;
		}
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

/* In directory fd, one symbolic link per entry of target_dir; -1 with err set. */
static int link_entries(int fd, const char *target_dir, char *err, size_t errlen)
{
	DIR *d = opendir(target_dir);
	struct dirent *e;
	char target[PATH_MAX];
	int rc = 0;

	if (!d) {
		snprintf(err, errlen, "cannot read %s: %s", target_dir, strerror(errno));
		return -1;
	}
	while (!rc && (e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if (!strfmt(target, sizeof(target), "%s/%s", target_dir, e->d_name)) {
			snprintf(err, errlen, "a header path is too long: %s/%s", target_dir,
				 e->d_name);
			rc = -1;
		} else if (symlinkat(target, fd, e->d_name)) {
			snprintf(err, errlen, "cannot link to %s: %s", target, strerror(errno));
			rc = -1;
		}
	}
	closedir(d);
	return rc;
}

static int make_subdirs(int fd, const char *const names[], size_t n)
{
	int cur = dup(fd);

	for (size_t i = 0; i < n && cur >= 0; i++) {
		int next;

		if (mkdirat(cur, names[i], 0755) && errno != EEXIST)
			next = -1;
		else
			next = openat(cur, names[i],
				      O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		close(cur);
		cur = next;
	}
	return cur;
}

/* dir followed by rest into buf; false with err naming the path when it does not fit. */
static bool join_path(char *buf, size_t len, const char *dir, const char *rest, char *err,
		      size_t errlen)
{
	if (strfmt(buf, len, "%s%s", dir, rest))
		return true;
	snprintf(err, errlen, "a header path is too long: %s%s", dir, rest);
	return false;
}

/*
 * Builds in directory fd (the new tree at path) the merged layout libbcc
 * expects of one tree: -common's include/ and arch/ARCH/include/ with the
 * flavour's generated and config directories beside them. -1 with err set.
 */
static int build_merged(int fd, const char *path, const char *common, const char *flavour,
			const char *karch, char *err, size_t errlen)
{
	const char *const include[] = { "include" };
	const char *const arch_include[] = { "arch", karch, "include" };
	char arch[64], arch_gen[64], src[PATH_MAX], gen[PATH_MAX], cfg[PATH_MAX];
	int inc_fd, arch_fd, rc = -1;

	/* karch is x86 or arm64: these fit. */
	strfmt(arch, sizeof(arch), "/arch/%s/include", karch);
	strfmt(arch_gen, sizeof(arch_gen), "/arch/%s/include/generated", karch);
	inc_fd = make_subdirs(fd, include, 1);
	/* Not tried after a failure, whose errno the message gives. */
	arch_fd = inc_fd < 0 ? -1 : make_subdirs(fd, arch_include, 3);
	if (arch_fd < 0) {
		snprintf(err, errlen, "cannot make directories in %s: %s", path, strerror(errno));
		goto out;
	}
	if (!join_path(src, sizeof(src), common, "/include", err, errlen) ||
	    !join_path(gen, sizeof(gen), flavour, "/include/generated", err, errlen) ||
	    !join_path(cfg, sizeof(cfg), flavour, "/include/config", err, errlen) ||
	    link_entries(inc_fd, src, err, errlen))
		goto out;
	if (symlinkat(gen, inc_fd, "generated") || symlinkat(cfg, inc_fd, "config")) {
		snprintf(err, errlen, "cannot link in %s/include: %s", path, strerror(errno));
		goto out;
	}
	if (!join_path(src, sizeof(src), common, arch, err, errlen) ||
	    !join_path(gen, sizeof(gen), flavour, arch_gen, err, errlen) ||
	    link_entries(arch_fd, src, err, errlen))
		goto out;
	if (symlinkat(gen, arch_fd, "generated")) {
		snprintf(err, errlen, "cannot link in %s%s: %s", path, arch, strerror(errno));
		goto out;
	}
	rc = 0;
out:
	if (inc_fd >= 0)
		close(inc_fd);
	if (arch_fd >= 0)
		close(arch_fd);
	return rc;
}

/* Whether the directory at path is anyone's to read and search. */
static bool readable_by_all(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && (st.st_mode & 0555) == 0555;
}

/*
 * Renames the tree built at tmp into place as name, and never removes a
 * usable tree there that anyone may read: another run may be compiling
 * against it. One that is not usable, or an earlier version's 0700 one
 * (once, on upgrade), is swapped out and removed.
 */
static void place_tree(int dir_fd, const char *tmp, const char *name, const char *path)
{
	if (renameat2(dir_fd, tmp, dir_fd, name, RENAME_NOREPLACE) == 0)
		return;
	if ((!kheaders_tree_usable(path) || !readable_by_all(path)) &&
	    renameat2(dir_fd, tmp, dir_fd, name, RENAME_EXCHANGE) == 0) {
		remove_tree(dir_fd, tmp);
		return;
	}
	remove_tree(dir_fd, tmp); /* another run placed a usable tree first */
}

/* Unpacks the archive into directory dir with tar (and its xz). */
static int unpack(const char *archive, const char *dir, char *err, size_t errlen)
{
	static char *const env[] = { "PATH=/usr/bin:/bin", NULL };
	int status;
	pid_t pid = fork();

	if (pid < 0) {
		snprintf(err, errlen, "cannot unpack %s: %s", archive, strerror(errno));
		return -1;
	}
	if (pid == 0) {
		char *const argv[] = { "tar",
				       "-xJf",
				       (char *)archive,
				       "-C",
				       (char *)dir,
				       "--no-same-owner",
				       "--no-same-permissions",
				       NULL };

		/*
		 * Its own group, so that its xz is killed with it on a stop; out of
		 * the terminal's job control then, so it dies with the tool and
		 * writes its errors to a terminal that stops background writers.
		 */
		setpgid(0, 0);
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		signal(SIGTTOU, SIG_IGN);
		execve("/usr/bin/tar", argv, env);
		execve("/bin/tar", argv, env);
		_exit(127);
	}
	setpgid(pid, pid); /* as the child does: whichever runs first */
	if (wait_child(pid, &status)) {
		snprintf(err, errlen, "stopped while unpacking %s", archive);
		return -1;
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		snprintf(err, errlen, "cannot unpack %s with tar (status %d)", archive, status);
		return -1;
	}
	return 0;
}

/*
 * A tree named name in the kernel-headers directory of the cache,
 * made once by make_tree(ctx, dir_fd, path of the new tree) aside and then
 * renamed into place, so that a reader never sees half a tree.
 */
static int cached_tree(const struct kheaders_search *s, const char *name,
		       int (*make_tree)(const void *ctx, int fd, const char *path, char *err,
					size_t errlen),
		       const void *ctx, char *path, size_t len, char *err, size_t errlen)
{
	char tmp[NAME_MAX], tmp_path[PATH_MAX];
	int cache_fd, dir_fd = -1, tmp_fd = -1, rc = -1, made;
	mode_t old_umask;

	cache_fd = cache_dir_open(AT_FDCWD, s->cache_dir, err, errlen);
	if (cache_fd < 0)
		return -1;
	dir_fd = cache_dir_open(cache_fd, "kernel-headers", err, errlen);
	if (dir_fd < 0)
		goto out;
	if (!strfmt(path, len, "%s/kernel-headers/%s", s->cache_dir, name) ||
	    !strfmt(tmp, sizeof(tmp), ".%s.%ld", name, (long)getpid()) ||
	    !strfmt(tmp_path, sizeof(tmp_path), "%s/kernel-headers/%s", s->cache_dir, tmp)) {
		snprintf(err, errlen, "the header tree's path is too long: %s/kernel-headers/%s",
			 s->cache_dir, name);
		goto out;
	}
	/* One made 0700 by an earlier version is made again, for users given the capabilities. */
	if (kheaders_tree_usable(path) && readable_by_all(path)) {
		rc = 0;
		goto out;
	}
	remove_tree(dir_fd, tmp);
	tmp_fd = cache_dir_open(dir_fd, tmp, err, errlen);
	if (tmp_fd < 0)
		goto out;
	/* Directories and unpacked files anyone may read, whatever the caller's umask. */
	old_umask = umask(022);
	made = make_tree(ctx, tmp_fd, tmp_path, err, errlen);
	umask(old_umask);
	if (made) {
		remove_tree(dir_fd, tmp);
		goto out;
	}
	place_tree(dir_fd, tmp, name, path);
	if (!kheaders_tree_usable(path)) {
		snprintf(err, errlen, "the header tree %s is not usable", path);
		goto out;
	}
	rc = 0;
out:
	if (tmp_fd >= 0)
		close(tmp_fd);
	if (dir_fd >= 0)
		close(dir_fd);
	close(cache_fd);
	return rc;
}

struct debian_pair_dirs {
	const char *common, *flavour, *karch;
};

static int make_merged(const void *ctx, int fd, const char *path, char *err, size_t errlen)
{
	const struct debian_pair_dirs *p = ctx;

	return build_merged(fd, path, p->common, p->flavour, p->karch, err, errlen);
}

static int make_unpacked(const void *ctx, int fd, const char *path, char *err, size_t errlen)
{
	(void)fd;
	return unpack(ctx, path, err, errlen);
}

static int debian_tree(const struct kheaders_search *s, const char *version, struct kheaders *out,
		       char *err, size_t errlen)
{
	char common[PATH_MAX], flavour[PATH_MAX], name[NAME_MAX], path[PATH_MAX];
	struct debian_pair_dirs dirs = {
		.common = common,
		.flavour = flavour,
		.karch = strcmp(s->arch_flavour, "arm64") ? "x86" : "arm64",
	};

	if (!strfmt(common, sizeof(common), "%s/" DEBIAN_PREFIX "%s" DEBIAN_COMMON, s->src_dir,
		    version) ||
	    !strfmt(flavour, sizeof(flavour), "%s/" DEBIAN_PREFIX "%s-%s", s->src_dir, version,
		    s->arch_flavour) ||
	    !strfmt(name, sizeof(name), "%s-%s", version, s->arch_flavour)) {
		snprintf(err, errlen, "the path of Debian's headers %s-%s in %s is too long",
			 version, s->arch_flavour, s->src_dir);
		return -1;
	}
	if (cached_tree(s, name, make_merged, &dirs, path, sizeof(path), err, errlen) ||
	    use_tree(out, KHEADERS_DEBIAN, path, err, errlen))
		return -1;
	read_release(flavour, out->release, sizeof(out->release));
	return 0;
}

/* The kheaders archive, unpacked into the cache (never by libbcc, into /tmp). */
static int archive_tree(const struct kheaders_search *s, struct kheaders *out, char *err,
			size_t errlen)
{
	char name[NAME_MAX], path[PATH_MAX];

	if (!strfmt(name, sizeof(name), "kheaders-%s", s->release)) {
		snprintf(err, errlen, "the release %s is too long for a directory name",
			 s->release);
		return -1;
	}
	if (cached_tree(s, name, make_unpacked, s->archive, path, sizeof(path), err, errlen) ||
	    use_tree(out, KHEADERS_ARCHIVE, path, err, errlen))
		return -1;
	if (!out->release[0])
		strfmt(out->release, sizeof(out->release), "%s", s->release);
	return 0;
}

int kheaders_option_check(const char *dir, char *err, size_t errlen)
{
	if (kheaders_tree_usable(dir))
		return 0;
	snprintf(err, errlen, "--kernel-headers: %s has no include/linux/kconfig.h", dir);
	return -1;
}

int kheaders_resolve(const struct kheaders_search *s, struct kheaders *out, char *err,
		     size_t errlen)
{
	char version[NAME_MAX];

	memset(out, 0, sizeof(*out));
	out->trusted_uid = s->trusted_uid;
	if (s->option_dir) {
		if (kheaders_option_check(s->option_dir, err, errlen))
			return -1;
		return use_tree(out, KHEADERS_OPTION, s->option_dir, err, errlen);
	}
	if (s->env_dir && *s->env_dir) {
		if (!kheaders_tree_usable(s->env_dir)) {
			snprintf(err, errlen,
				 "BCC_KERNEL_SOURCE: %s has no include/linux/kconfig.h",
				 s->env_dir);
			return -1;
		}
		return use_tree(out, KHEADERS_ENV, s->env_dir, err, errlen);
	}
	if (modules_tree(s, out))
		return 0;
	if (access(s->archive, R_OK) == 0)
		return archive_tree(s, out, err, errlen);
	if (debian_pair(s, version, sizeof(version)))
		return debian_tree(s, version, out, err, errlen);
	snprintf(
		err, errlen,
		"no kernel headers found: install linux-headers-%s (or Debian's linux-headers-%s), "
		"load the kheaders module, or point --kernel-headers at a tree",
		s->release, s->arch_flavour);
	return -1;
}

int kheaders_select(const struct kheaders_search *s, struct kheaders *out, char *err, size_t errlen)
{
	if (kheaders_resolve(s, out, err, errlen))
		return -1;
	/* libbcc reads an empty BCC_KERNEL_SOURCE too, as a tree without headers. */
	if (out->tree[0] ? setenv("BCC_KERNEL_SOURCE", out->tree, 1)
			 : unsetenv("BCC_KERNEL_SOURCE")) {
		snprintf(err, errlen, "cannot set BCC_KERNEL_SOURCE: %s", strerror(errno));
		return -1;
	}
	return 0;
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
