#include "kernel_env.h"
#include "array_size.h"
#include "text.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#define TRACEFS "/sys/kernel/tracing"
#define DEBUGFS "/sys/kernel/debug"
#define DEBUGFS_TRACING DEBUGFS "/tracing"

static bool exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0;
}

static int mount_if_missing(const char *probe, const char *type, const char *target, char *err,
			    size_t errlen)
{
	if (exists(probe))
		return 0;
	if (mount(type, target, type, 0, NULL) && errno != EBUSY) {
		snprintf(err, errlen, "cannot mount %s at %s: %s", type, target, strerror(errno));
		return -1;
	}
	return 0;
}

int tracing_fs_prepare(char *err, size_t errlen)
{
	if (mount_if_missing(TRACEFS "/events", "tracefs", TRACEFS, err, errlen) ||
	    mount_if_missing(DEBUGFS_TRACING, "debugfs", DEBUGFS, err, errlen))
		return -1;
	/* debugfs normally provides tracing/ as an automount of tracefs. */
	return mount_if_missing(DEBUGFS_TRACING "/events", "tracefs", DEBUGFS_TRACING, err, errlen);
}

bool kernel_has_syscall_tracepoint(const char *syscall)
{
	static const char *const roots[] = { TRACEFS, DEBUGFS_TRACING };
	char path[PATH_MAX];

	for (size_t i = 0; i < ARRAY_SIZE(roots); i++) {
		if (strfmt(path, sizeof(path), "%s/events/syscalls/sys_enter_%s/id", roots[i],
			   syscall) &&
		    exists(path))
			return true;
	}
	return false;
}

bool kernel_has_kprobes(void)
{
	return exists("/sys/bus/event_source/devices/kprobe/type") ||
	       exists(TRACEFS "/kprobe_events") || exists(DEBUGFS_TRACING "/kprobe_events");
}

/*
 * The verifier's reason for refusing a program: its first line that is not
 * an instruction (those start with their number), without the newline.
 */
static const char *verifier_reason(char *log)
{
	char *line = log;

	while (*line) {
		size_t len = strcspn(line, "\n");

		if (*line < '0' || *line > '9') {
			line[len] = '\0';
			return line;
		}
		line += len + (line[len] == '\n');
	}
	return "";
}

/*
 * Loads a program of type on kernel function fn (its BTF ID, by
 * attach_type's naming) that reads the function's first argument, as the
 * tools' programs do, and attaches it for a moment. Returns 0, or -1 with
 * err naming what the kernel refused.
 */
