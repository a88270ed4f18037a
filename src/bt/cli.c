/* SPDX-License-Identifier: MIT */
/* limen bt's command line: limen bt [-o FILE] -e PROGRAM | FILE.bt -- CMD */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bt/bt.h"
#include "cli/cli.h"
#include "cli/filter_compile.h"
#include "cli/flight.h"
#include "decode/oom.h"

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
				limen_out_of_memory();
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

/* --flight SIZE, --flight-dir DIR, --flight-after D, --flight-max N
   (with '=' or as two words): 1 if argv[*i] was one */
static int flight_opt(struct limen_opts *o, int argc, char **argv, int *i)
{
	static const char *const names[] = {
		"--flight", "--flight-dir", "--flight-after", "--flight-max",
	};
	const char *a = argv[*i], *v = NULL;
	size_t k, n = sizeof(names) / sizeof(names[0]);
	char *end;

	for (k = 0; k < n; k++) {
		size_t l = strlen(names[k]);

		if (!strncmp(a, names[k], l) && (!a[l] || a[l] == '=')) {
			v = a[l] ? a + l + 1 : NULL;
			break;
		}
	}
	if (k == n)
		return 0;
	if (!v) {
		if (*i + 1 >= argc)
			bt_die("%s needs an argument%s", a, "");
		v = argv[++*i];
	}
	switch (k) {
	case 0:
		o->flight_bytes = limen_flight_parse_size(v);
		if (o->flight_bytes < (64u << 10))
			bt_die("invalid --flight '%s' (a size of at least 64K: "
			       "N, NK, NM, NG)%s", v, "");
		break;
	case 1:
		o->flight_dir = v;
		break;
	case 2:
		o->flight_after_ns = limen_flight_parse_duration(v);
		if (o->flight_after_ns < 0)
			bt_die("invalid --flight-after '%s' (a number with ns, "
			       "us, ms or s)%s", v, "");
		break;
	default:
		o->flight_max = (unsigned)strtoul(v, &end, 10);
		if (*end || !*v || !o->flight_max)
			bt_die("invalid --flight-max '%s'%s", v, "");
	}
	return 1;
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
		if (flight_opt(o, argc, argv, &i))
			continue;
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
			     "(README: limen bt)\n"
			     "  --flight SIZE --flight-dir DIR  keep the last "
			     "SIZE bytes of events;\n"
			     "                   snapshot() saves them to "
			     "DIR/snapshot-N\n"
			     "  --flight-after DURATION, --flight-max N  as "
			     "limen record's");
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
			limen_out_of_memory();
	} else {
		src = slurp(file, &len);
	}
	o->bt = limen_bt_compile(src, len, err, sizeof(err));
	free(src);
	if (!o->bt)
		bt_die("%s: %s", prog ? "-e" : file, err);
	if (limen_bt_snapshots(o->bt) && !o->flight_bytes)
		bt_die("snapshot() saves the flight recorder's window: give "
		       "--flight SIZE --flight-dir DIR%s%s", "", "");
	if (o->flight_bytes && !o->flight_dir)
		bt_die("--flight: where do snapshots go? (--flight-dir DIR)%s%s",
		       "", "");
	if (!o->flight_bytes && (o->flight_dir || o->flight_after_ns ||
				 o->flight_max))
		bt_die("--flight-dir, --flight-after, --flight-max: they need "
		       "--flight SIZE%s%s", "", "");
	limen_bt_select(o->bt, o->trace_mask, LIMEN_TRACE_BITS, &all);
	if (o->strsize < limen_bt_strsize(o->bt))
		o->strsize = limen_bt_strsize(o->bt);
	o->trace_all = all;
	o->cmd = argv + i;
	/* the window holds every call around the trigger, not only the
	   probes' (so nothing is filtered in the process either) */
	if (o->flight_bytes)
		o->trace_all = 1;
	else
		push(o);
}
