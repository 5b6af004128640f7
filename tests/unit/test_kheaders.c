#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../common/load/kheaders.h"
#include "../../common/text.h"
#include "unit.h"

static char root[PATH_MAX];

static void touch(const char *rel, const char *content)
{
	char path[PATH_MAX], dir[PATH_MAX];
	FILE *f;

	strfmt(path, sizeof(path), "%s/%s", root, rel);
	for (char *slash = strchr(path + strlen(root) + 1, '/'); slash;
	     slash = strchr(slash + 1, '/')) {
		memcpy(dir, path, (size_t)(slash - path));
		dir[slash - path] = '\0';
		mkdir(dir, 0755);
	}
	f = fopen(path, "w");
	if (f) {
		fputs(content, f);
		fclose(f);
	}
}

static const char *at(const char *rel, char *buf)
{
	strfmt(buf, PATH_MAX, "%s/%s", root, rel);
	return buf;
}

/* A search over an empty fake machine under a new temporary root. */
static struct kheaders_search fake_machine(char bufs[6][PATH_MAX])
{
	struct kheaders_search s;

	umask(022);
	strfmt(root, sizeof(root), "/tmp/snoopc-kheaders-XXXXXX");
	if (!mkdtemp(root))
		abort();
	s = (struct kheaders_search){
		.modules_dir = at("lib/modules", bufs[0]),
		.archive = at("sys/kheaders.tar.xz", bufs[1]),
		.src_dir = at("usr/src", bufs[2]),
		.cache_dir = at("cache", bufs[3]),
		.release = "6.18.0-test",
		.arch_flavour = "amd64",
	};
	return s;
}

static void cleanup(void)
{
	char cmd[PATH_MAX + 16];

	strfmt(cmd, sizeof(cmd), "rm -rf '%s'", root);
	if (system(cmd) != 0)
		fprintf(stderr, "  could not remove %s\n", root);
}

#define KCONFIG "include/linux/kconfig.h"
#define UTS(rel) "#define UTS_RELEASE \"" rel "\"\n"

static void option_and_environment_first(void)
{
	char bufs[6][PATH_MAX], opt[PATH_MAX], env[PATH_MAX], err[512];
	struct kheaders_search s = fake_machine(bufs);
	struct kheaders k;

	touch("opt/" KCONFIG, "");
	touch("opt/include/generated/utsrelease.h", UTS("6.18.0-test"));
	touch("env/" KCONFIG, "");
	touch("lib/modules/6.18.0-test/build/" KCONFIG, "");
	s.option_dir = at("opt", opt);
	s.env_dir = at("env", env);
	CHECK(kheaders_resolve(&s, &k, err, sizeof(err)) == 0);
	CHECK(k.source == KHEADERS_OPTION);
	CHECK_STR(k.tree, opt);
	CHECK_STR(k.release, "6.18.0-test");

	s.option_dir = NULL;
	CHECK(kheaders_resolve(&s, &k, err, sizeof(err)) == 0);
	CHECK(k.source == KHEADERS_ENV);
	CHECK_STR(k.tree, env);

	s.option_dir = at("missing", opt);
	CHECK(kheaders_resolve(&s, &k, err, sizeof(err)) == -1);
	CHECK(strstr(err, "--kernel-headers"));

	s.option_dir = NULL;
	s.env_dir = at("missing", env);
	CHECK(kheaders_resolve(&s, &k, err, sizeof(err)) == -1);
	CHECK(strstr(err, "BCC_KERNEL_SOURCE"));
	cleanup();
}

/* The kheaders archive of the fake machine, made with tar from a staging tree. */
static void make_archive(void)
{
	char cmd[3 * PATH_MAX];

	touch("staging/" KCONFIG, "");
	touch("staging/include/generated/utsrelease.h", UTS("6.18.0-test"));
	touch("staging/arch/x86/include/asm/ptrace.h", "");
	mkdir(at("sys", cmd), 0755);
	strfmt(cmd, sizeof(cmd), "tar -cJf '%s/sys/kheaders.tar.xz' -C '%s/staging' include arch",
	       root, root);
	CHECK(system(cmd) == 0);
}

