/*
 * The program-image decoder and checker: any body after a valid header
 * and key, with a valid checksum, is either refused with a reason or
 * decoded into an image that passes the checker, and encodes back into
 * the same bytes.
 */
#include <string.h>

#include "../../common/hash.h"
#include "../../common/load/prog_image.h"
#include "fuzz.h"

static const char key[] = "fuzz: the inputs a program was compiled from";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static unsigned char *header;
	static size_t header_len;
	struct prog_image img, empty = { 0 };
	unsigned char *buf, *again;
	size_t len, again_len;
	uint64_t sum;

	/* The header of this version, as the encoder writes it: magic, key length, key. */
	if (!header) {
		unsigned char *whole;
		size_t whole_len;

		if (prog_image_encode(&empty, key, sizeof(key), &whole, &whole_len))
			abort();
		header_len = 8 + 8 + sizeof(key);
		header = whole;
	}
	len = header_len + size + 8;
	buf = malloc(len);
	if (!buf)
		return 0;
	memcpy(buf, header, header_len);
	memcpy(buf + header_len, data, size);
	sum = hash64(buf, len - 8, 0);
	memcpy(buf + len - 8, &sum, 8);
	if (!prog_image_decode(buf, len, key, sizeof(key), &img)) {
		FUZZ_REQUIRE(prog_image_check(&img) == NULL);
		FUZZ_REQUIRE(prog_image_encode(&img, key, sizeof(key), &again, &again_len) == 0);
		FUZZ_REQUIRE(again_len == len && memcmp(again, buf, len) == 0);
		free(again);
		prog_image_free(&img);
	}
	/* Cut short anywhere, it is refused. */
	if (size)
		FUZZ_REQUIRE(prog_image_decode(buf, len - 1 - data[0] % (len - 1), key, sizeof(key),
					       &img) != NULL);
	free(buf);
	return 0;
}
