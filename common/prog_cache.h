/*
 * The cache of compiled programs: one file per compile input (the key),
 * holding the program image, in a directory only root can change. Entries
 * are written whole to a temporary file and renamed into place, and read
 * back only when their key, structure and checksum are intact; anything
 * else is a miss, and the caller compiles again.
 */
#ifndef SNOOP_PROG_CACHE_H
#define SNOOP_PROG_CACHE_H

#include <stddef.h>

#include "prog_image.h"
#include "files.h"

#define PROG_CACHE_DIR SNOOP_CACHE_DIR "/programs"

/* Entries larger than this are not read (a program has at most 1M instructions). */
#define PROG_CACHE_MAX_ENTRY (64u << 20)

/* The entry's path for key, in dir: "DIR/HASH.prog". */
void prog_cache_path(const char *dir, const char *key, size_t keylen, char *buf, size_t len);

/*
 * Reads the entry of key from dir (created if missing, parents included).
 * Returns 0 with img filled on a hit; -1 on a miss, with why.
 */
int prog_cache_lookup(const char *dir, const char *key, size_t keylen, struct prog_image *img,
		      char *why, size_t whylen);

/* Writes img as the entry of key, atomically. Returns 0, or -1 with why. */
int prog_cache_store(const char *dir, const char *key, size_t keylen,
		     const struct prog_image *img, char *why, size_t whylen);

#endif
