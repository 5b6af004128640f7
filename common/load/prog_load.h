/*
 * Loading a program image (prog_image.h) into the kernel, with libbcc_bpf
 * and libbpf alone: no compiler.
 */
#ifndef SNOOP_PROG_LOAD_H
#define SNOOP_PROG_LOAD_H

#include <stdbool.h>
#include <stddef.h>

#include "prog_image.h"

/*
 * The loaded image: one descriptor per map and per program, in the image's
 * order. Loading creates the maps, writes their descriptors into the
 * instructions that refer to them and loads each program.
 */
struct loaded_image {
	int map_fds[IMAGE_MAX_MAPS];
	int prog_fds[IMAGE_MAX_PROGS];
};

/*
 * Creates every map and loads the programs wanted[i] names (an image holds
 * every mode's; a run loads one mode's): the others keep descriptor -1.
 * Returns 0, or -1 with err set (errno kept); fds already made are in li.
 */
int prog_image_load(const struct prog_image *img, const bool *wanted, struct loaded_image *li,
		    char *err, size_t errlen);

/* An array map's values in memory (a BPF_F_MMAPABLE array), read and written without bpf() calls. */
struct mapped_values {
	void *addr; /* NULL: not mapped */
	size_t bytes;
};

/*
 * Maps the first bytes of the values of the array map fd, for reading, and
 * for writing too when writable: 0, or -1 with errno set.
 */
int mapped_values_map(struct mapped_values *m, int fd, size_t bytes, bool writable);

/* Unmaps m, if mapped. */
void mapped_values_unmap(struct mapped_values *m);

/* Closes every descriptor of li. */
void loaded_image_close(struct loaded_image *li);

#endif
