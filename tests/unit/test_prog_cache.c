/* The cache of compiled programs: images survive a round trip, and nothing else does. */
#include <fcntl.h>
#include <linux/bpf.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../common/array_size.h"
#include "../../common/hash.h"
#include "../../common/load/prog_cache.h"
#include "../../common/load/prog_image.h"
#include "unit.h"

static const char key[] = "tool t\nsource\nint x;";

/* ld_imm64 of a map (src_reg 1) at insns[at], as libbcc leaves it with a descriptor. */
static void map_load(uint64_t *insns, uint32_t at, int fd)
{
	struct bpf_insn ld[2] = {
		{ .code = BPF_LD | BPF_DW | BPF_IMM,
		  .dst_reg = 1,
		  .src_reg = BPF_PSEUDO_MAP_FD,
		  .imm = fd },
		{ 0 },
	};

	memcpy(&insns[at], ld, sizeof(ld));
}

static void exit_insn(uint64_t *insns, uint32_t at)
{
	struct bpf_insn ex = { .code = BPF_JMP | BPF_EXIT };

	memcpy(&insns[at], &ex, sizeof(ex));
}

/* Two maps (an array of maps and its inner shape), one program loading both. */
static void sample_image(struct prog_image *img)
{
	struct image_prog *p = &img->progs[0];

	memset(img, 0, sizeof(*img));
	strcpy(img->license, "GPL");
	img->kern_version = 0x60c00;
	img->nmaps = 2;
	img->maps[0] = (struct image_map){ .name = "shape",
					   .type = BPF_MAP_TYPE_HASH,
					   .key_size = 8,
					   .value_size = 4,
					   .max_entries = 1,
					   .inner = IMAGE_NO_INNER };
	img->maps[1] = (struct image_map){ .name = "outer",
					   .type = BPF_MAP_TYPE_ARRAY_OF_MAPS,
					   .key_size = 4,
					   .value_size = 4,
					   .max_entries = 1,
					   .inner = 0 };
	img->nprogs = 1;
	strcpy(p->name, "tracepoint__syscalls__sys_enter_kill");
	p->type = BPF_PROG_TYPE_TRACEPOINT;
	p->ninsns = 5;
	p->insns = calloc(p->ninsns, sizeof(*p->insns));
	map_load(p->insns, 0, 7);
	map_load(p->insns, 2, 8);
	exit_insn(p->insns, 4);
	p->nrelocs = 2;
	p->relocs = calloc(2, sizeof(*p->relocs));
	p->relocs[0] = (struct image_reloc){ 0, 0 };
	p->relocs[1] = (struct image_reloc){ 2, 1 };
}

static void encode_sample(unsigned char **buf, size_t *len)
{
	struct prog_image img;

	sample_image(&img);
	CHECK(prog_image_check(&img) == NULL);
	CHECK(prog_image_encode(&img, key, sizeof(key), buf, len) == 0);
	prog_image_free(&img);
}

static void image_round_trip(void)
{
	struct prog_image want, got;
	unsigned char *buf;
	size_t len;

	encode_sample(&buf, &len);
	sample_image(&want);
	CHECK(prog_image_decode(buf, len, key, sizeof(key), &got) == NULL);
	CHECK_STR(got.license, "GPL");
	CHECK(got.kern_version == want.kern_version && got.nmaps == 2 && got.nprogs == 1);
	CHECK(!memcmp(got.maps, want.maps, 2 * sizeof(want.maps[0])));
	CHECK_STR(got.progs[0].name, want.progs[0].name);
	CHECK(got.progs[0].ninsns == 5 && got.progs[0].nrelocs == 2);
	CHECK(!memcmp(got.progs[0].insns, want.progs[0].insns, 5 * sizeof(uint64_t)));
	CHECK(got.progs[0].relocs[1].insn == 2 && got.progs[0].relocs[1].map == 1);
	CHECK(prog_image_map(&got, "outer") == 1 && prog_image_map(&got, "none") == -1);
	CHECK(prog_image_prog(&got, want.progs[0].name) == 0);
	prog_image_free(&got);
	prog_image_free(&want);
	free(buf);
}

