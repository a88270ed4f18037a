/* SPDX-License-Identifier: MIT */
/*
 * strace's options whose values need parsing (-S, -U, -O, -X,
 * --syscall-limit): the names strace 6.1 accepts, its messages for the
 * ones it refuses, exit status 1.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

static void bad(const char *what, const char *v)
{
	fprintf(stderr, "limen: %s: '%s'\n", what, v);
	exit(1);
}

/*
 * strace spells the time keys both ways round and with '-' or '_'
 * (min-time, time-min, time_min): compare with '_' read as '-'.
 */
static int same(const char *a, const char *b)
{
	for (; *a && *b; a++, b++)
		if ((*a == '_' ? '-' : *a) != *b)
			return 0;
	return !*a && !*b;
}

static int either(const char *v, const char *x, const char *y)
{
	return same(v, x) || same(v, y);
}

void limen_parse_sort_by(struct limen_opts *o, const char *v)
{
	if (either(v, "time", "total-time") || same(v, "time-total"))
		o->sort_by = LIMEN_SORT_TIME;
	else if (either(v, "min-time", "time-min") || same(v, "shortest"))
		o->sort_by = LIMEN_SORT_MIN;
	else if (either(v, "max-time", "time-max") || same(v, "longest"))
		o->sort_by = LIMEN_SORT_MAX;
	else if (either(v, "avg-time", "time-avg"))
		o->sort_by = LIMEN_SORT_AVG;
	else if (either(v, "calls", "count"))
		o->sort_by = LIMEN_SORT_CALLS;
	else if (either(v, "errors", "error"))
		o->sort_by = LIMEN_SORT_ERRORS;
	else if (either(v, "name", "syscall") || same(v, "syscall-name"))
		o->sort_by = LIMEN_SORT_NAME;
	else if (either(v, "nothing", "none"))
		o->sort_by = LIMEN_SORT_NOTHING;
	else
		bad("invalid sortby", v);
}

static int column(const char *v)
{
	if (either(v, "time-percent", "time"))
		return LIMEN_COL_PCT;
	if (either(v, "total-time", "time-total"))
		return LIMEN_COL_TOTAL;
	if (either(v, "min-time", "time-min") || same(v, "shortest"))
		return LIMEN_COL_MIN;
	if (either(v, "max-time", "time-max") || same(v, "longest"))
		return LIMEN_COL_MAX;
	if (either(v, "avg-time", "time-avg"))
		return LIMEN_COL_AVG;
	if (either(v, "calls", "count"))
		return LIMEN_COL_CALLS;
	if (either(v, "errors", "error"))
		return LIMEN_COL_ERRORS;
	if (either(v, "name", "syscall") || same(v, "syscall-name"))
		return LIMEN_COL_NAME;
	return -1;
}

/* -U: the columns in the order given; as strace, the name is added at
   the end when the list lacks it, and no column may come twice */
void limen_parse_columns(struct limen_opts *o, const char *v)
{
	char *copy = strdup(v), *tok, *save;
	unsigned seen = 0;

	o->ncols = 0;
	for (tok = strtok_r(copy, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		int c = column(tok);

		if (c < 0)
			bad("unknown column name", tok);
		if (seen & (1u << c))
			bad("call summary column has been provided more than "
			    "once", tok);
		seen |= 1u << c;
		o->cols[o->ncols++] = (uint8_t)c;
	}
	if (!(seen & (1u << LIMEN_COL_NAME)))
		o->cols[o->ncols++] = LIMEN_COL_NAME;
	free(copy);
}

/* -O OVERHEAD[UNIT]: s, ms, us (the default) or ns, a decimal number */
void limen_parse_overhead(struct limen_opts *o, const char *v)
{
	static const struct {
		const char *unit;
		double ns;
	} units[] = { { "", 1e3 }, { "s", 1e9 }, { "ms", 1e6 },
		      { "us", 1e3 }, { "ns", 1 } };
	char *end;
	double x;

	errno = 0;
	x = strtod(v, &end);
	if (end == v || errno || x < 0 || v[0] == '-')
		bad("invalid -O argument", v);
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (!strcmp(end, units[i].unit)) {
			o->overhead_ns = (uint64_t)(x * units[i].ns + 0.5);
			return;
		}
	bad("invalid -O argument", v);
}

void limen_parse_xstyle(struct limen_opts *o, const char *v)
{
	if (!strcmp(v, "raw"))
		o->xstyle = LIMEN_X_RAW;
	else if (!strcmp(v, "abbrev"))
		o->xstyle = LIMEN_X_ABBREV;
	else if (!strcmp(v, "verbose"))
		o->xstyle = LIMEN_X_VERBOSE;
	else
		bad("invalid -X argument", v);
}

void limen_parse_syscall_limit(struct limen_opts *o, const char *v)
{
	char *end;
	unsigned long long n;

	errno = 0;
	n = strtoull(v, &end, 10);
	if (!*v || *end || errno || n == 0 || v[0] == '-')
		bad("invalid --syscall-limit argument", v);
	o->syscall_limit = n;
}

/*
 * -ff with -o FILE: a file per thread, FILE.TID (sinks/separate.c). As
 * strace, without -o it is -f (every line on stderr), and it cannot be
 * had with a pipe or with -c/-C (nor --latency, which follows the trace). The directory is checked now, so that a
 * trace that can go nowhere is refused before the command runs.
 */
void limen_output_separately(struct limen_opts *o)
{
	char dir[4096], *slash;

	if (o->record || o->report) {
		fprintf(stderr, "limen: -ff: a recording is one directory; "
				"limen trace writes one file per thread\n");
		exit(1);
	}
	if (o->summary || o->latency) {
		fprintf(stderr, "limen: (-c/--summary-only, -C/--summary or "
				"--latency) and -ff/--output-separately are "
				"mutually exclusive\n");
		exit(1);
	}
	if (!o->outfile)
		return;
	if (o->outfile[0] == '|' || o->outfile[0] == '!') {
		fprintf(stderr, "limen: piping the output and "
				"-ff/--output-separately are mutually "
				"exclusive\n");
		exit(1);
	}
	snprintf(dir, sizeof(dir), "%s", o->outfile);
	slash = strrchr(dir, '/');
	if (slash)
		*slash = 0;
	if (access(slash ? (*dir ? dir : "/") : ".", W_OK) < 0) {
		fprintf(stderr, "limen: %s.PID: %s\n", o->outfile,
			strerror(errno));
		exit(1);
	}
	o->separately = 1;
}
