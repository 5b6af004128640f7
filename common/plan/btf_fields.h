/*
 * Offsets of kernel struct fields from the running kernel's BTF.
 *
 * Kernel headers of another release give other layouts (compiled against
 * Debian's 6.1 headers, task->real_parent->tgid reads 0 on a 6.18 kernel),
 * so programs take every field offset they read from BTF as a -D value.
 */
#ifndef SNOOP_BTF_FIELDS_H
#define SNOOP_BTF_FIELDS_H

#include <stdbool.h>
#include <stddef.h>

#define KERNEL_BTF_PATH "/sys/kernel/btf/vmlinux"

/* A program reads it as FIELD_OFFSET(type, member) (programs/snoop.bpf.h). */
struct kernel_field {
	const char *type;   /* struct name, e.g. "task_struct" */
	const char *member; /* member name, found in anonymous members too */
};

/* A table's entry from a list of X(type, member) (programs/snoop_fields.h). */
#define KERNEL_FIELD(type, member) { #type, #member },

/*
 * Fills offsets[i] (bytes) for each field from the BTF file at path.
 * Returns 0; -1 when the file cannot be read (err says why, errno ENOENT
 * when the kernel has no BTF); -2 when a field is missing.
 */
int btf_field_offsets(const char *path, const struct kernel_field *fields, size_t n, long *offsets,
		      char *err, size_t errlen);

/*
 * Whether the BTF at path names each of names: a type, member, function or
 * enumerator (BPF_FUNC_task_pt_regs, of enum bpf_func_id, says the kernel
 * has that helper), in found[i]. One pass over the string section, which
 * holds every name, without parsing the types, and it ends once every name
 * is found. Returns 0, or -1 (found[] all false) when the file cannot be
 * read or is not BTF, or a name is longer than 126 bytes.
 */
int btf_find_names(const char *path, const char *const *names, size_t n, bool *found);

/*
 * What identifies the BTF at path (its size and a hash of its bytes), for
 * the cache of compiled programs: "none" when there is no BTF.
 */
void btf_identity(const char *path, char *buf, size_t len);

#endif
