#include "cli.h"

#include <string.h>

#include "parse.h"
#include "../load/prog_cache.h"
#include "scope_options.h"
#include "../text.h"

static int usage_error(const char *tool, const char *what, const char *option)
{
	fprintf(stderr, "%s: %s '%s'\n" USAGE_HINT, tool, what, option, tool);
	return EXIT_USAGE;
}

int cli_bad_value(const char *tool, const char *option, const char *why)
{
	fprintf(stderr, "%s: invalid value for %s: %s\n" USAGE_HINT, tool, option, why, tool);
	return EXIT_USAGE;
}

/* The option getopt just looked at (in word, argv[optind - 1]), as the user wrote it. */
static const char *current_option(const char *word, char *buf, size_t len)
{
	if (!strncmp(word, "--", 2) || optopt <= 0 || optopt > 0x7f)
		return word;
	snprintf(buf, len, "-%c", optopt);
	return buf;
}

/* An option naming a path, checked by ok: stored in *out, or a usage error. */
static int path_option(const char *tool, const char *option, const char *path,
		       bool (*ok)(const char *path, char *why, size_t whylen), const char **out)
{
	char why[256];

	if (!ok(path, why, sizeof(why)))
		return cli_bad_value(tool, option, why);
	*out = path;
	return 0;
}

/*
 * The kernel maps ring and perf buffers as a power of two of pages; 16384
 * is 64 MiB (for the ring, or for each CPU's perf buffer).
 */
#define MAX_BUFFER_PAGES 16384

static int buffer_pages_option(const char *tool, const char *arg, int *out)
{
	char why[128];
	uint64_t pages;

	if (!parse_uint(arg, 1, MAX_BUFFER_PAGES, &pages, why, sizeof(why)))
		return cli_bad_value(tool, "--buffer-pages", why);
	if (pages & (pages - 1))
		return cli_bad_value(tool, "--buffer-pages", "not a power of two");
	*out = (int)pages;
	return 0;
}

static int stats_interval_option(const char *tool, const char *arg, struct cli_common *c)
{
	char why[128];
	uint64_t seconds;

	if (!parse_uint(arg, 0, STATS_INTERVAL_MAX, &seconds, why, sizeof(why)))
		return cli_bad_value(tool, "--stats-interval", why);
	c->settings.stats_interval = (unsigned)seconds;
	c->stats_interval_given = true;
	return 0;
}

/* One getopt_long result; also turns getopt's '?' and ':' into messages. */
static int common_option(int opt, const char *arg, char *const argv[], struct cli_common *c,
			 const char *tool, void (*usage)(FILE *out))
{
	char buf[8];

	switch (opt) {
	case 'm':
		if (!probe_mode_parse(arg, &c->settings.mode))
			return cli_bad_value(tool, "-m/--mode",
					     "expected auto, tracepoint, fentry or kprobe");
		return 0;
	case 'j':
		c->json = true;
		return 0;
	case 'v':
		c->settings.verbose = true;
		return 0;
	case OPT_EBPF:
		c->show_source = true;
		return 0;
	case OPT_KERNEL_HEADERS:
		c->settings.kernel_headers = arg;
		return 0;
	case OPT_PIDNS:
		c->settings.scope.pidns = true;
		return 0;
	case OPT_CGROUP:
		return path_option(tool, "--cgroup", arg, scope_cgroup_path_ok,
				   &c->settings.scope.cgroup);
	case OPT_MNTNSMAP:
		return path_option(tool, "--mntnsmap", arg, scope_mntnsmap_path_ok,
				   &c->settings.scope.mntnsmap);
	case OPT_NO_CACHE:
		c->settings.no_cache = true;
		return 0;
	case OPT_BUFFER_PAGES:
		return buffer_pages_option(tool, arg, &c->settings.buffer_pages);
	case OPT_RING_BUFFER:
		c->settings.ring_buffer = true;
		return 0;
	case OPT_STATS_INTERVAL:
		return stats_interval_option(tool, arg, c);
	case 'h':
		usage(stdout);
		return SNOOP_DONE;
	case 'V':
		printf("%s (snoop-c) %s\n", tool, SNOOP_VERSION);
		return SNOOP_DONE;
	case ':':
		return usage_error(tool, "missing value for option",
				   current_option(argv[optind - 1], buf, sizeof(buf)));
	case '?':
		return usage_error(tool, "unknown option",
				   current_option(argv[optind - 1], buf, sizeof(buf)));
	default:
		return CLI_NOT_MINE;
	}
}

int cli_parse(const struct cli_spec *spec, int argc, char *argv[], struct cli_common *c, void *ctx)
{
	char shortopts[64];
	int opt;

	if (!strfmt(shortopts, sizeof(shortopts), "%s%s", CLI_COMMON_SHORT, spec->shortopts)) {
		/* The tool's own list, not the user's input. */
		fprintf(stderr, "%s: internal error: too many short options\n", spec->tool);
		return EXIT_RUNTIME;
	}
	opterr = 0;
	c->settings.stats_interval = STATS_INTERVAL_DEFAULT;
	while ((opt = getopt_long(argc, argv, shortopts, spec->longopts, NULL)) != -1) {
		int rc = common_option(opt, optarg, argv, c, spec->tool, spec->usage);

		if (rc == CLI_NOT_MINE)
			rc = spec->option(opt, optarg, ctx);
		if (rc == CLI_NOT_MINE) {
			/* getopt knows it, and no handler does: the tool's tables disagree. */
			fprintf(stderr, "%s: internal error: option %d has no handler\n",
				spec->tool, opt);
			return EXIT_RUNTIME;
		}
		if (rc)
			return rc;
	}
	if (optind < argc)
		return usage_error(spec->tool, "unexpected argument", argv[optind]);
	if (!c->json && c->stats_interval_given)
		return cli_bad_value(spec->tool, "--stats-interval",
				     "stats objects come only with --json");
	if (!c->json)
		c->settings.stats_interval = 0;
	return 0;
}

void cli_common_help(FILE *out)
{
	fputs("  -m, --mode MODE        attach to tracepoints, fentry or kprobes (default\n"
	      "                         auto: the first of these the kernel offers)\n"
	      "  -j, --json             one JSON object per line\n"
	      "  -v, --verbose          phases and their times on stderr\n"
	      "      --ebpf             print the BPF program and its cflags, then exit\n"
	      "      --kernel-headers DIR\n"
	      "                         compile against this kernel header tree\n"
	      "      --pidns            only tasks of this PID namespace, with its PIDs\n"
	      "                         (the default inside a container's namespace)\n"
	      "      --cgroup PATH      only tasks in this cgroup v2 directory's subtree\n"
	      "      --mntnsmap PATH    only tasks whose mount namespace ID is a key of\n"
	      "                         this pinned BPF map (as BCC's tools)\n"
	      "      --no-cache         compile the BPF program, not taking it from (or\n"
	      "                         storing it in) " SNOOP_CACHE_DIR "/programs\n"
	      "                         ($CACHE_DIRECTORY/programs where it is set)\n"
	      "      --buffer-pages N   pages of each CPU's perf buffer, or with\n"
	      "                         --ring-buffer of the ring (a power of two)\n"
	      "      --ring-buffer      events through one BPF ring buffer that every CPU\n"
	      "                         shares, not a perf buffer per CPU (Linux 5.8)\n"
	      "      --stats-interval N with --json, a stats object (events, lost,\n"
	      "                         dropped) every N seconds and at the end; 0: none\n"
	      "                         (default 10)\n"
	      "  -h, --help             this help\n"
	      "  -V, --version          version\n",
	      out);
}
