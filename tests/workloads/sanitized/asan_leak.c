/*
 * asan-leak: an AddressSanitizer program that leaks one allocation of 4321
 * bytes. At its exit LeakSanitizer stops its threads with ptrace() from a
 * helper that shares its memory, reports the leak and exits 23 (its own
 * status, rather than ASan's 1, which other failures share too): what
 * ptraceguard-c must let happen.
 */
#include <stdlib.h>

void *leaked;

const char *__asan_default_options(void);

const char *__asan_default_options(void)
{
	return "exitcode=23";
}

int main(void)
{
	leaked = malloc(4321);
	leaked = NULL;
	return 0;
}
