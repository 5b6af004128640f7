#include <errno.h>

#include "../../common/btf_fields.h"
#include "unit.h"

static void task_struct_from_running_kernel(void)
{
	const struct kernel_field fields[] = {
		{ "task_struct", "real_parent" },
		{ "task_struct", "tgid" },
		{ "task_struct", "pid" },
		{ "task_struct", "comm" },
	};
	long off[4] = { 0 };
	char err[256];

	CHECK(btf_field_offsets(KERNEL_BTF_PATH, fields, 4, off, err, sizeof(err)) == 0);
	/* pid and tgid sit side by side in every kernel's task_struct */
	CHECK(off[1] == off[2] + 4);
	for (int i = 0; i < 4; i++)
		CHECK(off[i] > 0 && off[i] < 16384);
}

static void anonymous_members_and_known_layouts(void)
{
	const struct kernel_field fields[] = {
		{ "list_head", "next" },
		{ "list_head", "prev" },
		/* sk_buff's first members sit in anonymous unions and structs */
		{ "sk_buff", "prev" },
		{ "sk_buff", "dev" },
	};
	long off[4] = { -1, -1, -1, -1 };
	char err[256];

	CHECK(btf_field_offsets(KERNEL_BTF_PATH, fields, 4, off, err, sizeof(err)) == 0);
	CHECK(off[0] == 0 && off[1] == 8);
	CHECK(off[2] == 8 && off[3] == 16);
}

static void missing_field_or_file(void)
{
	const struct kernel_field missing[] = { { "task_struct", "no_such_member" } };
	long off[1];
	char err[256];

	CHECK(btf_field_offsets(KERNEL_BTF_PATH, missing, 1, off, err, sizeof(err)) == -2);
	CHECK(strstr(err, "task_struct.no_such_member"));
	errno = 0;
	CHECK(btf_field_offsets("/nonexistent/vmlinux", missing, 1, off, err, sizeof(err)) == -1);
	CHECK(errno == ENOENT);
}

static void names_in_the_string_section(void)
{
	CHECK(btf_has_name(KERNEL_BTF_PATH, "task_struct"));
	CHECK(btf_has_name(KERNEL_BTF_PATH, "BPF_FUNC_map_lookup_elem")); /* an enumerator */
	CHECK(!btf_has_name(KERNEL_BTF_PATH, "task_struc"));		  /* whole names only */
	CHECK(!btf_has_name(KERNEL_BTF_PATH, "ask_struct"));
	CHECK(!btf_has_name(KERNEL_BTF_PATH, "snoop_c_no_such_name"));
	CHECK(!btf_has_name("/nonexistent/vmlinux", "task_struct"));
	CHECK(!btf_has_name("/proc/self/status", "Name")); /* not BTF */
}

UNIT_SUITE(btf_tests,
	   { "btf: task_struct offsets of the running kernel", task_struct_from_running_kernel },
	   { "btf: anonymous members and known layouts", anonymous_members_and_known_layouts },
	   { "btf: missing field or file", missing_field_or_file },
	   { "btf: names found in the string section, whole", names_in_the_string_section });
