/*
 * The fields every tool's JSON events share, written in one place: each
 * object starts with event_json_begin, which a schema of common fields
 * (time, host, container) extends for every tool at once.
 */
#ifndef SNOOP_EVENT_JSON_H
#define SNOOP_EVENT_JSON_H

#include "json_writer.h"

/* Starts an event's object: "time" (local HH:MM:SS) and "timestamp" (seconds since start_ns). */
void event_json_begin(struct json_writer *w, unsigned long long start_ns,
		      unsigned long long ktime);

/* "name": the signal's name ("SIGKILL"), or null for 0 and numbers without one. */
void event_json_signal(struct json_writer *w, const char *name, int sig);

#endif
