/* SPDX-License-Identifier: MIT */
/* The limen command. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <regex.h>
#include <stdarg.h>
#include <sched.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "decode/oom.h"
#include "cli.h"
#include "cli/filter_compile.h"
#include "collector/collector.h"
#include "cli/exitgone.h"
#include "ctf/ctf.h"
#include "cli/flight.h"
#include "sinks/unwind.h"
#include "sinks/pidcomm.h"
#include "decode/decode.h"
#include "rtdir.h"
#include "bt/bt.h"

#ifndef LIMEN_VERSION
#define LIMEN_VERSION "dev"
#endif

static void usage(FILE *f)
{
	fputs("usage: limen trace [OPTIONS] [--] CMD [ARGS...]\n"
	      "       limen run [--] CMD [ARGS...]\n"
	      "       limen record -o DIR [OPTIONS] [--] CMD [ARGS...]\n"
	      "       limen report [REPORT OPTIONS] DIR\n"
	      "       limen bt [-o FILE] -e 'PROGRAM' | FILE.bt [--] CMD [ARGS...]\n"
	      "\n"
	      "trace: run CMD with every system call of every thread and\n"
	      "process it starts traced in-process, one strace-style line per\n"
	      "call.\n"
	      "run: run CMD with the runtime and record nothing: what the\n"
	      "runtime offers the program (uaccess logging, prctl 63: see\n"
	      "include/limen/uaccess.h) without a trace.\n"
	      "record: write the events as binary CTF 1.8 into DIR instead\n"
	      "(babeltrace2, Trace Compass; LTTng's syscall event names).\n"
	      "report: print a recording as `trace` would have printed it.\n"
	      "bt: run a bpftrace program's system-call probes on CMD's\n"
	      "calls (tracepoint:syscalls:sys_enter_NAME/sys_exit_NAME,\n"
	      "raw_syscalls, BEGIN, END, interval), unprivileged; maps\n"
	      "printed at the end as bpftrace prints them (README: limen bt).\n"
	      "Predicates are evaluated in the traced process where they can\n"
	      "be: a call no probe can fire on is not recorded.\n"
	      "\n"
	      "bt options (flight recorder):\n"
	      "  --flight SIZE --flight-dir DIR  keep the last SIZE bytes of\n"
	      "                   every call in memory; the program's\n"
	      "                   snapshot() writes them as DIR/snapshot-N\n"
	      "                   with the probe and the call it fired on\n"
	      "                   (--flight-after, --flight-max as below)\n"
	      "\n"
	      "Record options (flight recorder):\n"
	      "  --flight SIZE    keep only the last SIZE bytes of events in\n"
	      "                   memory (K, M, G suffixes); write them as\n"
	      "                   DIR/snapshot-N when a trigger fires, on\n"
	      "                   SIGUSR1 to limen, and at the end if no\n"
	      "                   --trigger is given\n"
	      "  --trigger SPEC   SET[:failed][:slow=DURATION][:match=REGEX]: a\n"
	      "                   call of SET (as -e trace=) that failed, took\n"
	      "                   DURATION or more, whose strace line matches\n"
	      "                   REGEX; or signal=SIG[,SIG...]. Repeatable\n"
	      "  --flight-after DURATION  the events that follow a trigger\n"
	      "                   for DURATION go into its snapshot too (0)\n"
	      "  --flight-max N   snapshots at most (100); later triggers are\n"
	      "                   counted\n"
	      "\n"
	      "Options are parsed as strace 6.1 parses them: bundled (-fttT),\n"
	      "with attached arguments (-s100, -ofile), long forms.\n"
	      "\n"
	      "  -o, --output=FILE  write the trace to FILE (lines start with\n"
	      "                   the thread id); \"|CMD\" or \"!CMD\": pipe it\n"
	      "                   to the shell command CMD\n"
	      "  -A               append to the -o FILE\n"
	      "  -e trace=SET, --trace=SET  only these calls: names, ?name\n"
	      "                   (no error if unknown), /REGEX, %file,\n"
	      "                   %process, %network (%net), %memory, %signal,\n"
	      "                   %desc, %ipc, %creds, %clock, %pure, %stat,\n"
	      "                   %lstat, %fstat, %%stat, %statfs, %fstatfs,\n"
	      "                   %%statfs (as strace defines them), all, none;\n"
	      "                   a leading ! negates\n"
	      "  -e quiet=SET, --quiet=SET  exit drops the +++ exited/killed\n"
	      "                   lines, superseded (thread-execve) the\n"
	      "                   +++ superseded by execve lines, all both;\n"
	      "                   attach, personality, path-resolution:\n"
	      "                   limen prints none\n"
	      "  -e uevent=NAMES  user events to collect (include/limen/uevent.h):\n"
	      "                   names, or all; printed in time order with\n"
	      "                   the calls\n"
	      "  -e status=SET    only calls that ended so: successful, failed,\n"
	      "                   unfinished (unavailable, detached: never in\n"
	      "                   limen); -z (--successful-only), -Z\n"
	      "                   (--failed-only) as strace\n"
	      "  -P PATH, --trace-path=PATH  only calls touching PATH, by name\n"
	      "                   or through the fds opened on it\n"
	      "  -e signal=SET    only these signals shown (names, numbers, !)\n"
	      "  --filter EXPR    only calls EXPR holds for, decided in the\n"
	      "                   traced process (README, Filters): fd == 3,\n"
	      "                   path ~ \"/etc/*\", flags & O_CREAT, ret < 0,\n"
	      "                   &&, ||, !\n"
	      "  -e inject=SET:error=ERRNO|retval=N[:signal=SIG][:delay_enter=D]\n"
	      "                   [:delay_exit=D][:syscall=PURE][:when=F[..L][+[S]]|{EXPR}...]\n"
	      "                   the calls are not made, they return the\n"
	      "                   error (as strace); when={EXPR}: only calls\n"
	      "                   EXPR holds for. -e fault=SET[:error=E][:when=]\n"
	      "                   (ENOSYS by default)\n"
	      "  --stable-inputs, --no-stable-inputs  decide on a private copy of\n"
	      "                   the paths a filter reads and make the call on\n"
	      "                   it (on by default)\n"
	      "  -s N, --string-limit=N  bytes of strings and buffers shown (32)\n"
	      "  -T, --syscall-times[=s|ms|us|ns]  time spent in each call\n"
	      "  -E VAR=VAL, -E VAR  set, remove VAR in the command's environment\n"
	      "  -f, --follow-forks  always on: every thread and process is\n"
	      "                   traced\n"
	      "  -ff, --output-separately  with -o FILE: one file per thread,\n"
	      "                   FILE.TID, without the thread column\n"
	      "  -D, -DD, --daemonize, -I N, --interruptible, --seccomp-bpf,\n"
	      "                   --tips  accepted with a note: limen is not a\n"
	      "                   ptrace tracer, they change nothing\n"
	      "  -b execve, --detach-on=execve  a new image runs without\n"
	      "                   limen: execve(...) <detached ...>, and a note\n"
	      "  --syscall-limit=N  after N calls shown, nothing more is shown\n"
	      "                   or recorded (newer strace's option)\n"
	      "  -i, --instruction-pointer  the call's address before its name\n"
	      "                   (a signal's: where it found the program)\n"
	      "  -k, --stack-trace, --stack-traces  each call's user stack\n"
	      "                   under it, unwound with the executables' CFI\n"
	      "  -X raw|abbrev|verbose, --const-print-style=  named constants\n"
	      "                   as numbers, names (abbrev), or both\n"
	      "  -u USER          run the command as USER (limen as root)\n"
	      "  -p PID           refused: limen traces only what it starts\n"
	      "  -c, -C           (--summary-only, --summary) a table of calls, errors and time per system\n"
	      "                   call at the end: instead of (-c) or after\n"
	      "                   (-C) the trace\n"
	      "  -S BY, --summary-sort-by=BY  the table's order: time,\n"
	      "                   min-time, max-time, avg-time, calls,\n"
	      "                   errors, name, nothing\n"
	      "  -U COLS, --summary-columns=COLS  its columns: time-percent,\n"
	      "                   total-time, min-time, max-time, avg-time,\n"
	      "                   calls, errors, name\n"
	      "  -O T, --summary-syscall-overhead=T  taken off each call's\n"
	      "                   time (s, ms, us: the default, ns)\n"
	      "  -w, --summary-wall-clock  accepted: limen's times are always\n"
	      "                   wall-clock times, from entry to exit\n"
	      "  --latency        after the trace: per system call the p50, p90,\n"
	      "                   p99 and max time and a log2 histogram, the\n"
	      "                   paths touched most, the errors by errno\n"
	      "  --json FILE      also write one JSON object per event to FILE\n"
	      "                   (docs/json-schema.md)\n"
	      "  --perfetto FILE  also write a timeline to FILE (Chrome trace\n"
	      "                   JSON: ui.perfetto.dev opens it; one track\n"
	      "                   per thread, calls as slices)\n"
	      "  -t, -tt, -ttt    time of day, with microseconds, as epoch;\n"
	      "                   --timestamps[=time|unix|none][,s|ms|us|ns]\n"
	      "                   (--absolute-timestamps)\n"
	      "  -a N, --columns=N  the column of a result's \" = \" (40, as\n"
	      "                   strace)\n"
	      "  -x, -xx, --strings-in-hex[=non-ascii-chars|non-ascii|all]\n"
	      "                   strings in \\x hex: the escapes alone,\n"
	      "                   those with a non-printable byte, all\n"
	      "  -n, --syscall-number  [NR] before each call's name\n"
	      "  -r, --relative-timestamps[=s|ms|us|ns]  time since the line\n"
	      "                   before\n"
	      "  -q, -qq, -qqq    as strace: -q drops attach messages (limen\n"
	      "                   has none), -qq the +++ exit lines too,\n"
	      "                   -qqq the +++ superseded lines as well\n"
	      "  -v, --no-abbrev  verbose: every stat field, getdents64's entries,\n"
	      "                   execve's environment, termios, uname, rusage\n"
	      "  -e abbrev=SET, --abbrev=SET  only these calls abbreviated (all)\n"
	      "  -e verbose=SET, --verbose=SET  only these calls show the\n"
	      "                   structures they point to, the others their\n"
	      "                   addresses (all)\n"
	      "  -y, -yy, --decode-fds[=SET]  after each descriptor what it\n"
	      "                   was at the call: -y paths, -yy also sockets'\n"
	      "                   endpoints, devices, pidfds; SET: path,\n"
	      "                   socket, dev, pidfd, all, none\n"
	      "  -e raw=SET, --raw=SET  these calls' arguments and result\n"
	      "                   as numbers (hex), as strace\n"
	      "  -Y, --decode-pids=comm  after each pid the name (comm) of\n"
	      "                   its process at the call: [pid 12<sh>]\n"
	      "  -e read=SET, -e write=SET (--read=, --write=)  hex dumps of\n"
	      "                   all data read from,\n"
	      "                   written to these descriptors (numbers, all)\n"
	      "  --ring-size N    bytes of each thread's ring: a power of two,\n"
	      "                   16K to 256M (4M); K and M suffixes\n"
	      "                   (-k: 256K or more)\n"
	      "  --lossy          a thread whose ring is full loses its events\n"
	      "                   (counted: \"+++ limen: N events lost +++\")\n"
	      "                   instead of waiting for limen to drain it;\n"
	      "                   by default no event is lost (--no-loss)\n"
	      "  --uaccess        uaccess logging: the program may use prctl 63\n"
	      "                   (which fails otherwise, as on a stock\n"
	      "                   kernel), and under each call the ranges of\n"
	      "                   user memory the kernel read (R) and wrote (W)\n"
	      "  --no-rewrite     every call through Syscall User Dispatch: no\n"
	      "                   call site rewritten to the fast path (also\n"
	      "                   LIMEN_NO_REWRITE=1 in the environment)\n"
	      "  --no-lean        a rewritten site's call that nothing selects\n"
	      "                   enters the runtime all the same, as before\n"
	      "                   the lean path (also LIMEN_LEAN=0)\n"
	      "\n"
	      "Report options: -o FILE, -s N, -v, -T, -t/-tt/-ttt, -q as for\n"
	      "trace; -c (--summary-only), -C (--summary), --latency, --json FILE, --perfetto FILE\n"
	      "as for trace, from the recording.\n"
	      "\n"
	      "  -h, --help       this help\n"
	      "  -V, --version    version\n"
	      "\n"
	      "--inject=, --fault=, --signal=, --status=: strace's long forms\n"
	      "of -e NAME=SET; a name may end in @64 (@32, @x32: nothing).\n"
	      "strace's other options (--kvm, --kill-on-exit...) are refused,\n"
	      "saying why; see the README's table.\n",
	      f);
}

static const struct {
	const char *name;
	uint32_t mask;
} classes[] = {
	{ "%file", LIMEN_CLASS_FILE },	   { "file", LIMEN_CLASS_FILE },
	{ "%process", LIMEN_CLASS_PROCESS }, { "process", LIMEN_CLASS_PROCESS },
	{ "%network", LIMEN_CLASS_NETWORK }, { "%net", LIMEN_CLASS_NETWORK },
	{ "network", LIMEN_CLASS_NETWORK },  { "%memory", LIMEN_CLASS_MEMORY },
	{ "memory", LIMEN_CLASS_MEMORY },    { "%signal", LIMEN_CLASS_SIGNAL },
	{ "signal", LIMEN_CLASS_SIGNAL },    { "%desc", LIMEN_CLASS_DESC },
	{ "desc", LIMEN_CLASS_DESC },	   { "%ipc", LIMEN_CLASS_IPC },
	{ "ipc", LIMEN_CLASS_IPC },	   { "%creds", LIMEN_CLASS_CREDS },
	{ "%clock", LIMEN_CLASS_CLOCK },     { "%%stat", LIMEN_CLASS_STAT },
	{ "%pure", LIMEN_CLASS_PURE },
};

/*
 * strace's narrower stat sets (strace(1), -e trace=), as they are on
 * x86_64: %stat is stat alone, %%stat (the class above) every variant.
 */
