#include "btf_fields.h"

#include "../files.h"
#include "../hash.h"
#include "../text.h"

#include <bpf/btf.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <unistd.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

/* Byte offset of member in struct/union type_id, looking inside anonymous members. */
static bool member_offset(const struct btf *btf, __u32 type_id, const char *member, long *offset)
{
	const struct btf_type *t = btf__type_by_id(btf, type_id);
	const struct btf_member *m;
	int vlen;

	if (!t || !(btf_is_struct(t) || btf_is_union(t)))
		return false;
	m = btf_members(t);
	vlen = btf_vlen(t);
	for (int i = 0; i < vlen; i++, m++) {
		const char *name = btf__name_by_offset(btf, m->name_off);
		long bits = (long)btf_member_bit_offset(t, (__u32)i);
		long inner;

		if (name && *name) {
			if (strcmp(name, member))
				continue;
			*offset = bits / 8;
			return true;
		}
		/* Anonymous struct or union: its members belong to the parent. */
		int resolved = btf__resolve_type(btf, m->type);

		if (resolved > 0 && member_offset(btf, (__u32)resolved, member, &inner)) {
			*offset = bits / 8 + inner;
			return true;
		}
	}
	return false;
}

int btf_field_offsets(const char *path, const struct kernel_field *fields, size_t n, long *offsets,
		      char *err, size_t errlen)
{
	struct btf *btf = btf__parse(path, NULL);
	int rc = 0;

	if (!btf) {
		int saved = errno;

		snprintf(err, errlen, "cannot read BTF from %s: %s", path, strerror(saved));
		errno = saved;
		return -1;
	}
	for (size_t i = 0; i < n && rc == 0; i++) {
		__s32 id = btf__find_by_name_kind(btf, fields[i].type, BTF_KIND_STRUCT);

		if (id < 0 || !member_offset(btf, (__u32)id, fields[i].member, &offsets[i])) {
			snprintf(err, errlen, "BTF at %s has no field %s.%s", path, fields[i].type,
				 fields[i].member);
			rc = -2;
		}
	}
	btf__free(btf);
	return rc;
}

/* Every name sits between NULs: the section starts with the empty string. */
#define NAME_PATTERN_MAX 128

int btf_find_names(const char *path, const char *const *names, size_t n, bool *found)
{
	char chunk[1 << 16];
	size_t longest = 0, kept = 0, left_to_find = n;
	struct btf_header hdr;
	off_t pos;
	__u32 left;
	int fd;

	for (size_t i = 0; i < n; i++)
		found[i] = false;
	for (size_t i = 0; i < n; i++) {
		size_t plen = strlen(names[i]) + 2;

		if (plen > NAME_PATTERN_MAX)
			return -1;
		longest = plen > longest ? plen : longest;
	}
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	if (read_full(fd, &hdr, sizeof(hdr)) != (ssize_t)sizeof(hdr) || hdr.magic != BTF_MAGIC) {
		close(fd);
		return -1;
	}
	pos = (off_t)hdr.hdr_len + hdr.str_off;
	left = hdr.str_len;
	/* A chunk at a time, keeping the last bytes for a name cut between two. */
	while (left > 0 && left_to_find > 0) {
		size_t want = sizeof(chunk) - kept < left ? sizeof(chunk) - kept : left;
		ssize_t got = pread(fd, chunk + kept, want, pos);

		if (got <= 0)
			break;
		pos += got;
		left -= (__u32)got;
		kept += (size_t)got;
		for (size_t i = 0; i < n; i++) {
			char pattern[NAME_PATTERN_MAX];
			size_t plen = strlen(names[i]) + 2;

			if (found[i])
				continue;
			pattern[0] = '\0';
			memcpy(pattern + 1, names[i], plen - 1); /* with its NUL */
			found[i] = memmem(chunk, kept, pattern, plen) != NULL;
			left_to_find -= found[i];
		}
		if (kept >= longest) {
			memmove(chunk, chunk + kept - (longest - 1), longest - 1);
			kept = longest - 1;
		}
	}
	close(fd);
	return 0;
}

void btf_identity(const char *path, char *buf, size_t len)
{
	/* Small: a tool's peak memory from the cache is mostly what it touches here. */
	enum { CHUNK = 1 << 16 };
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	unsigned char *chunk = fd < 0 ? NULL : malloc(CHUNK);
	uint64_t hash = 0, size = 0;
	ssize_t n = 0;

	/* Whole chunks chained, so the hash does not depend on how reads split the file. */
	while (chunk && (n = read_full(fd, chunk, CHUNK)) > 0) {
		hash = hash64(chunk, (size_t)n, hash);
		size += (uint64_t)n;
	}
	if (!chunk || n < 0)
		strfmt(buf, len, "none");
	else
		strfmt(buf, len, "size %" PRIu64 " hash %016" PRIx64, size, hash);
	free(chunk);
	if (fd >= 0)
		close(fd);
}
