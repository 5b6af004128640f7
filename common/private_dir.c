#include "private_dir.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int private_dir_open(int parent, const char *name, char *err, size_t errlen)
{
	struct stat st;
	int fd;

	if (mkdirat(parent, name, 0700) && errno != EEXIST) {
		snprintf(err, errlen, "cannot create %s: %s", name, strerror(errno));
		return -1;
	}
	fd = openat(parent, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		snprintf(err, errlen, "cannot open %s: %s", name, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) || st.st_uid != geteuid() || (st.st_mode & 022)) {
		snprintf(err, errlen, "%s is not a private directory owned by this user", name);
		close(fd);
		return -1;
	}
	return fd;
}