static const struct {
	const char *name;
	const char *calls;
} named_sets[] = {
	{ "%stat", "stat" },
	{ "%lstat", "lstat" },
	{ "%fstat", "fstat,newfstatat,statx" },
	{ "%statfs", "statfs" },
	{ "%fstatfs", "fstatfs" },
	{ "%%statfs", "statfs,fstatfs,ustat" },
};

static void set_bit(struct limen_opts *o, unsigned nr, int on)
{
	if (nr >= LIMEN_TRACE_BITS)
		return;
	if (on)
		o->trace_mask[nr / 8] |= (uint8_t)(1u << (nr % 8));
	else
		o->trace_mask[nr / 8] &= (uint8_t)~(1u << (nr % 8));
}

/* Set every call named exactly tok; returns how many. */
static int set_name(struct limen_opts *o, const char *tok, int on)
{
	int n = 0;

	for (unsigned nr = 0; nr < LIMEN_NSYSENT; nr++)
		if (limen_sysent[nr].name &&
		    !strcmp(limen_str(limen_sysent[nr].name), tok)) {
			set_bit(o, nr, on);
			n++;
		}
	return n;
}

/* One element of a trace= list: returns 0 if it names nothing. */
static int trace_token(struct limen_opts *o, const char *tok, int on)
{
	int found = 0;

	if (!strcmp(tok, "all")) {
		memset(o->trace_mask, on ? 0xff : 0, sizeof(o->trace_mask));
		return 1;
	}
	if (!strcmp(tok, "none")) {
		memset(o->trace_mask, on ? 0 : 0xff, sizeof(o->trace_mask));
		return 1;
	}
	if (tok[0] == '/') {
		/* strace: an extended regular expression on the names */
		regex_t re;
		int rc = regcomp(&re, tok + 1, REG_EXTENDED | REG_NOSUB);

		if (rc) {
			char msg[128];

			regerror(rc, &re, msg, sizeof(msg));
			limen_die(1, "invalid -e trace regular expression '%s': %s",
			    tok + 1, msg);
		}
		for (unsigned nr = 0; nr < LIMEN_NSYSENT; nr++)
			if (limen_sysent[nr].name &&
			    !regexec(&re, limen_str(limen_sysent[nr].name), 0,
				     NULL, 0)) {
				set_bit(o, nr, on);
				found = 1;
			}
		regfree(&re);
		/* strace accepts a regex that matches nothing */
		return 1;
	}
	for (size_t i = 0; i < sizeof(named_sets) / sizeof(named_sets[0]);
	     i++) {
		char *copy, *c, *save;

		if (strcmp(tok, named_sets[i].name))
			continue;
		copy = strdup(named_sets[i].calls);
		for (c = strtok_r(copy, ",", &save); c;
		     c = strtok_r(NULL, ",", &save))
			set_name(o, c, on);
		free(copy);
		return 1;
	}
	for (size_t i = 0; i < sizeof(classes) / sizeof(classes[0]); i++) {
		if (strcmp(tok, classes[i].name))
			continue;
		for (unsigned nr = 0; nr < LIMEN_NSYSENT; nr++)
			if (limen_sysent[nr].name &&
			    limen_sysent[nr].classes & classes[i].mask)
				set_bit(o, nr, on);
		found = 1;
	}
	return found || set_name(o, tok, on);
}

/*
 * strace's personality suffix on a name, class or regex of a set: @64 is
 * the table limen selects from (cut off here); @32 (i386) and @x32 name
 * calls of other tables, which limen does not select by (a 64-bit
 * program's int $0x80 calls are recorded only when every call is: README):
 * 0, and a note, once.
 */
static int personality_64(char *tok)
{
	static int noted;
	size_t n = strlen(tok);

	if (n > 3 && !strcmp(tok + n - 3, "@64")) {
		tok[n - 3] = 0;
		return 1;
	}
	if ((n > 3 && !strcmp(tok + n - 3, "@32")) ||
	    (n > 4 && !strcmp(tok + n - 4, "@x32"))) {
		if (!noted++)
			limen_note("%s: limen selects from the x86_64 table "
				   "alone (i386 calls are shown when every "
				   "call is traced); it selects nothing", tok);
		return 0;
	}
	return 1;
}

