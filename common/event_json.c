#include "event_json.h"

#include <unistd.h>

#include "cgroups.h"
#include "clock.h"
#include "signals.h"
#include "text.h"

/* What the common fields need, found at the first event. */
static struct {
	bool ready;
	char host[256];
	struct cgroup_names cgroups;
} envelope;

static void envelope_ready(void)
{
	if (envelope.ready)
		return;
	envelope.ready = true;
	if (gethostname(envelope.host, sizeof(envelope.host) - 1))
		strfmt(envelope.host, sizeof(envelope.host), "unknown");
	cgroup_names_init(&envelope.cgroups);
}

/* The fields every object has: schema_version, type, time, host. */
static void begin_object(struct json_writer *w, const char *type, unsigned long long ktime)
{
	char time[40];

	envelope_ready();
	clock_rfc3339(time, sizeof(time), ktime);
	jsonw_start_object(w);
	jsonw_uint_field(w, "schema_version", EVENT_SCHEMA_VERSION);
	jsonw_string_field(w, "type", type);
	jsonw_string_field(w, "time", time);
	jsonw_string_field(w, "host", envelope.host);
}

void event_json_begin(struct json_writer *w, const char *type, unsigned long long start_ns,
		      unsigned long long ktime, uint64_t cgroup_id)
{
	char container[CONTAINER_ID_LEN + 1], pod[POD_UID_LEN + 1];
	const char *path;

	begin_object(w, type, ktime);
	path = cgroup_names_path(&envelope.cgroups, cgroup_id);
	jsonw_decimal_field(w, "timestamp", ktime > start_ns ? ktime - start_ns : 0, 9, 6);
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

void event_json_stats(FILE *out, const char *tool, double interval_s,
		      const struct event_counts *since, const struct event_counts *total)
{
	struct json_writer w;

	jsonw_init(&w, out);
	begin_object(&w, "stats", monotonic_ns());
	jsonw_string_field(&w, "tool", tool);
	jsonw_fixed_field(&w, "interval", interval_s, 3);
	counts_object(&w, "since_previous", since);
	counts_object(&w, "total", total);
	jsonw_end_object(&w);
}
