#include "json_writer.h"
#include "text.h"

#include <string.h>

void jsonw_init(struct json_writer *w, FILE *out)
{
	w->out = out;
	w->depth = 0;
	w->after_name = false;
}

/* Before a value or a name: the comma that separates it from the one before. */
static void separate(struct json_writer *w)
{
	if (w->depth == 0 || w->depth > JSONW_MAX_DEPTH)
		return;
	if (!w->empty[w->depth - 1])
		putc(',', w->out);
	w->empty[w->depth - 1] = false;
}

/* Before a value: a member's value follows its name, with no comma. */
static void value_start(struct json_writer *w)
{
	if (w->after_name)
		w->after_name = false;
	else
		separate(w);
}

static void open_container(struct json_writer *w, char c)
{
	value_start(w);
	putc(c, w->out);
	if (w->depth < JSONW_MAX_DEPTH)
		w->empty[w->depth] = true;
	w->depth++;
}

static void close_container(struct json_writer *w, char c)
{
	putc(c, w->out);
	if (w->depth > 0)
		w->depth--;
	if (w->depth == 0)
		putc('\n', w->out);
}

void jsonw_start_object(struct json_writer *w)
{
	open_container(w, '{');
}

void jsonw_end_object(struct json_writer *w)
{
	close_container(w, '}');
}

void jsonw_start_array(struct json_writer *w)
{
	open_container(w, '[');
}

void jsonw_end_array(struct json_writer *w)
{
	close_container(w, ']');
}

void jsonw_name(struct json_writer *w, const char *name)
{
	separate(w);
	json_string(w->out, name, strlen(name));
	putc(':', w->out);
	w->after_name = true;
}

void jsonw_string(struct json_writer *w, const char *s)
{
	jsonw_bytes(w, s, strlen(s));
}

void jsonw_bytes(struct json_writer *w, const char *s, size_t len)
{
	value_start(w);
	json_string(w->out, s, len);
}

void jsonw_int(struct json_writer *w, long long v)
{
	value_start(w);
	fprintf(w->out, "%lld", v);
}

void jsonw_uint(struct json_writer *w, unsigned long long v)
{
	value_start(w);
	fprintf(w->out, "%llu", v);
}

void jsonw_fixed(struct json_writer *w, double v, int decimals)
{
	value_start(w);
	fprintf(w->out, "%.*f", decimals, v);
}

void jsonw_bool(struct json_writer *w, bool v)
{
	value_start(w);
	fputs(v ? "true" : "false", w->out);
}

void jsonw_null(struct json_writer *w)
{
	value_start(w);
	fputs("null", w->out);
}

void jsonw_string_field(struct json_writer *w, const char *name, const char *s)
{
	jsonw_name(w, name);
	jsonw_string(w, s);
}

void jsonw_bytes_field(struct json_writer *w, const char *name, const char *s, size_t len)
{
	jsonw_name(w, name);
	jsonw_bytes(w, s, len);
}

void jsonw_int_field(struct json_writer *w, const char *name, long long v)
{
	jsonw_name(w, name);
	jsonw_int(w, v);
}

void jsonw_uint_field(struct json_writer *w, const char *name, unsigned long long v)
{
	jsonw_name(w, name);
	jsonw_uint(w, v);
}

void jsonw_fixed_field(struct json_writer *w, const char *name, double v, int decimals)
{
	jsonw_name(w, name);
	jsonw_fixed(w, v, decimals);
}

void jsonw_bool_field(struct json_writer *w, const char *name, bool v)
{
	jsonw_name(w, name);
	jsonw_bool(w, v);
}

void jsonw_null_field(struct json_writer *w, const char *name)
{
	jsonw_name(w, name);
	jsonw_null(w);
}

void jsonw_start_object_field(struct json_writer *w, const char *name)
{
	jsonw_name(w, name);
	jsonw_start_object(w);
}

void jsonw_start_array_field(struct json_writer *w, const char *name)
{
	jsonw_name(w, name);
	jsonw_start_array(w);
}
