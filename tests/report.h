/*
 * The C test programs' one way to report (tests/lib.sh reads it): a line per
 * check, "ok   NAME" or "FAIL NAME", then the closing "N passed, N failed,
 * N skipped" (these programs skip nothing: a skip is a kernel fact's, and
 * tests/lib.sh and tests/checks.py write them).
 */
#ifndef SNOOP_TESTS_REPORT_H
#define SNOOP_TESTS_REPORT_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

static struct {
	int passed, failed;
} report_counts;

/* One check: "ok   NAME" or "FAIL NAME"; returns ok. */
__attribute__((format(printf, 2, 3), unused)) static bool report_check(bool ok, const char *fmt,
								       ...)
{
	va_list ap;

	fputs(ok ? "ok   " : "FAIL ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	if (ok)
		report_counts.passed++;
	else
		report_counts.failed++;
	return ok;
}

/* The closing line; the exit status: 1 when a check failed, or none ran. */
__attribute__((unused)) static int report_end(void)
{
	if (!report_counts.passed && !report_counts.failed)
		report_check(false, "checks ran: none did");
	printf("%d passed, %d failed, 0 skipped\n", report_counts.passed, report_counts.failed);
	fflush(stdout);
	return report_counts.failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

#endif
