#include "prog_cache.h"
#include "../plan/btf_fields.h"
#include "../hash.h"
#include "../text.h"

#include <bcc/bcc_version.h>

#include <errno.h>
#include <elf.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <link.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#define KEY_SEED 0x736e6f6f702d63ULL /* "snoop-c" */

static void entry_name(const char *key, size_t keylen, char *buf, size_t len)
{
	strfmt(buf, len, "%016" PRIx64 ".prog", hash64(key, keylen, KEY_SEED));
}

void prog_cache_path(const char *dir, const char *key, size_t keylen, char *buf, size_t len)
{
	char name[32];

	entry_name(key, keylen, name, sizeof(name));
	strfmt(buf, len, "%s/%s", dir, name);
}

/* The cache directory, made along the way: "/var/cache/snoop-c/programs". */
static int open_cache_dir(const char *dir, char *why, size_t whylen)
{
	char parent[PATH_MAX];
	const char *slash = strrchr(dir, '/');
	int parent_fd, fd;

	if (!slash || slash == dir ||
	    !strfmt(parent, sizeof(parent), "%.*s", (int)(slash - dir), dir)) {
		snprintf(why, whylen, "bad cache directory %s", dir);
		return -1;
	}
	parent_fd = cache_dir_open(AT_FDCWD, parent, why, whylen);
	if (parent_fd < 0)
		return -1;
	fd = cache_dir_open(parent_fd, slash + 1, why, whylen);
	close(parent_fd);
	return fd;
}

