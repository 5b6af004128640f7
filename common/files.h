/* Files: private directories under /var/cache, whole reads and writes. */
#ifndef SNOOP_FILES_H
#define SNOOP_FILES_H

#include <stddef.h>
#include <sys/types.h>

/* snoop-c's cache: merged kernel headers and compiled programs live below it. */
#define SNOOP_CACHE_DIR "/var/cache/snoop-c"

/*
 * Opens directory name under parent (a descriptor or AT_FDCWD), creating it
 * with mode 0700 when missing. It must be owned by this user and writable
 * by nobody else. Returns a descriptor, or -1 with err set.
 */
int private_dir_open(int parent, const char *name, char *err, size_t errlen);

/* Writes all of buf, across short writes and EINTR. Returns 0, or -1 (errno set). */
int write_all(int fd, const void *buf, size_t len);

/*
 * Reads up to len bytes, across short reads and EINTR, stopping early only
 * at the end of the file. Returns the count, or -1 (errno set).
 */
ssize_t read_full(int fd, void *buf, size_t len);

#endif
