/* A minimal test harness: CHECK records a failure and goes on. */
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

/* Each test file lists its tests in one of these. */
#define UNIT_SUITE(suite, ...) const struct unit_test suite[] = { __VA_ARGS__, { NULL, NULL } }

#endif
