/* A 64-bit hash of bytes, for cache file names and checksums (not cryptographic). */
#ifndef SNOOP_HASH_H
#define SNOOP_HASH_H

#include <stddef.h>
#include <stdint.h>

uint64_t hash64(const void *data, size_t len, uint64_t seed);

#endif
