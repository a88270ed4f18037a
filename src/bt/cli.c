/* SPDX-License-Identifier: MIT */
/* limen bt's command line: limen bt [-o FILE] -e PROGRAM | FILE.bt -- CMD */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bt/bt.h"
#include "cli/cli.h"
#include "cli/filter_compile.h"

static void bt_die(const char *fmt, const char *a, const char *b)
	__attribute__((noreturn));
static void bt_die(const char *fmt, const char *a, const char *b)
{
	fputs("limen: bt: ", stderr);
	fprintf(stderr, fmt, a, b);
	fputc('\n', stderr);
	exit(1);
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "re");
	char *s = NULL;
	size_t cap = 0, n = 0, k;

	if (!f)
		bt_die("%s: %s", path, strerror(errno));
	do {
		if (n + 4096 > cap) {
			cap = cap ? 2 * cap : 8192;
			s = realloc(s, cap);
			if (!s)
				abort();
		}
		k = fread(s + n, 1, cap - n, f);
		n += k;
	} while (k);
	if (ferror(f))
		bt_die("%s: %s", path, strerror(errno));
	fclose(f);
	*len = n;
	return s;
}

/* LIMEN_BT_PUSH=0: the collector alone evaluates the predicates (the
   tests compare); =show: name the calls filtered in the process */
static void push(struct limen_opts *o)
{
	static struct limen_filter fl;
	const char *env = getenv("LIMEN_BT_PUSH");
	char err[512];
	int r;

	if (env && !strcmp(env, "0"))
		return;
	if (!limen_bt_push(o->bt, o->trace_mask, o->trace_all,
			   env && !strcmp(env, "show")))
		return;
	r = limen_filter_build(&fl, o->trace_mask, o->trace_all, err,
			       sizeof(err));
	/* too big for the runtime's program: the collector does it all */
	if (r < 0) {
		limen_filter_reset();
		fprintf(stderr, "limen bt: predicates not pushed into the "
			"process: %s\n", err);
		return;
	}
	if (r > 0)
		o->filter = &fl;
}

void limen_bt_args(struct limen_opts *o, int argc, char **argv)
{
	const char *prog = NULL, *file = NULL;
	char *src, err[512];
	size_t len;
	int i, all;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "--")) {
			i++;
			break;
		}
		if (!strcmp(a, "-e") || !strcmp(a, "-o")) {
			if (i + 1 >= argc)
				bt_die("%s needs an argument%s", a, "");
			if (a[1] == 'e')
				prog = argv[++i];
			else
				o->outfile = argv[++i];
		} else if (!strncmp(a, "-e", 2)) {
			prog = a + 2;
		} else if (!strncmp(a, "-o", 2)) {
			o->outfile = a + 2;
		} else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			puts("usage: limen bt [-o FILE] -e 'PROGRAM' [--] CMD "
			     "[ARGS...]\n"
			     "       limen bt [-o FILE] FILE.bt [--] CMD "
			     "[ARGS...]\n"
			     "bpftrace's language for system-call probes "
			     "(README: limen bt)");
			exit(0);
		} else if (a[0] == '-') {
			bt_die("unknown option '%s' (limen bt takes -e PROGRAM, "
			       "-o FILE, or a program file)%s", a, "");
		} else if (!prog && !file) {
			file = a;
		} else {
			break;
		}
	}
	if (!prog && !file)
		bt_die("which program? (-e 'PROGRAM' or FILE.bt)%s%s", "", "");
	if (prog && file)
		bt_die("both -e and a program file (%s)%s", file, "");
	if (i >= argc)
		bt_die("no command to run (limen bt ... -- CMD)%s%s", "", "");
	if (prog) {
		len = strlen(prog);
		src = strdup(prog);
		if (!src)
			abort();
	} else {
		src = slurp(file, &len);
	}
	o->bt = limen_bt_compile(src, len, err, sizeof(err));
	free(src);
	if (!o->bt)
		bt_die("%s: %s", prog ? "-e" : file, err);
	limen_bt_select(o->bt, o->trace_mask, LIMEN_TRACE_BITS, &all);
	if (o->strsize < limen_bt_strsize(o->bt))
		o->strsize = limen_bt_strsize(o->bt);
	o->trace_all = all;
	o->cmd = argv + i;
	push(o);
}
