/* Options every tool has, and the way every tool reports a bad one. */
#ifndef SNOOP_CLI_H
#define SNOOP_CLI_H

#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>

#include "bpf_runtime.h"

#ifndef SNOOP_VERSION
#define SNOOP_VERSION "unknown"
#endif

struct cli_common {
	struct bpf_settings bpf;	/* --mode, --kernel-headers, --verbose */
	bool json;
	bool ebpf;
};

enum {
	OPT_EBPF = 0x100,
	OPT_KERNEL_HEADERS,
	OPT_TOOL = 0x200,	/* first long-only option of a tool */
};

/* Leading ':' makes getopt report a missing value apart from an unknown option. */
#define CLI_COMMON_SHORT ":m:jvhV"
#define CLI_COMMON_LONG                                                           \
	{ "mode", required_argument, NULL, 'm' },                                 \
	{ "json", no_argument, NULL, 'j' },                                       \
	{ "verbose", no_argument, NULL, 'v' },                                    \
	{ "ebpf", no_argument, NULL, OPT_EBPF },                                  \
	{ "kernel-headers", required_argument, NULL, OPT_KERNEL_HEADERS },        \
	{ "help", no_argument, NULL, 'h' },                                       \
	{ "version", no_argument, NULL, 'V' }

enum cli_result {
	CLI_TAKEN,	/* a common option, now in struct cli_common */
	CLI_NOT_COMMON,	/* the tool's own option */
	CLI_EXIT_OK,	/* --help or --version was printed: exit 0 */
	CLI_EXIT_USAGE,	/* a message was printed: exit 2 */
};

/*
 * Handles one getopt_long result. usage prints the tool's help.
 * Also turns getopt's '?' and ':' into messages naming the option.
 */
enum cli_result cli_common_option(int opt, const char *arg, char *const argv[],
				  struct cli_common *c, const char *tool,
				  void (*usage)(FILE *out));

/* The help text of the common options, for a tool's usage. */
void cli_common_help(FILE *out);

/* "TOOL: invalid value for OPTION: WHY" and a hint; returns EXIT_USAGE. */
int cli_bad_value(const char *tool, const char *option, const char *why);

/* Arguments left after the options are a usage error too. */
int cli_no_operands(const char *tool, int argc, char *const argv[]);

#endif
