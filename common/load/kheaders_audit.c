/*
 * The ownership audit of a kernel header tree before a compile (see
 * kheaders.h): nobody but root, or the search's trusted user, may be able
 * to change what clang will read.
 */
#include "kheaders.h"
#include "../text.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

/* How deep kheaders_check follows directories (and links to them) below include/. */
#define MAX_TREE_DEPTH 24

/*
 * Whether a file or directory is root's (or the trusted user's) and
 * writable by nobody else. A sticky directory above the headers (/tmp) is
 * fine: others cannot rename or remove what root put in it.
 */
static bool safe_owner(const struct stat *st, uid_t trusted, bool above)
{
	if (st->st_uid != 0 && st->st_uid != trusted)
		return false;
	if (!(st->st_mode & (S_IWGRP | S_IWOTH)))
		return true;
	return above && S_ISDIR(st->st_mode) && (st->st_mode & S_ISVTX);
}

static int untrusted(const char *path, const struct stat *st, char *err, size_t errlen)
{
	snprintf(
		err, errlen,
		"kernel headers: %s can be changed by users other than root (owner %u, mode %04o): "
		"not compiling against them",
		path, (unsigned)st->st_uid, (unsigned)(st->st_mode & 07777));
	return -1;
}

/* The directory or file at path: root's, or the trusted user's, and nobody else's to write. */
static int check_one(const char *path, uid_t trusted, bool above, char *err, size_t errlen)
{
	struct stat st;

	if (stat(path, &st)) {
		snprintf(err, errlen, "kernel headers: %s: %s", path, strerror(errno));
		return -1;
	}
	return safe_owner(&st, trusted, above) ? 0 : untrusted(path, &st, err, errlen);
}

/* path, symbolic links resolved, and every directory above it, "/" first. */
static int check_path(const char *path, uid_t trusted, char *err, size_t errlen)
{
	char real[PATH_MAX], prefix[PATH_MAX];

	if (!realpath(path, real)) {
		snprintf(err, errlen, "kernel headers: %s: %s", path, strerror(errno));
		return -1;
	}
	if (check_one("/", trusted, real[1] != '\0', err, errlen))
		return -1;
	for (size_t end = 1; real[end - 1] != '\0'; end++) {
		if (real[end] != '/' && real[end] != '\0')
			continue;
		memcpy(prefix, real, end);
		prefix[end] = '\0';
		if (check_one(prefix, trusted, real[end] != '\0', err, errlen))
			return -1;
	}
	return 0;
}

/* Every entry below directory fd (named path), links followed, depth levels down at most. */
static int check_entries(int fd, const char *path, uid_t trusted, int depth, char *err,
			 size_t errlen)
{
	DIR *d = fdopendir(fd);
	struct dirent *e;
	int rc = 0;

	if (!d) {
		close(fd);
		snprintf(err, errlen, "kernel headers: %s: %s", path, strerror(errno));
		return -1;
	}
	while (rc == 0 && (e = readdir(d))) {
		char child[PATH_MAX];
		struct stat st;
		int child_fd;

		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		strfmt(child, sizeof(child), "%s/%s", path, e->d_name);
		if (fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW))
			continue; /* gone meanwhile */
		/* A link is as safe as where it leads: its target and the directories above it. */
		if (S_ISLNK(st.st_mode)) {
			if (fstatat(dirfd(d), e->d_name, &st, 0))
				continue; /* dangling: nothing to include */
			rc = check_path(child, trusted, err, errlen);
			if (rc)
				break;
		}
		if (!safe_owner(&st, trusted, false)) {
			rc = untrusted(child, &st, err, errlen);
			break;
		}
		if (!S_ISDIR(st.st_mode))
			continue;
		if (depth == 0) {
			snprintf(err, errlen, "kernel headers: %s: directories nested too deep",
				 child);
			rc = -1;
			break;
		}
		child_fd = openat(dirfd(d), e->d_name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (child_fd >= 0)
			rc = check_entries(child_fd, child, trusted, depth - 1, err, errlen);
	}
	closedir(d);
	return rc;
}

int kheaders_check(const struct kheaders *k, char *err, size_t errlen)
{
	struct utsname un;
	const char *karch;

	uname(&un);
	karch = !strcmp(un.machine, "aarch64") ? "arm64" : "x86";
	for (size_t i = 0; i < sizeof(k->checked_dirs) / sizeof(k->checked_dirs[0]); i++) {
		char sub[2][PATH_MAX];

		if (!k->checked_dirs[i][0])
			continue;
		if (check_path(k->checked_dirs[i], k->trusted_uid, err, errlen))
			return -1;
		strfmt(sub[0], sizeof(sub[0]), "%s/include", k->checked_dirs[i]);
		strfmt(sub[1], sizeof(sub[1]), "%s/arch/%s/include", k->checked_dirs[i], karch);
		for (size_t j = 0; j < 2; j++) {
			int fd = open(sub[j], O_RDONLY | O_DIRECTORY | O_CLOEXEC);

			if (fd < 0)
				continue; /* a split tree's build/ has no arch headers of its own */
			if (check_path(sub[j], k->trusted_uid, err, errlen) ||
			    check_entries(fd, sub[j], k->trusted_uid, MAX_TREE_DEPTH, err, errlen))
				return -1;
		}
	}
	return 0;
}
