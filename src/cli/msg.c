/* SPDX-License-Identifier: MIT */
/*
 * limen's own messages on stderr: "limen: ..." and, for the fatal ones,
 * the exit status that says what went wrong (1: bad usage).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli/cli.h"

static void say(const char *fmt, va_list ap)
{
	fputs("limen: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void limen_note(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	say(fmt, ap);
	va_end(ap);
}

void limen_die(int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	say(fmt, ap);
	va_end(ap);
	exit(code);
}
