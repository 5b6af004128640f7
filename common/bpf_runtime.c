#include "bpf_runtime.h"
#include <linux/types.h>
#include "../programs/event_send.h"
#include "../programs/snoop_fields.h"
#include "array_size.h"
#include "load/compile.h"
#include "output/event_json.h"
#include "output/event_loop.h"
#include "clock.h"
#include "confine.h"
#include "plan/btf_fields.h"
#include "plan/kernel_facts.h"
#include "privileges.h"
#include "load/kheaders.h"
#include "output/output.h"
#include "load/prog_cache.h"
#include "load/prog_load.h"
#include "stop_signals.h"
#include "text.h"

#include <bcc/libbpf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/bpf.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct snoop_bpf {
	const struct snoop_tool *tool;
	struct snoop_settings settings;
	struct kernel_facts facts; /* what the kernel offers, probed as the plan asks */
	struct probe_plan plan;	   /* what is compiled, and what of it attaches where */
	struct kheaders headers;   /* what a compile uses (none for --ebpf) */
	char cache_dir[PATH_MAX];  /* the cache's root (cache_root) */
	struct prog_image image;   /* compiled, or from the cache */
	struct loaded_image loaded;
	bool image_loaded; /* loaded holds descriptors to close */
	/* The maps read once attached, mapped: the tool makes no bpf() call from then on. */
	struct mapped_values send_states; /* event_sends: an entry per possible CPU */
	struct mapped_values tables_full; /* tables_full's one counter */
	int possible_cpus;		  /* the CPUs event_sends has an entry for */
	/* About the headers and struct offsets a compile used: shown with -v, or once compiled. */
	char compile_notice[1024];
	bool compile_planned; /* plan.compile holds the compile's flags, struct offsets included */
	struct event_loop events;
	unsigned long long phase_start;
	/* The event loop's: the tool's after_batch, and the stats objects' clock. */
	void (*after_batch)(void *ctx);
	void *after_batch_ctx;
	unsigned long long stats_since;	    /* when the last stats object was written */
	struct event_counts stats_reported; /* the totals it reported */
};

