#include "prog_image.h"
#include "../hash.h"
#include "../text.h"

#include <linux/bpf.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The format's name and version: a new layout gets a new magic. */
static const char image_magic[8] = { 'S', 'N', 'O', 'O', 'P', 'C', 'I', '2' };

/* An ld_imm64 instruction's first half: opcode BPF_LD | BPF_DW | BPF_IMM. */
#define LD_IMM64 (BPF_LD | BPF_DW | BPF_IMM)

void prog_image_free(struct prog_image *img)
{
	for (uint32_t i = 0; i < img->nprogs; i++) {
		free(img->progs[i].insns);
		free(img->progs[i].relocs);
	}
	memset(img, 0, sizeof(*img));
}

int prog_image_map(const struct prog_image *img, const char *name)
{
	for (uint32_t i = 0; i < img->nmaps; i++) {
		if (!strcmp(img->maps[i].name, name))
			return (int)i;
	}
	return -1;
}

int prog_image_prog(const struct prog_image *img, const char *name)
{
	for (uint32_t i = 0; i < img->nprogs; i++) {
		if (!strcmp(img->progs[i].name, name))
			return (int)i;
	}
	return -1;
}

static bool name_ok(const char *name)
{
	size_t len = bounded_strlen(name, IMAGE_NAME_LEN);

	return len > 0 && len < IMAGE_NAME_LEN;
}

static const struct bpf_insn *insn_at(const struct image_prog *p, uint32_t i)
{
	return (const struct bpf_insn *)&p->insns[i];
}

/*
 * Every map load of the program is relocated and nothing else is: an
 * unrelocated one would carry a descriptor number from the compiling
 * process. Relocations come in instruction order.
 */
static const char *relocs_check(const struct prog_image *img, const struct image_prog *p)
{
	uint32_t r = 0;

	for (uint32_t i = 0; i < p->ninsns; i++) {
		const struct bpf_insn *insn = insn_at(p, i);

		if (insn->code != LD_IMM64)
			continue;
		if (i + 1 >= p->ninsns)
			return "ld_imm64 cut short";
		if (insn->src_reg == BPF_PSEUDO_MAP_FD) {
			if (r == p->nrelocs || p->relocs[r].insn != i)
				return "map load without relocation";
			if (p->relocs[r].map >= img->nmaps)
				return "relocation names no map";
			r++;
		} else if (insn->src_reg != 0) {
			return "unsupported pseudo instruction";
		}
		i++; /* the second half of the ld_imm64 */
	}
	return r == p->nrelocs ? NULL : "relocation not on a map load";
}

const char *prog_image_check(const struct prog_image *img)
{
	if (img->nmaps > IMAGE_MAX_MAPS || img->nprogs > IMAGE_MAX_PROGS)
		return "too many maps or programs";
	if (bounded_strlen(img->license, IMAGE_NAME_LEN) == IMAGE_NAME_LEN)
		return "bad license";
	for (uint32_t i = 0; i < img->nmaps; i++) {
		const struct image_map *m = &img->maps[i];

		if (!name_ok(m->name))
			return "bad map name";
		if (m->inner != IMAGE_NO_INNER &&
		    (m->inner >= img->nmaps || img->maps[m->inner].inner != IMAGE_NO_INNER))
			return "bad inner map";
	}
	for (uint32_t i = 0; i < img->nprogs; i++) {
		const struct image_prog *p = &img->progs[i];
		const char *why;

		if (!name_ok(p->name))
			return "bad program name";
		if (bounded_strlen(p->attach, IMAGE_NAME_LEN) == IMAGE_NAME_LEN)
			return "bad attach target";
		if (!p->ninsns || p->ninsns > IMAGE_MAX_INSNS || !p->insns)
			return "bad instruction count";
		if (p->nrelocs > p->ninsns || (p->nrelocs && !p->relocs))
			return "bad relocation count";
		why = relocs_check(img, p);
		if (why)
			return why;
	}
	return NULL;
}

/* A growing byte buffer; failed stays set after the first failed allocation. */
struct writer {
	unsigned char *buf;
	size_t len, cap;
	bool failed;
};

static void put(struct writer *w, const void *data, size_t len)
{
	if (w->failed)
		return;
	if (w->len + len > w->cap) {
		size_t cap = w->cap ? w->cap : 4096;
		unsigned char *buf;

		while (cap < w->len + len)
			cap *= 2;
		buf = realloc(w->buf, cap);
		if (!buf) {
			w->failed = true;
			return;
		}
		w->buf = buf;
		w->cap = cap;
	}
	memcpy(w->buf + w->len, data, len);
	w->len += len;
}

static void put_u32(struct writer *w, uint32_t v)
{
	put(w, &v, sizeof(v));
}

static void put_u64(struct writer *w, uint64_t v)
{
	put(w, &v, sizeof(v));
}

static void put_str(struct writer *w, const char *s)
{
	uint32_t len = (uint32_t)strlen(s);

	put_u32(w, len);
	put(w, s, len);
}

