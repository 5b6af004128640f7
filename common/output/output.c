#include "output.h"

#include <stdio.h>
#include <unistd.h>

static char json_block[OUTPUT_BLOCK];
static struct json_writer json_writer;

void output_init(void)
{
	if (!isatty(STDOUT_FILENO))
		setvbuf(stdout, NULL, _IOFBF, OUTPUT_BLOCK);
}

struct json_writer *output_json(void)
{
	if (!json_writer.out) {
		fflush(stdout);
		setvbuf(stdout, NULL, _IONBF, 0);
		jsonw_init(&json_writer, stdout);
		json_writer.buf = json_block;
		json_writer.cap = sizeof(json_block);
		json_writer.gather = true;
	}
	return &json_writer;
}

bool output_flush(void)
{
	if (json_writer.out)
		jsonw_flush(&json_writer);
	return fflush(stdout) == 0 && !ferror(stdout);
}
