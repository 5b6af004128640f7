/* The modes a tool's syscall programs attach in (--mode), by name. */
#ifndef SNOOP_PROBE_MODE_H
#define SNOOP_PROBE_MODE_H

#include <stdbool.h>

enum probe_mode {
	PROBE_MODE_AUTO,
	PROBE_MODE_TRACEPOINT,
	PROBE_MODE_KPROBE,
	PROBE_MODE_FENTRY,
};

/* "auto", "tracepoint", "kprobe" or "fentry" into *mode; false for anything else. */
bool probe_mode_parse(const char *s, enum probe_mode *mode);

const char *probe_mode_name(enum probe_mode mode);

#endif
