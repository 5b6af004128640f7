#include "event_json.h"
#include "clock.h"
#include "signals.h"

void event_json_begin(struct json_writer *w, unsigned long long start_ns,
		      unsigned long long ktime)
{
	char hms[16];

	clock_hms(hms, sizeof(hms));
	jsonw_start_object(w);
	jsonw_string_field(w, "time", hms);
	jsonw_fixed_field(w, "timestamp", seconds_after(start_ns, ktime), 6);
}

void event_json_signal(struct json_writer *w, const char *name, int sig)
{
	char buf[24];

	if (signal_name(sig, buf, sizeof(buf)))
		jsonw_string_field(w, name, buf);
	else
		jsonw_null_field(w, name);
}
