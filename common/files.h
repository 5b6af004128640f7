/* Files: the cache's directories under /var/cache, whole reads and writes. */
#ifndef SNOOP_FILES_H
#define SNOOP_FILES_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>
#include <sys/types.h>

/* snoop-c's cache: merged kernel headers and compiled programs live below it. */
#define SNOOP_CACHE_DIR "/var/cache/snoop-c"

/*
 * The cache's root in buf: the directory systemd's CacheDirectory= names
 * in CACHE_DIRECTORY (the first, where it names several), so that a service
 * of its own user has a cache of its own; SNOOP_CACHE_DIR without it, or
 * in a set-user-ID or file-capability start (secure_getenv).
 * Returns 0, or -1 with err set when CACHE_DIRECTORY is not an absolute
 * path that fits.
 */
int cache_root(char *buf, size_t len, char *err, size_t errlen);

/*
 * Opens directory name of the cache under parent (a descriptor or
 * AT_FDCWD), creating it with mode 0755 when missing and this user may. It
 * must be owned by this user or by root and writable by nobody else: what
 * is in it was written by one of the two. One of this user's is made 0755,
 * whatever the umask or an earlier version (0700) made it, so that a user
 * given the capabilities may load what root compiled. Returns a
 * descriptor, or -1 with err set.
 */
int cache_dir_open(int parent, const char *name, char *err, size_t errlen);

/* Whether a file of the cache is this user's or root's, and writable by nobody else. */
bool cache_file_trusted(const struct stat *st);

/* Writes all of buf, across short writes and EINTR. Returns 0, or -1 (errno set). */
int write_all(int fd, const void *buf, size_t len);

/*
 * Reads up to len bytes, across short reads and EINTR, stopping early only
 * at the end of the file. Returns the count, or -1 (errno set).
 */
ssize_t read_full(int fd, void *buf, size_t len);

#endif
