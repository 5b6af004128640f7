/* The options every tool has, as the runtime takes them (common/bpf_runtime.h). */
#ifndef SNOOP_SETTINGS_H
#define SNOOP_SETTINGS_H

#include <stdbool.h>

#include "../plan/probe_mode.h"
#include "scope_options.h"

struct snoop_settings {
	enum probe_mode mode;
	const char *kernel_headers; /* --kernel-headers, or NULL */
	bool verbose;		    /* phases and their times on stderr */
	bool no_cache;		    /* --no-cache: compile, neither read nor write the cache */
	int buffer_pages;	    /* --buffer-pages: the events' buffer's pages; 0: the tool's */
	bool ring_buffer;	    /* --ring-buffer: one BPF ring buffer, not one per CPU */
	unsigned stats_interval;    /* --stats-interval: seconds between stats objects; 0: none */
	struct scope_options scope; /* --pidns, --cgroup, --mntnsmap */
};

#endif
