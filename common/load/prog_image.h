/*
 * A compiled BPF program, apart from the compiler: each function's
 * instructions, the maps, and which instructions refer to which map. It is
 * what the cache of compiled programs stores (common/load/prog_cache.h) and what
 * gets loaded (common/load/prog_load.h), so a cache hit needs no clang and no
 * libbcc compiler.
 */
#ifndef SNOOP_PROG_IMAGE_H
#define SNOOP_PROG_IMAGE_H

#include <stddef.h>
#include <stdint.h>

#define IMAGE_NAME_LEN 128
#define IMAGE_MAX_MAPS 64
#define IMAGE_MAX_PROGS 64
/* The kernel's own limit on a program's instructions. */
#define IMAGE_MAX_INSNS (1U << 20)

/* No inner map: the map is not a map of maps. */
#define IMAGE_NO_INNER UINT32_MAX

struct image_map {
	char name[IMAGE_NAME_LEN];
	uint32_t type; /* enum bpf_map_type */
	uint32_t key_size;
	uint32_t value_size;
	uint32_t max_entries;
	uint32_t flags;
	uint32_t inner; /* index of the map giving a map of maps its inner shape */
};

/* A 16-byte ld_imm64 at insn whose immediate is the descriptor of map. */
struct image_reloc {
	uint32_t insn;
	uint32_t map;
};

struct image_prog {
	char name[IMAGE_NAME_LEN]; /* the BPF function: libbcc's naming rules apply */
	uint32_t type;		   /* enum bpf_prog_type */
	/* Tracing and LSM programs: the kernel function they are for, and how. */
	char attach[IMAGE_NAME_LEN]; /* "" for other types */
	uint32_t attach_type;	     /* enum bpf_attach_type */
	uint32_t ninsns;
	uint64_t *insns; /* struct bpf_insn, 8 bytes each */
	uint32_t nrelocs;
	struct image_reloc *relocs;
};

struct prog_image {
	char license[IMAGE_NAME_LEN];
	uint32_t kern_version;
	uint32_t nmaps;
	struct image_map maps[IMAGE_MAX_MAPS];
	uint32_t nprogs;
	struct image_prog progs[IMAGE_MAX_PROGS];
};

void prog_image_free(struct prog_image *img);

/* Index of the map or program called name, or -1. */
int prog_image_map(const struct prog_image *img, const char *name);
int prog_image_prog(const struct prog_image *img, const char *name);

/*
 * Whether the image is one the loader can load safely: names terminated,
 * every relocation inside its program on an ld_imm64 and naming a map,
 * inner maps in range. Returns NULL, or what is wrong.
 */
const char *prog_image_check(const struct prog_image *img);

/*
 * The image as bytes, after key (what it was compiled from), with a
 * checksum: *out is malloc'd. Returns 0, or -1 when out of memory.
 */
int prog_image_encode(const struct prog_image *img, const char *key, size_t keylen,
		      unsigned char **out, size_t *outlen);

/*
 * Reads bytes written by prog_image_encode. Returns NULL when they hold a
 * checked image compiled from exactly key, or why not (a stale key, a short
 * or corrupt file); on failure img is left empty.
 */
const char *prog_image_decode(const unsigned char *buf, size_t len, const char *key, size_t keylen,
			      struct prog_image *img);

#endif
