/* A 64-bit hash of bytes, for cache file names and checksums (not cryptographic). */
#ifndef SNOOP_HASH_H
#define SNOOP_HASH_H

#include <stddef.h>
#include <stdint.h>

uint64_t hash64(const void *data, size_t len, uint64_t seed);

/*
 * A table index of 32 bits or less from a 64-bit key (PIDs, cgroup IDs,
 * signal IDs), by Fibonacci hashing: the key times 2^64 over the golden
 * ratio, whose high bits every key bit reaches. Mask the result.
 */
static inline uint32_t hash_index(uint64_t key)
{
	return (uint32_t)((key * 0x9e3779b97f4a7c15ULL) >> 32);
}

#endif