static void parse_trace_set(struct limen_opts *o, const char *spec)
{
	int neg = 0;
	char *copy, *tok, *save;

	if (*spec == '!') {
		neg = 1;
		spec++;
	}
	memset(o->trace_mask, neg ? 0xff : 0, sizeof(o->trace_mask));
	o->trace_all = 0;
	copy = strdup(spec);
	for (tok = strtok_r(copy, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		/* ?name: no error if this kernel (or limen) lacks it */
		int optional = tok[0] == '?';

		if (optional)
			tok++;
		if (!personality_64(tok))
			continue;
		if (!trace_token(o, tok, !neg) && !optional)
			limen_die(1, "invalid system call '%s'", tok);
	}
	free(copy);
}

/* -e quiet=SET, --quiet=SET: limen prints no attach, personality or
   path-resolution messages; "exit" drops the +++ exited and killed
   lines, "superseded" (strace's other name: "thread-execve") the line of
   a leader another thread's execve replaced; "all" both. */
static void parse_quiet(struct limen_opts *o, const char *spec)
{
	char *copy = strdup(spec), *tok, *save;
	int neg = *copy == '!';

	for (tok = strtok_r(copy + neg, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		if (!strcmp(tok, "exit") || !strcmp(tok, "exits")) {
			o->quiet = !neg;
		} else if (!strcmp(tok, "thread-execve") ||
			   !strcmp(tok, "superseded")) {
			o->quiet_superseded = !neg;
		} else if (!strcmp(tok, "all")) {
			o->quiet = !neg;
			o->quiet_superseded = !neg;
		} else if (!strcmp(tok, "none")) {
			o->quiet = neg;
			o->quiet_superseded = neg;
		} else if (strcmp(tok, "attach") &&
			   strcmp(tok, "personality") &&
			   strcmp(tok, "path-resolution")) {
			limen_die(1, "invalid quiet '%s'", tok);
		}
	}
	free(copy);
}

/* -e status=, signal=, inject=, fault= (filter_compile.c): what S
   (status), s (signal), i (inject), f (fault) names */
static void filter_expr(int what, const char *v)
{
	char err[512];
	int r;

	switch (what) {
	case 'S':
		r = limen_filter_status(v, err, sizeof(err));
		break;
	case 's':
		r = limen_filter_signals(v, err, sizeof(err));
		break;
	default:
		r = limen_filter_inject(v, what == 'f', err, sizeof(err));
	}
	if (r < 0)
		limen_die(1, "%s", err);
}

/* A SET of -e inject= as -e trace= reads it (an unknown name: exit) */
static int inject_set(const char *set, uint8_t *mask, char *err, size_t n)
{
	struct limen_opts t;

	memset(&t, 0, sizeof(t));
	parse_trace_set(&t, set);
	memcpy(mask, t.trace_mask, sizeof(t.trace_mask));
	return 0;
}

/* -e raw=SET, --raw=SET: a set as -e trace= reads it */
static void parse_raw(struct limen_opts *o, const char *set)
{
	inject_set(set, o->raw_mask, NULL, 0);
	o->raw_any = 0;
	for (size_t i = 0; i < sizeof(o->raw_mask); i++)
		o->raw_any |= o->raw_mask[i] != 0;
}

/* -e QUALIFIER=SET */
static void parse_expr(struct limen_opts *o, const char *spec)
{
	const char *eq = strchr(spec, '=');
	size_t n = eq ? (size_t)(eq - spec) : 0;

	if (!eq) {
		/* strace: a bare set is trace= */
		parse_trace_set(o, spec);
	} else if ((n == 5 && !strncmp(spec, "trace", n)) ||
		   (n == 1 && spec[0] == 't')) {
		parse_trace_set(o, eq + 1);
	} else if (n == 6 && !strncmp(spec, "uevent", n)) {
		/* user events (include/limen/uevent.h): names, or all */
		o->uevent_all = !strcmp(eq + 1, "all");
		o->uevent_want = eq + 1;
	} else if ((n == 6 && !strncmp(spec, "status", n)) ||
		   (n == 6 && !strncmp(spec, "signal", n)) ||
		   (n == 7 && !strncmp(spec, "signals", n)) ||
		   (n == 1 && spec[0] == 's') ||
		   (n == 6 && !strncmp(spec, "inject", n)) ||
		   (n == 5 && !strncmp(spec, "fault", n))) {
		filter_expr(spec[0] == 's' && n == 6 && spec[1] == 't' ?
				    'S' : spec[0], eq + 1);
	} else if ((n == 5 && !strncmp(spec, "quiet", n)) ||
		   (n == 6 && !strncmp(spec, "silent", n)) ||
		   (n == 7 && !strncmp(spec, "silence", n)) ||
		   (n == 1 && spec[0] == 'q')) {
		parse_quiet(o, eq + 1);
	} else if (limen_opt_fdexpr(o, spec, n, eq + 1)) {
		/* decode-fds=, read=, write=: src/cli/fdopts.c */
	} else if (limen_opt_pidexpr(o, spec, n, eq + 1)) {
		/* decode-pids=: src/cli/pidopts.c */
	} else if ((n == 3 && !strncmp(spec, "raw", n)) ||
		   (n == 1 && spec[0] == 'x')) {
		parse_raw(o, eq + 1);
	} else if ((n == 6 && !strncmp(spec, "abbrev", n)) ||
		   (n == 1 && spec[0] == 'a')) {
		/* the calls abbreviated; -v is abbrev=none */
		inject_set(eq + 1, o->abbrev_mask, NULL, 0);
		o->abbrev_set = 1;
		o->verbose = 0;
	} else if ((n == 7 && !strncmp(spec, "verbose", n)) ||
		   (n == 1 && spec[0] == 'v')) {
		/* the calls whose structures are shown */
		inject_set(eq + 1, o->deref_mask, NULL, 0);
		o->deref_set = 1;
	} else {
		limen_die(1, "-e %.*s= is not supported by limen (trace=, "
			  "abbrev=, verbose=, raw=, signal=, read=, write=, "
			  "quiet=, status=, inject=, fault=, decode-fds=, "
			  "decode-pids= and uevent= are)", (int)n, spec);
	}
}

/* A count that strace would take: a non-negative decimal int. */
static unsigned parse_uint(const char *opt, const char *v, unsigned max)
{
	char *end;
	long n;

	errno = 0;
	n = strtol(v, &end, 10);
	if (!*v || *end || errno || n < 0 || (unsigned long)n > max)
		limen_die(1, "invalid %s '%s'", opt, v);
	return (unsigned)n;
}

static void parse_ring_size(struct limen_opts *o, const char *v)
{
	char *end;
	unsigned long long n = strtoull(v, &end, 10);

	if (*end == 'K' || *end == 'k')
		n <<= 10, end++;
	else if (*end == 'M' || *end == 'm')
		n <<= 20, end++;
	if (!*v || *end || n < (16u << 10) || n > (256u << 20) ||
	    (n & (n - 1)))
		limen_die(1, "invalid --ring-size '%s' (a power of two from 16K to "
		       "256M)", v);
	o->ring_bytes = (uint32_t)n;
}

/* A precision as strace takes it (s, ms, us, ns): digits after the
   second, or -1 */
static int precision_digits(const char *v)
{
	static const char *const names[] = { "s", "ms", "us", "ns" };

	for (int i = 0; i < 4; i++)
		if (!strcmp(v, names[i]))
			return 3 * i;
	return -1;
}

/* -r=, -T=: a precision alone (strace's --relative-timestamps[=P],
   --syscall-times[=P]); us without one */
static int parse_precision(const char *opt, const char *v)
{
	int d = v ? precision_digits(v) : 6;

	if (d < 0)
		limen_die(1, "invalid %s argument: '%s' (s, ms, us or ns)", opt,
			  v);
	return d;
}

/*
 * --timestamps[=[[format:]FORMAT][,[[precision:]PRECISION]]], as strace
 * 6.1: FORMAT none, time (the time of day) or unix (seconds since the
 * epoch), PRECISION s, ms, us or ns, in either order; time,s when a part
 * is not given (so --timestamps=unix is whole seconds, where -ttt is
 * unix,us).
 */
static void parse_timestamps(struct limen_opts *o, const char *v)
{
	int fmt = 1, digits = 0;
	const char *p = v ? v : "";

	while (*p) {
		const char *end = strchr(p, ',');
		size_t n = end ? (size_t)(end - p) : strlen(p);
		char tok[32];
		int d;

		if (n >= sizeof(tok))
			n = sizeof(tok) - 1;
		memcpy(tok, p, n);
		tok[n] = 0;
		p += end ? (size_t)(end - p) + 1 : strlen(p);
		if (!strncmp(tok, "format:", 7) || !strcmp(tok, "none") ||
		    !strcmp(tok, "time") || !strcmp(tok, "unix")) {
			const char *f = tok + (tok[0] == 'f' ? 7 : 0);

			if (!strcmp(f, "none"))
				fmt = 0;
			else if (!strcmp(f, "time"))
				fmt = 1;
			else if (!strcmp(f, "unix"))
				fmt = 2;
			else
				limen_die(1, "invalid --timestamps format '%s' "
					  "(none, time or unix)", f);
			continue;
		}
		d = precision_digits(tok + (strncmp(tok, "precision:", 10) ?
						    0 : 10));
		if (d < 0)
			limen_die(1, "invalid --timestamps argument '%s' "
				  "(format: none, time, unix; precision: s, "
				  "ms, us, ns)", tok);
		digits = d;
	}
	o->timestamps = fmt;
	o->ts_digits = digits;
}

/*
 * strace's options as strace 6.1 parses them (getopt_long: bundles such as
 * -fttT, attached arguments such as -s100, long options), limen's own long
 * options beside them. Every strace option is either honoured, accepted
 * with a note saying why it changes nothing here, or refused saying why.
 */
enum {
	OPT_LATENCY = 0x100, OPT_JSON, OPT_PERFETTO, OPT_UACCESS,
	OPT_NO_LOSS, OPT_LOSSY, OPT_RING_SIZE, OPT_VERSION, OPT_TIMESTAMPS,
	OPT_SYSCALL_TIMES, OPT_QUIET, OPT_TRACE, OPT_SECCOMP, OPT_SEPARATELY,
	OPT_REFUSE, OPT_HEX, OPT_SYSCALL_LIMIT, OPT_TIPS,
	OPT_FLIGHT, OPT_TRIGGER, OPT_FLIGHT_AFTER, OPT_FLIGHT_MAX,
	OPT_FILTER, OPT_STABLE, OPT_NO_STABLE,
	OPT_SUCCESSFUL, OPT_FAILED, OPT_TRACE_PATH,
	/* refusals of long options with no short letter */
	OPT_NO_REWRITE, OPT_NO_LEAN, OPT_DECODE_FDS,
	R_KVM, OPT_DECODE_PIDS, OPT_RAW,
	OPT_EXPR, /* --NAME=SET: -e NAME=SET */
};

static const char strace_short[] = "+a:Ab:cCdDe:E:fFhiI:kno:O:p:P:qrs:S:tTu:U:vVwxX:yYzZ";

static const struct option long_opts[] = {
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, OPT_VERSION },
	{ "output", required_argument, NULL, 'o' },
	{ "output-append-mode", no_argument, NULL, 'A' },
	{ "output-separately", no_argument, NULL, OPT_SEPARATELY },
	{ "trace", required_argument, NULL, OPT_TRACE },
	{ "string-limit", required_argument, NULL, 's' },
	{ "follow-forks", no_argument, NULL, 'f' },
	{ "summary-only", no_argument, NULL, 'c' },
	{ "summary", no_argument, NULL, 'C' },
	{ "timestamps", optional_argument, NULL, OPT_TIMESTAMPS },
	{ "absolute-timestamps", optional_argument, NULL, OPT_TIMESTAMPS },
	{ "syscall-times", optional_argument, NULL, OPT_SYSCALL_TIMES },
	{ "quiet", optional_argument, NULL, OPT_QUIET },
	{ "silent", optional_argument, NULL, OPT_QUIET },
	{ "silence", optional_argument, NULL, OPT_QUIET },
	{ "env", required_argument, NULL, 'E' },
	{ "debug", no_argument, NULL, 'd' },
	{ "seccomp-bpf", no_argument, NULL, OPT_SECCOMP },
	{ "latency", no_argument, NULL, OPT_LATENCY },
	{ "json", required_argument, NULL, OPT_JSON },
	{ "perfetto", required_argument, NULL, OPT_PERFETTO },
	{ "uaccess", no_argument, NULL, OPT_UACCESS },
	{ "no-rewrite", no_argument, NULL, OPT_NO_REWRITE },
	{ "no-lean", no_argument, NULL, OPT_NO_LEAN },
	{ "no-loss", no_argument, NULL, OPT_NO_LOSS },
	{ "lossy", no_argument, NULL, OPT_LOSSY },
	{ "ring-size", required_argument, NULL, OPT_RING_SIZE },
	{ "flight", required_argument, NULL, OPT_FLIGHT },
	{ "trigger", required_argument, NULL, OPT_TRIGGER },
	{ "flight-after", required_argument, NULL, OPT_FLIGHT_AFTER },
	{ "flight-max", required_argument, NULL, OPT_FLIGHT_MAX },
	/* strace's own (those limen cannot honour: refused below, saying why) */
	{ "relative-timestamps", optional_argument, NULL, 'r' },
	{ "instruction-pointer", no_argument, NULL, 'i' },
	{ "stack-trace", no_argument, NULL, 'k' },
	{ "stack-traces", no_argument, NULL, 'k' },
	{ "syscall-number", no_argument, NULL, 'n' },
	{ "decode-fds", optional_argument, NULL, OPT_DECODE_FDS },
	{ "decode-pids", required_argument, NULL, OPT_DECODE_PIDS },
	{ "attach", required_argument, NULL, OPT_REFUSE },
	{ "user", required_argument, NULL, 'u' },
	{ "detach-on", required_argument, NULL, 'b' },
	{ "columns", required_argument, NULL, 'a' },
	{ "const-print-style", required_argument, NULL, 'X' },
	{ "strings-in-hex", optional_argument, NULL, OPT_HEX },
	{ "summary-sort-by", required_argument, NULL, 'S' },
	{ "summary-columns", required_argument, NULL, 'U' },
	{ "summary-wall-clock", no_argument, NULL, 'w' },
	{ "summary-syscall-overhead", required_argument, NULL, 'O' },
	{ "trace-path", required_argument, NULL, OPT_TRACE_PATH },
	{ "successful-only", no_argument, NULL, OPT_SUCCESSFUL },
	{ "failed-only", no_argument, NULL, OPT_FAILED },
	{ "filter", required_argument, NULL, OPT_FILTER },
	{ "stable-inputs", no_argument, NULL, OPT_STABLE },
	{ "no-stable-inputs", no_argument, NULL, OPT_NO_STABLE },
	{ "syscall-limit", required_argument, NULL, OPT_SYSCALL_LIMIT },
	{ "daemonize", optional_argument, NULL, 'D' },
	{ "kill-on-exit", no_argument, NULL, OPT_REFUSE },
	{ "interruptible", required_argument, NULL, 'I' },
	{ "no-abbrev", no_argument, NULL, 'v' },
	{ "tips", optional_argument, NULL, OPT_TIPS },
	{ "kvm", required_argument, NULL, OPT_REFUSE },
	{ "raw", required_argument, NULL, OPT_RAW },
	/* strace's long forms of -e NAME=SET */
	{ "abbrev", required_argument, NULL, OPT_EXPR },
	{ "verbose", required_argument, NULL, OPT_EXPR },
	{ "inject", required_argument, NULL, OPT_EXPR },
	{ "fault", required_argument, NULL, OPT_EXPR },
	{ "read", required_argument, NULL, OPT_EXPR },
	{ "write", required_argument, NULL, OPT_EXPR },
	{ "signal", required_argument, NULL, OPT_EXPR },
	{ "status", required_argument, NULL, OPT_EXPR },
	{ NULL, 0, NULL, 0 },
};

/* Why limen cannot do what a strace option asks (its short letter). */
static const char *refusal(int c)
{
	switch (c) {
	case 'p':
		return "limen cannot attach to a running process: it traces "
		       "from inside the programs it starts";
	case 'K':
		return "limen's collector never kills the program: as strace's "
		       "default, it runs on if limen is killed";
	case R_KVM:
		return "limen does not decode KVM vcpu exits";
	}
	return NULL;
}

/* the short letter a refused long option stands for */
static int long_letter(const char *name)
{
	static const struct {
		const char *name;
		int c;
	} map[] = {
		{ "relative-timestamps", 'r' }, { "instruction-pointer", 'i' },
		{ "stack-trace", 'k' },		{ "stack-traces", 'k' },
		{ "syscall-number", 'n' },
		{ "decode-fds", 'y' },		{ "decode-pids", 'Y' },
		{ "attach", 'p' },		{ "user", 'u' },
		{ "detach-on", 'b' },		{ "columns", 'a' },
		{ "const-print-style", 'X' },   { "strings-in-hex", 'x' },
		{ "summary-sort-by", 'S' },	{ "summary-columns", 'U' },
		{ "summary-wall-clock", 'w' },  { "trace-path", 'P' },
		{ "successful-only", 'z' },	{ "failed-only", 'Z' },
		{ "syscall-limit", 'L' },	{ "daemonize", 'D' },
		{ "kill-on-exit", 'K' },	{ "interruptible", 'I' },
		{ "kvm", R_KVM },
	};

	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (!strcmp(map[i].name, name))
			return map[i].c;
	return 0;
}

static void print_version(void)
{
	printf("limen -- version %s\n", LIMEN_VERSION);
	exit(0);
}

/* The runtime's program for -e status=, -P, --filter, -e inject= */
static void build_filter(struct limen_opts *o)
{
	static struct limen_filter fl;
	char err[512];
	int r = limen_filter_build(&fl, o->trace_mask, o->trace_all, err,
				   sizeof(err));

	if (r < 0)
		limen_die(1, "%s", err);
	if (r > 0)
		o->filter = &fl;
	/* an execve's result is known only in the collector (a successful
	   one returns in a new image): the runtime keeps its entry */
	o->exec_status = limen_filter_status_mask();
}

static void parse_args(struct limen_opts *o, int argc, char **argv)
{
	int c, nf = 0, nt = 0, nq = 0, nd = 0, idx;
	int table_opts = 0; /* -S 1, -U 2, -w 4 */
	const char *cmd;

	o->strsize = 32;
	/* strace's default alignment of " = " */
	o->column = 40;
	o->rel_digits = 6;
	o->dur_digits = 6;
	o->trace_all = 1;
	/* a complete trace unless --lossy: a full ring waits for us */
	o->no_loss = 1;
	limen_filter_set_parser(inject_set);
	/* rewritten call sites (README): off for comparison or as an
	   escape hatch, by option or from the environment */
	o->no_rewrite = getenv("LIMEN_NO_REWRITE") &&
			*getenv("LIMEN_NO_REWRITE") &&
			strcmp(getenv("LIMEN_NO_REWRITE"), "0") != 0;
	o->no_lean = getenv("LIMEN_LEAN") &&
		     strcmp(getenv("LIMEN_LEAN"), "0") == 0;
	if (argc < 2) {
		usage(stderr);
		exit(1);
	}
	cmd = argv[1];
	if (!strcmp(cmd, "-h") || !strcmp(cmd, "--help")) {
		usage(stdout);
		exit(0);
	}
	if (!strcmp(cmd, "--version") || !strcmp(cmd, "-V"))
		print_version();
	if (!strcmp(cmd, "run")) {
		/* the runtime, no trace: nothing selected, nothing printed */
		o->run = 1;
		o->trace_all = 0;
		o->quiet = 1;
	} else if (!strcmp(cmd, "record")) {
		o->record = 1;
	} else if (!strcmp(cmd, "report")) {
		o->report = 1;
	} else if (!strcmp(cmd, "bt")) {
		/* its own arguments: a program, -o, the command */
		limen_bt_args(o, argc - 1, argv + 1);
		return;
	} else if (strcmp(cmd, "trace")) {
		limen_die(1, "unknown command '%s' (try 'limen -h')", cmd);
	}
	/* getopt sees the subcommand as argv[0] */
	argc--;
	argv++;
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, strace_short, long_opts,
				&idx)) != -1) {
		const char *opt = argv[optind - 1];

		if (o->run && c != 'h')
			limen_die(1, "unknown option '%s' for run (try 'limen -h')",
			    opt);
		switch (c) {
		case 'h':
			usage(stdout);
			exit(0);
		case 'V':
		case OPT_VERSION:
			print_version();
			break;
		case 'o':
			o->outfile = optarg;
			break;
		case 'A':
			o->append = 1;
			break;
		case 'e':
			parse_expr(o, optarg);
			break;
		case OPT_TRACE:
			parse_trace_set(o, optarg);
			break;
		case OPT_FLIGHT:
			o->flight_bytes = limen_flight_parse_size(optarg);
			if (o->flight_bytes < (64u << 10))
				limen_die(1, "invalid --flight '%s' (a size of at "
				       "least 64K; K, M and G suffixes)",
				    optarg);
			break;
		case OPT_TRIGGER:
			o->triggers = realloc(o->triggers,
					      (o->ntriggers + 1) *
					      sizeof(*o->triggers));
			o->triggers[o->ntriggers++] = optarg;
			break;
		case OPT_FLIGHT_AFTER:
			o->flight_after_ns = limen_flight_parse_duration(optarg);
			if (o->flight_after_ns < 0)
				limen_die(1, "invalid --flight-after '%s' (a number "
				       "with ns, us, ms or s)", optarg);
			break;
		case OPT_FLIGHT_MAX:
			o->flight_max = parse_uint("--flight-max", optarg,
						   1000000);
			break;
		case 's':
			o->strsize = parse_uint("-s", optarg, 1u << 20);
			break;
		case 'T':
			o->show_time = 1;
			break;
		case 'n':
			o->syscall_numbers = 1;
			break;
		case 'u': {
			struct passwd *pw = getpwnam(optarg);

			if (!pw)
				limen_die(1, "Cannot find user '%s'", optarg);
			if (geteuid() != 0)
				limen_die(1, "-u %s: limen must run as root to run the "
				       "command as another user", optarg);
			limen_spawn_as(optarg, pw->pw_uid, pw->pw_gid);
			break;
		}
		case 'y':
			limen_opt_y(o);
			break;
		case OPT_DECODE_FDS:
			limen_opt_decode_fds(o, optarg);
			break;
		case 'Y':
			o->decode_pids = 1;
			break;
		case OPT_DECODE_PIDS:
			limen_opt_decode_pids(o, optarg);
			break;
		case OPT_RAW:
			parse_raw(o, optarg);
			break;
		case 'x':
			if (o->hex < 2)
				o->hex++;
			break;
		case OPT_HEX:
			/* strace: --strings-in-hex[=non-ascii-chars|
			   non-ascii|all] */
			if (!optarg || !strcmp(optarg, "all"))
				o->hex = 2;
			else if (!strcmp(optarg, "non-ascii"))
				o->hex = 1;
			else if (!strcmp(optarg, "non-ascii-chars"))
				o->hex = 3;
			else if (!strcmp(optarg, "none"))
				o->hex = 0;
			else
				limen_die(1, "invalid --strings-in-hex '%s'", optarg);
			break;
		case 'a':
			o->column = parse_uint("-a", optarg, 4096);
			break;
		case OPT_SYSCALL_TIMES:
			o->dur_digits = parse_precision("--syscall-times",
							optarg);
			o->show_time = 1;
			break;
		case 't':
			/* -t time,s; -tt time,us; -ttt unix,us */
			nt++;
			o->timestamps = nt >= 3 ? 2 : 1;
			o->ts_digits = nt >= 2 ? 6 : 0;
			break;
		case OPT_TIMESTAMPS:
			parse_timestamps(o, optarg);
			break;
		case 'r':
			o->rel_digits = parse_precision("--relative-timestamps",
							optarg);
			o->relative = 1;
			break;
		case 'c':
			o->summary = 1;
			break;
		case 'C':
			o->summary = 2;
			break;
		case 'f':
			nf++;
			break;
		case 'F':
			/* strace: a deprecated -f */
			break;
		case OPT_SEPARATELY:
			nf = 2;
			break;
		case 'q':
			/* -q: no attach messages (limen prints none); -qq:
			   no exit messages either; -qqq: nor superseded */
			if (++nq >= 2)
				o->quiet = 1;
			if (nq >= 3)
				o->quiet_superseded = 1;
			break;
		case OPT_QUIET:
			parse_quiet(o, optarg ? optarg : "attach,personality");
			break;
		case 'v':
			/* strace: abbrev=none */
			o->verbose = 1;
			o->abbrev_set = 0;
			break;
		case 'E':
			if (strchr(optarg, '=')) {
				if (putenv(optarg) != 0)
					limen_die(1, "-E %s: %s", optarg,
					    strerror(errno));
			} else if (!*optarg || unsetenv(optarg) != 0) {
				limen_die(1, "invalid -E '%s'", optarg);
			}
			break;
		case 'd':
			limen_note("-d: limen has no debug output; ignored");
			break;
		case 'D':
			/* -D, -DD, -DDD: one note */
			if (!nd++)
				limen_note("-D: limen is not a ptrace tracer: the "
				     "command is already limen's child and "
				     "nothing stops it");
			break;
		case OPT_TIPS:
			limen_note("--tips: limen has no tips to show; ignored");
			break;
		case 'I':
			limen_note("-I: limen is not a ptrace tracer: a signal never "
			     "leaves the command stopped; ignored");
			break;
		case OPT_SECCOMP:
			limen_note("--seccomp-bpf: limen stops no process on system "
			     "calls, so there is nothing to filter; ignored");
			break;
		case 'i':
			o->show_ip = 1;
			break;
		case 'k':
			if (!limen_unwind_available())
				limen_die(1, "-k: this limen was built without "
				       "elfutils' libdw (Debian: libdw-dev, "
				       "libelf-dev), which unwinds the stacks");
			o->stack = 1;
			break;
		case 'b':
			/* strace: only execve can be detached on */
			if (strcmp(optarg, "execve"))
				limen_die(1, "Syscall '%s' for -b isn't supported",
				    optarg);
			o->detach_exec = 1;
			break;
		case 'S':
			limen_parse_sort_by(o, optarg);
			table_opts |= 1;
			break;
		case 'U':
			limen_parse_columns(o, optarg);
			table_opts |= 2;
			break;
		case 'O':
			limen_parse_overhead(o, optarg);
			break;
		case 'w':
			/* limen's times are wall-clock times anyway */
			table_opts |= 4;
			break;
		case 'X':
			limen_parse_xstyle(o, optarg);
			break;
		case OPT_SYSCALL_LIMIT:
			limen_parse_syscall_limit(o, optarg);
			break;
		case OPT_LATENCY:
			o->latency = 1;
			break;
		case OPT_JSON:
			o->json = optarg;
			break;
		case OPT_PERFETTO:
			o->perfetto = optarg;
			break;
		case OPT_UACCESS:
			o->uaccess = 1;
			break;
		case OPT_NO_REWRITE:
			o->no_rewrite = 1;
			break;
		case OPT_NO_LEAN:
			o->no_lean = 1;
			break;
		case OPT_NO_LOSS:
			o->no_loss = 1;
			break;
		case OPT_LOSSY:
			o->no_loss = 0;
			break;
		case OPT_RING_SIZE:
			parse_ring_size(o, optarg);
			break;
		/* filters and injection (filter_compile.c) */
		case 'z':
		case OPT_SUCCESSFUL:
			filter_expr('S', "successful");
			break;
		case 'Z':
		case OPT_FAILED:
			filter_expr('S', "failed");
			break;
		case 'P':
		case OPT_TRACE_PATH: {
			char err[256];

			if (limen_filter_path(optarg, err, sizeof(err)) < 0)
				limen_die(1, "%s", err);
			break;
		}
		case OPT_FILTER: {
			char err[512];

			if (limen_filter_expr(optarg, err, sizeof(err)) < 0)
				limen_die(1, "%s", err);
			break;
		}
		case OPT_STABLE:
		case OPT_NO_STABLE:
			limen_filter_stable(c == OPT_STABLE);
			break;
		case OPT_EXPR: {
			char *e;

			if (asprintf(&e, "%s=%s", long_opts[idx].name, optarg) < 0)
				limen_die(1, "out of memory");
			parse_expr(o, e);
			free(e);
			break;
		}
		case OPT_REFUSE: {
			int l = long_letter(long_opts[idx].name);

			limen_die(1, "--%s: %s", long_opts[idx].name,
			    refusal(l) ? refusal(l) :
			    "not implemented in limen yet (see the README's "
			    "table of strace options)");
			break;
		}
		case ':':
			limen_die(1, "option %s needs an argument (try 'limen -h')",
			    opt);
			break;
		case '?':
			if (optopt && optopt < 0x100 &&
			    strchr(strace_short + 1, optopt))
				limen_die(1, "option -%c needs an argument (try "
				       "'limen -h')", optopt);
			if (optopt)
				limen_die(1, "unknown option -%c (try 'limen -h')",
				    optopt);
			limen_die(1, "unknown option '%s' (try 'limen -h')", opt);
			break;
		default:
			if (refusal(c))
				limen_die(1, "-%c: %s", c, refusal(c));
			limen_die(1, "unknown option -%c (try 'limen -h')", c);
		}
	}
	/* the summary table's options without the table: as strace 6.1,
	   -U and -w are errors, -S a warning */
	if (!o->summary && (table_opts & 6))
		limen_die(1, "%s must be given with -c (--summary-only) or -C "
			  "(--summary)", table_opts & 2 ? "-U/--summary-columns"
						  : "-w/--summary-wall-clock");
	if (!o->summary && (table_opts & 1))
		limen_note("-S/--summary-sort-by has no effect without -c "
			   "(--summary-only) or -C (--summary)");
	if (nf >= 2)
		limen_output_separately(o);
	if (o->append && !o->outfile)
		limen_die(1, "-A: it appends to the file -o names");
	if (optind >= argc && o->report)
		limen_die(1, "report: which recording? (limen report DIR)");
	if (optind >= argc)
		limen_die(1, "no command to %s (try 'limen -h')",
		    o->run ? "run" : "trace");
	o->cmd = argv + optind;
	limen_pids_select(o);
	build_filter(o);
}

