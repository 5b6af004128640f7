/*
 * The text and JSON escapers: whatever the bytes, the text escape holds no
 * control byte and no code point that acts on a terminal or splits a
 * record, and is valid UTF-8; the JSON string is printable ASCII or such
 * UTF-8, quoted, with no raw control byte; a padded field stays in its
 * line's buffer.
 */
#include <stdbool.h>
#include <string.h>

#include "../../common/output/json_writer.h"
#include "../../common/text.h"
#include "fuzz.h"

/* Whether out is valid UTF-8 without a byte below 0x20, DEL or a code point that acts. */
static bool inert(const unsigned char *s, size_t len)
{
	for (size_t i = 0; i < len;) {
		unsigned int cp;
		size_t n;

		if (s[i] < 0x80) {
			if (s[i] < 0x20 || s[i] == 0x7f)
				return false;
			i++;
			continue;
		}
		n = s[i] >= 0xf0 ? 4 : s[i] >= 0xe0 ? 3 : s[i] >= 0xc0 ? 2 : 0;
		if (n == 0 || i + n > len)
			return false;
		cp = s[i] & (0x7f >> n);
		for (size_t k = 1; k < n; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return false;
			cp = cp << 6 | (s[i + k] & 0x3f);
		}
		if (text_code_point_acts(cp))
			return false;
		i += n;
	}
	return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	struct text_line line = { .len = 0 };
	struct json_writer w;
	char *out = NULL;
	size_t len = 0;
	FILE *f;

	f = open_memstream(&out, &len);
	text_escape(f, s, size, size % 2);
	fclose(f);
	FUZZ_REQUIRE(inert((const unsigned char *)out, len));
	free(out);

	/* As the tools write a string: ["..."] and the line's newline. */
	f = open_memstream(&out, &len);
	jsonw_init(&w, f);
	jsonw_start_array(&w);
	jsonw_bytes(&w, s, size);
	jsonw_end_array(&w);
	fclose(f);
	FUZZ_REQUIRE(len >= 5 && !memcmp(out, "[\"", 2) && !memcmp(out + len - 3, "\"]\n", 3));
	FUZZ_REQUIRE(inert((const unsigned char *)out, len - 1));
	free(out);

	line_text(&line, "x", 3);
	line_escaped(&line, s, size, 16);
	line_int(&line, (long long)size, 8);
	FUZZ_REQUIRE(line.len < sizeof(line.buf));
	FUZZ_REQUIRE(inert((const unsigned char *)line.buf, line.len));
	return 0;
}
