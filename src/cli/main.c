/* SPDX-License-Identifier: MIT */
/* The limen command. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "collector/collector.h"
#include "ctf/ctf.h"
#include "decode/decode.h"

#ifndef LIMEN_VERSION
#define LIMEN_VERSION "dev"
#endif

static void usage(FILE *f)
{
	fputs("usage: limen trace [OPTIONS] [--] CMD [ARGS...]\n"
	      "       limen run [--] CMD [ARGS...]\n"
	      "       limen record -o DIR [OPTIONS] [--] CMD [ARGS...]\n"
	      "       limen report [REPORT OPTIONS] DIR\n"
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
	      "\n"
	      "  -o FILE          write the trace to FILE (lines start with the\n"
	      "                   thread id)\n"
	      "  -e trace=SET     only these calls: names, %file, %process,\n"
	      "                   %network (%net), %memory, %signal, %desc,\n"
	      "                   %ipc, %creds, %clock, %stat, %pure, all;\n"
	      "                   a leading ! negates\n"
	      "  -s N             bytes of strings and buffers shown (32)\n"
	      "  -T               time spent in each call\n"
	      "  -c, -C           a table of calls, errors and time per system\n"
	      "                   call at the end: instead of (-c) or after\n"
	      "                   (-C) the trace\n"
	      "  --latency        after the trace: per system call the p50, p90,\n"
	      "                   p99 and max time and a log2 histogram, the\n"
	      "                   paths touched most, the errors by errno\n"
	      "  --json FILE      also write one JSON object per event to FILE\n"
	      "                   (docs/json-schema.md)\n"
	      "  --perfetto FILE  also write a timeline to FILE (Chrome trace\n"
	      "                   JSON: ui.perfetto.dev opens it; one track\n"
	      "                   per thread, calls as slices)\n"
	      "  -t, -tt, -ttt    time of day, with microseconds, as epoch\n"
	      "  -q               no exit/attach messages\n"
	      "  -v               verbose: every stat field, getdents64's entries\n"
	      "  --ring-size N    bytes of each thread's ring: a power of two,\n"
	      "                   16K to 256M (4M); K and M suffixes\n"
	      "  --lossy          a thread whose ring is full loses its events\n"
	      "                   (counted: \"+++ limen: N events lost +++\")\n"
	      "                   instead of waiting for limen to drain it;\n"
	      "                   by default no event is lost (--no-loss)\n"
	      "  --uaccess        uaccess logging: the program may use prctl 63\n"
	      "                   (which fails otherwise, as on a stock\n"
	      "                   kernel), and under each call the ranges of\n"
	      "                   user memory the kernel read (R) and wrote (W)\n"
	      "\n"
	      "Report options: -o FILE, -s N, -v, -T, -t/-tt/-ttt, -q as for\n"
	      "trace; -c/--summary, -C, --latency, --json FILE, --perfetto FILE\n"
	      "as for trace, from the recording.\n"
	      "\n"
	      "  -h, --help       this help\n"
	      "  --version        version\n",
	      f);
}

static int die(int code, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static int die(int code, const char *fmt, ...)
{
	va_list ap;

	fputs("limen: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(code);
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
	{ "%clock", LIMEN_CLASS_CLOCK },     { "%stat", LIMEN_CLASS_STAT },
	{ "%pure", LIMEN_CLASS_PURE },
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

static void parse_trace(struct limen_opts *o, const char *spec)
{
	int neg = 0;
	char *copy, *tok, *save;

	if (!strncmp(spec, "uevent=", 7)) { /* user events: uevent.h */
		o->uevent_all = !strcmp(spec + 7, "all");
		o->uevent_want = spec + 7;
		return;
	}
	if (!strncmp(spec, "trace=", 6))
		spec += 6;
	else if (strchr(spec, '=') )
		die(1, "invalid -e qualifier '%s' (only trace= is supported)",
		    spec);
	if (*spec == '!') {
		neg = 1;
		spec++;
	}
	memset(o->trace_mask, neg ? 0xff : 0, sizeof(o->trace_mask));
	o->trace_all = 0;
	copy = strdup(spec);
	for (tok = strtok_r(copy, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		int found = 0;

		if (!strcmp(tok, "all")) {
			memset(o->trace_mask, neg ? 0 : 0xff,
			       sizeof(o->trace_mask));
			continue;
		}
		if (!strcmp(tok, "none")) {
			memset(o->trace_mask, neg ? 0xff : 0,
			       sizeof(o->trace_mask));
			continue;
		}
		for (size_t i = 0; i < sizeof(classes) / sizeof(classes[0]);
		     i++) {
			if (strcmp(tok, classes[i].name))
				continue;
			for (unsigned nr = 0; nr < LIMEN_NSYSENT; nr++)
				if (limen_sysent[nr].name &&
				    limen_sysent[nr].classes & classes[i].mask)
					set_bit(o, nr, !neg);
			found = 1;
		}
		for (unsigned nr = 0; !found && nr < LIMEN_NSYSENT; nr++) {
			if (limen_sysent[nr].name &&
			    !strcmp(limen_sysent[nr].name, tok)) {
				set_bit(o, nr, !neg);
				found = 1;
			}
		}
		if (!found)
			die(1, "invalid system call '%s'", tok);
	}
	free(copy);
}