/*
 * The runtime: $LIMEN_RUNTIME if set, else liblimen.so next to the limen
 * binary (the build tree), else the installed one (make install's
 * $(LIBDIR)/limen, compiled in).
 */
static void find_runtime(char *out, size_t n)
{
	const char *env = getenv("LIMEN_RUNTIME");
	char exe[PATH_MAX - 16];
	ssize_t len;
	char *slash;

	if (env && *env) {
		snprintf(out, n, "%s", env);
		if (access(out, R_OK) < 0)
			limen_die(1, "LIMEN_RUNTIME=%s: %s", out, strerror(errno));
		return;
	}
	len = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (len < 0)
		limen_die(1, "cannot find myself: %s", strerror(errno));
	exe[len] = 0;
	slash = strrchr(exe, '/');
	*slash = 0;
	snprintf(out, n, "%s/liblimen.so", exe);
	if (access(out, R_OK) == 0)
		return;
	snprintf(out, n, "%s/liblimen.so", LIMEN_RTDIR);
	if (access(out, R_OK) < 0)
		limen_die(1, "%s: %s (LIMEN_RUNTIME says where it is)", out,
		    strerror(errno));
}

/*
 * LD_PRELOAD splits its list on spaces and colons, with no quoting: a
 * runtime whose path has one is preloaded through a symlink in a private
 * directory of ours (removed when limen exits).
 */