static int trampoline_check(enum bpf_prog_type type, enum bpf_attach_type attach_type,
			    const char *fn, const char *what, char *err, size_t errlen)
{
	/* r0 = *(u64 *)(r1 + 0) (the first argument); r0 = 0; exit */
	const struct bpf_insn insns[] = {
		{ .code = BPF_LDX | BPF_MEM | BPF_DW, .dst_reg = BPF_REG_0, .src_reg = BPF_REG_1 },
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	char log[4096] = "";
	struct bpf_prog_load_opts opts = {
		.sz = sizeof(opts),
		.expected_attach_type = attach_type,
		.log_buf = log,
		.log_size = sizeof(log),
		.log_level = 1,
	};
	int btf_id = libbpf_find_vmlinux_btf_id(fn, attach_type);
	const char *reason;
	int prog_fd, link_fd;

	if (btf_id < 0) {
		snprintf(err, errlen, "the kernel's BTF has no function %s", fn);
		return -1;
	}
	opts.attach_btf_id = (__u32)btf_id;
	prog_fd = bpf_prog_load(type, "snoopc_probe", "GPL", insns, ARRAY_SIZE(insns), &opts);
	reason = prog_fd < 0 && errno == EACCES ? verifier_reason(log) : "";
	if (*reason) {
		/* The verifier refused to read the argument (5.10: "arg0 type FWD is not a struct"). */
		snprintf(err, errlen,
			 "the kernel refuses %s programs that read %s's arguments (%s)", what, fn,
			 reason);
		return -1;
	}
	if (prog_fd < 0) {
		snprintf(err, errlen, "the kernel refuses to load %s programs: %s", what,
			 strerror(errno));
		return -1;
	}
	link_fd = bpf_raw_tracepoint_open(NULL, prog_fd);
	if (link_fd < 0)
		snprintf(err, errlen, "the kernel refuses to attach %s programs to %s: %s", what,
			 fn, strerror(errno));
	else
		close(link_fd);
	close(prog_fd);
	return link_fd < 0 ? -1 : 0;
}

int kernel_fentry_check(const char *fn, char *err, size_t errlen)
{
	return trampoline_check(BPF_PROG_TYPE_TRACING, BPF_TRACE_FENTRY, fn, "fentry", err, errlen);
}

#define SECURITYFS "/sys/kernel/security"

/* Whether the LSM list names the bpf LSM (a comma list: "lockdown,capability,bpf"). */
static bool bpf_lsm_listed(char *err, size_t errlen)
{
	char list[512], names[512], *name, *save = NULL;
	FILE *f;
	bool found = false;

	if (mount_if_missing(SECURITYFS "/lsm", "securityfs", SECURITYFS, err, errlen))
		return false;
	f = fopen(SECURITYFS "/lsm", "r");
	if (!f || !fgets(list, sizeof(list), f)) {
		snprintf(err, errlen, "this kernel has no LSM list (" SECURITYFS "/lsm)");
		if (f)
			fclose(f);
		return false;
	}
	fclose(f);
	list[strcspn(list, "\n")] = '\0';
	memcpy(names, list, sizeof(names)); /* strtok_r cuts what it reads */
	for (name = strtok_r(names, ",", &save); name && !found; name = strtok_r(NULL, ",", &save))
		found = !strcmp(name, "bpf");
	if (!found)
		snprintf(err, errlen, "the bpf LSM is not among this kernel's LSMs (%s)", list);
	return found;
}

int kernel_lsm_check(const char *hook, char *err, size_t errlen)
{
	if (!bpf_lsm_listed(err, errlen))
		return -1;
	return trampoline_check(BPF_PROG_TYPE_LSM, BPF_LSM_MAC, hook, "LSM", err, errlen);
}

int kernel_fmod_ret_check(const char *fn, char *err, size_t errlen)
{
	return trampoline_check(BPF_PROG_TYPE_TRACING, BPF_MODIFY_RETURN, fn, "fmod_ret", err,
				errlen);
}

/* The syscall name NAME implements, or NULL; *wrapped for an arch wrapper. */
static const char *syscall_of(const char *name, bool *wrapped)
{
	static const char *const wrappers[] = { "__x64_sys_", "__arm64_sys_", "__s390x_sys_",
						"__riscv_sys_" };

	for (size_t i = 0; i < ARRAY_SIZE(wrappers); i++) {
		size_t n = strlen(wrappers[i]);

		if (!strncmp(name, wrappers[i], n)) {
			*wrapped = true;
			return name + n;
		}
	}
	*wrapped = false;
	return strncmp(name, "sys_", 4) ? NULL : name + 4;
}

/*
 * The syscall whose 32-bit entry point NAME is, or NULL; *rank 0 for a
 * compat form, which the 32-bit table calls where it exists, 1 otherwise.
 */
static const char *compat_syscall_of(const char *name, int *rank)
{
	static const char *const prefixes[] = { "__ia32_compat_sys_", "__arm64_compat_sys_",
						"__ia32_sys_" };

	for (size_t i = 0; i < ARRAY_SIZE(prefixes); i++) {
		size_t n = strlen(prefixes[i]);

		if (!strncmp(name, prefixes[i], n)) {
			*rank = i < 2 ? 0 : 1;
			return name + n;
		}
	}
	return NULL;
}

static void note_function(struct syscall_function *sf, size_t n, const char *name)
{
	const char *syscall;
	bool wrapped;
	int rank;

	if ((syscall = syscall_of(name, &wrapped))) {
		for (size_t i = 0; i < n; i++) {
			/* The wrapper wins: plain sys_NAME may exist beside it. */
			if (strcmp(syscall, sf[i].syscall) || (sf[i].fn[0] && !wrapped))
				continue;
			strfmt(sf[i].fn, sizeof(sf[i].fn), "%s", name);
			sf[i].wrapper = wrapped;
		}
	} else if ((syscall = compat_syscall_of(name, &rank))) {
		for (size_t i = 0; i < n; i++) {
			/* __ia32_sys_NAME exists beside __ia32_compat_sys_NAME: the table calls the latter. */
			if (strcmp(syscall, sf[i].syscall) || (sf[i].compat_fn[0] && rank > 0))
				continue;
			strfmt(sf[i].compat_fn, sizeof(sf[i].compat_fn), "%s", name);
		}
	}
}

const char *kallsyms_line_name(char *line)
{
	char *name = strchr(line, ' ');

	name = name ? strchr(name + 1, ' ') : NULL;
	if (!name)
		return NULL;
	name++;
	name[strcspn(name, " \t\n")] = '\0';
	return name;
}

int syscall_kernel_functions(const char *kallsyms, struct syscall_function *sf, size_t n)
{
	char line[512];
	FILE *f = fopen(kallsyms, "r");

	if (!f)
		return -1;
	for (size_t i = 0; i < n; i++) {
		sf[i].fn[0] = '\0';
		sf[i].compat_fn[0] = '\0';
		sf[i].wrapper = false;
	}
	while (fgets(line, sizeof(line), f)) {
		const char *name = kallsyms_line_name(line);

		/* Every name note_function takes starts with "_" or "s". */
		if (name && (name[0] == '_' || name[0] == 's'))
			note_function(sf, n, name);
	}
	fclose(f);
	return 0;
}
