#include "files.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int cache_root(char *buf, size_t len, char *err, size_t errlen)
{
	/* Not from whoever started a set-user-ID or file-capability run. */
	const char *dirs = secure_getenv("CACHE_DIRECTORY");
	size_t first;

	if (!dirs || !*dirs)
		dirs = SNOOP_CACHE_DIR;
	first = strcspn(dirs, ":");
	if (dirs[0] != '/' || first >= len) {
		snprintf(err, errlen,
			 "CACHE_DIRECTORY: %.*s is not an absolute path of under %zu bytes",
			 (int)first, dirs, len);
		return -1;
	}
	memcpy(buf, dirs, first);
	buf[first] = '\0';
	return 0;
}

bool cache_file_trusted(const struct stat *st)
{
	return (st->st_uid == geteuid() || st->st_uid == 0) && !(st->st_mode & 022);
}

int cache_dir_open(int parent, const char *name, char *err, size_t errlen)
{
	struct stat st;
	int fd;

	int made_errno = mkdirat(parent, name, 0755) ? errno : 0;

	/* EACCES: another user's directory (root's), where this one may still read. */
	if (made_errno && made_errno != EEXIST && made_errno != EACCES) {
		snprintf(err, errlen, "cannot create %s: %s", name, strerror(made_errno));
		return -1;
	}
	fd = openat(parent, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT && made_errno == EACCES) {
		snprintf(err, errlen,
			 "cannot create %s: %s (a start as root, or as its owner, makes it)", name,
			 strerror(made_errno));
		return -1;
	}
	if (fd < 0) {
		snprintf(err, errlen, "cannot open %s: %s", name, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) || !cache_file_trusted(&st)) {
		snprintf(err, errlen,
			 "%s is not a directory of this user or root that only its owner may write",
			 name);
		close(fd);
		return -1;
	}
	/* Whatever the umask made it, or an earlier version (0700). */
	if (st.st_uid == geteuid() && (st.st_mode & 0777) != 0755 && fchmod(fd, 0755)) {
		snprintf(err, errlen, "cannot open %s to readers: %s", name, strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

int write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

ssize_t read_full(int fd, void *buf, size_t len)
{
	size_t got = 0;

	while (got < len) {
		ssize_t n = read(fd, (char *)buf + got, len - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0)
			break;
		got += (size_t)n;
	}
	return (ssize_t)got;
}
