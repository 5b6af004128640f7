/*
 * How failures travel, everywhere in common/ and the tools:
 *
 * - Library code (what a step calls: parsing, files, BTF, headers, the
 *   cache, images, compiling) returns 0, or -1 with what failed and why in
 *   the caller's error buffer (err, errlen), or in its object's own (the
 *   probe plan's err). It prints nothing and chooses no exit status. A
 *   check that answers yes or no (parse_uint, scope_cgroup_path_ok)
 *   returns bool, with why in the caller's buffer when it says no.
 * - A step of a tool (the runtime's snoop_bpf_* entry points, the option
 *   handlers of cli.h, a tool's main) turns a failure into an exit status:
 *   EXIT_USAGE when the user's input is at fault, EXIT_RUNTIME otherwise,
 *   and prints exactly one line on stderr, "TOOL: what failed: why" (a
 *   usage error adds the --help hint). Steps return 0 to go on, that
 *   status, or SNOOP_DONE when nothing failed and nothing is left to do.
 * - A tool's main goes on while its steps return 0 and ends with
 *   return snoop_exit_status(err).
 *
 * Two kinds of answers are not failures and keep their own shape: an
 * option handler's CLI_NOT_MINE (cli.h), and a decoder's reason why a
 * cache entry is not used (prog_image_decode: a miss, and the tool
 * compiles again).
 */
#ifndef SNOOP_STATUS_H
#define SNOOP_STATUS_H

#define EXIT_RUNTIME 1 /* a failure at run time; the message is printed */
#define EXIT_USAGE 2   /* a bad option or value; the message names it */
/* The line after a usage error's: printf format, with the tool's name. */
#define USAGE_HINT "Try '%s --help' for more information.\n"
/* Nothing failed and nothing is left to do: --help, --version, --ebpf, a stop during start-up. */
#define SNOOP_DONE (-1)

static inline int snoop_exit_status(int err)
{
	return err == SNOOP_DONE ? 0 : err;
}

#endif