static char link_dir[32], link_path[64];

static void drop_link(void)
{
	limen_loader_unlink(link_dir);
	unlink(link_path);
	rmdir(link_dir);
}

static void preloadable(char *rt, size_t n)
{
	if (!strpbrk(rt, " \t\n:"))
		return;
	snprintf(link_dir, sizeof(link_dir), "/tmp/limen-XXXXXX");
	if (!mkdtemp(link_dir))
		limen_die(1, "%s: a directory for a link to the runtime: %s",
		    link_dir, strerror(errno));
	snprintf(link_path, sizeof(link_path), "%s/liblimen.so", link_dir);
	if (symlink(rt, link_path) < 0) {
		int e = errno;

		rmdir(link_dir);
		limen_die(1, "%s: %s", link_path, strerror(e));
	}
	atexit(drop_link);
	limen_loader_link(rt, link_dir);
	snprintf(rt, n, "%s", link_path);
}

static volatile sig_atomic_t got_sigchld = 1;

static void on_sigchld(int sig)
{
	(void)sig;
	got_sigchld = 1;
	limen_wake_poke();
}

/*
 * The command was killed by sig: end the same way, as strace does, so that a
 * shell prints "Segmentation fault", a Python caller gets -sig and a
 * script's ^C handling sees SIGINT. limen dumps no core of its own. A signal
 * whose default action does not kill (it cannot have killed the command,
 * but be safe) falls back to the shell's convention, 128 + sig.
 */
static int die_like(int sig)
{
	struct rlimit no_core = { 0, 0 };
	struct sigaction sa = { .sa_handler = SIG_DFL };
	sigset_t set;

	fflush(NULL);
	/* atexit's handlers do not run: we die of sig */
	limen_rendezvous_remove();
	setrlimit(RLIMIT_CORE, &no_core);
	sigemptyset(&sa.sa_mask);
	sigaction(sig, &sa, NULL);
	sigemptyset(&set);
	sigaddset(&set, sig);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	kill(getpid(), sig);
	return 128 + sig;
}

/* SIGTERM, SIGHUP: finish the trace, pass the signal on, die of it; but
   not one the traced tree sent (its kill(0) of the group we share, or of
   its parent, which we are): tree_signals.c */
static volatile sig_atomic_t stop_sig;
/* one whose sender was gone: the drain loop asks whether the runtime
   ran in it (limen_collector_seen) before it stops */
