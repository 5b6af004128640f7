#include <stdint.h>

#include "../../common/options/parse.h"
#include "../../common/signals.h"
#include "unit.h"

static void unsigned_numbers(void)
{
	uint64_t v = 99;
	char why[128];

	CHECK(parse_uint("0", 0, 10, &v, why, sizeof(why)) && v == 0);
	CHECK(parse_uint("42", 0, 100, &v, why, sizeof(why)) && v == 42);
	CHECK(!parse_uint("", 0, 10, &v, why, sizeof(why)));
	CHECK(!parse_uint("-1", 0, 10, &v, why, sizeof(why)));
	CHECK(strstr(why, "not a non-negative decimal number"));
	CHECK(!parse_uint("1x", 0, 10, &v, why, sizeof(why)));
	CHECK(!parse_uint(" 1", 0, 10, &v, why, sizeof(why)));
	CHECK(!parse_uint("0x10", 0, 100, &v, why, sizeof(why)));
	CHECK(!parse_uint("99999999999999999999999", 0, UINT64_MAX, &v, why, sizeof(why)));
	CHECK(strstr(why, "out of range"));
	CHECK(!parse_uint("11", 0, 10, &v, why, sizeof(why)));
	CHECK(!parse_uint("0", 1, 10, &v, why, sizeof(why)));
	CHECK(strstr(why, "out of range (1-10)"));
}

static void signed_numbers(void)
{
	int64_t v = 0;
	char why[128];

	CHECK(parse_int("-1", -10, 10, &v, why, sizeof(why)) && v == -1);
	CHECK(parse_int("7", -10, 10, &v, why, sizeof(why)) && v == 7);
	CHECK(!parse_int("--1", -10, 10, &v, why, sizeof(why)));
	CHECK(!parse_int("-", -10, 10, &v, why, sizeof(why)));
	CHECK(!parse_int("-11", -10, 10, &v, why, sizeof(why)));
	CHECK(strstr(why, "out of range"));
}

static void signals(void)
{
	char why[128], buf[24];
	int sig = -1;

	CHECK(parse_signal("9", &sig, why, sizeof(why)) && sig == 9);
	CHECK(parse_signal("0", &sig, why, sizeof(why)) && sig == 0);
	CHECK(parse_signal("KILL", &sig, why, sizeof(why)) && sig == 9);
	CHECK(parse_signal("SIGTERM", &sig, why, sizeof(why)) && sig == 15);
	CHECK(parse_signal("sigusr1", &sig, why, sizeof(why)) && sig == 10);
	CHECK(parse_signal("CHLD", &sig, why, sizeof(why)) && sig == 17);
	CHECK(parse_signal("RTMIN", &sig, why, sizeof(why)) && sig == 32);
	CHECK(parse_signal("SIGRTMIN+2", &sig, why, sizeof(why)) && sig == 34);
	CHECK(parse_signal("RTMAX-1", &sig, why, sizeof(why)) && sig == 63);
	CHECK(!parse_signal("65", &sig, why, sizeof(why)));
	CHECK(!parse_signal("-1", &sig, why, sizeof(why)));
	CHECK(!parse_signal("FOO", &sig, why, sizeof(why)));
	CHECK(strstr(why, "unknown signal 'FOO'"));
	CHECK(!parse_signal("SIG", &sig, why, sizeof(why)));
	CHECK(!parse_signal("", &sig, why, sizeof(why)));
	CHECK(!parse_signal("RTMIN+40", &sig, why, sizeof(why)));
	CHECK(!parse_signal("RTMIN-1", &sig, why, sizeof(why)));

	CHECK_STR(signal_name(9, buf, sizeof(buf)), "SIGKILL");
	CHECK_STR(signal_name(1, buf, sizeof(buf)), "SIGHUP");
	CHECK_STR(signal_name(31, buf, sizeof(buf)), "SIGSYS");
	CHECK_STR(signal_name(32, buf, sizeof(buf)), "SIGRTMIN");
	CHECK_STR(signal_name(34, buf, sizeof(buf)), "SIGRTMIN+2");
	CHECK_STR(signal_name(64, buf, sizeof(buf)), "SIGRTMAX");
	CHECK(signal_name(0, buf, sizeof(buf)) == NULL);
	CHECK(signal_name(65, buf, sizeof(buf)) == NULL);
	/* Every name parses back to its number. */
	for (int s = 1; s <= SIGNAL_MAX; s++)
		CHECK(parse_signal(signal_name(s, buf, sizeof(buf)), &sig, why, sizeof(why)) &&
		      sig == s);
}

static void users(void)
{
	uint32_t uid = 12345;
	char why[128];

	CHECK(parse_user("root", &uid, why, sizeof(why)) && uid == 0);
	CHECK(parse_user("0", &uid, why, sizeof(why)) && uid == 0);
	CHECK(parse_user("65534", &uid, why, sizeof(why)) && uid == 65534);
	CHECK(!parse_user("no-such-user-snoopc", &uid, why, sizeof(why)));
	CHECK(strstr(why, "no such user"));
	CHECK(!parse_user("12abc", &uid, why, sizeof(why)));
	CHECK(!parse_user("4294967295", &uid, why, sizeof(why))); /* (uid_t)-1 */
}

UNIT_SUITE(parse_tests, { "parse: unsigned numbers", unsigned_numbers },
	   { "parse: signed numbers", signed_numbers },
	   { "parse: signal names and numbers", signals }, { "parse: users", users });