static void parse_args(struct limen_opts *o, int argc, char **argv)
{
	int i = 1;

	o->strsize = 32;
	o->trace_all = 1;
	/* a complete trace unless --lossy: a full ring waits for us */
	o->no_loss = 1;
	if (argc < 2) {
		usage(stderr);
		exit(1);
	}
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		usage(stdout);
		exit(0);
	}
	if (!strcmp(argv[1], "--version")) {
		printf("limen %s\n", LIMEN_VERSION);
		exit(0);
	}
	if (!strcmp(argv[1], "run")) {
		/* the runtime, no trace: nothing selected, nothing printed */
		o->run = 1;
		o->trace_all = 0;
		o->quiet = 1;
	} else if (!strcmp(argv[1], "record")) {
		o->record = 1;
	} else if (!strcmp(argv[1], "report")) {
		o->report = 1;
	} else if (strcmp(argv[1], "trace")) {
		die(1, "unknown command '%s' (try 'limen -h')", argv[1]);
	}
	for (i = 2; i < argc; i++) {
		const char *a = argv[i];

		if (o->run && a[0] == '-' && strcmp(a, "--") &&
		    strcmp(a, "-h") && strcmp(a, "--help"))
			die(1, "unknown option '%s' for run (try 'limen -h')",
			    a);

		if (!strcmp(a, "--")) {
			i++;
			break;
		}
		if (a[0] != '-')
			break;
		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			usage(stdout);
			exit(0);
		} else if (!strcmp(a, "--version")) {
			printf("limen %s\n", LIMEN_VERSION);
			exit(0);
		} else if (!strcmp(a, "-o") || !strcmp(a, "-e") ||
			   !strcmp(a, "-s")) {
			if (i + 1 >= argc)
				die(1, "option %s needs an argument", a);
			const char *v = argv[++i];

			if (a[1] == 'o') {
				o->outfile = v;
			} else if (a[1] == 'e') {
				parse_trace(o, v);
			} else {
				char *end;
				long n = strtol(v, &end, 10);

				if (*end || n < 0 || n > 1 << 20)
					die(1, "invalid -s '%s'", v);
				o->strsize = (unsigned)n;
			}
		} else if (!strncmp(a, "-o", 2)) {
			o->outfile = a + 2;
		} else if (!strncmp(a, "-e", 2)) {
			parse_trace(o, a + 2);
		} else if (!strcmp(a, "-T")) {
			o->show_time = 1;
		} else if (!strcmp(a, "-t")) {
			o->timestamps = 1;
		} else if (!strcmp(a, "-tt")) {
			o->timestamps = 2;
		} else if (!strcmp(a, "-ttt")) {
			o->timestamps = 3;
		} else if (!strcmp(a, "-c") || !strcmp(a, "--summary")) {
			o->summary = 1;
		} else if (!strcmp(a, "-C")) {
			o->summary = 2;
		} else if (!strcmp(a, "--latency")) {
			o->latency = 1;
		} else if (!strcmp(a, "--json") || !strcmp(a, "--perfetto")) {
			if (i + 1 >= argc)
				die(1, "option %s needs an argument", a);
			if (a[2] == 'j')
				o->json = argv[++i];
			else
				o->perfetto = argv[++i];
		} else if (!strcmp(a, "-p")) {
			die(1, "-p: limen cannot attach to a running process: it "
			       "traces from inside the programs it starts");
		} else if (!strcmp(a, "--uaccess")) {
			o->uaccess = 1;
		} else if (!strcmp(a, "--no-loss")) {
			o->no_loss = 1;
		} else if (!strcmp(a, "--lossy")) {
			o->no_loss = 0;
		} else if (!strcmp(a, "-v")) {
			o->verbose = 1;
		} else if (!strcmp(a, "-q") || !strcmp(a, "-qq")) {
			o->quiet = 1;
		} else if (!strcmp(a, "--ring-size") ||
			   !strncmp(a, "--ring-size=", 12)) {
			const char *v = a[11] == '=' ? a + 12 : NULL;
			char *end;
			unsigned long long n;

			if (!v) {
				if (i + 1 >= argc)
					die(1, "option %s needs an argument", a);
				v = argv[++i];
			}
			n = strtoull(v, &end, 10);
			if (*end == 'K' || *end == 'k')
				n <<= 10, end++;
			else if (*end == 'M' || *end == 'm')
				n <<= 20, end++;
			if (*end || n < (16u << 10) || n > (256u << 20) ||
			    (n & (n - 1)))
				die(1, "invalid --ring-size '%s' (a power of two "
				       "from 16K to 256M)", v);
			o->ring_bytes = (uint32_t)n;
		} else if (!strcmp(a, "-f") || !strcmp(a, "-ff")) {
			/* always on: every thread and process is traced */
		} else {
			die(1, "unknown option '%s' (try 'limen -h')", a);
		}
	}
	if (i >= argc && o->report)
		die(1, "report: which recording? (limen report DIR)");
	if (i >= argc)
		die(1, "no command to %s (try 'limen -h')",
		    o->run ? "run" : "trace");
	o->cmd = argv + i;
}