static void modules_then_archive(void)
{
	char bufs[6][PATH_MAX], err[512], cmd[PATH_MAX + 32], path[PATH_MAX];
	struct kheaders_search s = fake_machine(bufs);
	struct kheaders k;

	make_archive();
	touch("lib/modules/6.18.0-test/build/" KCONFIG, "");
	CHECK(kheaders_resolve(&s, &k, err, sizeof(err)) == 0);
	CHECK(k.source == KHEADERS_MODULES);
	CHECK_STR(k.tree, ""); /* libbcc finds it itself */

	/* build/ and source/ together: libbcc reads source/, which has no headers yet */
	touch("lib/modules/6.18.0-test/source/Makefile", "");
	CHECK(kheaders_resolve(&s, &k, err, sizeof(err)) == 0);
	CHECK(k.source == KHEADERS_ARCHIVE);
	touch("lib/modules/6.18.0-test/source/" KCONFIG, "");
	CHECK(kheaders_resolve(&s, &k, err, sizeof(err)) == 0);
	CHECK(k.source == KHEADERS_MODULES);
	/* Debian's split: the release is in build/'s generated headers */
	CHECK_STR(k.release, "");
	touch("lib/modules/6.18.0-test/build/include/generated/utsrelease.h", UTS("6.18.0-test"));
	CHECK(kheaders_resolve(&s, &k, err, sizeof(err)) == 0);
	CHECK(k.source == KHEADERS_MODULES);
	CHECK_STR(k.release, "6.18.0-test");

	strfmt(cmd, sizeof(cmd), "rm -rf '%s/lib'", root);
	CHECK(system(cmd) == 0);
	/* The archive, unpacked into the private cache: libbcc never chooses a tree itself. */
	CHECK(kheaders_resolve(&s, &k, err, sizeof(err)) == 0);
	CHECK(k.source == KHEADERS_ARCHIVE);
	CHECK_STR(k.tree, at("cache/kernel-headers/kheaders-6.18.0-test", path));
	CHECK(kheaders_tree_usable(k.tree));
	CHECK_STR(k.release, "6.18.0-test");
	CHECK(kheaders_check(&k, err, sizeof(err)) == 0);
	CHECK(access(at("cache/kernel-headers/kheaders-6.18.0-test/arch/x86/include/asm/ptrace.h",
			path),
		     R_OK) == 0);
	/* Reused: the next run finds it unpacked. */
	CHECK(kheaders_resolve(&s, &k, err, sizeof(err)) == 0 && k.source == KHEADERS_ARCHIVE);

	/* An archive tar cannot read is an error, not a fall back to anything else. */
	strfmt(cmd, sizeof(cmd), "rm -rf '%s/cache'", root);
	CHECK(system(cmd) == 0);
	touch("sys/kheaders.tar.xz", "not an archive");
	CHECK(kheaders_resolve(&s, &k, err, sizeof(err)) == -1);
	CHECK(strstr(err, "cannot unpack"));
	cleanup();
}

/* kheaders_check: nothing below or above the headers that another user could change. */
static void headers_only_root_can_change(void)
{
	char bufs[6][PATH_MAX], err[512], opt[PATH_MAX], path[PATH_MAX], open_dir[PATH_MAX];
	struct kheaders_search s = fake_machine(bufs);
	struct kheaders k;

	s.trusted_uid = getuid(); /* the tests' own files stand for root's */
	touch("opt/" KCONFIG, "");
	touch("opt/include/linux/sched.h", "");
	touch("opt/arch/x86/include/asm/ptrace.h", "");
	s.option_dir = at("opt", opt);
	CHECK(kheaders_resolve(&s, &k, err, sizeof(err)) == 0);
	CHECK(kheaders_check(&k, err, sizeof(err)) == 0);

	/* A header anyone may write. */
	chmod(at("opt/include/linux/sched.h", path), 0666);
	CHECK(kheaders_check(&k, err, sizeof(err)) == -1);
	CHECK(strstr(err, path) && strstr(err, "mode 0666"));
	chmod(path, 0644);

	/* A directory of arch headers anyone may add to. */
	chmod(at("opt/arch/x86/include/asm", path), 0777);
	CHECK(kheaders_check(&k, err, sizeof(err)) == -1 && strstr(err, path));
	chmod(path, 0755);

	/* A link to a directory anyone may write, sticky or not. */
	strfmt(open_dir, sizeof(open_dir), "%s-open", root);
	CHECK(mkdir(open_dir, 0755) == 0 && chmod(open_dir, 01777) == 0);
	CHECK(symlink(open_dir, at("opt/include/uapi", path)) == 0);
	CHECK(kheaders_check(&k, err, sizeof(err)) == -1 && strstr(err, open_dir));
	unlink(path);
	rmdir(open_dir);

	/* The tree's own directory, or one above it, writable by others. */
	chmod(at("opt", path), 0775);
	CHECK(kheaders_check(&k, err, sizeof(err)) == -1 && strstr(err, path));
	chmod(path, 0755);
	chmod(root, 0777);
	CHECK(kheaders_check(&k, err, sizeof(err)) == -1 && strstr(err, root));
	chmod(root, 0700);
	CHECK(kheaders_check(&k, err, sizeof(err)) == 0);
	cleanup();
}

