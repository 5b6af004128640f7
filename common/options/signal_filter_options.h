/* -x, -p, -T and -s of the signal tools, into a struct signal_filter. */
#ifndef SNOOP_SIGNAL_FILTER_OPTIONS_H
#define SNOOP_SIGNAL_FILTER_OPTIONS_H

#include <getopt.h>
#include <linux/types.h>
#include <stdbool.h>

#include "../../programs/signal_filter.h"

/* The four options, for a tool's getopt_long tables. */
#define SIGNAL_FILTER_SHORT "xp:T:s:"
#define SIGNAL_FILTER_LONG                                                                         \
	{ "failed", no_argument, NULL, 'x' }, { "pid", required_argument, NULL, 'p' },             \
		{ "tpid", required_argument, NULL, 'T' },                                          \
	{                                                                                          \
		"signal", required_argument, NULL, 's'                                             \
	}

/*
 * Takes opt if it is one of the four (an option handler of cli.h): 0, or
 * EXIT_USAGE after a message naming the option; CLI_NOT_MINE for others.
 */
int signal_filter_option(const char *tool, int opt, const char *arg, struct signal_filter *f);

#endif