static volatile sig_atomic_t stop_unsure_sig;
static volatile pid_t stop_unsure_pid;

static void on_stop(int sig, siginfo_t *si, void *uc)
{
	int tree = limen_from_the_tree(si);

	(void)uc;
	if (tree > 0)
		return;
	if (tree < 0) {
		stop_unsure_pid = si->si_pid;
		stop_unsure_sig = sig;
	} else {
		stop_sig = sig;
	}
	limen_wake_poke();
}

/* Catch SIGTERM and SIGHUP (on_stop) unless the caller left them
   ignored. At their default they are caught before the command
   starts: one sent once it runs (by a script that saw its first output,
   by timeout) must find the handler, not kill us with the trace
   unwritten and the command left running; the command gets the default
   back (spawn.c). One the caller ignores (nohup) stays ignored, by the
   command as bare and by us: caught, it stopped limen and left the
   command, which ignores it, running untraced (a torture run). */
static void catch_stops(void)
{
	static const int sigs[] = { SIGTERM, SIGHUP };
	struct sigaction sa = { .sa_sigaction = on_stop,
				.sa_flags = SA_SIGINFO }, cur;

	sigemptyset(&sa.sa_mask);
	for (size_t k = 0; k < sizeof(sigs) / sizeof(sigs[0]); k++)
		if (sigaction(sigs[k], NULL, &cur) == 0 &&
		    cur.sa_handler != SIG_IGN) {
			limen_spawn_caught(sigs[k]);
			sigaction(sigs[k], &sa, NULL);
		}
}

/* SIGINT and SIGQUIT, at their default, end us as SIGTERM does (on_stop)
   until the command starts: after, they are ignored (the terminal's keys
   are for the program). The command gets the default back (spawn.c). */
static void catch_keys(void)
{
	static const int sigs[] = { SIGINT, SIGQUIT };
	struct sigaction sa = { .sa_sigaction = on_stop,
				.sa_flags = SA_SIGINFO }, cur;

	sigemptyset(&sa.sa_mask);
	for (size_t k = 0; k < sizeof(sigs) / sizeof(sigs[0]); k++)
		if (sigaction(sigs[k], NULL, &cur) == 0 &&
		    cur.sa_handler == SIG_DFL &&
		    sigaction(sigs[k], &sa, NULL) == 0)
			/* the command's child resets it before its exec */
			limen_spawn_caught(sigs[k]);
}

/*
 * Threads formatting the text trace. By default none: the collector's
 * thread formats inline, which on this project's 2-core VM beat one decode
 * thread in wall time and in CPU on every workload measured (README,
 * "make bench"): a worker formats what the collector's thread copied for
 * it, and that copy costs about what it saves. With 3 cores or more, one
 * fewer than the cores we may run on (at most 3) start once formatting
 * inline falls behind (the text sink watches). LIMEN_DECODE_THREADS=N: N
 * threads from the start (0: inline throughout); =+N: N once behind.
 */
static int decode_threads(int *when_behind)
{
	const char *v = getenv("LIMEN_DECODE_THREADS");
	cpu_set_t set;
	int n;

	*when_behind = 0;
	if (v && *v == '+') {
		n = atoi(v + 1);
		*when_behind = n < 0 ? 0 : n > 16 ? 16 : n;
		return 0;
	}
	if (v && *v)
		return atoi(v) < 0 ? 0 : atoi(v) > 16 ? 16 : atoi(v);
	if (sched_getaffinity(0, sizeof(set), &set) != 0)
		return 0;
	n = CPU_COUNT(&set) - 1;
	*when_behind = n < 2 ? 0 : n > 3 ? 3 : n;
	return 0;
}

/*
 * The trace's file (-o): as strace, "|CMD" or "!CMD" pipes it to a shell
 * command, -A appends. The command is our grandchild, not our child: the
 * drain loop runs until no child of ours is left, and reaps them all. A
 * pidfd lets us wait for it at the end all the same, so that its output
 * is out before limen exits.
 */
static int out_pidfd = -1;

static FILE *open_pipe(const char *cmd)
{
	int fds[2], pp[2];
	pid_t pid, gc = -1;
	FILE *f;

	fflush(NULL);
	if (pipe2(fds, O_CLOEXEC) < 0 || pipe2(pp, O_CLOEXEC) < 0)
		return NULL;
	pid = fork();
	if (pid < 0)
		return NULL;
	if (pid == 0) {
		pid_t g = fork();

		if (g == 0) {
			dup2(fds[0], 0);
			execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
			_exit(127);
		}
		if (write(pp[1], &g, sizeof(g)) != (ssize_t)sizeof(g))
			_exit(1);
		_exit(0);
	}
	close(pp[1]);
	close(fds[0]);
	if (read(pp[0], &gc, sizeof(gc)) != (ssize_t)sizeof(gc))
		gc = -1;
	close(pp[0]);
	waitpid(pid, NULL, 0);
	if (gc > 0)
		out_pidfd = (int)syscall(SYS_pidfd_open, gc, 0);
	f = fdopen(fds[1], "w");
	if (!f)
		close(fds[1]);
	return f;
}

static FILE *open_trace(const struct limen_opts *o)
{
	const char *p = o->outfile;
	FILE *f;

	if (p[0] == '|' || p[0] == '!')
		f = open_pipe(p + 1);
	else
		f = fopen(p, o->append ? "ae" : "we");
	if (!f)
		limen_die(1, "%s: %s", p, strerror(errno));
	return f;
}

/*
 * The trace's reader went away (a pipe's: -o '|CMD', or standard error
 * into `| head`): the trace ends there, never the program nor limen's
 * exit status, as under strace (which says so at every write: limen
 * once, at the end). Once seen, a later failure of the same stream is
 * that too: stdio keeps its error flag, and a flush or close after it
 * fails with whatever errno held.
 */
static int reader_gone;

/* The write error r (a flush's, a close's: nonzero, errno set) leaves
   for the end, 0 for none or for a reader that went away. fd: the
   stream's descriptor, -1 if closed */
static int write_error(int r, int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLOUT };

	if (r == 0)
		return 0;
	/* a pipe whose reader is gone polls POLLERR */
	if (errno == EPIPE || reader_gone ||
	    (fd >= 0 && poll(&p, 1, 0) == 1 && (p.revents & POLLERR))) {
		reader_gone = 1;
		return 0;
	}
	return errno ? errno : EIO;
}

static void note_reader_gone(const char *what)
{
	if (reader_gone)
		fprintf(stderr, "limen: %s: the reader went away (%s): the "
			"trace ends there\n", what, strerror(EPIPE));
}

/* 0, or -1 with errno */
static int close_trace(FILE *f)
{
	int r = fclose(f);

	if (out_pidfd >= 0) {
		/* the command's own exit status is not the trace's
		   concern: only that it is done */
		struct pollfd pfd = { .fd = out_pidfd, .events = POLLIN };
		int e = errno;

		while (poll(&pfd, 1, -1) < 0 && errno == EINTR)
			;
		close(out_pidfd);
		errno = e;
	}
	return r;
}

/* A sink's own file (--json, --perfetto): closed when the process ends,
   after its sink flushed it. */
static FILE *open_out(const char *path)
{
	FILE *f = fopen(path, "we");

	if (!f)
		limen_die(1, "%s: %s", path, strerror(errno));
	setvbuf(f, NULL, _IOFBF, 1 << 16);
	return f;
}

static int has_sud(void)
{
	/* turning it off is a no-op that only kernels with SUD accept */
	return prctl(59, 0, 0, 0, 0) == 0;
}

/* LIMEN_STATS: the records drained and the collector's own CPU time
   (make bench: its events per second) */
static unsigned long long drained;

static size_t stat_drain(struct limen_session *s, uint64_t upto,
			 limen_emit_fn emit, void *ctx)
{
	size_t n = limen_session_drain(s, upto, emit, ctx);

	drained += n;
	return n;
}

