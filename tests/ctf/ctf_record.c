/* SPDX-License-Identifier: MIT */
/*
 * A real recording before `limen record` exists: this driver runs the
 * session and its drain loop as src/cli/main.c does (without the
 * rendezvous socket and the stop signals), gives every event the drain
 * emits, and what the collector learns outside the rings (the command's
 * pid, the drains' clock, how processes were reaped), both to the CTF
 * writer and to the text sink; then replays the recording through the
 * text sink. The two texts must be the same, byte for byte.
 *
 *   ctf_record record DIR LIVE RUNTIME -- CMD...   (LIVE: the text sink's
 *                                                  output, as -o writes it)
 *   ctf_record replay DIR OUT
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>

#include "cli/cli.h"
#include "collector/collector.h"
#include "ctf/ctf.h"

static struct limen_ctf *w;
static int werr;

static void record(struct limen_ctf *cw, const struct limen_event *e)
{
	int r = limen_ctf_write(cw, e);

	if (r < 0 && !werr)
		werr = r;
}

/* The drain's emit: the recording first, then the collector (the record
   is borrowed by both). */
static void emit(void *t, struct limen_event *e)
{
	record(w, e);
	limen_collector_event(t, e);
}

static void outside(uint16_t type, uint64_t tsc, const void *rec,
		    uint32_t size)
{
	struct limen_event e = { .type = type, .tsc = tsc,
				 .rec = (uint8_t *)rec, .size = size };

	record(w, &e);
}

static void opts(struct limen_opts *o, const char *out, char **cmd)
{
	memset(o, 0, sizeof(*o));
	o->outfile = out;
	o->strsize = 32;
	o->trace_all = 1;
	o->ring_bytes = LIMEN_RING_BYTES_DEFAULT;
	o->no_loss = 1;
	o->cmd = cmd;
}

static int do_record(const char *dir, const char *live, const char *rt,
		     char **cmd)
{
	struct limen_session s;
	struct limen_opts o;
	struct limen_collector *t;
	struct limen_ctf_clock ck;
	char path[4096];
	FILE *out;
	pid_t child;
	int status = 0, done = 0;
	struct timespec nap = { 0, 1000000 };

	opts(&o, live, cmd);
	o.record = 1; /* as limen record: the recording keeps real times */
	if (limen_resolve(cmd[0], path, sizeof(path)) < 0)
		return 127;
	out = fopen(live, "we");
	w = limen_ctf_open(dir, NULL);
	if (!out || !w || limen_session_create(&s, &o) < 0)
		return 1;
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	limen_clock_init();
	t = limen_collector_new(&o);
	limen_collector_add(t, limen_text_sink(out, &o));
	child = limen_spawn(path, cmd, &s, rt, "");
	if (child < 0)
		return 1;
	s.child = child;
	outside(LIMEN_EV_COMMAND, 0, &child, 4);
	limen_collector_set_child(t, child);
	for (;;) {
		struct limen_ctf_reaped rp = { 0 };
		uint64_t upto;
		int32_t pid;
		int st, gone = 0;
		pid_t wp;

		while ((wp = waitpid(-1, &st, WNOHANG | __WALL)) > 0) {
			if (wp == child) {
				status = st;
				done = 1;
				continue;
			}
			/* after their last records, as main.c does */
			rp = (struct limen_ctf_reaped){ .pid = wp,
							.status = st };
		}
		gone = wp < 0 && errno == ECHILD;
		limen_clock_sample();
		upto = limen_rdtsc();
		limen_session_drain(&s, upto, emit, t);
		if (rp.pid) {
			outside(LIMEN_EV_REAPED, upto, &rp, sizeof(rp));
			limen_collector_reaped(t, rp.pid, rp.status);
		}
		outside(LIMEN_EV_TICK, upto, NULL, 0);
		limen_collector_tick(t, upto);
		while (limen_collector_take_ended(t, &pid))
			limen_session_retire_pid(&s, pid);
		if (gone) {
			limen_session_reap_slots(&s, 1);
			limen_session_drain(&s, UINT64_MAX, emit, t);
			break;
		}
		nanosleep(&nap, NULL);
	}
	if (done) {
		struct limen_ctf_reaped rp = { .pid = child, .status = status,
					       .child = 1 };

		outside(LIMEN_EV_REAPED, limen_rdtsc(), &rp, sizeof(rp));
		limen_collector_child_status(t, child, status);
	}
	limen_collector_finish(t);
	fclose(out);
	limen_clock_params(&ck.tsc0, &ck.ns0, &ck.tsc1, &ck.ns1);
	limen_ctf_set_clock(w, &ck);
	if (limen_ctf_close(w) < 0 || werr) {
		fprintf(stderr, "ctf_record: %s: write error\n", dir);
		return 1;
	}
	return 0;
}

static int do_replay(const char *dir, const char *outname)
{
	char why[256];
	struct limen_ctf_reader *r = limen_ctf_reader_open(dir, why,
							   sizeof(why));
	struct limen_ctf_clock ck;
	struct limen_opts o;
	struct limen_event e;
	struct limen_collector *t;
	FILE *out;
	int k;

	if (!r) {
		fprintf(stderr, "ctf_record: %s\n", why);
		return 1;
	}
	limen_ctf_reader_clock(r, &ck);
	limen_clock_set(ck.tsc0, ck.ns0, ck.tsc1, ck.ns1);
	opts(&o, outname, NULL);
	o.report = 1; /* as limen report */
	out = fopen(outname, "we");
	if (!out)
		return 1;
	t = limen_collector_new(&o);
	limen_collector_add(t, limen_text_sink(out, &o));
	while ((k = limen_ctf_read(r, &e, why, sizeof(why))) == 1) {
		const struct limen_ctf_reaped *rp = (const void *)e.rec;
		int32_t pid;

		switch (e.type) {
		case LIMEN_EV_COMMAND:
			memcpy(&pid, e.rec, 4);
			limen_collector_set_child(t, pid);
			free(e.rec);
			break;
		case LIMEN_EV_TICK:
			limen_collector_tick(t, e.tsc);
			break;
		case LIMEN_EV_REAPED:
			if (rp->child)
				limen_collector_child_status(t, rp->pid,
							rp->status);
			else
				limen_collector_reaped(t, rp->pid, rp->status);
			free(e.rec);
			break;
		default:
			limen_collector_event(t, &e);
			free(e.rec);
		}
		while (limen_collector_take_ended(t, &pid))
			;
	}
	if (k < 0) {
		fprintf(stderr, "ctf_record: %s\n", why);
		return 1;
	}
	limen_ctf_reader_close(r);
	limen_collector_finish(t);
	return fclose(out) != 0;
}

int main(int argc, char **argv)
{
	signal(SIGPIPE, SIG_IGN);
	if (argc > 6 && !strcmp(argv[1], "record") && !strcmp(argv[5], "--"))
		return do_record(argv[2], argv[3], argv[4], argv + 6);
	if (argc == 4 && !strcmp(argv[1], "replay"))
		return do_replay(argv[2], argv[3]);
	fprintf(stderr, "usage: ctf_record record DIR LIVE RUNTIME -- CMD... "
			"| replay DIR OUT\n");
	return 2;
}
