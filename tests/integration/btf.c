/*
 * The BTF reader (common/plan/btf_fields.c) against the running kernel's own BTF:
 * offsets of task_struct and of known layouts, misses, and names in the
 * string section. Reads /sys/kernel/btf/vmlinux; the VM stage runs it on
 * each guest's kernel too. Ends with "N passed, N failed, N skipped".
 */
#include <errno.h>
#include <string.h>

#include "../../common/array_size.h"
#include "../../common/plan/btf_fields.h"
#include "../report.h"

static bool task_struct_from_running_kernel(void)
{
	bool ok = true;
	const struct kernel_field fields[] = {
		{ "task_struct", "real_parent" },
		{ "task_struct", "tgid" },
		{ "task_struct", "pid" },
		{ "task_struct", "comm" },
	};
	long off[4] = { 0 };
	char err[256];

	ok &= btf_field_offsets(KERNEL_BTF_PATH, fields, 4, off, err, sizeof(err)) == 0;
	/* pid and tgid sit side by side in every kernel's task_struct */
	ok &= off[1] == off[2] + 4;
	for (int i = 0; i < 4; i++)
		ok &= off[i] > 0 && off[i] < 16384;
	return ok;
}

static bool anonymous_members_and_known_layouts(void)
{
	bool ok = true;
	const struct kernel_field fields[] = {
		{ "list_head", "next" },
		{ "list_head", "prev" },
		/* sk_buff's first members sit in anonymous unions and structs */
		{ "sk_buff", "prev" },
		{ "sk_buff", "dev" },
	};
	long off[4] = { -1, -1, -1, -1 };
	char err[256];

	ok &= btf_field_offsets(KERNEL_BTF_PATH, fields, 4, off, err, sizeof(err)) == 0;
	ok &= off[0] == 0 && off[1] == 8;
	ok &= off[2] == 8 && off[3] == 16;
	return ok;
}

static bool missing_field_or_file(void)
{
	bool ok = true;
	const struct kernel_field missing[] = { { "task_struct", "no_such_member" } };
	long off[1];
	char err[256];

	ok &= btf_field_offsets(KERNEL_BTF_PATH, missing, 1, off, err, sizeof(err)) == -2;
	ok &= strstr(err, "task_struct.no_such_member") != NULL;
	errno = 0;
	ok &= btf_field_offsets("/nonexistent/vmlinux", missing, 1, off, err, sizeof(err)) == -1;
	ok &= errno == ENOENT;
	return ok;
}

static bool names_in_the_string_section(void)
{
	const char *const names[] = {
		"task_struct", "BPF_FUNC_map_lookup_elem", /* an enumerator */
		"task_struc",				   /* whole names only */
		"ask_struct",  "snoop_c_no_such_name",
	};
	const bool want[] = { true, true, false, false, false };
	bool found[ARRAY_SIZE(names)], ok = true;

	ok &= btf_find_names(KERNEL_BTF_PATH, names, ARRAY_SIZE(names), found) == 0;
	for (size_t i = 0; i < ARRAY_SIZE(names); i++)
		ok &= found[i] == want[i];
	/* One name alone; a file missing, or not BTF. */
	ok &= btf_find_names(KERNEL_BTF_PATH, names, 1, found) == 0 && found[0];
	ok &= btf_find_names("/nonexistent/vmlinux", names, 1, found) == -1 && !found[0];
	ok &= btf_find_names("/proc/self/status", names, 1, found) == -1; /* not BTF */
	return ok;
}

int main(void)
{
	report_check(task_struct_from_running_kernel(),
		     "btf: task_struct offsets of the running kernel");
	report_check(anonymous_members_and_known_layouts(),
		     "btf: anonymous members and known layouts");
	report_check(missing_field_or_file(), "btf: missing field or file");
	report_check(names_in_the_string_section(),
		     "btf: names found in the string section, whole");
	return report_end();
}