static int fail(const struct snoop_bpf *b, int status, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(const struct snoop_bpf *b, int status, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", b->tool->name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	if (status == EXIT_USAGE)
		fprintf(stderr, USAGE_HINT, b->tool->name);
	return status;
}

/* With -v: the phase that just ended and how long it took. */
static void phase_done(struct snoop_bpf *b, const char *phase, const char *detail)
{
	unsigned long long now = monotonic_ns();

	if (b->settings.verbose)
		fprintf(stderr, "%s: %-8s %6.3f s%s%s\n", b->tool->name, phase,
			(double)(now - b->phase_start) / 1e9, detail[0] ? "  " : "", detail);
	b->phase_start = now;
}

struct snoop_bpf *snoop_bpf_new(const struct snoop_tool *tool,
				const struct snoop_settings *settings)
{
	struct snoop_bpf *b = calloc(1, sizeof(*b));
	char err[256];

	if (!b) {
		fprintf(stderr, "%s: out of memory\n", tool->name);
		return NULL;
	}
	b->tool = tool;
	b->settings = *settings;
	/*
	 * From the very start (stop_signals.h): a stop while the headers are
	 * unpacked or the program compiled kills tar or the compiler.
	 */
	catch_stop_signals();
	output_init();
	probe_plan_init(&b->plan, tool, settings->mode, settings->ring_buffer);
	if (kernel_facts_init(&b->facts, tool, err, sizeof(err))) {
		fprintf(stderr, "%s: %s\n", tool->name, err);
		free(b);
		return NULL;
	}
	b->phase_start = monotonic_ns();
	return b;
}

static int find_headers(struct snoop_bpf *b)
{
	struct kheaders_search search;
	struct kheaders *headers = &b->headers;
	char err[512] = "", line[1024];

	/* --kernel-headers itself was checked first, in snoop_bpf_prepare. */
	kheaders_default_search(&search, b->settings.kernel_headers, b->cache_dir);
	if (kheaders_select(&search, headers, err, sizeof(err)))
		/* Its tar killed by a stop (kheaders.h): nothing made, nothing to say. */
		return stop_was_requested() ? SNOOP_DONE : fail(b, EXIT_RUNTIME, "%s", err);
	kheaders_describe(headers, search.release, line, sizeof(line));
	if (line[0])
		strfmt(b->compile_notice, sizeof(b->compile_notice),
		       "%s; struct offsets come from %s", line,
		       b->facts.btf ? "BTF" : "these headers, which must match the running kernel");
	else if (!b->facts.btf)
		strfmt(b->compile_notice, sizeof(b->compile_notice),
		       "this kernel has no BTF; struct field offsets come from the kernel "
		       "headers, which must match the running kernel");
	if (b->compile_notice[0] && b->settings.verbose)
		fprintf(stderr, "%s: %s\n", b->tool->name, b->compile_notice);
	phase_done(b, "headers", headers->tree[0] ? headers->tree : headers->release);
	return 0;
}

/*
 * The attach plan (choose) or the compile plan, from the kernel's facts:
 * each group probed once, when the planner first needs it. With -v, what
 * it chose and why.
 */
static int plan(struct snoop_bpf *b, enum snoop_purpose purpose, bool compile)
{
	int (*choose)(struct probe_plan *, enum snoop_purpose, const struct kernel_facts *) =
		compile ? probe_plan_compile : probe_plan_choose;
	/* The attach plan's notes start afresh; the compile plan's follow them. */
	int first_note = compile ? b->plan.nnotes : 0;
	char err[512];
	int rc;

	while ((rc = choose(&b->plan, purpose, &b->facts)) == PLAN_NEEDS_FACTS) {
		if (kernel_facts_probe(&b->facts, b->plan.facts_needed, err, sizeof(err)))
			return fail(b, EXIT_RUNTIME, "%s", err);
	}
	if (rc)
		return fail(b, EXIT_RUNTIME, "%s", b->plan.err);
	for (int i = first_note; b->settings.verbose && i < b->plan.nnotes; i++)
		fprintf(stderr, "%s: %s\n", b->tool->name, b->plan.notes[i]);
	return 0;
}

static int choose_plan(struct snoop_bpf *b, enum snoop_purpose purpose)
{
	int rc = plan(b, purpose, false);

	if (!rc)
		phase_done(b, "plan", probe_mode_name(b->plan.mode));
	return rc;
}

/* What of the plan opens perf events, as privileges_check_perf_events names it. */
static int check_perf_events(const struct snoop_bpf *b, char *err, size_t errlen)
{
	const char *uses = b->plan.ring_buffer ? NULL : "its perf buffers";

	for (size_t i = 0; !uses && i < b->plan.nattachments; i++) {
		if (b->plan.attachments[i].prog_type == BPF_PROG_TYPE_TRACEPOINT)
			uses = "its tracepoints";
		else if (b->plan.attachments[i].prog_type == BPF_PROG_TYPE_KPROBE)
			uses = "its kprobes";
	}
	return uses ? privileges_check_perf_events(uses, err, errlen) : 0;
}

int snoop_bpf_prepare(struct snoop_bpf *b, enum snoop_purpose purpose)
{
	char err[512];

	/* A usage error before any other, --ebpf included. */
	if (b->settings.kernel_headers &&
	    kheaders_option_check(b->settings.kernel_headers, err, sizeof(err)))
		return fail(b, EXIT_USAGE, "%s", err);
	if (purpose == SNOOP_SHOW_SOURCE)
		return 0;
	if (privileges_check_start(b->tool->after_attach_needs & AFTER_ATTACH_SIGNALS, err,
				   sizeof(err)))
		return fail(b, EXIT_RUNTIME, "%s", err);
	if (cache_root(b->cache_dir, sizeof(b->cache_dir), err, sizeof(err)))
		return fail(b, EXIT_RUNTIME, "%s", err);
	if (choose_plan(b, purpose))
		return EXIT_RUNTIME;
	if (purpose == SNOOP_TRACE && check_perf_events(b, err, sizeof(err)))
		return fail(b, EXIT_RUNTIME, "%s", err);
	return find_headers(b);
}

/* Everything this compile depends on, as prog_cache_key takes it: no kernel fact probed. */
static char *cache_key(const struct snoop_bpf *b, size_t *len)
{
	struct prog_cache_inputs in = {
		.tool = b->tool->name,
		.source = b->tool->source,
		.ring_buffer = b->settings.ring_buffer,
		/* The tree the compile is given (BCC_KERNEL_SOURCE); NULL: libbcc's own search. */
		.headers_tree = b->headers.tree[0] ? b->headers.tree : NULL,
		.headers_dir = b->headers.checked_dirs[0],
		.headers_identity = b->headers.identity,
	};

	return prog_cache_key(&in, len);
}

/*
 * Whether the image lacks a program this run's plan loads, with which in
 * why. An entry holds the modes the kernel offered when it was compiled:
 * a kernel that offers more since (kallsyms readable again, say) gets a
 * new compile, which replaces the entry.
 */
static bool image_lacks(struct snoop_bpf *b, char *why, size_t len)
{
	for (size_t i = 0; i < b->plan.nattachments; i++) {
		const char *func = b->plan.attachments[i].func;

		if (prog_image_prog(&b->image, func) < 0) {
			strfmt(why, len, "the entry has no program %s", func);
			prog_image_free(&b->image);
			return true;
		}
	}
	return false;
}

/* The program from the cache, or compiled and then stored there. */
static int cached_compile(struct snoop_bpf *b)
{
	char why[512], dir[PATH_MAX], path[PATH_MAX + 32], stored[512];
	size_t keylen;
	char *key = cache_key(b, &keylen);
	int rc;

	if (!key)
		return fail(b, EXIT_RUNTIME, "out of memory");
	if (!strfmt(dir, sizeof(dir), "%s/programs", b->cache_dir)) {
		free(key);
		return fail(b, EXIT_RUNTIME, "the cache's path is too long: %s", b->cache_dir);
	}
	prog_cache_path(dir, key, keylen, path, sizeof(path));
	if (!prog_cache_lookup(dir, key, keylen, &b->image, why, sizeof(why)) &&
	    !image_lacks(b, why, sizeof(why))) {
		phase_done(b, "cache", path);
		free(key);
		return 0;
	}
	if (b->settings.verbose)
		fprintf(stderr, "%s: cache miss (%s): compiling\n", b->tool->name, why);
	rc = snoop_bpf_compile(b);
	if (!rc && prog_cache_store(dir, key, keylen, &b->image, stored, sizeof(stored)))
		fprintf(stderr, "%s: the compiled program is not cached: %s\n", b->tool->name,
			stored);
	else if (!rc && b->settings.verbose)
		fprintf(stderr, "%s: cached as %s\n", b->tool->name, path);
	free(key);
	return rc;
}

/*
 * The descriptor of a map of the loaded program; -EBADF before the program
 * is loaded, -ENOENT when it has no map of that name.
 */
static int map_fd_of(struct snoop_bpf *b, const char *map)
{
	int i;

	if (!b->image_loaded)
		return -EBADF;
	i = prog_image_map(&b->image, map);
	return i < 0 ? -ENOENT : b->loaded.map_fds[i];
}

/* Why map_fd_of gave no descriptor: a bug of the tool's, never the user's. */
static int map_fd_failed(const struct snoop_bpf *b, const char *map, int fd)
{
	if (fd == -ENOENT)
		return fail(b, EXIT_RUNTIME, "the BPF program has no map %s", map);
	return fail(b, EXIT_RUNTIME, "map %s: the BPF program is not loaded", map);
}

/* Writes the scope the options ask for into the program's scope maps. */
static int set_scope(struct snoop_bpf *b)
{
	struct scope_values v = { .cgroup_fd = -1, .mntns_map_fd = -1 };
	char err[512];
	int zero = 0, rc = 0, fd;

	if (scope_pidns_get(&b->settings.scope, &v.scope, err, sizeof(err)))
		return fail(b, EXIT_RUNTIME, "%s", err);
	/* The hierarchy the events' cgroup IDs are of, where user space finds their paths. */
	if (kernel_facts_probe(&b->facts, FACT_CGROUP, err, sizeof(err)))
		return fail(b, EXIT_RUNTIME, "%s", err);
	v.scope.cgroup_ssid = b->facts.cgroup_ssid;
	if (scope_paths_open(&b->settings.scope, &v, err, sizeof(err)))
		return fail(b, EXIT_USAGE, "%s", err);
	if (v.scope.pidns && b->settings.verbose)
		fprintf(stderr, "%s: PID namespace %llu: its tasks, with its PIDs\n", b->tool->name,
			(unsigned long long)v.scope.pidns_ino);
	/*
	 * What the kernel refuses of --cgroup or --mntnsmap is the user's to
	 * fix; a map missing from the program is not.
	 */
	if (v.cgroup_fd >= 0) {
		fd = map_fd_of(b, "scope_cgroup");
		if (fd < 0)
			rc = map_fd_failed(b, "scope_cgroup", fd);
		else if (bpf_update_elem(fd, &zero, &v.cgroup_fd, 0))
			rc = fail(b, EXIT_USAGE, "--cgroup: %s: %s", b->settings.scope.cgroup,
				  strerror(errno));
	}
	if (!rc && v.mntns_map_fd >= 0) {
		fd = map_fd_of(b, "scope_mntns");
		if (fd < 0)
			rc = map_fd_failed(b, "scope_mntns", fd);
		else if (bpf_update_elem(fd, &zero, &v.mntns_map_fd, 0))
			rc = fail(b, EXIT_USAGE,
				  "--mntnsmap: %s cannot serve as the map of mount namespaces "
				  "(%s; it must be a plain hash map, no flags)",
				  b->settings.scope.mntnsmap, strerror(errno));
	}
	if (!rc)
		rc = snoop_bpf_map_set(b, "scope", &zero, &v.scope);
	scope_values_close(&v);
	return rc;
}

/* The kernel struct fields programs/snoop.bpf.h reads for every tool (programs/snoop_fields.h). */
static const struct kernel_field common_fields[] = { SNOOP_TASK_FIELDS(KERNEL_FIELD)
							     SNOOP_BTF_ONLY_FIELDS(KERNEL_FIELD) };
static const struct kernel_field compat_fields[] = { SNOOP_COMPAT_FIELDS(KERNEL_FIELD) };

/*
 * The struct offsets as -DSNOOP_OFF_type__member values for FIELD_OFFSET,
 * from one parse of the kernel's BTF: only a compile (and --ebpf) needs
 * them. Parsing the BTF takes longer than loading a cached
 * program, whose key holds the BTF's identity instead. Without BTF,
 * FIELD_OFFSET takes the headers' layout.
 */
static int add_field_offsets(struct snoop_bpf *b)
{
	size_t ncompat = b->plan.compile.compat_sys_enter ? ARRAY_SIZE(compat_fields) : 0;
	size_t n = ARRAY_SIZE(common_fields) + ncompat + b->tool->nfields;
	struct kernel_field *fields;
	long *offsets;
	int rc = 0;

	if (!b->facts.btf)
		return 0;
	fields = calloc(n, sizeof(*fields));
	offsets = calloc(n, sizeof(*offsets));
	if (!fields || !offsets)
		rc = fail(b, EXIT_RUNTIME, "out of memory");
	if (!rc) {
		char err[256];

		memcpy(fields, common_fields, sizeof(common_fields));
		memcpy(fields + ARRAY_SIZE(common_fields), compat_fields,
		       ncompat * sizeof(*fields));
		if (b->tool->nfields)
			memcpy(fields + ARRAY_SIZE(common_fields) + ncompat, b->tool->fields,
			       b->tool->nfields * sizeof(*fields));
		if (btf_field_offsets(KERNEL_BTF_PATH, fields, n, offsets, err, sizeof(err)))
			rc = fail(b, EXIT_RUNTIME, "%s", err);
	}
	if (!rc && probe_plan_add_cflag(&b->plan, "-DSNOOP_BTF_OFFSETS=1"))
		rc = fail(b, EXIT_RUNTIME, "%s", b->plan.err);
	for (size_t i = 0; i < n && !rc; i++) {
		if (probe_plan_add_cflag(&b->plan, "-DSNOOP_OFF_%s__%s=%ld", fields[i].type,
					 fields[i].member, offsets[i]))
			rc = fail(b, EXIT_RUNTIME, "%s", b->plan.err);
	}
	free(fields);
	free(offsets);
	return rc;
}

/*
 * The compile plan with the struct offsets, once: probing the facts of the
 * kernel's build that a start from the cache does without.
 */
static int plan_compile(struct snoop_bpf *b, enum snoop_purpose purpose)
{
	if (b->compile_planned)
		return 0;
	if (plan(b, purpose, true) || add_field_offsets(b))
		return EXIT_RUNTIME;
	b->compile_planned = true;
	return 0;
}

/*
 * What every tool does before it sets its maps: prepare, then with
 * show_source (--ebpf) print the source and return SNOOP_DONE, else take
 * the program from the cache of compiled programs (common/load/prog_cache.h)
 * or compile and store it, load it and set the scope (common/options/scope_options.h).
 * Returns 0 when loaded, SNOOP_DONE after --ebpf or when SIGINT or SIGTERM
 * came before the load, or an exit status.
 */
static int start(struct snoop_bpf *b, bool show_source)
{
	int rc = snoop_bpf_prepare(b, show_source ? SNOOP_SHOW_SOURCE : SNOOP_TRACE);

	if (!rc && show_source) {
		rc = plan_compile(b, SNOOP_SHOW_SOURCE);
		if (!rc)
			probe_plan_print_source(&b->plan, stdout);
		return rc ? rc : SNOOP_DONE;
	}
	if (!rc && !stop_was_requested())
		rc = b->settings.no_cache ? snoop_bpf_compile(b) : cached_compile(b);
	/* Stopped before anything was loaded: nothing to undo. */
	if (!rc && stop_was_requested())
		return SNOOP_DONE;
	if (!rc)
		rc = snoop_bpf_load(b);
	if (!rc)
		rc = set_scope(b);
	return rc;
}

int snoop_bpf_compile(struct snoop_bpf *b)
{
	struct snoop_function funcs[IMAGE_MAX_PROGS];
	char err[512];
	int rc;

	if (plan_compile(b, SNOOP_COMPILE))
		return EXIT_RUNTIME;
	if (b->plan.compile.nprograms > IMAGE_MAX_PROGS)
		return fail(b, EXIT_RUNTIME, "too many BPF programs");
	/* Nothing another user could have changed reaches the compiler (CVE-2024-2314). */
	if (kheaders_check(&b->headers, err, sizeof(err)))
		return fail(b, EXIT_RUNTIME, "%s", err);
	probe_plan_functions(&b->plan, funcs);
	prog_image_free(&b->image);
	rc = snoop_compile(b->tool->source, b->plan.compile.cflag_ptrs, b->plan.compile.ncflags,
			   funcs, b->plan.compile.nprograms, &b->image, err, sizeof(err));
	if (rc == SNOOP_COMPILE_STOPPED)
		return SNOOP_DONE; /* nothing to store, load or undo */
	if (rc)
		return fail(b, EXIT_RUNTIME, "%s", err);
	/* Once a compile: -v showed it already. */
	if (b->compile_notice[0] && !b->settings.verbose)
		fprintf(stderr, "%s: %s\n", b->tool->name, b->compile_notice);
	phase_done(b, "compile", "");
	return 0;
}

/* Puts each syscall exit program in slot 0 of its prog array, for its tail calls of itself. */
static int fill_tail_calls(struct snoop_bpf *b)
{
	for (size_t i = 0; b->tool->exit_tail_call && i < b->plan.nattachments; i++) {
		const struct attachment *a = &b->plan.attachments[i];
		char map[FUNC_NAME_LEN];
		int fd, slot = 0;

		if (!attachment_is_syscall(a) || !a->is_return)
			continue;
		if (!strfmt(map, sizeof(map), "%s_%s%s_calls", b->tool->exit_tail_call,
			    a->kind == ATTACH_COMPAT_SYSCALL ? "compat_" : "", a->syscall))
			return fail(b, EXIT_RUNTIME, "the name of %s's prog array is too long",
				    a->func);
		fd = map_fd_of(b, map);
		if (fd < 0)
			return map_fd_failed(b, map, fd);
		if (bpf_update_elem(fd, &slot, (void *)&a->prog_fd, 0))
			return fail(b, EXIT_RUNTIME, "cannot put %s in prog array %s: %s", a->func,
				    map, strerror(errno));
	}
	return 0;
}

/*
 * Perf buffer pages that all online CPUs take at most by default (64 MiB),
 * and the fewest a CPU gets by default when that makes the tool's less.
 */
#define PERF_BUDGET_PAGES 16384
#define PERF_MIN_PAGES 64

/*
 * The events' buffer's pages: --buffer-pages, else the tool's for the kind
 * of buffer; a perf buffer's halved until the CPUs' buffers together keep
 * to the budget.
 */
static int event_buffer_pages(const struct snoop_bpf *b)
{
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	int pages = b->tool->perf_buffer_pages;

	if (b->settings.buffer_pages)
		return b->settings.buffer_pages;
	if (b->plan.ring_buffer)
		return b->tool->ring_buffer_pages;
	while (pages > PERF_MIN_PAGES && cpus > 0 && (long)pages * cpus > PERF_BUDGET_PAGES)
		pages /= 2;
	return pages;
}

static size_t ring_buffer_bytes(const struct snoop_bpf *b)
{
	return (size_t)event_buffer_pages(b) * (size_t)sysconf(_SC_PAGESIZE);
}

int snoop_bpf_load(struct snoop_bpf *b)
{
	int ring = prog_image_map(&b->image, "events");
	int sends = prog_image_map(&b->image, "event_sends");
	bool wanted[IMAGE_MAX_PROGS] = { false };
	char err[512];

	/* The ring's size is the map's, set here rather than compiled in: one program for every size. */
	if (ring >= 0 && b->image.maps[ring].type == BPF_MAP_TYPE_RINGBUF)
		b->image.maps[ring].max_entries = (uint32_t)ring_buffer_bytes(b);
	/* So is the number of CPUs that event_sends has an entry for: all the kernel could run. */
	b->possible_cpus = libbpf_num_possible_cpus();
	if (b->possible_cpus <= 0)
		return fail(b, EXIT_RUNTIME, "cannot read the possible CPUs: %s",
			    strerror(-b->possible_cpus));
	if (sends >= 0)
		b->image.maps[sends].max_entries = (uint32_t)b->possible_cpus;
	/* The image holds every mode's programs: the chosen mode's are loaded. */
	for (size_t i = 0; i < b->plan.nattachments; i++) {
		const char *func = b->plan.attachments[i].func;
		int prog = prog_image_prog(&b->image, func);

		if (prog < 0)
			return fail(b, EXIT_RUNTIME, "the BPF program has no function %s", func);
		wanted[prog] = true;
	}
	b->image_loaded = true;
	if (prog_image_load(&b->image, wanted, &b->loaded, err, sizeof(err)))
		return fail(b, EXIT_RUNTIME, "%s", err);
	for (size_t i = 0; i < b->plan.nattachments; i++) {
		struct attachment *a = &b->plan.attachments[i];

		a->prog_fd = b->loaded.prog_fds[prog_image_prog(&b->image, a->func)];
	}
	if (fill_tail_calls(b))
		return EXIT_RUNTIME;
	phase_done(b, "load", "");
	return 0;
}

/*
 * Whether libbcc made the kprobe event named so through tracefs, as it does
 * where the kernel has no kprobe PMU (before Linux 4.17), at either of the
 * places it looks for tracefs: then it must be removed there at the end,
 * which takes root.
 */
static bool kprobe_in_tracefs(const char *event)
{
	static const char *const tracefs[] = { "/sys/kernel/debug/tracing", "/sys/kernel/tracing" };
	char path[256];

	for (size_t i = 0; i < ARRAY_SIZE(tracefs); i++) {
		strfmt(path, sizeof(path), "%s/events/kprobes/%s_bcc_%ld", tracefs[i], event,
		       (long)getpid());
		if (access(path, F_OK) == 0)
			return true;
	}
	return false;
}

/* Attaches one program; false with errno set when the kernel refuses. */
static bool attach_one(struct snoop_bpf *b, struct attachment *a)
{
	if (a->kind == ATTACH_RAW_TRACEPOINT) {
		a->link_fd = bpf_attach_raw_tracepoint(a->prog_fd, a->target);
		return a->link_fd >= 0;
	}
	if (a->prog_type == BPF_PROG_TYPE_TRACEPOINT) {
		a->perf_fd = bpf_attach_tracepoint(a->prog_fd, a->category, a->target);
		return a->perf_fd >= 0;
	}
	/* Trampolines: fentry, fexit and fmod_ret, and LSM hooks. */
	if (a->kind == ATTACH_LSM || a->kind == ATTACH_FMOD_RET ||
	    b->plan.mode == PROBE_MODE_FENTRY) {
		a->link_fd = bpf_attach_kfunc(a->prog_fd);
		return a->link_fd >= 0;
	}
	strfmt(a->kprobe_event, sizeof(a->kprobe_event), "snoopc_%ld_%s", (long)getpid(), a->func);
	a->perf_fd = bpf_attach_kprobe(a->prog_fd,
				       a->is_return ? BPF_PROBE_RETURN : BPF_PROBE_ENTRY,
				       a->kprobe_event, a->target, 0, 0);
	if (a->perf_fd >= 0 && !kprobe_in_tracefs(a->kprobe_event))
		a->kprobe_event[0] = '\0'; /* the kprobe PMU's: closing perf_fd removes it */
	return a->perf_fd >= 0;
}

static int attach_all(struct snoop_bpf *b)
{
	for (size_t i = 0; i < b->plan.nattachments; i++) {
		struct attachment *a = &b->plan.attachments[i];

		if (!attach_one(b, a))
			return fail(b, EXIT_RUNTIME, "attaching %s to %s failed: %s", a->func,
				    a->target, strerror(errno));
	}
	phase_done(b, "attach", probe_mode_name(b->plan.mode));
	return 0;
}

bool snoop_bpf_hooks_deny(const struct snoop_bpf *b)
{
	return probe_plan_hooks_deny(&b->plan);
}

int snoop_bpf_map_set(struct snoop_bpf *b, const char *map, const void *key, const void *value)
{
	int fd = map_fd_of(b, map);

	if (fd < 0)
		return map_fd_failed(b, map, fd);
	if (bpf_update_elem(fd, (void *)key, (void *)value, 0))
		return fail(b, EXIT_RUNTIME, "cannot set map %s: %s", map, strerror(errno));
	return 0;
}

int snoop_bpf_set_config(struct snoop_bpf *b, const void *config)
{
	__u32 zero = 0;

	return snoop_bpf_map_set(b, "config", &zero, config);
}

/* Updates that a full table refused (programs/snoop.bpf.h's count_table_full). */
static uint64_t tables_full(const struct snoop_bpf *b)
{
	return b->tables_full.addr ? *(volatile const uint64_t *)b->tables_full.addr : 0;
}

/* Maps the array map's first bytes: 0 or an exit status. */
static int map_values(struct snoop_bpf *b, const char *map, size_t bytes, bool writable,
		      struct mapped_values *m)
{
	int fd = map_fd_of(b, map);

	if (fd < 0)
		return map_fd_failed(b, map, fd);
	if (mapped_values_map(m, fd, bytes, writable))
		return fail(b, EXIT_RUNTIME, "cannot map map %s: %s", map, strerror(errno));
	return 0;
}

static int open_events(struct snoop_bpf *b, snoop_sample_fn fn, void *ctx)
{
	int map_fd = map_fd_of(b, "events");
	struct event_reading r = { fn, ctx, b->tool->event_time, NULL, b->possible_cpus };
	char err[256];
	int rc;

	if (map_fd < 0)
		return map_fd_failed(b, "events", map_fd);
	rc = map_values(b, "event_sends", (size_t)r.nsend_states * sizeof(*r.send_states), true,
			&b->send_states);
	if (!rc)
		rc = map_values(b, "tables_full", sizeof(uint64_t), false, &b->tables_full);
	if (rc)
		return rc;
	r.send_states = b->send_states.addr;
	if (b->plan.ring_buffer)
		rc = event_loop_open_ring(&b->events, map_fd, ring_buffer_bytes(b), &r, err,
					  sizeof(err));
	else
		rc = event_loop_open_perf(&b->events, map_fd, event_buffer_pages(b), &r, err,
					  sizeof(err));
	return rc ? fail(b, EXIT_RUNTIME, "%s", err) : 0;
}

/* Opens the program's events (programs/snoop.bpf.h's send_event) for fn, then attaches. */
static int attach_events(struct snoop_bpf *b, snoop_sample_fn fn, void *ctx)
{
	int rc = open_events(b, fn, ctx);

	return rc ? rc : attach_all(b);
}

/* A stats object: the counts since the last one, and in total. */
static void write_stats(struct snoop_bpf *b, unsigned long long now)
{
	const struct event_loop *l = &b->events;
	struct event_counts total = { l->events, l->lost, tables_full(b) };
	struct event_counts since = {
		total.events - b->stats_reported.events,
		total.lost - b->stats_reported.lost,
		total.dropped - b->stats_reported.dropped,
	};

	event_json_stats(b->tool->name, seconds_after(b->stats_since, now), &since, &total);
	b->stats_reported = total;
	b->stats_since = now;
}

/* After each batch: the tool's after_batch, then a stats object when one is due, or at the end. */
static void batch_done(void *ctx)
{
	struct snoop_bpf *b = ctx;
	unsigned long long now = monotonic_ns();

	if (b->after_batch)
		b->after_batch(b->after_batch_ctx);
#ifdef SNOOP_TEST_FORBIDDEN_CALL
	/* The test build's loop tries what no tool's filter allows (tests/integration/confine.sh). */
	mkdir("forbidden-call", 0700);
#endif
	if (b->settings.stats_interval &&
	    (b->events.draining ||
	     now - b->stats_since >= b->settings.stats_interval * 1000000000ULL))
		write_stats(b, now);
}

/* The event loop, then what was lost, refused or not written, on stderr. */
static int run(struct snoop_bpf *b, void (*after_batch)(void *ctx), void *ctx)
{
	const struct event_loop *l = &b->events;
	uint64_t refused;
	char err[256];
	int rc = 0;

	b->after_batch = after_batch;
	b->after_batch_ctx = ctx;
	b->stats_since = monotonic_ns();
	if (event_loop_run(&b->events, b->tool->name, b->tool->output_errors_counted, batch_done, b,
			   err, sizeof(err)))
		rc = fail(b, EXIT_RUNTIME, "%s", err);
	if (l->lost)
		fprintf(stderr, "%s: %llu events lost (%s full)\n", b->tool->name,
			(unsigned long long)l->lost,
			b->plan.ring_buffer ? "the ring buffer was" : "perf buffers");
	refused = tables_full(b);
	if (refused)
		fprintf(stderr,
			"%s: %llu events missed or left incomplete (a BPF table was full)\n",
			b->tool->name, (unsigned long long)refused);
	if (l->unwritten)
		fprintf(stderr, "%s: %llu events not written (output failed: %s)\n", b->tool->name,
			(unsigned long long)l->unwritten, strerror(l->output_errno));
	return rc;
}

/*
 * Attached: the tool keeps only what its event loop needs (common/confine.h).
 * A kprobe made through tracefs would take root to remove at the end.
 */
static int confine_attached(struct snoop_bpf *b)
{
	unsigned needs = b->tool->after_attach_needs |
			 (b->tool->output_errors_counted ? AFTER_ATTACH_SYSLOG : 0);
	struct confinement c;
	char err[256], detail[160];

	for (size_t i = 0; i < b->plan.nattachments; i++) {
		if (b->plan.attachments[i].kprobe_event[0])
			return fail(b, EXIT_RUNTIME,
				    "the kernel has no kprobe PMU: its kprobes, made through "
				    "tracefs, would need root to be removed");
	}
	if (b->tool->output_errors_counted)
		event_loop_syslog_open(b->tool->name);
	event_json_identity();
	if (confine(b->tool->name, needs, &c, err, sizeof(err)))
		return fail(b, EXIT_RUNTIME, "%s", err);
	strfmt(detail, sizeof(detail),
	       "kept %s, files as uid %u, no_new_privs, seccomp filter of %d rules", c.kept,
	       c.file_uid, c.nrules);
	phase_done(b, "confine", detail);
	return 0;
}

/* What every tool does once loaded: configure, attach, confine, then the event loop. */
static int trace(struct snoop_bpf *b, const struct snoop_handlers *h, void *ctx)
{
	int rc = h->configure ? h->configure(b, ctx) : 0;

	if (rc)
		return rc;
	rc = attach_events(b, h->on_event, ctx);
	if (!rc)
		rc = confine_attached(b);
	if (!rc) {
		if (h->started)
			h->started(ctx);
		rc = run(b, h->after_batch, ctx);
	}
	if (h->finish)
		h->finish(ctx);
	return rc;
}

int snoop_bpf_main(const struct snoop_tool *tool, const struct snoop_settings *settings,
		   bool show_source, const struct snoop_handlers *h, void *ctx)
{
	struct snoop_bpf *b = snoop_bpf_new(tool, settings);
	int rc = b ? start(b, show_source) : EXIT_RUNTIME; /* snoop_bpf_new said why */

	if (!rc)
		rc = trace(b, h, ctx);
	snoop_bpf_free(b);
	/* After a stop before the event loop, which restores it after its own. */
	stop_restore_output();
	return rc;
}

void snoop_bpf_free(struct snoop_bpf *b)
{
	if (!b)
		return;
	for (size_t i = 0; i < b->plan.nattachments; i++) {
		struct attachment *a = &b->plan.attachments[i];

		if (a->perf_fd >= 0)
			bpf_close_perf_event_fd(a->perf_fd);
		if (a->link_fd >= 0)
			close(a->link_fd);
		if (a->kprobe_event[0])
			bpf_detach_kprobe(a->kprobe_event);
	}
	event_loop_close(&b->events);
	mapped_values_unmap(&b->send_states);
	mapped_values_unmap(&b->tables_full);
	if (b->image_loaded)
		loaded_image_close(&b->loaded);
	prog_image_free(&b->image);
	probe_plan_free(&b->plan);
	free(b);
}
