#include "compile.h"
#include "../array_size.h"
#include "../files.h"
#include "../plan/kernel_env.h"
#include "../stop_signals.h"
#include "../text.h"

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/bpf.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* Only what a compile takes from libbcc; the rest comes from libbcc_bpf. */
struct bcc_api {
	void *(*module_create)(const char *text, unsigned flags, const char *cflags[], int ncflags,
			       bool allow_rlimit, const char *dev_name);
	char *(*module_license)(void *module);
	unsigned (*module_kern_version)(void *module);
	void *(*function_start)(void *module, const char *name);
	size_t (*function_size)(void *module, const char *name);
	size_t (*num_tables)(void *module);
	const char *(*table_name)(void *module, size_t id);
	int (*table_fd_id)(void *module, size_t id);
	int (*table_type_id)(void *module, size_t id);
	size_t (*table_key_size_id)(void *module, size_t id);
	size_t (*table_leaf_size_id)(void *module, size_t id);
	size_t (*table_max_entries_id)(void *module, size_t id);
	int (*table_flags_id)(void *module, size_t id);
};

/*
 * The libbcc a compile loads: the Makefile's LIBBCC_LIBDIR/libbcc.so.0
 * (pkg-config's libdir), always by its absolute path, so that the file
 * the cache key names is the file loaded, whatever LD_LIBRARY_PATH or the
 * loader's cache say.
 */
#define LIBBCC_FILE LIBBCC_LIBDIR "/libbcc.so.0"

/* LIBBCC_FILE, its symbolic links resolved; false with errno when it is not there. */
static bool library_path(char path[PATH_MAX])
{
	return realpath(LIBBCC_FILE, path) != NULL;
}

