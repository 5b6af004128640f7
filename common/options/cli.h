/* Options every tool has, and the way every tool reports a bad one. */
#ifndef SNOOP_CLI_H
#define SNOOP_CLI_H

#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>

#include "../status.h"
#include "settings.h"

#ifndef SNOOP_VERSION
#define SNOOP_VERSION "unknown"
#endif

struct cli_common {
	struct snoop_settings settings; /* --mode, --kernel-headers, --verbose, scope, stats */
	bool json;
	bool show_source;	   /* --ebpf */
	bool stats_interval_given; /* --stats-interval: it needs --json */
};

/*
 * What an option handler returns (cli.c's, signal_filter_option): 0 when
 * it took the option, an exit status after its message (EXIT_USAGE) or
 * SNOOP_DONE (--help, --version) when the tool must stop, and
 * CLI_NOT_MINE for an option another handler takes.
 */
#define CLI_NOT_MINE (-2)

/* --stats-interval's default, in seconds, and its largest value (a day). */
#define STATS_INTERVAL_DEFAULT 10
#define STATS_INTERVAL_MAX 86400

enum {
	OPT_EBPF = 0x100,
	OPT_KERNEL_HEADERS,
	OPT_PIDNS,
	OPT_CGROUP,
	OPT_MNTNSMAP,
	OPT_NO_CACHE,
	OPT_BUFFER_PAGES,
	OPT_RING_BUFFER,
	OPT_STATS_INTERVAL,
	OPT_TOOL = 0x200, /* first long-only option of a tool */
};

/* Leading ':' makes getopt report a missing value apart from an unknown option. */
#define CLI_COMMON_SHORT ":m:jvhV"
#define CLI_COMMON_LONG                                                                            \
	{ "mode", required_argument, NULL, 'm' }, { "json", no_argument, NULL, 'j' },              \
		{ "verbose", no_argument, NULL, 'v' }, { "ebpf", no_argument, NULL, OPT_EBPF },    \
		{ "kernel-headers", required_argument, NULL, OPT_KERNEL_HEADERS },                 \
		{ "pidns", no_argument, NULL, OPT_PIDNS },                                         \
		{ "cgroup", required_argument, NULL, OPT_CGROUP },                                 \
		{ "mntnsmap", required_argument, NULL, OPT_MNTNSMAP },                             \
		{ "no-cache", no_argument, NULL, OPT_NO_CACHE },                                   \
		{ "buffer-pages", required_argument, NULL, OPT_BUFFER_PAGES },                     \
		{ "ring-buffer", no_argument, NULL, OPT_RING_BUFFER },                             \
		{ "stats-interval", required_argument, NULL, OPT_STATS_INTERVAL },                 \
		{ "help", no_argument, NULL, 'h' },                                                \
	{                                                                                          \
		"version", no_argument, NULL, 'V'                                                  \
	}

struct cli_spec {
	const char *tool;
	const char *shortopts;	       /* the tool's own, CLI_COMMON_SHORT is added */
	const struct option *longopts; /* the tool's own and CLI_COMMON_LONG */
	void (*usage)(FILE *out);
	/* One of the tool's options: 0, or EXIT_USAGE after cli_bad_value. */
	int (*option)(int opt, const char *arg, void *ctx);
};

/*
 * Parses the command line: the common options into c, the tool's through
 * spec->option. Returns 0 to go on, SNOOP_DONE after --help or --version,
 * or EXIT_USAGE after a message naming the bad option (common/status.h).
 */
int cli_parse(const struct cli_spec *spec, int argc, char *argv[], struct cli_common *c, void *ctx);

/* The help text of the common options, for a tool's usage. */
void cli_common_help(FILE *out);

/* "TOOL: invalid value for OPTION: WHY" and a hint; returns EXIT_USAGE. */
int cli_bad_value(const char *tool, const char *option, const char *why);

#endif
