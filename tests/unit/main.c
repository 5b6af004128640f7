/*
 * Runs every unit test suite registered (tests/unit/unit.h), in the order of
 * their files' names; a first argument runs only the tests whose names hold
 * it. The last line is "N passed, N failed, N skipped".
 */
#include <stdlib.h>

#include "../../common/text.h"
#include "../report.h"
#include "unit.h"

int unit_failures;

static struct unit_suite *suites;

/* Called before main, once per file: kept sorted by file name. */
void unit_register(struct unit_suite *suite)
{
	struct unit_suite **at = &suites;

	while (*at && strcmp((*at)->file, suite->file) < 0)
		at = &(*at)->next;
	suite->next = *at;
	*at = suite;
}

int main(int argc, char *argv[])
{
	/* For the oracle in tests/cli.sh: the code points the escapers treat as acting. */
	if (argc > 1 && !strcmp(argv[1], "--code-points-that-act")) {
		for (unsigned int cp = 0; cp <= 0x10ffff; cp++) {
			if (text_code_point_acts(cp))
				printf("%x\n", cp);
		}
		return EXIT_SUCCESS;
	}

	for (const struct unit_suite *s = suites; s; s = s->next) {
		for (const struct unit_test *t = s->tests; t->name; t++) {
			int before = unit_failures;

			if (argc > 1 && !strstr(t->name, argv[1]))
				continue;
			t->fn();
			report_check(unit_failures == before, "%s", t->name);
			/* Out before the next test's failures, which go to unbuffered stderr. */
			fflush(stdout);
		}
	}
	return report_end();
}
