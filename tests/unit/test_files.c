#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "../../common/files.h"
#include "unit.h"

/* cache_root with CACHE_DIRECTORY set to value (NULL: unset). */
static int root_with(const char *value, char *buf, size_t len, char *err, size_t errlen)
{
	int rc;

	if (value)
		setenv("CACHE_DIRECTORY", value, 1);
	else
		unsetenv("CACHE_DIRECTORY");
	err[0] = '\0';
	rc = cache_root(buf, len, err, errlen);
	unsetenv("CACHE_DIRECTORY");
	return rc;
}

static void cache_root_default_and_systemds(void)
{
	char buf[PATH_MAX], err[256];

	CHECK(root_with(NULL, buf, sizeof(buf), err, sizeof(err)) == 0);
	CHECK_STR(buf, SNOOP_CACHE_DIR);
	CHECK(root_with("", buf, sizeof(buf), err, sizeof(err)) == 0);
	CHECK_STR(buf, SNOOP_CACHE_DIR);
	CHECK(root_with("/var/cache/snoop-c/units", buf, sizeof(buf), err, sizeof(err)) == 0);
	CHECK_STR(buf, "/var/cache/snoop-c/units");
	/* CacheDirectory= with several: the first. */
	CHECK(root_with("/var/cache/a:/var/cache/b", buf, sizeof(buf), err, sizeof(err)) == 0);
	CHECK_STR(buf, "/var/cache/a");
}

static void cache_root_refuses_what_is_no_absolute_path(void)
{
	char buf[16], err[256];

	CHECK(root_with("cache", buf, sizeof(buf), err, sizeof(err)) == -1);
	CHECK(strstr(err, "CACHE_DIRECTORY: cache is not an absolute path") == err);
	CHECK(root_with(":/var/cache/b", buf, sizeof(buf), err, sizeof(err)) == -1);
	/* One that does not fit is refused, not cut short. */
	CHECK(root_with("/var/cache/0123456789", buf, sizeof(buf), err, sizeof(err)) == -1);
	CHECK(strstr(err, "/var/cache/0123456789 is not an absolute path of under 16 bytes"));
	CHECK(root_with("/var/cache/0123", buf, sizeof(buf), err, sizeof(err)) == 0);
	CHECK_STR(buf, "/var/cache/0123");
}

UNIT_SUITE(files_tests,
	   { "files: the cache's root is CACHE_DIRECTORY's first, or /var/cache/snoop-c",
	     cache_root_default_and_systemds },
	   { "files: a CACHE_DIRECTORY that is no absolute path, or too long, is refused",
	     cache_root_refuses_what_is_no_absolute_path });