static void print_stats(void)
{
	struct rusage ru;
	double cpu;

	getrusage(RUSAGE_SELF, &ru);
	cpu = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
	      (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
	fprintf(stderr, "limen: stats: %llu records, %.3f s collector CPU, "
			"%.0f records/s\n", drained, cpu,
		cpu > 0 ? (double)drained / cpu : 0.0);
}

/*
 * limen record: every event the drain emits goes to the CTF writer, then
 * to the collector (which keeps its tables for the session: which slots
 * to retire; it has no sink). What the collector learns outside the rings
 * (the command's pid, the drains' clock, how processes were reaped) is
 * recorded too, so that a report replays exactly what trace was told.
 */
static struct limen_ctf *rec_w;
static int rec_err;

static void rec_write(const struct limen_event *e)
{
	int r = limen_ctf_write(rec_w, e);

	if (r < 0 && !rec_err)
		rec_err = -r;
}

static void record_emit(void *t, struct limen_event *e)
{
	rec_write(e);
	limen_collector_event(t, e);
}

/* limen record --flight: the events go to the window, the collector
   pairs them for the triggers (flight.c) */
static struct limen_flight *flight;
static volatile sig_atomic_t snap_req;

static void flight_emit(void *t, struct limen_event *e)
{
	limen_flight_store(flight, e);
	limen_collector_event(t, e);
}

static void on_sigusr1(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	if (limen_from_the_tree(si) <= 0)
		snap_req = 1;
}

static void rec_outside(uint16_t type, uint64_t tsc, const void *rec,
			uint32_t size)
{
	struct limen_event e = { .type = type, .tsc = tsc,
				 .rec = (uint8_t *)rec, .size = size };

	if (rec_w)
		rec_write(&e);
	else if (flight)
		limen_flight_store(flight, &e);
}

/*
 * The thread is running or waiting for a CPU, not blocked: its call has
 * not been told as suspended for 200 ms only because the machine is busy
 * (a preempted thread would otherwise split its line in two). What
 * cannot be read (another pid namespace, a thread gone) counts as
 * blocked.
 */
static int thread_runs(int32_t tid)
{
	return limen_task_state(0, tid) == 'R';
}

static void rec_reaped(pid_t pid, int status, int child, uint64_t tsc)
{
	struct limen_ctf_reaped rp = { .pid = pid, .status = status,
				       .child = (uint32_t)child };

	rec_outside(LIMEN_EV_REAPED, tsc, &rp, sizeof(rp));
}

/* A note about the whole trace; a recording keeps it (and, having no text,
   says it on stderr too) */
static void tool_note(struct limen_collector *t, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void tool_note(struct limen_collector *t, const char *fmt, ...)
{
	va_list ap;
	char buf[512];

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	limen_collector_note(t, "%s", buf);
	if (rec_w || flight) {
		rec_outside(LIMEN_EV_LINE, limen_rdtsc(), buf,
			    (uint32_t)strlen(buf) + 1);
		fprintf(stderr, "%s\n", buf);
	}
}

/* --syscall-limit: every sink behind the limiter (sinks/limit.c), which
   stops the runtime's recording through the control page */
static struct limen_ctl *limit_ctl;

static void add_sink(struct limen_collector *t, const struct limen_opts *o,
		     struct limen_sink *k)
{
	static struct limen_sink *first;

	if (o->syscall_limit) {
		k = limen_limit_sink(k, first, o->syscall_limit, limit_ctl);
		first = first ? first : k;
	}
	if (o->decode_pids)	/* -Y: sinks/pidcomm.c */
		k = limen_pids_sink(k, o);
	limen_collector_add(t, k);
}

/* The sinks the options ask for, text first (the summary, the latency
   report follow it in the same output). */
static void add_sinks(struct limen_collector *t, FILE *out,
		      const struct limen_opts *o)
{
	if (o->summary != 1)
		add_sink(t, o, limen_text_sink(out, o));
	if (o->summary)
		add_sink(t, o, limen_summary_sink(out, o,
							  o->summary == 1));
	if (o->latency)
		add_sink(t, o, limen_latency_sink(out, o));
	if (o->json)
		add_sink(t, o, limen_json_sink(open_out(o->json), o));
	if (o->perfetto)
		add_sink(t, o, limen_perfetto_sink(open_out(o->perfetto),
							   o));
}

/*
 * limen report DIR: the recording's events through the same collector and
 * sinks as limen trace, with the recording's clock.
 */
static int report(struct limen_opts *o)
{
	const char *dir = o->cmd[0];
	struct limen_ctf_reader *r;
	struct limen_ctf_clock ck;
	struct limen_collector *t;
	struct limen_event e;
	FILE *out = stdout;
	char why[256];
	int k, err = 0;

	r = limen_ctf_reader_open(dir, why, sizeof(why));
	if (!r)
		limen_die(1, "%s", why);
	limen_ctf_reader_clock(r, &ck);
	limen_clock_set(ck.tsc0, ck.ns0, ck.tsc1, ck.ns1);
	if (o->outfile)
		out = open_trace(o);
	setvbuf(out, NULL, _IOFBF, 1 << 16);
	signal(SIGPIPE, SIG_IGN);
	o->decode_threads = decode_threads(&o->decode_when_behind);
	t = limen_collector_new(o);
	add_sinks(t, out, o);
	while ((k = limen_ctf_read(r, &e, why, sizeof(why))) == 1) {
		const struct limen_ctf_reaped *rp = (const void *)e.rec;
		int32_t pid;

		if (e.tsc)
			limen_collector_replay_at(t, e.tsc);
		switch (e.type) {
		case LIMEN_EV_COMMAND:
			if (e.size >= 4) {
				memcpy(&pid, e.rec, 4);
				limen_collector_set_child(t, pid);
			}
			break;
		case LIMEN_EV_TICK:
			limen_collector_tick(t, e.tsc);
			break;
		case LIMEN_EV_LINE:
			/* the reader gives it NUL-terminated */
			if (e.size)
				limen_collector_note(t, "%.*s", (int)e.size,
						     (const char *)e.rec);
			break;
		case LIMEN_EV_REAPED:
			if (e.size < sizeof(*rp))
				break;
			if (rp->child == 2)
				limen_collector_gone(t, rp->pid);
			else if (rp->child == 3)
				limen_collector_zap(t, rp->status, rp->pid);
			else if (rp->child == 4)
				limen_collector_zapped(t);
			else if (rp->child)
				limen_collector_child_status(t, rp->pid,
							     rp->status);
			else
				limen_collector_reaped(t, rp->pid, rp->status);
			break;
		default:
			limen_collector_event(t, &e);
		}
		free(e.rec);
		while (limen_collector_take_ended(t, &pid))
			;
	}
	if (k < 0)
		tool_note(t, "+++ limen: %s: %s: the report ends there +++",
			  dir, why);
	limen_ctf_reader_close(r);
	err = write_error(limen_collector_finish(t), fileno(out));
	if (o->outfile) {
		int fd = fileno(out), ce = write_error(close_trace(out), fd);

		if (!err)
			err = ce;
	}
	note_reader_gone(o->outfile ? o->outfile : "standard output");
	if (err) {
		fprintf(stderr, "limen: %s: %s\n",
			o->outfile ? o->outfile : "standard output",
			strerror(err));
		return 1;
	}
	return k < 0 ? 1 : 0;
}

int main(int argc, char **argv)
{
	struct limen_opts o;
	struct limen_session s;
	struct limen_collector *t;
	char path[PATH_MAX], rt[PATH_MAX], asan[64];
	FILE *out = stderr;
	pid_t child;
	uint64_t started;
	int status = 0, child_done = 0, r, idle = 0, no_children = 0;
	int rdv[2];            /* the abstract socket, the pathname one */
	int write_err = 0;
	int bt_done = 0;        /* limen bt's program called exit() */
	uint64_t untraced;      /* the session's count of threads untraced */
	struct timespec nap = { 0, 1000000 };
	struct timespec last_reap;
	enum { MAX_ORPHANS = 64 };
	struct {
		pid_t pid;
		int status;
	} orphans[MAX_ORPHANS];
	int32_t gone[MAX_ORPHANS];
	size_t ngone, nzap;
	int32_t zap_init[MAX_ORPHANS], zap_pid[MAX_ORPHANS];
	int norphans;
	limen_emit_fn emit = limen_collector_event;

	memset(&o, 0, sizeof(o));
	parse_args(&o, argc, argv);
	if (o.report)
		return report(&o);
	if (!o.record && !o.bt && (o.flight_bytes || o.ntriggers ||
				   o.flight_max || o.flight_after_ns))
		limen_die(1, "--flight, --trigger, --flight-after and --flight-max "
		       "are options of limen record");
	if (o.record && !o.flight_bytes && (o.ntriggers || o.flight_max ||
					    o.flight_after_ns))
		limen_die(1, "record: --trigger, --flight-after and --flight-max "
		       "need --flight SIZE (the window they save)");
	if (o.record && !o.outfile)
		limen_die(1, "record: -o DIR says where the recording goes");
	/* how the table and the constants are shown is the report's */
	if (o.record && (o.sort_by || o.ncols || o.overhead_ns || o.xstyle))
		limen_die(1, "record: -S, -U, -O and -X are options of limen report");
	if (o.record && o.syscall_limit)
		limen_die(1, "record: --syscall-limit: a recording keeps every call "
		       "(limen report --syscall-limit=N shows the first N)");
	if (o.stack && o.ring_bytes && o.ring_bytes < LIMEN_STACK_RING_MIN)
		limen_die(1, "-k: --ring-size %uK is too small: each stack "
		       "takes %uK of the ring and the process's maps up to "
		       "%uK, which need a ring of %uK or more",
		       o.ring_bytes >> 10, LIMEN_STACK_COPY >> 10,
		       LIMEN_MAPS_MAX >> 10, LIMEN_STACK_RING_MIN >> 10);
	if ((o.record || o.report) && (o.show_ip || o.stack))
		limen_die(1, "-i, -k: a recording does not keep where the calls "
		       "were made; limen trace -i, -k show it");
	if (o.record && o.append)
		limen_die(1, "record: -A: a recording is a new directory, it cannot "
		       "be appended to");
	/* a recording is all the events: what to show is the report's */
	if (o.record && (o.summary || o.latency || o.json || o.perfetto))
		limen_die(1, "record: -c, -C, --latency, --json and --perfetto are "
		       "options of limen report");
	if (getenv("LIMEN_STATS"))
		atexit(print_stats);
	r = limen_resolve(o.cmd[0], path, sizeof(path));
	/* strace's words, a shell's status: a command not found is
	   127, one found but not executable (a directory, no x bit) 126 */
	if (r == -ENOENT)
		limen_die(127, "Can't stat '%s': %s", o.cmd[0], strerror(-r));
	if (r < 0)
		limen_die(126, "exec: %s", strerror(-r));
	if (!has_sud())
		limen_die(1, "this kernel has no Syscall User Dispatch (Linux >= "
		       "5.11 on x86_64 is needed): nothing can be traced");
	if (limen_check_static(path, o.cmd, asan, sizeof(asan)) < 0)
		return 1;
	find_runtime(rt, sizeof(rt));
	preloadable(rt, sizeof(rt));
	if (o.run)
		o.outfile = "/dev/null";
	if (o.bt) {
		/* bpftrace's output goes to standard output */
		out = o.outfile ? open_trace(&o) : stdout;
		/* snapshot()'s window (flight.c) */
		if (o.flight_bytes) {
			flight = limen_flight_bt(o.bt, &o);
			emit = flight_emit;
		}
	} else if (o.record && o.flight_bytes) {
		flight = limen_flight_new(o.outfile, o.flight_bytes,
					  (uint64_t)o.flight_after_ns,
					  o.flight_max ? o.flight_max : 100);
		if (!flight)
			limen_die(1, "--flight %zu: %s", o.flight_bytes,
			    strerror(errno));
		for (unsigned i = 0; i < o.ntriggers; i++)
			limen_flight_trigger(flight, o.triggers[i], &o,
					     parse_trace_set);
		emit = flight_emit;
	} else if (o.record) {
		rec_w = limen_ctf_open(o.outfile, NULL);
		if (!rec_w)
			limen_die(1, "%s: %s", o.outfile, strerror(errno));
		emit = record_emit;
	} else if (o.outfile && !o.separately) {
		out = open_trace(&o);
	}
	setvbuf(out, NULL, _IOFBF, 1 << 16);
	r = limen_session_create(&s, &o);
	if (r < 0)
		limen_die(1, "cannot create the session: %s", strerror(-r));
	/* without it, images that change user ID run untraced (and say so) */
	rdv[0] = limen_rendezvous_open(&s);
	/* orphans of the traced tree come back to us, so we see them end */
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	limen_clock_init();
	o.decode_threads = decode_threads(&o.decode_when_behind);
	t = limen_collector_new(&o);
	limit_ctl = s.ctl;
	if (o.bt)
		limen_collector_add(t, limen_bt_sink(o.bt, out));
	else if (!o.record)
		add_sinks(t, out, &o);
	if (flight) {
		struct sigaction sa = { .sa_sigaction = on_sigusr1,
					.sa_flags = SA_RESTART | SA_SIGINFO };

		sigemptyset(&sa.sa_mask);
		limen_spawn_caught(SIGUSR1);
		sigaction(SIGUSR1, &sa, NULL);
		limen_collector_add(t, limen_flight_sink(flight, &o));
	}
	limen_wake_init();
	catch_stops();
	/* the other signals that would end us: from the traced tree
	   ignored, from elsewhere passed on to the command */
	limen_relay_catch(flight != NULL);
	{
		struct sigaction sa = { .sa_handler = on_sigchld,
					.sa_flags = SA_RESTART };

		sigemptyset(&sa.sa_mask);
		limen_spawn_caught(SIGCHLD);
		sigaction(SIGCHLD, &sa, NULL);
	}
	/* ^C and ^\ until the command starts (it gets them too) end us
	   by the way that removes the socket below; ignored, as the
	   caller left them, they stay so for the command */
	catch_keys();
	/* from a network namespace of its own (unshare -n, a rootless
	   container, a sandbox) the runtime cannot reach the abstract
	   socket: it comes by one at a path LIMEN_SESSION names, bound
	   when a process of the tree first asks (limen_rendezvous_wanted
	   below); without it such an image runs as bare, with a word */
	limen_rendezvous_choose_path();
	rdv[1] = -1;
	if (!*limen_rendezvous_path())
		s.ctl->path_wanted = LIMEN_PATH_NONE;
	/* the command's start, on the events' clock: a recording's first
	   event (CTF readers show it at this time, not at boot) */
	started = limen_rdtsc();
	child = limen_spawn(path, o.cmd, &s, rt, asan);
	/* as strace reports it, with the status a shell would give */
	if (child == -2)
		limen_die(errno == ENOENT ? 127 : 126, "exec: %s", strerror(errno));
	if (child < 0)
		limen_die(1, "fork: %s", strerror(errno));
	s.child = child;
	/* out of memory from here: the command goes on, limen waits for it
	   (decode/oom.c) */
	limen_oom_watch(s.ctl, child, limen_rendezvous_remove);
	rec_outside(LIMEN_EV_COMMAND, started, &child, sizeof(int32_t));
	limen_collector_set_child(t, child);
	if (o.bt)
		limen_bt_child(o.bt, child, path);
	/* the terminal's ^C and ^\ are for the program; we keep draining */
	signal(SIGINT, SIG_IGN);
	signal(SIGQUIT, SIG_IGN);
	signal(SIGPIPE, SIG_IGN);
	clock_gettime(CLOCK_MONOTONIC, &last_reap);

	for (;;) {
		uint64_t upto;
		int32_t pid, stale;
		int st;
		pid_t w;

		/* wait4 on a child that traps hundreds of thousands of times a
		   second is slow (it contends for the child's locks): reap only
		   when SIGCHLD said there is something to reap */
		norphans = 0;
		w = 0;
		if (got_sigchld || no_children) {
			got_sigchld = 0;
			/* whose slots, while they have /proc entries */
			limen_session_identify(&s);
			while ((w = waitpid(-1, &st, WNOHANG | __WALL)) > 0) {
				if (w == child) {
					status = st;
					child_done = 1;
				} else if (norphans < MAX_ORPHANS) {
					orphans[norphans].pid = w;
					orphans[norphans++].status = st;
				}
			}
			no_children = w < 0 && errno == ECHILD;
			/* no traced thread is left to write (below): the
			   drains to come make no ring's pages present ahead */
			if (no_children)
				s.no_populate = 1;
		}
		limen_rendezvous_wanted(s.ctl, &rdv[1]);
		limen_rendezvous_serve(rdv, 2, &s);
		/* before the drain that takes their last records */
		ngone = limen_exit_gone_scan(t, gone, MAX_ORPHANS);
		/* the same for the processes a namespace's end killed,
		   whose end is told before their init's (the drain may
		   tell it) */
		nzap = limen_session_zapped(&s, zap_init, zap_pid, MAX_ORPHANS);
		for (size_t k = 0; k < nzap; k++) {
			rec_reaped(zap_pid[k], zap_init[k], 3, limen_rdtsc());
			limen_collector_zap(t, zap_init[k], zap_pid[k]);
		}
		limen_clock_sample();
		upto = limen_rdtsc();
		/* 1 ms while records flow, backing off to 4 ms when idle (a
		   4 MiB ring holds about 40 ms of calls at full speed) */
		s.pressure = 0;
		if (stat_drain(&s, upto, emit, t))
			nap.tv_nsec = 1000000;
		else if (nap.tv_nsec < 4000000)
			nap.tv_nsec += 1000000;
		/* a thread whose ring fills waits for us: come back soon */
		if (s.pressure)
			nap.tv_nsec = 100000;
		/* after their last records: how reaped orphans ended */
		for (int k = 0; k < norphans; k++) {
			rec_reaped(orphans[k].pid, orphans[k].status, 0, upto);
			limen_collector_reaped(t, orphans[k].pid,
					       orphans[k].status);
		}
		/* after their last records: processes gone after exit_group */
		for (size_t k = 0; k < ngone; k++) {
			rec_reaped(gone[k], 0, 2, upto);
			limen_collector_gone(t, gone[k]);
		}
		/* and those killed with their namespace whose init's end
		   the drain did not tell */
		if (nzap) {
			rec_reaped(0, 0, 4, upto);
			limen_collector_zapped(t);
		}
		limen_relay_take(child);
		if (snap_req) {
			snap_req = 0;
			limen_flight_snapshot(flight, "taken on SIGUSR1");
		}
		stale = limen_collector_stale(t, upto);
		if (stale && !thread_runs(stale)) {
			/* a recording keeps when, for report to do the same */
			rec_outside(LIMEN_EV_TICK, upto, NULL, 0);
			limen_collector_tick(t, upto);
		}
		if (o.bt)
			limen_bt_tick(o.bt, upto);
		while (limen_collector_take_ended(t, &pid))
			limen_session_retire_pid(&s, pid);
		/* a reader that went away (EPIPE) must not stop the program;
		   any other write error (a full disk) is reported at the end */
		r = write_error(limen_collector_flush(t), fileno(out));
		if (r && !write_err)
			write_err = r;
		if (o.bt && limen_bt_exited(o.bt)) {
			/* exit(): as bpftrace, the command is ended */
			kill(child, SIGTERM);
			bt_done = 1;
			break;
		}
		if (stop_unsure_sig) {
			/* after this round's drain, which took the records of
			   a sender of the tree that has ended since */
			int sig = stop_unsure_sig;

			stop_unsure_sig = 0;
			if (!limen_collector_seen(t, stop_unsure_pid))
				stop_sig = sig;
		}
		if (stop_sig) {
			/* as strace does: the command gets the signal too,
			   the trace gets what was recorded and says why it
			   ends there */
			char nb[16];

			kill(child, stop_sig);
			stat_drain(&s, UINT64_MAX, emit,
					    t);
			tool_note(t, "+++ limen: stopped by %s +++",
					limen_signame(stop_sig, nb));
			break;
		}
		if (no_children) {
			/* no child of ours left: as the tree's subreaper we
			   inherit every orphan, so no traced thread lives
			   (a daemon keeps us, as with strace -f); whatever
			   their rings still say is all there will be */
			limen_session_reap_slots(&s, 1);
			stat_drain(&s, UINT64_MAX, emit,
					    t);
			break;
		} else if (++idle % 1000 == 0) {
			limen_session_reap_slots(&s, 0);
		}
		limen_wake_nap(&nap);
	}
	/* never a silent untraced run: the runtime could not attach (no
	   room for the session under ulimit -v, /proc not mounted...) */
	if (!limen_collector_seen(t, child) && !bt_done)
		tool_note(t, "+++ limen: %d was not traced: the runtime "
				   "could not attach to it +++", (int)child);
	/* limen run prints no trace, but says so too */
	if (o.run && !limen_collector_seen(t, child))
		fprintf(stderr, "limen: %d ran without the runtime: it could "
				"not attach to it\n", (int)child);
	if (child_done) {
		rec_reaped(child, status, 1, limen_rdtsc());
		limen_collector_child_status(t, child, status);
	}
	/* the program can write the session: the count, read once, is
	   said as it is only where the trace could account for it */
	untraced = __atomic_load_n(&s.ctl->threads_untraced, __ATOMIC_RELAXED);
	if (untraced && untraced <= limen_collector_untraced_bound(t))
		tool_note(t, "+++ limen: %llu threads untraced: no ring "
				   "(none free, no room to map one, or none "
				   "left of those mapped before a seccomp "
				   "filter of the program's), or Syscall User "
				   "Dispatch refused by such a filter +++",
				(unsigned long long)untraced);
	else if (untraced)
		tool_note(t, "+++ limen: threads untraced: how many is "
				   "unknown, the session was corrupted (its "
				   "count says %llu, more than the %llu "
				   "threads that could start in the run) +++",
			  (unsigned long long)untraced,
			  (unsigned long long)limen_collector_untraced_bound(t));
	if ((r = (int)limen_session_unread(&s)))
		tool_note(t, "+++ limen: the events of %d threads could "
				   "not be read: no room to map their rings "
				   "+++", r);
	r = write_error(limen_collector_finish(t), fileno(out));
	if (r && !write_err)
		write_err = r;
	if (flight) {
		r = limen_flight_finish(flight);
		if (r < 0 && !write_err)
			write_err = -r;
	} else if (rec_w) {
		struct limen_ctf_clock ck;

		limen_clock_params(&ck.tsc0, &ck.ns0, &ck.tsc1, &ck.ns1);
		limen_ctf_set_clock(rec_w, &ck);
		r = limen_ctf_close(rec_w);
		if ((r < 0 || rec_err) && !write_err)
			write_err = rec_err ? rec_err : -r;
	} else if (o.outfile && !o.separately) {
		int fd = fileno(out);

		r = write_error(close_trace(out), fd);
		if (r && !write_err)
			write_err = r;
	}
	if (!o.separately)
		note_reader_gone(o.outfile ? o.outfile : "standard error");
	/* never a clean exit over a trace that did not reach its file */
	if (write_err) {
		fprintf(stderr, "limen: %s: %s\n",
			o.outfile ? o.outfile : "standard error",
			strerror(write_err));
		if (!stop_sig)
			return 1;
	}
	if (stop_sig)
		return die_like(stop_sig);
	if (bt_done)
		return 0;
	if (!child_done)
		return 1;
	if (WIFSIGNALED(status))
		return die_like(WTERMSIG(status));
	return WEXITSTATUS(status);
}
