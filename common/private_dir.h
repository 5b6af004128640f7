/* Directories under /var/cache that only root (the tools' user) may change. */
#ifndef SNOOP_PRIVATE_DIR_H
#define SNOOP_PRIVATE_DIR_H

#include <stddef.h>

/* snoop-c's cache: merged kernel headers and compiled programs live below it. */
#define SNOOP_CACHE_DIR "/var/cache/snoop-c"

/*
 * Opens directory name under parent (a descriptor or AT_FDCWD), creating it
 * with mode 0700 when missing. It must be owned by this user and writable
 * by nobody else. Returns a descriptor, or -1 with err set.
 */
int private_dir_open(int parent, const char *name, char *err, size_t errlen);

#endif
