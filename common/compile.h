/*
 * Compiling BPF C with libbcc's clang into a program image. libbcc (and
 * with it LLVM, some 70 MB) is loaded with dlopen on the first compile, so
 * a tool that starts from the cache of compiled programs never maps it.
 */
#ifndef SNOOP_COMPILE_H
#define SNOOP_COMPILE_H

#include <stddef.h>
#include <stdint.h>

#include "prog_image.h"

/* A BPF function to take from the compiled module, with its program type. */
struct snoop_function {
	const char *name;
	uint32_t prog_type;
	const char *attach; /* tracing and LSM programs: their kernel function; else "" */
	uint32_t attach_type;
};

/*
 * Compiles source with cflags and fills img with the functions asked for
 * and every map. A map of maps NAME takes its inner map's shape from the
 * map NAME_shape (libbcc does not tell which map it was declared with).
 * Returns 0, or -1 with err set.
 */
int snoop_compile(const char *source, const char *const *cflags, int ncflags,
		  const struct snoop_function *funcs, size_t nfuncs, struct prog_image *img,
		  char *err, size_t errlen);

/*
 * The libbcc file a compile would load and its identity (path, inode,
 * size, modification time), for the cache key; without loading it.
 */
void compiler_library_identity(char *buf, size_t len);

#endif
