// SPDX-License-Identifier: GPL-2.0
/*
 * mfwdctl - a tiny streaming JSON writer for stdout.
 */
#include <inttypes.h>
#include <stdio.h>

#include "mfwdctl.h"

#define JSON_MAX_DEPTH 16

static bool pretty;
static int depth;
/* per level: nothing written yet at this level */
static bool first[JSON_MAX_DEPTH] = { true };

void json_set_pretty(bool on)
{
	pretty = on;
}

static void indent(void)
{
	int i;

	if (!pretty)
		return;
	putchar('\n');
	for (i = 0; i < depth; i++)
		fputs("    ", stdout);
}

static void put_string(const char *s)
{
	const unsigned char *p;

	putchar('"');
	for (p = (const unsigned char *)s; *p; p++) {
		switch (*p) {
		case '"':
			fputs("\\\"", stdout);
			break;
		case '\\':
			fputs("\\\\", stdout);
			break;
		case '\n':
			fputs("\\n", stdout);
			break;
		case '\t':
			fputs("\\t", stdout);
			break;
		default:
			if (*p < 0x20)
				printf("\\u%04x", *p);
			else
				putchar(*p);
		}
	}
	putchar('"');
}

/* separator and key of a new value at the current level */
static void begin_value(const char *key)
{
	if (!first[depth])
		putchar(',');
	first[depth] = false;
	if (depth)
		indent();
	if (key) {
		put_string(key);
		putchar(':');
		if (pretty)
			putchar(' ');
	}
}

static void open_level(const char *key, char c)
{
	begin_value(key);
	putchar(c);
	if (depth < JSON_MAX_DEPTH - 1)
		depth++;
	first[depth] = true;
}

static void close_level(char c)
{
	bool empty = first[depth];

	if (depth)
		depth--;
	if (!empty)
		indent();
	putchar(c);
	if (!depth)
		first[0] = true;
}

void json_open_array(const char *key)
{
	open_level(key, '[');
}

void json_close_array(void)
{
	close_level(']');
}

void json_open_object(const char *key)
{
	open_level(key, '{');
}

void json_close_object(void)
{
	close_level('}');
}

void json_str(const char *key, const char *val)
{
	begin_value(key);
	put_string(val);
}

void json_u64(const char *key, uint64_t val)
{
	begin_value(key);
	printf("%" PRIu64, val);
}

void json_bool(const char *key, bool val)
{
	begin_value(key);
	fputs(val ? "true" : "false", stdout);
}

/* end of one top-level value: a newline, so that each value is a line */
void json_end(void)
{
	putchar('\n');
	first[0] = true;
}
