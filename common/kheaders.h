/*
 * Finding a kernel header tree for libbcc's clang frontend.
 *
 * libbcc compiles every program against kernel headers. It finds them
 * through BCC_KERNEL_SOURCE, /lib/modules/RELEASE/{build,source} or the
 * kheaders archive. Machines often have none of these for the running
 * kernel, so the last resort presents Debian's split linux-headers
 * packages (-common plus a flavour such as -amd64) as one tree that the
 * tool owns under its cache directory.
 */
#ifndef SNOOP_KHEADERS_H
#define SNOOP_KHEADERS_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

enum kheaders_source {
	KHEADERS_OPTION,	/* --kernel-headers DIR */
	KHEADERS_ENV,		/* BCC_KERNEL_SOURCE */
	KHEADERS_MODULES,	/* /lib/modules/RELEASE/build (+source) */
	KHEADERS_ARCHIVE,	/* /sys/kernel/kheaders.tar.xz, unpacked by libbcc */
	KHEADERS_DEBIAN,	/* newest Debian linux-headers pair, merged */
};

/* Where to look; tests point these at fake trees. */
struct kheaders_search {
	const char *option_dir;		/* --kernel-headers, or NULL */
	const char *env_dir;		/* BCC_KERNEL_SOURCE, or NULL */
	const char *modules_dir;	/* /lib/modules */
	const char *archive;		/* /sys/kernel/kheaders.tar.xz */
	const char *src_dir;		/* /usr/src */
	const char *cache_dir;		/* where the merged tree is kept */
	const char *release;		/* running kernel, uname -r */
	const char *arch_flavour;	/* Debian flavour: amd64, arm64 */
};

struct kheaders {
	enum kheaders_source source;
	/* Tree to hand to libbcc as BCC_KERNEL_SOURCE; empty when libbcc finds it itself. */
	char tree[PATH_MAX];
	/* Release the headers belong to, empty when unknown. */
	char release[128];
};

/* Fills a search with this machine's paths. */
void kheaders_default_search(struct kheaders_search *s, const char *option_dir);

/*
 * Resolves in order: option, environment, /lib/modules, kheaders archive,
 * Debian packages. Returns 0, or -1 with a message in err; *bad_option is
 * set when the fault is the --kernel-headers value itself.
 */
int kheaders_resolve(const struct kheaders_search *s, struct kheaders *out,
		     bool *bad_option, char *err, size_t errlen);

/* One line for the user when the headers are not the running kernel's, else "". */
void kheaders_describe(const struct kheaders *k, const char *running, char *buf, size_t len);

/* True when dir looks like a tree libbcc can use (has include/linux/kconfig.h). */
bool kheaders_tree_usable(const char *dir);

#endif
