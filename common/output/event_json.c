#include "event_json.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include "../plan/cgroups.h"
#include "../clock.h"
#include "../files.h"
#include "../signals.h"
#include "../text.h"

/*
 * A cgroup's members ("cgroup_id" to "pod_uid"), rendered once: the path
 * lookup, container ID and escaping were most of a line's cost.
 */
struct cgroup_members {
	uint64_t id; /* 0: none */
	char *json;
	size_t len;
};

/* Rendered cgroups at most (a table by ID, an entry replaced by a newer). */
#define CGROUP_MEMBERS_CACHED 64

/*
 * What the common fields need: the run's identity, rendered by
 * event_json_identity, and the cgroups' names, found at the first event.
 */
static struct {
	bool identity_ready, cgroups_ready;
	char identity[JSONW_BUFFER]; /* "host":"NAME","boot_id":...,"run_id":"UUID", rendered */
	size_t identity_len;
	unsigned long long seq; /* the last object's */
	struct cgroup_names cgroups;
	struct cgroup_members members[CGROUP_MEMBERS_CACHED];
} common_fields;

/* The text of a UUID: 36 characters, and the NUL. */
#define UUID_TEXT 37

/* The first len bytes of the file at path: false when it has fewer or cannot be read. */
static bool read_exactly(const char *path, void *buf, size_t len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	bool read_all = fd >= 0 && read_full(fd, buf, len) == (ssize_t)len;

	if (fd >= 0)
		close(fd);
	return read_all;
}

/* The kernel's boot ID, as /proc/sys/kernel/random/boot_id has it: false when unreadable. */
static bool read_boot_id(char id[UUID_TEXT])
{
	if (!read_exactly("/proc/sys/kernel/random/boot_id", id, UUID_TEXT - 1))
		return false;
	id[UUID_TEXT - 1] = '\0';
	for (int i = 0; i < UUID_TEXT - 1; i++) {
		bool dash = i == 8 || i == 13 || i == 18 || i == 23;

		if (dash ? id[i] != '-' : !strchr("0123456789abcdef", id[i]) || !id[i])
			return false;
	}
	return true;
}

/*
 * A random (version 4) UUID: from getrandom without waiting for the pool
 * (a unit started at boot must not stall), else /dev/urandom. It names a
 * run, it guards no secret. False when neither gives bytes.
 */
static bool draw_run_id(char id[UUID_TEXT])
{
	unsigned char b[16];

	if (getrandom(b, sizeof(b), GRND_NONBLOCK) != (ssize_t)sizeof(b) &&
	    !read_exactly("/dev/urandom", b, sizeof(b)))
		return false;
	b[6] = (unsigned char)((b[6] & 0x0f) | 0x40);
	b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);
	strfmt(id, UUID_TEXT,
	       "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0], b[1],
	       b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14],
	       b[15]);
	return true;
}

void event_json_identity(void)
{
	struct json_writer w;
	char host[256], id[UUID_TEXT];

	if (common_fields.identity_ready)
		return;
	common_fields.identity_ready = true;
	if (gethostname(host, sizeof(host) - 1))
		strfmt(host, sizeof(host), "unknown");
	host[sizeof(host) - 1] = '\0';
	jsonw_init_members(&w);
	jsonw_string_field(&w, "host", host);
	if (read_boot_id(id))
		jsonw_string_field(&w, "boot_id", id);
	else
		jsonw_null_field(&w, "boot_id");
	if (draw_run_id(id))
		jsonw_string_field(&w, "run_id", id);
	else
		jsonw_null_field(&w, "run_id");
	memcpy(common_fields.identity, w.buf, w.len);
	common_fields.identity_len = w.len;
}

static void common_fields_ready(void)
{
	event_json_identity();
	if (common_fields.cgroups_ready)
		return;
	common_fields.cgroups_ready = true;
	cgroup_names_init(&common_fields.cgroups);
}

/*
 * An object's first members, schema_version to run_id, rendered for the type
 * and the second last asked for (a tool's events have one type, and a
 * burst's share the second; event_json_begin says why the type's address
 * tells it): only the nanoseconds' digits, at ns_at, change an event. They
 * always fit the members writer's JSONW_BUFFER: the host name has at most
 * 255 bytes, six times that escaped, and the rest under three hundred.
 */
static struct {
	const char *type; /* NULL: none rendered yet */
	long long sec;
	size_t ns_at;
	struct json_writer members;
} object_head;

static void render_head(const char *type, unsigned long long ktime, long long sec)
{
	struct json_writer *m = &object_head.members;
	char time[40];
	size_t time_len = clock_rfc3339(time, sizeof(time), ktime);

	jsonw_init_members(m);
	jsonw_uint_field(m, "schema_version", EVENT_SCHEMA_VERSION);
	jsonw_string_field(m, "type", type);
	jsonw_bytes_field(m, "time", time, time_len);
	/* "NNNNNNNNNZ\"": the digits end the member but for 'Z' and the quote */
	object_head.ns_at = m->len - 11;
	jsonw_members(m, common_fields.identity, common_fields.identity_len);
	object_head.type = type;
	object_head.sec = sec;
}