/* liblimen.so sits next to the limen binary. */
static void find_runtime(char *out, size_t n)
{
	char exe[PATH_MAX - 16];
	ssize_t len = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	char *slash;

	if (len < 0)
		die(1, "cannot find myself: %s", strerror(errno));
	exe[len] = 0;
	slash = strrchr(exe, '/');
	*slash = 0;
	snprintf(out, n, "%s/liblimen.so", exe);
	if (access(out, R_OK) < 0)
		die(1, "%s: %s", out, strerror(errno));
}

static volatile sig_atomic_t got_sigchld = 1;

static void on_sigchld(int sig)
{
	(void)sig;
	got_sigchld = 1;
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
	setrlimit(RLIMIT_CORE, &no_core);
	sigemptyset(&sa.sa_mask);
	sigaction(sig, &sa, NULL);
	sigemptyset(&set);
	sigaddset(&set, sig);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	kill(getpid(), sig);
	return 128 + sig;
}

/* SIGTERM, SIGHUP: finish the trace, pass the signal on, die of it */
static volatile sig_atomic_t stop_sig;

static void on_stop(int sig)
{
	stop_sig = sig;
}

/*
 * Threads formatting the text trace: one fewer than the cores we may run
 * on (the collector's thread drains and pairs), at most 3; none on one
 * core. LIMEN_DECODE_THREADS=N says how many (0: format inline).
 */
static int decode_threads(void)
{
	const char *v = getenv("LIMEN_DECODE_THREADS");
	cpu_set_t set;
	int n;

	if (v && *v)
		return atoi(v) < 0 ? 0 : atoi(v) > 16 ? 16 : atoi(v);
	if (sched_getaffinity(0, sizeof(set), &set) != 0)
		return 0;
	n = CPU_COUNT(&set) - 1;
	return n < 0 ? 0 : n > 3 ? 3 : n;
}

