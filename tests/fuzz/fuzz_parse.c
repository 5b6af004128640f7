/*
 * The option value parsers: any string is either taken, with a value in
 * the range asked for, or refused with a reason; signal names round-trip.
 */
#include <string.h>

#include "../../common/bpf_runtime.h"
#include "../../common/options/parse.h"
#include "../../common/signals.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char s[256], why[256];
	unsigned long long set[2];
	enum probe_mode mode;
	uint64_t u;
	int64_t i;
	uint32_t uid;
	int sig;

	if (size >= sizeof(s))
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	why[0] = '\0';
	if (parse_uint(s, 3, 4096, &u, why, sizeof(why)))
		FUZZ_REQUIRE(u >= 3 && u <= 4096);
	else
		FUZZ_REQUIRE(why[0]);
	why[0] = '\0';
	if (parse_int(s, -5, 5, &i, why, sizeof(why)))
		FUZZ_REQUIRE(i >= -5 && i <= 5);
	else
		FUZZ_REQUIRE(why[0]);
	why[0] = '\0';
	if (parse_signal(s, &sig, why, sizeof(why))) {
		FUZZ_REQUIRE(sig >= 0 && sig <= 64);
		char name[32];

		if (sig > 0 && signal_name(sig, name, sizeof(name))) {
			int again;

			FUZZ_REQUIRE(parse_signal(name, &again, why, sizeof(why)) && again == sig);
		}
	} else {
		FUZZ_REQUIRE(why[0]);
	}
	why[0] = '\0';
	if (!parse_signal_set(s, set, why, sizeof(why)))
		FUZZ_REQUIRE(why[0]);
	/* Names only: a name service lookup per input would be slow, numbers are what it parses. */
	if (size && s[0] >= '0' && s[0] <= '9' && !parse_user(s, &uid, why, sizeof(why)))
		FUZZ_REQUIRE(why[0]);
	probe_mode_parse(s, &mode);
	return 0;
}