int prog_image_encode(const struct prog_image *img, const char *key, size_t keylen,
		      unsigned char **out, size_t *outlen)
{
	struct writer w = { 0 };

	put(&w, image_magic, sizeof(image_magic));
	put_u64(&w, keylen);
	put(&w, key, keylen);
	put_u32(&w, img->kern_version);
	put_str(&w, img->license);
	put_u32(&w, img->nmaps);
	for (uint32_t i = 0; i < img->nmaps; i++) {
		const struct image_map *m = &img->maps[i];

		put_str(&w, m->name);
		put_u32(&w, m->type);
		put_u32(&w, m->key_size);
		put_u32(&w, m->value_size);
		put_u32(&w, m->max_entries);
		put_u32(&w, m->flags);
		put_u32(&w, m->inner);
	}
	put_u32(&w, img->nprogs);
	for (uint32_t i = 0; i < img->nprogs; i++) {
		const struct image_prog *p = &img->progs[i];

		put_str(&w, p->name);
		put_u32(&w, p->type);
		put_str(&w, p->attach);
		put_u32(&w, p->attach_type);
		put_u32(&w, p->ninsns);
		put(&w, p->insns, (size_t)p->ninsns * sizeof(*p->insns));
		put_u32(&w, p->nrelocs);
		put(&w, p->relocs, (size_t)p->nrelocs * sizeof(*p->relocs));
	}
	if (!w.failed)
		put_u64(&w, hash64(w.buf, w.len, 0));
	if (w.failed) {
		free(w.buf);
		return -1;
	}
	*out = w.buf;
	*outlen = w.len;
	return 0;
}

/* Reading within [p, end); any read past the end sets short_read and yields zeros. */
struct reader {
	const unsigned char *p, *end;
	bool short_read;
};

static const unsigned char *take(struct reader *r, size_t len)
{
	const unsigned char *at = r->p;

	if (r->short_read || (size_t)(r->end - r->p) < len) {
		r->short_read = true;
		return NULL;
	}
	r->p += len;
	return at;
}

/* The reader's put(): copies len bytes into dst, or leaves dst as it is past the end. */
static void get(struct reader *r, void *dst, size_t len)
{
	const unsigned char *at = take(r, len);

	if (at)
		memcpy(dst, at, len);
}

static uint32_t get_u32(struct reader *r)
{
	uint32_t v = 0;

	get(r, &v, sizeof(v));
	return v;
}

static uint64_t get_u64(struct reader *r)
{
	uint64_t v = 0;

	get(r, &v, sizeof(v));
	return v;
}

/*
 * A string into a fixed field; false when it does not fit, is cut short or
 * holds a NUL (which put_str never writes: the name would not be the one
 * stored).
 */
static bool get_str(struct reader *r, char *dst, size_t size)
{
	uint32_t len = get_u32(r);
	const unsigned char *at;

	if (len >= size)
		return false;
	at = take(r, len);
	if (!at || memchr(at, '\0', len))
		return false;
	memcpy(dst, at, len);
	dst[len] = '\0';
	return true;
}

/* count elements of size bytes, copied into a new array; NULL when short or huge. */
static void *get_array(struct reader *r, uint32_t count, size_t size, uint32_t max)
{
	const unsigned char *at;
	void *copy;

	if (count > max)
		return NULL;
	at = take(r, (size_t)count * size);
	if (!at || !count)
		return NULL;
	copy = malloc((size_t)count * size);
	if (copy)
		memcpy(copy, at, (size_t)count * size);
	return copy;
}

/* Counts are checked before they are stored: prog_image_free trusts nprogs. */
static const char *decode_body(struct reader *r, struct prog_image *img)
{
	uint32_t count;

	img->kern_version = get_u32(r);
	if (!get_str(r, img->license, sizeof(img->license)))
		return "bad license";
	count = get_u32(r);
	if (count > IMAGE_MAX_MAPS)
		return "too many maps";
	img->nmaps = count;
	for (uint32_t i = 0; i < img->nmaps; i++) {
		struct image_map *m = &img->maps[i];

		if (!get_str(r, m->name, sizeof(m->name)))
			return "bad map name";
		m->type = get_u32(r);
		m->key_size = get_u32(r);
		m->value_size = get_u32(r);
		m->max_entries = get_u32(r);
		m->flags = get_u32(r);
		m->inner = get_u32(r);
	}
	count = get_u32(r);
	if (count > IMAGE_MAX_PROGS)
		return "too many programs";
	img->nprogs = count;
	for (uint32_t i = 0; i < img->nprogs; i++) {
		struct image_prog *p = &img->progs[i];

		if (!get_str(r, p->name, sizeof(p->name)))
			return "bad program name";
		p->type = get_u32(r);
		if (!get_str(r, p->attach, sizeof(p->attach)))
			return "bad attach target";
		p->attach_type = get_u32(r);
		p->ninsns = get_u32(r);
		p->insns = get_array(r, p->ninsns, sizeof(*p->insns), IMAGE_MAX_INSNS);
		if (!p->insns)
			return "bad instructions";
		p->nrelocs = get_u32(r);
		p->relocs = get_array(r, p->nrelocs, sizeof(*p->relocs), p->ninsns);
		if (p->nrelocs && !p->relocs)
			return "bad relocations";
	}
	return r->short_read ? "cut short" : NULL;
}

const char *prog_image_decode(const unsigned char *buf, size_t len, const char *key, size_t keylen,
			      struct prog_image *img)
{
	struct reader r = { buf, buf + len, false };
	const unsigned char *magic, *stored_key;
	const char *why;
	uint64_t sum;

	memset(img, 0, sizeof(*img));
	if (len < sizeof(image_magic) + 8 + 8)
		return "too short";
	memcpy(&sum, buf + len - 8, 8);
	if (sum != hash64(buf, len - 8, 0))
		return "checksum mismatch (corrupt or cut short)";
	r.end = buf + len - 8;
	magic = take(&r, sizeof(image_magic));
	if (!magic || memcmp(magic, image_magic, sizeof(image_magic)))
		return "not a snoop-c program image of this version";
	if (get_u64(&r) != keylen)
		return "compiled from other inputs";
	stored_key = take(&r, keylen);
	if (!stored_key || memcmp(stored_key, key, keylen))
		return "compiled from other inputs";
	why = decode_body(&r, img);
	if (!why && r.p != r.end)
		why = "trailing bytes";
	if (!why)
		why = prog_image_check(img);
	if (why)
		prog_image_free(img);
	return why;
}
