/*
 * The unit tests' harness: CHECK records a failure and goes on. A file
 * tests/unit/test_NAME.c lists its tests with UNIT_SUITE, which registers
 * them when the program starts: the Makefile builds every such file in, and
 * main.c runs every suite registered, so a new file needs no other change.
 * Unit tests need neither root nor the running kernel's own data (its BTF,
 * its programs): those belong to tests/integration.
 */
#ifndef UNIT_H
#define UNIT_H

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

extern int unit_failures;

#define CHECK(cond)                                                                                \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			fprintf(stderr, "  %s:%d: CHECK(%s) failed\n", __FILE__, __LINE__, #cond); \
			unit_failures++;                                                           \
		}                                                                                  \
	} while (0)

#define CHECK_STR(got, want)                                                                       \
	do {                                                                                       \
		const char *g_ = (got), *w_ = (want);                                              \
		if (strcmp(g_, w_)) {                                                              \
			fprintf(stderr, "  %s:%d: got \"%s\", want \"%s\"\n", __FILE__, __LINE__,  \
				g_, w_);                                                           \
			unit_failures++;                                                           \
		}                                                                                  \
	} while (0)

struct unit_test {
	const char *name;
	void (*fn)(void);
};

/* A file's tests, as main.c finds them: linked into a list before main runs. */
struct unit_suite {
	const char *file;
	const struct unit_test *tests;
	struct unit_suite *next;
};

void unit_register(struct unit_suite *suite);

/* Each test file lists its tests in one of these: { "name", function }, ... */
#define UNIT_SUITE(suite, ...)                                                                     \
	static const struct unit_test suite[] = { __VA_ARGS__, { NULL, NULL } };                   \
	static struct unit_suite suite##_entry = { __FILE__, suite, NULL };                        \
	__attribute__((constructor)) static void suite##_register(void)                            \
	{                                                                                          \
		unit_register(&suite##_entry);                                                     \
	}                                                                                          \
	extern int unit_failures

#endif