/* The whole of a regular file that only root or this user can change, or NULL with why. */
static unsigned char *read_entry(int dir_fd, const char *name, size_t *len, char *why,
				 size_t whylen)
{
	int fd = openat(dir_fd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	unsigned char *buf = NULL;
	struct stat st;
	ssize_t n;

	if (fd < 0) {
		snprintf(why, whylen, errno == ENOENT ? "not compiled before" : "cannot open: %s",
			 strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) || !cache_file_trusted(&st)) {
		snprintf(why, whylen,
			 "not a regular file of this user or root that only its owner may write");
		goto out;
	}
	if ((unsigned long long)st.st_size > PROG_CACHE_MAX_ENTRY) {
		snprintf(why, whylen, "too large");
		goto out;
	}
	buf = malloc((size_t)st.st_size + 1);
	if (!buf) {
		snprintf(why, whylen, "out of memory");
		goto out;
	}
	n = read_full(fd, buf, (size_t)st.st_size);
	if (n < 0) {
		snprintf(why, whylen, "cannot read: %s", strerror(errno));
		free(buf);
		buf = NULL;
		goto out;
	}
	*len = (size_t)n;
out:
	close(fd);
	return buf;
}

int prog_cache_lookup(const char *dir, const char *key, size_t keylen, struct prog_image *img,
		      char *why, size_t whylen)
{
	char name[32];
	unsigned char *buf;
	const char *bad;
	size_t len = 0;
	int dir_fd = open_cache_dir(dir, why, whylen);

	if (dir_fd < 0)
		return -1;
	entry_name(key, keylen, name, sizeof(name));
	buf = read_entry(dir_fd, name, &len, why, whylen);
	close(dir_fd);
	if (!buf)
		return -1;
	bad = prog_image_decode(buf, len, key, keylen, img);
	free(buf);
	if (bad) {
		snprintf(why, whylen, "entry unusable: %s", bad);
		return -1;
	}
	return 0;
}

int prog_cache_store(const char *dir, const char *key, size_t keylen, const struct prog_image *img,
		     char *why, size_t whylen)
{
	char name[32], tmp[64];
	unsigned char *buf;
	size_t len;
	int dir_fd, fd, rc = -1;

	if (prog_image_encode(img, key, keylen, &buf, &len)) {
		snprintf(why, whylen, "out of memory");
		return -1;
	}
	dir_fd = open_cache_dir(dir, why, whylen);
	if (dir_fd < 0) {
		free(buf);
		return -1;
	}
	entry_name(key, keylen, name, sizeof(name));
	/* Named after this process, so a leftover of a crashed one is ours to remove. */
	strfmt(tmp, sizeof(tmp), ".%s.%ld.tmp", name, (long)getpid());
	unlinkat(dir_fd, tmp, 0);
	fd = openat(dir_fd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd < 0) {
		snprintf(why, whylen, "cannot create %s/%s: %s", dir, tmp, strerror(errno));
	} else if (fchmod(fd, 0644) || write_all(fd, buf, len) || fsync(fd)) {
		snprintf(why, whylen, "cannot write %s/%s: %s", dir, tmp, strerror(errno));
	} else if (renameat(dir_fd, tmp, dir_fd, name)) {
		snprintf(why, whylen, "cannot rename %s/%s: %s", dir, tmp, strerror(errno));
	} else {
		rc = 0;
	}
	if (fd >= 0)
		close(fd);
	if (rc)
		unlinkat(dir_fd, tmp, 0);
	close(dir_fd);
	free(buf);
	return rc;
}

/* The kernel's list of possible CPUs ("0-3"), or "unknown". */
static const char *possible_cpus(char *buf, size_t len)
{
	FILE *f = fopen("/sys/devices/system/cpu/possible", "r");
	bool ok = f && fgets(buf, (int)len, f);

	if (f)
		fclose(f);
	if (!ok)
		return "unknown";
	buf[strcspn(buf, "\n")] = '\0';
	return buf;
}

/* dl_iterate_phdr's callback: the GNU build ID note of the first object, the program itself. */
static int find_build_id(struct dl_phdr_info *info, size_t size, void *data)
{
	char *hex = data;

	(void)size;
	for (int i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		const char *note = (const char *)(info->dlpi_addr + ph->p_vaddr);
		size_t off = 0;

		if (ph->p_type != PT_NOTE)
			continue;
		while (off + sizeof(ElfW(Nhdr)) <= ph->p_memsz) {
			const ElfW(Nhdr) *n = (const ElfW(Nhdr) *)(note + off);
			const unsigned char *desc =
				(const unsigned char *)n + sizeof(*n) + ((n->n_namesz + 3) & ~3u);

			if (n->n_type == NT_GNU_BUILD_ID && n->n_namesz == 4 &&
			    !memcmp((const char *)n + sizeof(*n), "GNU", 4) && n->n_descsz <= 64) {
				for (ElfW(Word) j = 0; j < n->n_descsz; j++)
					sprintf(hex + 2 * j, "%02x", desc[j]);
				return 1;
			}
			off += sizeof(*n) + ((n->n_namesz + 3) & ~3u) + ((n->n_descsz + 3) & ~3u);
		}
	}
	return 1;
}

/*
 * The running program's identity: its GNU build ID, or without one (a link
 * with --build-id=none) a hash of its whole file, so that no other build
 * of it shares its entries.
 */
static void program_identity(char *buf, size_t len)
{
	char hex[129] = "";
	struct stat st;
	unsigned char *data = NULL;
	int fd;

	dl_iterate_phdr(find_build_id, hex);
	if (hex[0]) {
		strfmt(buf, len, "build-id %s", hex);
		return;
	}
	strfmt(buf, len, "unknown");
	fd = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
	if (fd >= 0 && !fstat(fd, &st) && st.st_size > 0)
		data = malloc((size_t)st.st_size);
	if (data && read_full(fd, data, (size_t)st.st_size) == st.st_size)
		strfmt(buf, len, "file %016" PRIx64, hash64(data, (size_t)st.st_size, KEY_SEED));
	free(data);
	if (fd >= 0)
		close(fd);
}

char *prog_cache_key(const struct prog_cache_inputs *in, size_t *len)
{
	char program[160];
	char libbcc[PATH_MAX + 128], btf[64], cpus[64];
	struct utsname un;
	char *key = NULL;
	FILE *f = open_memstream(&key, len);

	if (!f)
		return NULL;
	uname(&un);
	compiler_library_identity(libbcc, sizeof(libbcc));
	btf_identity(KERNEL_BTF_PATH, btf, sizeof(btf));
	program_identity(program, sizeof(program));
	fprintf(f, "snoop-c compiled program\ntool %s\nplanned by snoop-c %s, %s\nlibbcc %s %s\n",
		in->tool, SNOOP_VERSION, program, LIBBCC_VERSION, libbcc);
	fprintf(f, "kernel %s %s %s\nbtf %s\nheaders %s\nheaders identity %s %s\n", un.release,
		un.version, un.machine, btf,
		in->headers_tree ? in->headers_tree : "(libbcc's default)", in->headers_dir,
		in->headers_identity);
	/* libbcc sizes BPF_PERF_OUTPUT arrays by the possible CPUs. */
	fprintf(f, "possible cpus %s\n", possible_cpus(cpus, sizeof(cpus)));
	fprintf(f, "ring buffer %s\n", in->ring_buffer ? "yes" : "no");
	fprintf(f, "source\n%s", in->source);
	if (fclose(f)) {
		free(key);
		return NULL;
	}
	return key;
}