/*
 * The fields every object has: schema_version, type, time, host, boot_id,
 * run_id, and seq, which numbers the objects of a run from 1. Each object
 * begun is written whole (the writer has no way back), so the numbers
 * leave a gap only where a line was lost after the tool wrote it.
 */
static void begin_object(struct json_writer *w, const char *type, unsigned long long ktime)
{
	struct wall_time now = clock_wall(ktime);

	common_fields_ready();
	if (object_head.type != type || object_head.sec != now.sec)
		render_head(type, ktime, now.sec);
	clock_ns_digits(object_head.members.buf + object_head.ns_at, now.ns);
	jsonw_start_object(w);
	jsonw_members(w, object_head.members.buf, object_head.members.len);
	jsonw_uint_field(w, "seq", ++common_fields.seq);
}

/* A cgroup's members, from its path (NULL: not found). */
static void write_cgroup_members(struct json_writer *w, uint64_t cgroup_id, const char *path)
{
	char container[CONTAINER_ID_LEN + 1], pod[POD_UID_LEN + 1];

	jsonw_uint_field(w, "cgroup_id", cgroup_id);
	if (path)
		jsonw_string_field(w, "cgroup_path", path);
	else
		jsonw_null_field(w, "cgroup_path");
	if (path && container_id_from_path(path, container))
		jsonw_string_field(w, "container_id", container);
	else
		jsonw_null_field(w, "container_id");
	if (path && pod_uid_from_path(path, pod))
		jsonw_string_field(w, "pod_uid", pod);
	else
		jsonw_null_field(w, "pod_uid");
}

/* The cgroup's place in the table of rendered members. */
static struct cgroup_members *cgroup_members_slot(uint64_t cgroup_id)
{
	return &common_fields.members[cgroup_id % CGROUP_MEMBERS_CACHED];
}

/*
 * The cgroup's members rendered into the table, or NULL when they cannot
 * be kept: a cgroup whose path is not known yet (it may be at the next
 * scan), a path too long, or no memory.
 */
static const struct cgroup_members *cache_cgroup_members(uint64_t cgroup_id, const char *path)
{
	struct cgroup_members *m = cgroup_members_slot(cgroup_id);
	struct json_writer w;
	char *json;

	if (!path)
		return NULL;
	jsonw_init_members(&w);
	write_cgroup_members(&w, cgroup_id, path);
	if (w.overflow || !(json = malloc(w.len)))
		return NULL;
	memcpy(json, w.buf, w.len);
	free(m->json);
	m->id = cgroup_id;
	m->json = json;
	m->len = w.len;
	return m;
}

void event_json_begin(struct json_writer *w, const char *type, unsigned long long start_ns,
		      unsigned long long ktime, uint64_t cgroup_id)
{
	const struct cgroup_members *m;
	const char *path;

	begin_object(w, type, ktime);
	jsonw_decimal_field(w, "timestamp", ktime > start_ns ? ktime - start_ns : 0, 9, 6);
	m = cgroup_members_slot(cgroup_id);
	if (m->id == cgroup_id && cgroup_id) {
		jsonw_members(w, m->json, m->len);
		return;
	}
	path = cgroup_names_path(&common_fields.cgroups, cgroup_id);
	m = cache_cgroup_members(cgroup_id, path);
	if (m)
		jsonw_members(w, m->json, m->len);
	else
		write_cgroup_members(w, cgroup_id, path);
}

void event_json_exec_id(struct json_writer *w, const char *name, const struct exec_identity *id)
{
	char buf[EXEC_ID_TEXT];

	if (exec_id_text(buf, sizeof(buf), id))
		jsonw_string_field(w, name, buf);
	else
		jsonw_null_field(w, name);
}

void event_json_signal(struct json_writer *w, const char *name, int sig)
{
	char buf[24];

	if (signal_name(sig, buf, sizeof(buf)))
		jsonw_string_field(w, name, buf);
	else
		jsonw_null_field(w, name);
}

static void counts_object(struct json_writer *w, const char *name, const struct event_counts *c)
{
	jsonw_start_object_field(w, name);
	jsonw_uint_field(w, "events", c->events);
	jsonw_uint_field(w, "lost", c->lost);
	jsonw_uint_field(w, "dropped", c->dropped);
	jsonw_end_object(w);
}

void event_json_stats(const char *tool, double interval_s, const struct event_counts *since,
		      const struct event_counts *total)
{
	struct json_writer *w = output_json();

	begin_object(w, "stats", monotonic_ns());
	jsonw_string_field(w, "tool", tool);
	jsonw_fixed_field(w, "interval", interval_s, 3);
	counts_object(w, "since_previous", since);
	counts_object(w, "total", total);
	jsonw_end_object(w);
}