static void image_of_other_inputs_refused(void)
{
	static const char other[] = "tool t\nsource\nint y;";
	struct prog_image img;
	unsigned char *buf;
	size_t len;

	encode_sample(&buf, &len);
	CHECK_STR(prog_image_decode(buf, len, other, sizeof(other), &img),
		  "compiled from other inputs");
	CHECK(prog_image_decode(buf, len, key, sizeof(key) - 1, &img) != NULL);
	CHECK(img.nprogs == 0 && img.nmaps == 0);
	free(buf);
}

/* Every cut and every changed byte: refused, never loaded, never a crash. */
static void cut_or_corrupt_image_refused(void)
{
	struct prog_image img;
	unsigned char *buf;
	size_t len;
	int accepted = 0;

	encode_sample(&buf, &len);
	for (size_t cut = 0; cut < len; cut++) {
		if (!prog_image_decode(buf, cut, key, sizeof(key), &img)) {
			accepted++;
			prog_image_free(&img);
		}
	}
	for (size_t at = 0; at < len; at++) {
		buf[at] ^= 0x5a;
		if (!prog_image_decode(buf, len, key, sizeof(key), &img)) {
			accepted++;
			prog_image_free(&img);
		}
		buf[at] ^= 0x5a;
	}
	CHECK(accepted == 0);
	free(buf);
}

/* A wrong structure is refused even under a checksum that matches it. */
static void bad_structure_with_good_checksum_refused(void)
{
	/* Where the first map's count field sits: magic, key length, key, kern_version, license. */
	size_t nmaps_at = 8 + 8 + sizeof(key) + 4 + 4 + 3;
	const uint32_t huge[] = { 1000, 0xffffffffu, 3 };
	struct prog_image img;
	unsigned char *buf;
	size_t len;

	encode_sample(&buf, &len);
	for (size_t i = 0; i < ARRAY_SIZE(huge); i++) {
		uint64_t sum;

		memcpy(buf + nmaps_at, &huge[i], 4);
		sum = hash64(buf, len - 8, 0);
		memcpy(buf + len - 8, &sum, 8);
		CHECK(prog_image_decode(buf, len, key, sizeof(key), &img) != NULL);
	}
	free(buf);
}

/* Found by tests/fuzz/fuzz_image.c: a name holding a NUL would load as another name. */
static void name_holding_a_nul_refused(void)
{
	/* The license's bytes: after magic, key length, key, kern_version and its length. */
	size_t license_at = 8 + 8 + sizeof(key) + 4 + 4;
	struct prog_image img;
	unsigned char *buf;
	size_t len;
	uint64_t sum;

	encode_sample(&buf, &len);
	CHECK(prog_image_decode(buf, len, key, sizeof(key), &img) == NULL);
	prog_image_free(&img);
	buf[license_at + 1] = '\0';
	sum = hash64(buf, len - 8, 0);
	memcpy(buf + len - 8, &sum, 8);
	CHECK(prog_image_decode(buf, len, key, sizeof(key), &img) != NULL);
	free(buf);
}

static void unsafe_images_fail_the_check(void)
{
	struct prog_image img;

	sample_image(&img);
	img.progs[0].nrelocs = 1; /* the second map load left with its old descriptor */
	CHECK_STR(prog_image_check(&img), "map load without relocation");
	img.progs[0].nrelocs = 2;
	img.progs[0].relocs[1].map = 2;
	CHECK_STR(prog_image_check(&img), "relocation names no map");
	img.progs[0].relocs[1].map = 1;
	img.progs[0].relocs[1].insn = 4;
	CHECK(prog_image_check(&img) != NULL);
	img.progs[0].relocs[1].insn = 2;
	img.maps[1].inner = 1;
	CHECK_STR(prog_image_check(&img), "bad inner map");
	img.maps[1].inner = 0;
	img.maps[0].name[0] = '\0';
	CHECK_STR(prog_image_check(&img), "bad map name");
	prog_image_free(&img);
}