/* A sink's own file (--json, --perfetto): closed when the process ends,
   after its sink flushed it. */
static FILE *open_out(const char *path)
{
	FILE *f = fopen(path, "we");

	if (!f)
		die(1, "%s: %s", path, strerror(errno));
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

static void rec_outside(uint16_t type, uint64_t tsc, const void *rec,
			uint32_t size)
{
	struct limen_event e = { .type = type, .tsc = tsc,
				 .rec = (uint8_t *)rec, .size = size };

	if (rec_w)
		rec_write(&e);
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
	if (rec_w) {
		rec_outside(LIMEN_EV_LINE, limen_rdtsc(), buf,
			    (uint32_t)strlen(buf) + 1);
		fprintf(stderr, "%s\n", buf);
	}
}

/* The sinks the options ask for, text first (the summary, the latency
   report follow it in the same output). */
static void add_sinks(struct limen_collector *t, FILE *out,
		      const struct limen_opts *o)
{
	if (o->summary != 1)
		limen_collector_add(t, limen_text_sink(out, o));
	if (o->summary)
		limen_collector_add(t, limen_summary_sink(out, o,
							  o->summary == 1));
	if (o->latency)
		limen_collector_add(t, limen_latency_sink(out, o));
	if (o->json)
		limen_collector_add(t, limen_json_sink(open_out(o->json), o));
	if (o->perfetto)
		limen_collector_add(t, limen_perfetto_sink(open_out(o->perfetto),
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
		die(1, "%s", why);
	limen_ctf_reader_clock(r, &ck);
	limen_clock_set(ck.tsc0, ck.ns0, ck.tsc1, ck.ns1);
	if (o->outfile) {
		out = fopen(o->outfile, "we");
		if (!out)
			die(1, "%s: %s", o->outfile, strerror(errno));
	}
	setvbuf(out, NULL, _IOFBF, 1 << 16);
	signal(SIGPIPE, SIG_IGN);
	o->decode_threads = decode_threads();
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
			if (rp->child)
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
	if (limen_collector_finish(t) != 0 && errno != EPIPE)
		err = errno ? errno : EIO;
	if (o->outfile && fclose(out) != 0 && !err)
		err = errno ? errno : EIO;
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
	int status = 0, child_done = 0, r, idle = 0, no_children = 0, rdv;
	int write_err = 0;
	struct timespec nap = { 0, 1000000 };
	struct timespec last_reap;
	enum { MAX_ORPHANS = 64 };
	struct {
		pid_t pid;
		int status;
	} orphans[MAX_ORPHANS];
	int norphans;
	limen_emit_fn emit = limen_collector_event;

	memset(&o, 0, sizeof(o));
	parse_args(&o, argc, argv);
	if (o.report)
		return report(&o);
	if (o.record && !o.outfile)
		die(1, "record: -o DIR says where the recording goes");
	/* a recording is all the events: what to show is the report's */
	if (o.record && (o.summary || o.latency || o.json || o.perfetto))
		die(1, "record: -c, -C, --latency, --json and --perfetto are "
		       "options of limen report");
	if (getenv("LIMEN_STATS"))
		atexit(print_stats);
	r = limen_resolve(o.cmd[0], path, sizeof(path));
	if (r < 0)
		die(r == -ENOENT ? 127 : 126, "%s: %s", o.cmd[0],
		    strerror(-r));
	if (!has_sud())
		die(1, "this kernel has no Syscall User Dispatch (Linux >= "
		       "5.11 on x86_64 is needed): nothing can be traced");
	if (limen_check_static(path, o.cmd, asan, sizeof(asan)) < 0)
		return 1;
	find_runtime(rt, sizeof(rt));
	if (o.run)
		o.outfile = "/dev/null";
	if (o.record) {
		rec_w = limen_ctf_open(o.outfile, NULL);
		if (!rec_w)
			die(1, "%s: %s", o.outfile, strerror(errno));
		emit = record_emit;
	} else if (o.outfile) {
		out = fopen(o.outfile, "we");
		if (!out)
			die(1, "%s: %s", o.outfile, strerror(errno));
	}
	setvbuf(out, NULL, _IOFBF, 1 << 16);
	r = limen_session_create(&s, &o);
	if (r < 0)
		die(1, "cannot create the session: %s", strerror(-r));
	/* without it, images that change user ID run untraced (and say so) */
	rdv = limen_rendezvous_open(&s);
	/* orphans of the traced tree come back to us, so we see them end */
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	limen_clock_init();
	o.decode_threads = decode_threads();
	t = limen_collector_new(&o);
	if (!o.record)
		add_sinks(t, out, &o);
	{
		struct sigaction sa = { .sa_handler = on_sigchld,
					.sa_flags = SA_RESTART };

		sigemptyset(&sa.sa_mask);
		sigaction(SIGCHLD, &sa, NULL);
	}
	child = limen_spawn(path, o.cmd, &s, rt, asan);
	if (child < 0)
		die(1, "fork: %s", strerror(errno));
	s.child = child;
	rec_outside(LIMEN_EV_COMMAND, 0, &child, sizeof(int32_t));
	limen_collector_set_child(t, child);
	/* the terminal's ^C and ^\ are for the program; we keep draining */
	signal(SIGINT, SIG_IGN);
	signal(SIGQUIT, SIG_IGN);
	signal(SIGPIPE, SIG_IGN);
	{
		struct sigaction sa = { .sa_handler = on_stop };

		sigemptyset(&sa.sa_mask);
		sigaction(SIGTERM, &sa, NULL);
		sigaction(SIGHUP, &sa, NULL);
	}
	clock_gettime(CLOCK_MONOTONIC, &last_reap);

	for (;;) {
		uint64_t upto;
		int32_t pid;
		int st;
		pid_t w;

		/* wait4 on a child that traps hundreds of thousands of times a
		   second is slow (it contends for the child's locks): reap only
		   when SIGCHLD said there is something to reap */
		norphans = 0;
		w = 0;
		if (got_sigchld || no_children) {
			got_sigchld = 0;
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
		}
		if (rdv >= 0)
			limen_rendezvous_serve(rdv, &s);
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
		rec_outside(LIMEN_EV_TICK, upto, NULL, 0);
		limen_collector_tick(t, upto);
		while (limen_collector_take_ended(t, &pid))
			limen_session_retire_pid(&s, pid);
		/* a reader that went away (EPIPE) must not stop the program;
		   any other write error (a full disk) is reported at the end */
		if (limen_collector_flush(t) != 0 && errno != EPIPE && !write_err)
			write_err = errno ? errno : EIO;
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
		nanosleep(&nap, NULL);
	}
	/* never a silent untraced run: the runtime could not attach (no
	   room for the session under ulimit -v, /proc not mounted...) */
	if (!limen_collector_seen(t, child))
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
	if (s.ctl->threads_untraced)
		tool_note(t, "+++ limen: %llu threads untraced: no ring "
				   "(none free, or no room to map one) +++",
				(unsigned long long)s.ctl->threads_untraced);
	if ((r = (int)limen_session_unread(&s)))
		tool_note(t, "+++ limen: the events of %d threads could "
				   "not be read: no room to map their rings "
				   "+++", r);
	if (limen_collector_finish(t) != 0 && errno != EPIPE && !write_err)
		write_err = errno ? errno : EIO;
	if (rec_w) {
		struct limen_ctf_clock ck;

		limen_clock_params(&ck.tsc0, &ck.ns0, &ck.tsc1, &ck.ns1);
		limen_ctf_set_clock(rec_w, &ck);
		r = limen_ctf_close(rec_w);
		if ((r < 0 || rec_err) && !write_err)
			write_err = rec_err ? rec_err : -r;
	} else if (o.outfile && fclose(out) != 0 && !write_err) {
		write_err = errno ? errno : EIO;
	}
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
	if (!child_done)
		return 1;
	if (WIFSIGNALED(status))
		return die_like(WTERMSIG(status));
	return WEXITSTATUS(status);
}
