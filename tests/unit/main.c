/* Runs every unit test; the last line is "N passed, N failed". */
#include <stdlib.h>

#include "../../common/array_size.h"
#include "../../common/text.h"
#include "unit.h"

int unit_failures;

extern const struct unit_test text_tests[], parse_tests[], assembly_tests[], kheaders_tests[],
	btf_tests[], kernel_env_tests[], delivery_tests[], prog_cache_tests[], json_writer_tests[],
	cgroups_tests[], event_order_tests[], repairs_tests[], probe_plan_tests[];

int main(int argc, char *argv[])
{
	const struct unit_test *suites[] = { text_tests,      parse_tests,	 assembly_tests,
					     kheaders_tests,  btf_tests,	 kernel_env_tests,
					     delivery_tests,  prog_cache_tests,	 json_writer_tests,
					     cgroups_tests,   event_order_tests, repairs_tests,
					     probe_plan_tests };
	int passed = 0, failed = 0;

	/* For the oracle in tests/cli.sh: the code points the escapers treat as acting. */
	if (argc > 1 && !strcmp(argv[1], "--code-points-that-act")) {
		for (unsigned int cp = 0; cp <= 0x10ffff; cp++) {
			if (text_code_point_acts(cp))
				printf("%x\n", cp);
		}
		return EXIT_SUCCESS;
	}

	for (size_t s = 0; s < ARRAY_SIZE(suites); s++) {
		for (const struct unit_test *t = suites[s]; t->name; t++) {
			int before = unit_failures;

			if (argc > 1 && !strstr(t->name, argv[1]))
				continue;
			t->fn();
			if (unit_failures == before) {
				passed++;
				printf("ok   %s\n", t->name);
			} else {
				failed++;
				printf("FAIL %s\n", t->name);
			}
		}
	}
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