void compiler_library_identity(char *buf, size_t len)
{
	char path[PATH_MAX];
	struct stat st;

	if (!library_path(path))
		strfmt(buf, len, "%s (%s)", LIBBCC_FILE, strerror(errno));
	else if (stat(path, &st))
		strfmt(buf, len, "%s (%s)", path, strerror(errno));
	else
		strfmt(buf, len, "%s dev %llx ino %llu size %lld mtime %lld.%09ld", path,
		       (unsigned long long)st.st_dev, (unsigned long long)st.st_ino,
		       (long long)st.st_size, (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
}

static int open_api(struct bcc_api *api, char *err, size_t errlen)
{
	static const struct {
		const char *symbol;
		size_t offset;
	} symbols[] = {
#define SYMBOL(field, name) { name, offsetof(struct bcc_api, field) }
		SYMBOL(module_create, "bpf_module_create_c_from_string"),
		SYMBOL(module_license, "bpf_module_license"),
		SYMBOL(module_kern_version, "bpf_module_kern_version"),
		SYMBOL(function_start, "bpf_function_start"),
		SYMBOL(function_size, "bpf_function_size"),
		SYMBOL(num_tables, "bpf_num_tables"),
		SYMBOL(table_name, "bpf_table_name"),
		SYMBOL(table_fd_id, "bpf_table_fd_id"),
		SYMBOL(table_type_id, "bpf_table_type_id"),
		SYMBOL(table_key_size_id, "bpf_table_key_size_id"),
		SYMBOL(table_leaf_size_id, "bpf_table_leaf_size_id"),
		SYMBOL(table_max_entries_id, "bpf_table_max_entries_id"),
		SYMBOL(table_flags_id, "bpf_table_flags_id"),
#undef SYMBOL
	};
	char path[PATH_MAX];
	void *handle;

	if (!library_path(path)) {
		snprintf(err, errlen, "cannot load libbcc to compile: %s: %s", LIBBCC_FILE,
			 strerror(errno));
		return -1;
	}
	/* Never closed: the compiling child exits once it is done. */
	handle = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	if (!handle) {
		snprintf(err, errlen, "cannot load libbcc to compile: %s", dlerror());
		return -1;
	}
	for (size_t i = 0; i < ARRAY_SIZE(symbols); i++) {
		void *fn = dlsym(handle, symbols[i].symbol);

		if (!fn) {
			snprintf(err, errlen, "%.400s has no %s", path, symbols[i].symbol);
			return -1;
		}
		/* A data pointer into a function pointer slot: POSIX dlsym's contract. */
		memcpy((char *)api + symbols[i].offset, &fn, sizeof(fn));
	}
	return 0;
}

static bool is_map_of_maps(uint32_t type)
{
	return type == BPF_MAP_TYPE_ARRAY_OF_MAPS || type == BPF_MAP_TYPE_HASH_OF_MAPS;
}

static int take_maps(const struct bcc_api *api, void *module, struct prog_image *img, int *fds,
		     char *err, size_t errlen)
{
	size_t n = api->num_tables(module);

	if (n > IMAGE_MAX_MAPS) {
		snprintf(err, errlen, "the program has %zu maps, more than %d", n, IMAGE_MAX_MAPS);
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		struct image_map *m = &img->maps[i];

		if (!strfmt(m->name, sizeof(m->name), "%s", api->table_name(module, i))) {
			snprintf(err, errlen, "map name too long: %s", api->table_name(module, i));
			return -1;
		}
		m->type = (uint32_t)api->table_type_id(module, i);
		m->key_size = (uint32_t)api->table_key_size_id(module, i);
		m->value_size = (uint32_t)api->table_leaf_size_id(module, i);
		m->max_entries = (uint32_t)api->table_max_entries_id(module, i);
		m->flags = (uint32_t)api->table_flags_id(module, i);
		m->inner = IMAGE_NO_INNER;
		fds[i] = api->table_fd_id(module, i);
	}
	img->nmaps = (uint32_t)n;
	for (size_t i = 0; i < n; i++) {
		char shape[IMAGE_NAME_LEN + 8];
		int inner;

		if (!is_map_of_maps(img->maps[i].type))
			continue;
		strfmt(shape, sizeof(shape), "%s_shape", img->maps[i].name);
		inner = prog_image_map(img, shape);
		if (inner < 0) {
			snprintf(err, errlen, "map of maps %s has no map %s for its inner shape",
				 img->maps[i].name, shape);
			return -1;
		}
		img->maps[i].inner = (uint32_t)inner;
	}
	return 0;
}

/* Copies a function's instructions and records which map each map load names. */
static int take_prog(const struct bcc_api *api, void *module, const struct snoop_function *f,
		     const int *fds, struct prog_image *img, char *err, size_t errlen)
{
	struct image_prog *p = &img->progs[img->nprogs];
	const void *start = api->function_start(module, f->name);
	size_t size = api->function_size(module, f->name);

	if (!start || !size || size % sizeof(uint64_t)) {
		snprintf(err, errlen, "the BPF program has no function %s", f->name);
		return -1;
	}
	if (!strfmt(p->name, sizeof(p->name), "%s", f->name)) {
		snprintf(err, errlen, "function name too long: %s", f->name);
		return -1;
	}
	if (!strfmt(p->attach, sizeof(p->attach), "%s", f->attach)) {
		snprintf(err, errlen, "attach target too long: %s", f->attach);
		return -1;
	}
	img->nprogs++;
	p->type = f->prog_type;
	p->attach_type = f->attach_type;
	p->ninsns = (uint32_t)(size / sizeof(uint64_t));
	p->insns = malloc(size);
	p->relocs = calloc(p->ninsns, sizeof(*p->relocs));
	if (!p->insns || !p->relocs) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	memcpy(p->insns, start, size);
	for (uint32_t i = 0; i + 1 < p->ninsns; i++) {
		const struct bpf_insn *insn = (const struct bpf_insn *)&p->insns[i];

		if (insn->code != (BPF_LD | BPF_DW | BPF_IMM))
			continue;
		if (insn->src_reg == BPF_PSEUDO_MAP_FD) {
			uint32_t map = 0;

			while (map < img->nmaps && fds[map] != insn->imm)
				map++;
			if (map == img->nmaps) {
				snprintf(err, errlen, "%s loads a map libbcc does not list",
					 f->name);
				return -1;
			}
			p->relocs[p->nrelocs].insn = i;
			p->relocs[p->nrelocs++].map = map;
		}
		i++;
	}
	return 0;
}

/*
 * libbcc's compile reads all of /proc/kallsyms into a symbol table (over
 * 100,000 names) only to learn whether the kernel has the two helpers
 * below: a third of a compile's time here, and more under emulation. The
 * compiling child is shown, in a mount namespace of its own that ends with
 * it, a /proc/kallsyms of their lines alone, from a file on a tmpfs of its
 * own at /dev/shm. When a step fails (no CAP_SYS_ADMIN, no /dev/shm), the
 * compile reads the whole file.
 */
static const char *const compile_time_symbols[] = { "bpf_probe_read_kernel",
						    "bpf_probe_read_user" };
#define NARROW_DIR "/dev/shm"
#define NARROW_KALLSYMS NARROW_DIR "/kallsyms"

static bool is_compile_time_symbol(char *line)
{
	const char *name = kallsyms_line_name(line);

	for (size_t i = 0; name && i < ARRAY_SIZE(compile_time_symbols); i++)
		if (!strcmp(name, compile_time_symbols[i]))
			return true;
	return false;
}

static void narrow_kallsyms(void)
{
	char line[512];
	FILE *all, *narrow;
	bool written;

	if (unshare(CLONE_NEWNS) || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) ||
	    mount("snoop-c", NARROW_DIR, "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, "mode=0700"))
		return;
	all = fopen("/proc/kallsyms", "r");
	narrow = fopen(NARROW_KALLSYMS, "we");
	written = all && narrow;
	while (written && fgets(line, sizeof(line), all))
		if (is_compile_time_symbol(line))
			written = fprintf(narrow, "%s\n", line) > 0; /* the line, to its name */
	if (narrow && fclose(narrow))
		written = false;
	if (all)
		fclose(all);
	if (written)
		mount(NARROW_KALLSYMS, "/proc/kallsyms", NULL, MS_BIND, NULL);
}

/* The compile itself, in the child: libbcc's module into img. */
static int compile_here(const char *source, const char *const *cflags, int ncflags,
			const struct snoop_function *funcs, size_t nfuncs, struct prog_image *img,
			char *err, size_t errlen)
{
	struct bcc_api api;
	int fds[IMAGE_MAX_MAPS];
	void *module;
	int rc = 0;

	if (open_api(&api, err, errlen))
		return -1;
	narrow_kallsyms();
	module = api.module_create(source, 0, (const char **)cflags, ncflags, true, NULL);
	if (!module) {
		snprintf(err, errlen, "compiling the BPF program failed");
		return -1;
	}
	if (!strfmt(img->license, sizeof(img->license), "%s", api.module_license(module))) {
		snprintf(err, errlen, "license too long");
		rc = -1;
	}
	img->kern_version = api.module_kern_version(module);
	if (!rc)
		rc = take_maps(&api, module, img, fds, err, errlen);
	for (size_t i = 0; i < nfuncs && !rc; i++)
		rc = take_prog(&api, module, &funcs[i], fds, img, err, errlen);
	return rc;
}

/*
 * The child's side: the compiled image, encoded, after a 0 byte; or a 1 byte
 * and the error. The child leaves with _exit, running no destructors:
 * libbcc and libbcc_bpf define the same C++ globals, which must not be
 * destroyed twice.
 */
static __attribute__((noreturn)) void compile_child(int out, const char *source,
						    const char *const *cflags, int ncflags,
						    const struct snoop_function *funcs,
						    size_t nfuncs)
{
	static struct prog_image img;
	char err[512] = "";
	unsigned char *buf = NULL;
	size_t len = 0;
	int rc = compile_here(source, cflags, ncflags, funcs, nfuncs, &img, err, sizeof(err));

	if (!rc && prog_image_encode(&img, "", 0, &buf, &len)) {
		snprintf(err, sizeof(err), "out of memory");
		rc = -1;
	}
	if (rc)
		rc = write_all(out, "\1", 1) || write_all(out, err, strlen(err));
	else
		rc = write_all(out, "", 1) || write_all(out, buf, len);
	_exit(rc ? 1 : 0);
}

/* How often the wait for the compiler looks for a stop request. */
#define STOP_CHECK_MS 100

/* How read_to_end ended. */
enum pipe_read { PIPE_READ_ALL, PIPE_READ_FAILED, PIPE_READ_STOPPED };

/*
 * Everything the child wrote until it closed the pipe, malloc'd into *out:
 * PIPE_READ_ALL. PIPE_READ_FAILED when out of memory or the pipe failed
 * (errno set), PIPE_READ_STOPPED when SIGINT or SIGTERM came first: a stop
 * ends the wait within STOP_CHECK_MS, however long the compiler would take.
 */
static enum pipe_read read_to_end(int fd, unsigned char **out, size_t *len)
{
	size_t cap = 1 << 16;
	unsigned char *buf = malloc(cap);
	struct pollfd p = { .fd = fd, .events = POLLIN };
	enum pipe_read result = PIPE_READ_FAILED;

	*len = 0;
	while (buf) {
		unsigned char *bigger;
		ssize_t n;
		int ready;

		if (stop_was_requested()) {
			result = PIPE_READ_STOPPED;
			break;
		}
		ready = poll(&p, 1, STOP_CHECK_MS);
		if (ready < 0 && errno != EINTR)
			break;
		if (ready <= 0)
			continue;
		n = read(fd, buf + *len, cap - *len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			break;
		if (n == 0) {
			*out = buf;
			return PIPE_READ_ALL;
		}
		*len += (size_t)n;
		if (*len < cap)
			continue;
		bigger = realloc(buf, cap * 2);
		if (!bigger)
			break;
		buf = bigger;
		cap *= 2;
	}
	free(buf);
	return result;
}

/*
 * In a child process: LLVM's hundred megabytes and libbcc's maps go away
 * with it, and the tool never maps libbcc at all.
 */
int snoop_compile(const char *source, const char *const *cflags, int ncflags,
		  const struct snoop_function *funcs, size_t nfuncs, struct prog_image *img,
		  char *err, size_t errlen)
{
	int pipe_fds[2], status = 0, read_errno;
	enum pipe_read got;
	unsigned char *buf = NULL;
	const char *bad;
	size_t len = 0;
	pid_t child;

	memset(img, 0, sizeof(*img));
	if (nfuncs > IMAGE_MAX_PROGS) {
		snprintf(err, errlen, "too many BPF functions");
		return -1;
	}
	if (pipe2(pipe_fds, O_CLOEXEC)) {
		snprintf(err, errlen, "cannot make a pipe: %s", strerror(errno));
		return -1;
	}
	fflush(NULL);
	child = fork();
	if (child < 0) {
		snprintf(err, errlen, "cannot fork the compiler: %s", strerror(errno));
		close(pipe_fds[0]);
		close(pipe_fds[1]);
		return -1;
	}
	if (child == 0) {
		close(pipe_fds[0]);
		compile_child(pipe_fds[1], source, cflags, ncflags, funcs, nfuncs);
	}
	close(pipe_fds[1]);
	got = read_to_end(pipe_fds[0], &buf, &len);
	read_errno = errno;
	close(pipe_fds[0]);
	/* Ended without its result read: nothing waits for it any more. */
	if (got != PIPE_READ_ALL)
		kill(child, SIGKILL);
	while (waitpid(child, &status, 0) < 0 && errno == EINTR)
		;
	if (got == PIPE_READ_STOPPED) {
		snprintf(err, errlen, "stopped while compiling");
		return SNOOP_COMPILE_STOPPED;
	}
	if (got == PIPE_READ_FAILED) {
		snprintf(err, errlen, "cannot read the compiler's result: %s",
			 strerror(read_errno));
		return -1;
	}
	if (!len || !WIFEXITED(status) || (buf[0] == 0 && WEXITSTATUS(status))) {
		snprintf(err, errlen, "the compiler process failed (%s)",
			 WIFSIGNALED(status) ? strsignal(WTERMSIG(status)) : "no result");
		free(buf);
		return -1;
	}
	if (buf[0]) {
		snprintf(err, errlen, "%.*s", (int)(len - 1), (const char *)buf + 1);
		free(buf);
		return -1;
	}
	bad = prog_image_decode(buf + 1, len - 1, "", 0, img);
	free(buf);
	if (bad) {
		snprintf(err, errlen, "libbcc's program: %s", bad);
		return -1;
	}
	return 0;
}
