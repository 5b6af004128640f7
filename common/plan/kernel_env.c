#include "kernel_env.h"
#include "../array_size.h"
#include "../privileges.h"
#include "../text.h"

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

int mount_if_missing(const char *probe, const char *type, const char *target, char *err,
		     size_t errlen)
{
	char to[PATH_MAX + 64];
	int error;

	if (exists(probe))
		return 0;
	/* A directory on the way is root's alone to search (tracefs and debugfs are 0700). */
	if (errno == EACCES) {
		strfmt(to, sizeof(to), "read %s at %s", type, target);
		privileges_missing(err, errlen, CAP_DAC_READ_SEARCH, to);
		errno = EACCES;
		return -1;
	}
	if (!mount(type, target, type, 0, NULL) || errno == EBUSY)
		return 0;
	error = errno;
	if (error == EPERM && !privileges_have(CAP_SYS_ADMIN)) {
		strfmt(to, sizeof(to), "mount %s at %s (or mount it there before)", type, target);
		privileges_missing(err, errlen, CAP_SYS_ADMIN, to);
	} else {
		snprintf(err, errlen, "cannot mount %s at %s: %s", type, target, strerror(error));
	}
	errno = error;
	return -1;
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
