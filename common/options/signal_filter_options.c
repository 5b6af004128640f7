#include "signal_filter_options.h"
#include "cli.h"
#include "parse.h"
#include "../signals.h"

int signal_filter_option(const char *tool, int opt, const char *arg, struct signal_filter *f)
{
	char why[128];
	uint64_t pid;
	int64_t tpid;

	switch (opt) {
	case 'x':
		f->failed_only = 1;
		return 0;
	case 'p':
		if (!parse_uint(arg, 1, INT32_MAX, &pid, why, sizeof(why)))
			return cli_bad_value(tool, "-p/--pid", why);
		f->pid = (__u32)pid;
		f->filter_pid = 1;
		return 0;
	case 'T':
		if (!parse_int(arg, -INT32_MAX, INT32_MAX, &tpid, why, sizeof(why)))
			return cli_bad_value(tool, "-T/--tpid", why);
		f->tpid = (__s32)tpid;
		f->filter_tpid = 1;
		return 0;
	case 's':
		if (!parse_signal_set(arg, f->signals, why, sizeof(why)))
			return cli_bad_value(tool, "-s/--signal", why);
		f->filter_signals = 1;
		return 0;
	default:
		return CLI_NOT_MINE;
	}
}