static void cache_stores_and_finds(void)
{
	char top[] = "/tmp/snoopc-unit.XXXXXX", dir[64], path[128], why[256];
	struct prog_image img, got;
	int fd;

	CHECK(mkdtemp(top) != NULL);
	snprintf(dir, sizeof(dir), "%s/programs", top);
	sample_image(&img);
	CHECK(prog_cache_lookup(dir, key, sizeof(key), &got, why, sizeof(why)) == -1);
	CHECK_STR(why, "not compiled before");
	CHECK(prog_cache_store(dir, key, sizeof(key), &img, why, sizeof(why)) == 0);
	CHECK(prog_cache_lookup(dir, key, sizeof(key), &got, why, sizeof(why)) == 0);
	CHECK(got.nprogs == 1 && got.progs[0].ninsns == 5);
	prog_image_free(&got);

	/* Cut short by a crash or a full disk: a miss. */
	prog_cache_path(dir, key, sizeof(key), path, sizeof(path));
	CHECK(truncate(path, 40) == 0);
	CHECK(prog_cache_lookup(dir, key, sizeof(key), &got, why, sizeof(why)) == -1);
	CHECK(!strncmp(why, "entry unusable", 14));

	/* Writable by others: not trusted. */
	CHECK(prog_cache_store(dir, key, sizeof(key), &img, why, sizeof(why)) == 0);
	CHECK(chmod(path, 0666) == 0);
	CHECK(prog_cache_lookup(dir, key, sizeof(key), &got, why, sizeof(why)) == -1);
	CHECK_STR(why, "not a regular file of this user or root that only its owner may write");

	/* A symbolic link in its place: not followed. */
	CHECK(unlink(path) == 0 && symlink("/etc/passwd", path) == 0);
	CHECK(prog_cache_lookup(dir, key, sizeof(key), &got, why, sizeof(why)) == -1);
	/* Stored again over it, atomically replacing the link. */
	CHECK(prog_cache_store(dir, key, sizeof(key), &img, why, sizeof(why)) == 0);
	CHECK(prog_cache_lookup(dir, key, sizeof(key), &got, why, sizeof(why)) == 0);
	prog_image_free(&got);

	/* A cache directory others may write to is refused. */
	CHECK(chmod(dir, 0777) == 0);
	CHECK(prog_cache_lookup(dir, key, sizeof(key), &got, why, sizeof(why)) == -1);
	CHECK(strstr(why, "not a directory of this user or root that only its owner may write") !=
	      NULL);
	CHECK(chmod(dir, 0700) == 0);

	fd = open(path, O_WRONLY);
	CHECK(fd >= 0 && pwrite(fd, "x", 1, 100) == 1);
	close(fd);
	CHECK(prog_cache_lookup(dir, key, sizeof(key), &got, why, sizeof(why)) == -1);
	CHECK(strstr(why, "checksum") != NULL);

	prog_image_free(&img);
	unlink(path);
	rmdir(dir);
	rmdir(top);
}

static void hash_depends_on_every_byte(void)
{
	unsigned char a[37] = { 0 };

	CHECK(hash64(a, sizeof(a), 0) == hash64(a, sizeof(a), 0));
	for (size_t i = 0; i < sizeof(a); i++) {
		unsigned char b[sizeof(a)] = { 0 };

		b[i] = 1;
		CHECK(hash64(a, sizeof(a), 0) != hash64(b, sizeof(b), 0));
	}
	CHECK(hash64(a, sizeof(a), 0) != hash64(a, sizeof(a), 1));
	CHECK(hash64(a, sizeof(a), 0) != hash64(a, sizeof(a) - 1, 0));
}

UNIT_SUITE(prog_cache_tests,
	   { "image: a name holding a NUL is refused", name_holding_a_nul_refused },
	   { "prog_image: encoded and decoded, the same image", image_round_trip },
	   { "prog_image: compiled from other inputs, refused", image_of_other_inputs_refused },
	   { "prog_image: every cut and every changed byte refused", cut_or_corrupt_image_refused },
	   { "prog_image: bad counts refused under a matching checksum",
	     bad_structure_with_good_checksum_refused },
	   { "prog_image: unrelocated map loads and bad maps fail the check",
	     unsafe_images_fail_the_check },
	   { "prog_cache: stored, found; cut, shared, linked or corrupt entries missed",
	     cache_stores_and_finds },
	   { "hash64: every byte, the seed and the length count", hash_depends_on_every_byte });
