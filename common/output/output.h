/*
 * The tools' stdout, owned here alone: how it is buffered, the JSON writer
 * over it, and its flush. Text lines go through stdio, in blocks of
 * OUTPUT_BLOCK when stdout is not a terminal (one write a batch of events,
 * not one every few lines). JSON lines gather in a block of the same size
 * that goes out in one write, with stdout made unbuffered for them at the
 * first: copying each line into stdio's buffer cost more than building it.
 */
#ifndef SNOOP_OUTPUT_H
#define SNOOP_OUTPUT_H

#include <stdbool.h>

#include "json_writer.h"

#define OUTPUT_BLOCK (64 << 10)

/* Before anything is written to stdout. */
void output_init(void);

/* The writer of the events' JSON lines to stdout. */
struct json_writer *output_json(void);

/* What was gathered to stdout, then stdout flushed: false on an error (errno). */
bool output_flush(void);

#endif
