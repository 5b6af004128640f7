/*
 * Compiling BPF C with libbcc's clang into a program image. libbcc (and
 * with it LLVM, some 70 MB) is loaded with dlopen on the first compile, so
 * a tool that starts from the cache of compiled programs never maps it.
 * The file loaded is LIBBCC_LIBDIR/libbcc.so.0 (the Makefile's, from
 * pkg-config), by its absolute path: no search of the loader's picks it.
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
 * Returns 0, or -1 with err set (naming libbcc's file when it is not there),
 * or SNOOP_COMPILE_STOPPED when SIGINT or SIGTERM came while the compiler
 * ran (common/stop_signals.h): the compiler is killed, img left empty.
 */
#define SNOOP_COMPILE_STOPPED 1
int snoop_compile(const char *source, const char *const *cflags, int ncflags,
		  const struct snoop_function *funcs, size_t nfuncs, struct prog_image *img,
		  char *err, size_t errlen);

/*
 * For the cache key, without loading it: the libbcc file a compile loads,
 * its links resolved, with its device, inode, size and modification time
 * (to the nanosecond), so that a libbcc rebuilt or replaced at the same
 * version is another key; or its path and why it is not there.
 */
void compiler_library_identity(char *buf, size_t len);

#endif