/*
 * The attack of CVE-2024-2314: a tree planted in /tmp by another user,
 * with a kconfig.h that turns a helper into nothing. Refused before any
 * compile, wherever it comes from.
 */
static void planted_tree_refused(void)
{
	char bufs[6][PATH_MAX], err[512], opt[PATH_MAX];
	struct kheaders_search s = fake_machine(bufs);
	struct kheaders k;

	touch("planted/" KCONFIG, "#define bpf_send_signal(s) 0\n");
	s.option_dir = at("planted", opt);
	CHECK(kheaders_resolve(&s, &k, err, sizeof(err)) == 0);
	/* Another user's: as root, given to nobody; otherwise the tests' files already are. */
	if (getuid() == 0)
		CHECK(chown(opt, 65534, 65534) == 0);
	CHECK(kheaders_check(&k, err, sizeof(err)) == -1);
	CHECK(strstr(err, "can be changed by users other than root"));
	cleanup();
}

static void debian_pair_merged_into_cache(void)
{
	char bufs[6][PATH_MAX], err[512], path[PATH_MAX], line[512];
	struct kheaders_search s = fake_machine(bufs);
	struct kheaders k;
	struct stat st;

	touch("usr/src/linux-headers-6.1.0-5-common/" KCONFIG, "");
	touch("usr/src/linux-headers-6.1.0-5-common/arch/x86/include/asm/ptrace.h", "");
	touch("usr/src/linux-headers-6.1.0-5-amd64/include/generated/utsrelease.h",
	      UTS("6.1.0-5-amd64"));
	touch("usr/src/linux-headers-6.1.0-5-amd64/include/config/auto.conf", "");
	touch("usr/src/linux-headers-6.1.0-5-amd64/arch/x86/include/generated/asm/x.h", "");
	touch("usr/src/linux-headers-6.12.3+deb12-common/" KCONFIG, "kconfig 6.12");
	touch("usr/src/linux-headers-6.12.3+deb12-common/arch/x86/include/asm/ptrace.h", "");
	touch("usr/src/linux-headers-6.12.3+deb12-amd64/include/generated/utsrelease.h",
	      UTS("6.12.3+deb12-amd64"));
	touch("usr/src/linux-headers-6.12.3+deb12-amd64/include/config/auto.conf", "");
	touch("usr/src/linux-headers-6.12.3+deb12-amd64/arch/x86/include/generated/asm/x.h", "");
	/* newer, but with no flavour directory: not a pair */
	touch("usr/src/linux-headers-6.13.0-1-common/" KCONFIG, "");

	/* The running kernel's pair, though not the newest. */
	s.release = "6.1.0-5-amd64";
	CHECK(kheaders_resolve(&s, &k, err, sizeof(err)) == 0);
	CHECK(k.source == KHEADERS_DEBIAN);
	CHECK_STR(k.release, "6.1.0-5-amd64");
	CHECK_STR(k.tree, at("cache/kernel-headers/6.1.0-5-amd64", path));

	/* Else the newest. */
	s.release = "6.18.0-test";
	CHECK(kheaders_resolve(&s, &k, err, sizeof(err)) == 0);
	CHECK(k.source == KHEADERS_DEBIAN);
	CHECK_STR(k.release, "6.12.3+deb12-amd64");
	CHECK_STR(k.tree, at("cache/kernel-headers/6.12.3+deb12-amd64", path));
	CHECK(kheaders_tree_usable(k.tree));
	CHECK(stat(at("cache/kernel-headers/6.12.3+deb12-amd64/include/generated/utsrelease.h",
		      path),
		   &st) == 0);
	CHECK(stat(at("cache/kernel-headers/6.12.3+deb12-amd64/include/config/auto.conf", path),
		   &st) == 0);
	CHECK(stat(at("cache/kernel-headers/6.12.3+deb12-amd64/arch/x86/include/asm/ptrace.h",
		      path),
		   &st) == 0);
	CHECK(stat(at("cache/kernel-headers/6.12.3+deb12-amd64/arch/x86/include/generated/asm/x.h",
		      path),
		   &st) == 0);
	CHECK(stat(at("cache", path), &st) == 0 && (st.st_mode & 0777) == 0755);

	/* Reused as it is on the next run. */
	CHECK(kheaders_resolve(&s, &k, err, sizeof(err)) == 0 && k.source == KHEADERS_DEBIAN);

	/* A tree whose links broke (package removed) is built anew. */
	CHECK(unlink(at("cache/kernel-headers/6.12.3+deb12-amd64/include/linux", path)) == 0);
	CHECK(!kheaders_tree_usable(k.tree));
	CHECK(kheaders_resolve(&s, &k, err, sizeof(err)) == 0 && kheaders_tree_usable(k.tree));

	kheaders_describe(&k, "6.18.0-test", line, sizeof(line));
	CHECK(strstr(line, "6.12.3+deb12-amd64") && strstr(line, "6.18.0-test"));
	kheaders_describe(&k, "6.12.3+deb12-amd64", line, sizeof(line));
	CHECK_STR(line, "");
	cleanup();
}

