/*
 * Finding a kernel header tree for libbcc's clang frontend.
 *
 * libbcc compiles every program against kernel headers. It finds them
 * through BCC_KERNEL_SOURCE, /lib/modules/RELEASE/{build,source} or the
 * kheaders archive. Machines often have none of these for the running
 * kernel, so the last resort presents Debian's split linux-headers
 * packages (-common plus a flavour such as -amd64) as one tree that the
 * tool owns under its cache directory.
 *
 * libbcc itself must never choose: without a usable tree it compiles
 * against /tmp/kheaders-RELEASE, which any user can create (CVE-2024-2314).
 * So the kheaders archive is unpacked here, into the cache, and every tree
 * is checked before a compile: nobody but root, or the user the tool runs
 * as, may be able to change it, or anything above it.
 */
#ifndef SNOOP_KHEADERS_H
#define SNOOP_KHEADERS_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

enum kheaders_source {
	KHEADERS_OPTION,  /* --kernel-headers DIR */
	KHEADERS_ENV,	  /* BCC_KERNEL_SOURCE */
	KHEADERS_MODULES, /* /lib/modules/RELEASE/build (+source) */
	KHEADERS_ARCHIVE, /* /sys/kernel/kheaders.tar.xz, unpacked into the cache */
	KHEADERS_DEBIAN, /* Debian linux-headers pair (the running kernel's, else the newest), merged */
};

/* Where to look; tests point these at fake trees. */
struct kheaders_search {
	const char *option_dir;	  /* --kernel-headers, or NULL */
	const char *env_dir;	  /* BCC_KERNEL_SOURCE, or NULL */
	const char *modules_dir;  /* /lib/modules */
	const char *archive;	  /* /sys/kernel/kheaders.tar.xz */
	const char *src_dir;	  /* /usr/src */
	const char *cache_dir;	  /* where the merged tree is kept */
	const char *release;	  /* running kernel, uname -r */
	const char *arch_flavour; /* Debian flavour: amd64, arm64 */
	/* Besides root, who may own the headers: the user the tool runs as. */
	uid_t trusted_uid;
};

struct kheaders {
	enum kheaders_source source;
	/*
	 * Tree to hand to libbcc as BCC_KERNEL_SOURCE; empty only for
	 * /lib/modules' split build/ and source/ layout, which libbcc finds
	 * itself (and which checked_dirs names).
	 */
	char tree[PATH_MAX];
	/* What kheaders_check walks: the tree, or build/ and source/. */
	char checked_dirs[2][PATH_MAX];
	/* Release the headers belong to, empty when unknown. */
	char release[128];
	/* Device, inode, size and time of the files that say what the headers are: for cache keys. */
	char identity[512];
	uid_t trusted_uid;
};

/* Fills a search with this machine's paths, header trees made under cache_dir (cache_root). */
void kheaders_default_search(struct kheaders_search *s, const char *option_dir,
			     const char *cache_dir);

/*
 * Resolves in order: option, environment, /lib/modules, kheaders archive,
 * Debian packages. Returns 0, or -1 with a message in err, also when a
 * stop (common/stop_signals.h) came while tar unpacked them: tar is killed.
 * (A bad --kernel-headers is a usage error: check it first, with
 * kheaders_option_check.)
 */
int kheaders_resolve(const struct kheaders_search *s, struct kheaders *out, char *err,
		     size_t errlen);

/*
 * The headers a compile uses: kheaders_resolve, then BCC_KERNEL_SOURCE set
 * to their tree for libbcc (unset where there is none). Returns 0, or -1
 * with a message in err.
 */
int kheaders_select(const struct kheaders_search *s, struct kheaders *out, char *err,
		    size_t errlen);

/* One line for the user when the headers are not the running kernel's, else "". */
void kheaders_describe(const struct kheaders *k, const char *running, char *buf, size_t len);

/* --kernel-headers DIR: 0, or -1 with err naming the option when DIR is no such tree. */
int kheaders_option_check(const char *dir, char *err, size_t errlen);

/* True when dir looks like a tree libbcc can use (has include/linux/kconfig.h). */
bool kheaders_tree_usable(const char *dir);

/*
 * Before a compile: 0 when nobody but root (or the search's trusted_uid)
 * can change the headers: the directories above them, and under include/
 * and arch/ARCH/include/ every directory and file, symbolic links
 * followed. Else -1, err naming the first path that another user could
 * change.
 */
int kheaders_check(const struct kheaders *k, char *err, size_t errlen);

#endif
