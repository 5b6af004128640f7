/*
 * What every step of a tool returns: 0 to go on, or why to stop. A tool's
 * main goes on while its steps return 0 and ends with
 * return snoop_exit_status(err).
 */
#ifndef SNOOP_STATUS_H
#define SNOOP_STATUS_H

#define EXIT_RUNTIME 1	/* a failure at run time; the message is printed */
#define EXIT_USAGE 2	/* a bad option or value; the message names it */
/* Nothing failed and nothing is left to do: --help, --version, --ebpf, a stop during start-up. */
#define SNOOP_DONE (-1)

static inline int snoop_exit_status(int err)
{
	return err == SNOOP_DONE ? 0 : err;
}

#endif
