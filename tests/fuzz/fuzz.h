/*
 * What the libFuzzer harnesses share: reading the fuzzer's bytes as a
 * stream of small values, and stopping on a broken property (abort():
 * libFuzzer keeps the input that did it).
 */
#ifndef SNOOP_FUZZ_H
#define SNOOP_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct fuzz_input {
	const uint8_t *p, *end;
};

/* The next byte, 0 once the input is used up. */
static inline uint8_t fuzz_byte(struct fuzz_input *in)
{
	return in->p < in->end ? *in->p++ : 0;
}

static inline uint32_t fuzz_u16(struct fuzz_input *in)
{
	return (uint32_t)fuzz_byte(in) | (uint32_t)fuzz_byte(in) << 8;
}

#define FUZZ_REQUIRE(cond)                                                                         \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			fprintf(stderr, "%s:%d: property broken: %s\n", __FILE__, __LINE__,        \
				#cond);                                                            \
			abort();                                                                   \
		}                                                                                  \
	} while (0)

#endif
