#include "hash.h"

#include <string.h>

/*
 * 64 bits at a time: multiply, xor, shift (in the manner of the murmur and
 * wy families). Enough to name files and to catch corruption.
 */
uint64_t hash64(const void *data, size_t len, uint64_t seed)
{
	const uint64_t m = 0xc6a4a7935bd1e995ULL;
	const unsigned char *p = data;
	uint64_t h = seed ^ (len * m);

	for (; len >= 8; len -= 8, p += 8) {
		uint64_t k;

		memcpy(&k, p, 8);
		k *= m;
		k ^= k >> 47;
		k *= m;
		h ^= k;
		h *= m;
	}
	if (len) {
		uint64_t k = 0;

		memcpy(&k, p, len);
		h ^= k;
		h *= m;
	}
	h ^= h >> 47;
	h *= m;
	h ^= h >> 47;
	return h;
}