static void cache_must_be_owners_to_write(void)
{
	char bufs[6][PATH_MAX], err[512], path[PATH_MAX];
	struct kheaders_search s = fake_machine(bufs);
	struct kheaders k;

	touch("usr/src/linux-headers-6.1.0-5-common/" KCONFIG, "");
	touch("usr/src/linux-headers-6.1.0-5-amd64/include/generated/utsrelease.h",
	      UTS("6.1.0-5-amd64"));
	mkdir(at("cache", path), 0777);
	chmod(path, 0777);
	CHECK(kheaders_resolve(&s, &k, err, sizeof(err)) == -1);
	CHECK(strstr(err, "not a directory of this user or root that only its owner may write"));
	/* A symbolic link in its place is refused too. */
	rmdir(path);
	CHECK(symlink("/tmp", path) == 0);
	CHECK(kheaders_resolve(&s, &k, err, sizeof(err)) == -1);
	cleanup();
}

/*
 * A cache directory that can be made, with no room below it for the
 * merged tree's path: a message that names the path, never an unset one.
 */
static void tree_path_too_long(void)
{
	char bufs[6][PATH_MAX], err[2 * PATH_MAX] = "", deep[PATH_MAX];
	struct kheaders_search s = fake_machine(bufs);
	struct kheaders k;
	size_t want = PATH_MAX - 26, n;

	touch("usr/src/linux-headers-6.1.0-5-common/" KCONFIG, "");
	touch("usr/src/linux-headers-6.1.0-5-amd64/include/generated/utsrelease.h",
	      UTS("6.1.0-5-amd64"));
	strfmt(deep, sizeof(deep), "%s", root);
	/* Components of up to 200 bytes, the last cut so that the path is want long. */
	for (n = strlen(deep); n < want; n = strlen(deep)) {
		size_t part = want - n - 1 < 200 ? want - n - 1 : 200;

		deep[n] = '/';
		memset(deep + n + 1, 'd', part);
		deep[n + 1 + part] = '\0';
		CHECK(mkdir(deep, 0700) == 0);
	}
	s.cache_dir = deep;
	CHECK(kheaders_resolve(&s, &k, err, sizeof(err)) == -1);
	CHECK(strstr(err, "too long") && strstr(err, deep));
	cleanup();
}

static void nothing_found(void)
{
	char bufs[6][PATH_MAX], err[512];
	struct kheaders_search s = fake_machine(bufs);
	struct kheaders k;

	CHECK(kheaders_resolve(&s, &k, err, sizeof(err)) == -1);
	CHECK(strstr(err, "linux-headers-6.18.0-test"));
	cleanup();
}

UNIT_SUITE(kheaders_tests, { "kheaders: option, then environment", option_and_environment_first },
	   { "kheaders: /lib/modules, then the kheaders archive", modules_then_archive },
	   { "kheaders: Debian pair merged into the cache", debian_pair_merged_into_cache },
	   { "kheaders: nothing above or below the headers another user can change",
	     headers_only_root_can_change },
	   { "kheaders: a tree planted by another user is refused", planted_tree_refused },
	   { "kheaders: a cache directory others may write is refused",
	     cache_must_be_owners_to_write },
	   { "kheaders: a tree path too long is named in the message", tree_path_too_long },
	   { "kheaders: nothing found", nothing_found });
