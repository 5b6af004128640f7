/*
 * The cache of compiled programs: one file per compile input (the key),
 * holding the program image, in a directory only its owner (root, or the
 * user the tool runs as) can change. Entries
 * are written whole to a temporary file and renamed into place, and read
 * back only when their key, structure and checksum are intact; anything
 * else is a miss, and the caller compiles again.
 */
#ifndef SNOOP_PROG_CACHE_H
#define SNOOP_PROG_CACHE_H

#include <stdbool.h>
#include <stddef.h>

#include "compile.h"
#include "../files.h"
#include "prog_image.h"

/* Entries larger than this are not read (a program has at most 1M instructions). */
#define PROG_CACHE_MAX_ENTRY (64u << 20)

/*
 * Everything a compile depends on that the machine does not say itself.
 * Its flags and functions are not among them: they follow from these, the
 * kernel's build and the program that planned them (its build ID), so a
 * start from the cache needs no probe of the kernel to find its entry.
 */
struct prog_cache_inputs {
	const char *tool;
	const char *source;
	bool ring_buffer;	      /* --ring-buffer */
	const char *headers_tree;     /* BCC_KERNEL_SOURCE, or NULL: libbcc's default */
	const char *headers_dir;      /* the header tree checked */
	const char *headers_identity; /* the files that say what the headers are */
};

/*
 * The key of a compile: the inputs, and what the machine adds (libbcc, the
 * kernel, its BTF, the possible CPUs, the running program's build ID), as
 * text; NULL when out of memory.
 * The entry must have been compiled from exactly this.
 */
char *prog_cache_key(const struct prog_cache_inputs *in, size_t *len);

/* The entry's path for key, in dir: "DIR/HASH.prog". */
void prog_cache_path(const char *dir, const char *key, size_t keylen, char *buf, size_t len);

/*
 * Reads the entry of key from dir (created if missing, parents included).
 * Returns 0 with img filled on a hit; -1 on a miss, with why.
 */
int prog_cache_lookup(const char *dir, const char *key, size_t keylen, struct prog_image *img,
		      char *why, size_t whylen);

/* Writes img as the entry of key, atomically. Returns 0, or -1 with why. */
int prog_cache_store(const char *dir, const char *key, size_t keylen, const struct prog_image *img,
		     char *why, size_t whylen);

#endif
