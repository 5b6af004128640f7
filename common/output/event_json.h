/*
 * The fields every tool's JSON objects share, written in one place
 * (deploy/schema/snoop-c-events.schema.json): each event starts with
 * event_json_begin, and the stats objects are written here too.
 */
#ifndef SNOOP_EVENT_JSON_H
#define SNOOP_EVENT_JSON_H

#include <linux/types.h>
#include <stdint.h>

#include "../../programs/exec_identity.h"
#include "output.h"

/* "schema_version": changed when a field changes meaning or goes away. */
#define EVENT_SCHEMA_VERSION 1

/*
 * The run's identity, which every object carries: host, boot_id (the
 * kernel's, /proc/sys/kernel/random/boot_id) and run_id (a random UUID,
 * new at each start), each null when it cannot be had. Drawn here, once:
 * the runtime calls it before the tool confines itself, whose filter
 * allows no getrandom. An object begun before any call draws it then (the
 * unit tests' do), which under the filter would end the tool.
 */
void event_json_identity(void);

/*
 * Starts an event's object: schema_version, type, time (RFC 3339 UTC, the
 * kernel's timestamp ktime), host, boot_id, run_id, seq (the object's
 * number in the run, from 1: events, stats and all), timestamp (seconds
 * since start_ns), cgroup_id, and the cgroup_path, container_id and pod_uid found for it
 * (common/plan/cgroups.h), each null when unknown. type is a string that lives
 * as long as the program (a literal): its rendered members are kept for
 * the next object of the same type, found by its address.
 */
void event_json_begin(struct json_writer *w, const char *type, unsigned long long start_ns,
		      unsigned long long ktime, uint64_t cgroup_id);

/*
 * "name": a program's identity (programs/exec_identity.h) as the string
 * "PID-START-EXECS", or null when the kernel could not tell it.
 */
void event_json_exec_id(struct json_writer *w, const char *name, const struct exec_identity *id);

/* "name": the signal's name ("SIGKILL"), or null for 0 and numbers without one. */
void event_json_signal(struct json_writer *w, const char *name, int sig);

/* What reached a tool from the kernel, and what did not. */
struct event_counts {
	uint64_t events;  /* records read from the events' buffers, perf or ring */
	uint64_t lost;	  /* records a full buffer had no room for */
	uint64_t dropped; /* updates a full BPF table refused: events missed or incomplete */
};

/* A "stats" object, on its own line among the events' (output_json): the counts since the previous one and in total. */
void event_json_stats(const char *tool, double interval_s, const struct event_counts *since,
		      const struct event_counts *total);

#endif
