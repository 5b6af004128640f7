#include "probe_mode.h"
#include "../array_size.h"

#include <string.h>

/* Indexed by enum probe_mode. */
static const char *const mode_names[] = { "auto", "tracepoint", "kprobe", "fentry" };

bool probe_mode_parse(const char *s, enum probe_mode *mode)
{
	for (size_t i = 0; i < ARRAY_SIZE(mode_names); i++) {
		if (!strcmp(s, mode_names[i])) {
			*mode = (enum probe_mode)i;
			return true;
		}
	}
	return false;
}

const char *probe_mode_name(enum probe_mode mode)
{
	return mode_names[mode];
}
