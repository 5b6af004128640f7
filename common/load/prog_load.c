/* A program image into the kernel: its maps created, its programs loaded. */
#include "prog_load.h"
#include "../text.h"

#include <bcc/libbpf.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <linux/bpf.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/* The verifier's log of a program it refused, printed on stderr. */
#define VERIFIER_LOG_SIZE (1 << 20)

static int create_map(const struct prog_image *img, uint32_t i, struct loaded_image *li)
{
	const struct image_map *m = &img->maps[i];
	struct bcc_create_map_attr attr = {
		.name = m->name,
		.map_type = (enum bpf_map_type)m->type,
		.map_flags = m->flags,
		.key_size = m->key_size,
		.value_size = m->value_size,
		.max_entries = m->max_entries,
	};

	if (m->inner != IMAGE_NO_INNER) {
		if (li->map_fds[m->inner] < 0)
			return -1;
		attr.inner_map_fd = (__u32)li->map_fds[m->inner];
	}
	li->map_fds[i] = bcc_create_map_xattr(&attr, true);
	return li->map_fds[i] < 0 ? -1 : 0;
}

/*
 * A tracing or LSM program is checked against the kernel function it is
 * for (its BTF ID), which libbcc would otherwise derive from its name.
 */
static int load_attached(const struct image_prog *p, const char *license,
			 const struct bpf_insn *insns, struct bpf_prog_load_opts *opts)
{
	char name[BPF_OBJ_NAME_LEN];
	int fd, btf_id =
			libbpf_find_vmlinux_btf_id(p->attach, (enum bpf_attach_type)p->attach_type);

	if (btf_id < 0) {
		errno = -btf_id;
		return -1;
	}
	opts->attach_btf_id = (__u32)btf_id;
	opts->expected_attach_type = (enum bpf_attach_type)p->attach_type;
	strfmt(name, sizeof(name), "%s", p->name);
	fd = bpf_prog_load((enum bpf_prog_type)p->type, name, license, insns, p->ninsns, opts);
	if (fd < 0) {
		/* Again with the verifier's log, which says why (as libbcc prints it). */
		int saved = errno;
		char *log = malloc(VERIFIER_LOG_SIZE);

		if (log) {
			log[0] = '\0';
			opts->log_buf = log;
			opts->log_size = VERIFIER_LOG_SIZE;
			opts->log_level = 1;
			if (bpf_prog_load((enum bpf_prog_type)p->type, name, license, insns,
					  p->ninsns, opts) < 0)
				fprintf(stderr, "%s", log);
			free(log);
		}
		errno = saved;
	}
	return fd;
}

static int load_prog(const struct prog_image *img, uint32_t i, struct loaded_image *li)
{
	const struct image_prog *p = &img->progs[i];
	size_t size = (size_t)p->ninsns * sizeof(*p->insns);
	struct bpf_insn *insns = malloc(size);
	struct bpf_prog_load_opts opts = { .sz = sizeof(opts), .kern_version = img->kern_version };

	if (!insns)
		return -1;
	memcpy(insns, p->insns, size);
	for (uint32_t r = 0; r < p->nrelocs; r++)
		insns[p->relocs[r].insn].imm = li->map_fds[p->relocs[r].map];
	if (p->attach[0])
		li->prog_fds[i] = load_attached(p, img->license, insns, &opts);
	else
		li->prog_fds[i] = bcc_prog_load_xattr((enum bpf_prog_type)p->type, p->name,
						      img->license, insns, &opts, (int)size, NULL,
						      0, true);
	free(insns);
	return li->prog_fds[i] < 0 ? -1 : 0;
}

int prog_image_load(const struct prog_image *img, const bool *wanted, struct loaded_image *li,
		    char *err, size_t errlen)
{
	for (size_t i = 0; i < IMAGE_MAX_MAPS; i++)
		li->map_fds[i] = -1;
	for (size_t i = 0; i < IMAGE_MAX_PROGS; i++)
		li->prog_fds[i] = -1;
	/* Inner maps first: a map of maps is created from its inner map's descriptor. */
	for (int pass = 0; pass < 2; pass++) {
		for (uint32_t i = 0; i < img->nmaps; i++) {
			bool outer = img->maps[i].inner != IMAGE_NO_INNER;

			if (outer != (pass == 1))
				continue;
			if (create_map(img, i, li)) {
				snprintf(err, errlen, "creating map %s failed: %s",
					 img->maps[i].name, strerror(errno));
				return -1;
			}
		}
	}
	for (uint32_t i = 0; i < img->nprogs; i++) {
		if (wanted[i] && load_prog(img, i, li)) {
			snprintf(err, errlen, "loading %s failed: %s", img->progs[i].name,
				 strerror(errno));
			return -1;
		}
	}
	return 0;
}

int mapped_values_map(struct mapped_values *m, int fd, size_t bytes, bool writable)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	size_t len = (bytes + page - 1) / page * page;
	void *addr = mmap(NULL, len, PROT_READ | (writable ? PROT_WRITE : 0), MAP_SHARED, fd, 0);

	if (addr == MAP_FAILED)
		return -1;
	m->addr = addr;
	m->bytes = len;
	return 0;
}

void mapped_values_unmap(struct mapped_values *m)
{
	if (m->addr)
		munmap(m->addr, m->bytes);
	m->addr = NULL;
}

void loaded_image_close(struct loaded_image *li)
{
	for (size_t i = 0; i < IMAGE_MAX_MAPS; i++) {
		if (li->map_fds[i] >= 0)
			close(li->map_fds[i]);
		li->map_fds[i] = -1;
	}
	for (size_t i = 0; i < IMAGE_MAX_PROGS; i++) {
		if (li->prog_fds[i] >= 0)
			close(li->prog_fds[i]);
		li->prog_fds[i] = -1;
	}
}
