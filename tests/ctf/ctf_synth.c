/* SPDX-License-Identifier: MIT */
/*
 * Recordings made of synthetic records with the runtime's real layouts
 * (session.h), for the tests in tests/ctf/:
 *
 *   ctf_synth write DIR [--lost]   a small known trace (see known())
 *   ctf_synth unmade DIR           a call told as suspended, never made,
 *                                  made again after a handler (unmade())
 *   ctf_synth roundtrip DIR        write known() and mutated records in
 *                                  small packets, read them back, compare
 *                                  every event field and record byte
 *   ctf_synth damage DIR N         N damaged copies of a recording: the
 *                                  reader stops with a reason, never
 *                                  crashes, never returns a record that
 *                                  its own checks would refuse
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "ctf/ctf_int.h"
#include "systab.h"

#define MAXEV 4096

static struct limen_event evs[MAXEV];
static int nev;
static uint64_t now = 1000000000ull;

static void add(uint16_t type, int32_t tid, int32_t pid, const void *rec,
		uint32_t size, uint16_t flags)
{
	struct limen_event *e = &evs[nev++];

	if (nev > MAXEV)
		abort();
	memset(e, 0, sizeof(*e));
	e->type = type;
	/* the collector's events never carry it (session.c clears a
	   ring's); every third is a nested writer's, which it marks */
	e->flags = flags & (uint16_t)~LIMEN_RECF_NESTED;
	e->nested = nev % 3 == 0;
	e->tid = tid;
	e->pid = pid;
	e->size = size;
	e->rec = size ? malloc(size) : NULL;
	if (size)
		memcpy(e->rec, rec, size);
	e->tsc = now;
	e->seq = (uint64_t)nev - 1;
	now += 1000;
}

struct cap {
	int arg;
	const void *data;
	uint32_t len;
	uint8_t flags;
};

static uint16_t sys_flags; /* the next sys() record's flags */

/* A syscall record exactly as runtime/dispatch.c writes one. */
static void sys(uint16_t type, int32_t tid, uint32_t nr, const uint64_t *a,
		int64_t ret, const struct cap *caps, int ncap)
{
	uint8_t rec[8192];
	struct limen_rec_sys *r = (void *)rec;
	uint32_t off = sizeof(*r);

	memset(rec, 0, sizeof(rec));
	r->nr = nr;
	r->ncap = (uint32_t)ncap;
	r->tsc = now;
	memcpy(r->args, a, sizeof(r->args));
	r->ret = type == LIMEN_REC_EXIT ? ret : 0;
	for (int k = 0; k < ncap; k++) {
		struct limen_cap *c = (void *)(rec + off);

		c->arg = (uint8_t)caps[k].arg;
		c->flags = caps[k].flags;
		c->len = caps[k].len;
		memcpy(c + 1, caps[k].data, caps[k].len);
		off += sizeof(*c) + (uint32_t)LIMEN_ALIGN8(caps[k].len);
	}
	r->h.size = off;
	r->h.type = type;
	r->h.flags = sys_flags;
	add(type, tid, 100, rec, off, sys_flags);
	sys_flags = 0;
}

static void fixed(uint16_t type, int32_t tid, void *rec, uint32_t size,
		  uint64_t *tsc)
{
	struct limen_rec *h = rec;

	h->size = size;
	h->type = type;
	*tsc = now;
	add(type, tid, 100, rec, size, 0);
}

static const char path[] = "/tmp/limen-ctf/known";
static const char hello[] = "hello world";

/* The trace of: open a known path, read 11 bytes, write them, a signal
   and its handler's return, a second thread, the end. */
static void known(int lost)
{
	uint64_t a[6] = { (uint64_t)(uint32_t)-100, 0x5000, 0x80000, 0,
			  0xdead, 0xbeef };
	struct cap c = { 1, path, sizeof(path), 0 };
	struct limen_rec_start st = { .kind = LIMEN_START_INIT, .ppid = 99 };
	struct limen_rec_sig sg = { .sig = SIGUSR1 };
	struct limen_rec_lost ls = { .count = 5 };
	struct {
		struct limen_rec_note n;
		char text[40];
	} note = { .n = { .kind = LIMEN_NOTE_UNTRACED, .pid = 100,
			  .len = 21 } };
	struct limen_ctf_reaped rp = { .pid = 100, .status = 3 << 8,
				       .child = 1 };
	const char *cnote = "+++ limen: a note of the collector +++";
	uint64_t sigmask = 1ull << (SIGUSR1 - 1);

	int32_t cmd = 100;

	add(LIMEN_EV_COMMAND, 0, 0, &cmd, 4, 0);
	fixed(LIMEN_REC_START, 100, &st, sizeof(st), &st.tsc);
	sys(LIMEN_REC_ENTER, 100, SYS_openat, a, 0, &c, 1);
	sys(LIMEN_REC_EXIT, 100, SYS_openat, a, 3, &c, 0);
	a[0] = 3;
	a[2] = 4096;
	sys(LIMEN_REC_ENTER, 100, SYS_read, a, 0, NULL, 0);
	c = (struct cap){ 1, hello, 11, 0 };
	sys(LIMEN_REC_EXIT, 100, SYS_read, a, 11, &c, 1);
	a[0] = 1;
	a[2] = 11;
	sys(LIMEN_REC_ENTER, 100, SYS_write, a, 0, &c, 1);
	sys(LIMEN_REC_EXIT, 100, SYS_write, a, 11, NULL, 0);
	fixed(LIMEN_REC_SIGNAL, 100, &sg, sizeof(sg), &sg.tsc);
	memset(a, 0, sizeof(a));
	c = (struct cap){ 0, &sigmask, 8, 0 };
	sys(LIMEN_REC_ENTER, 100, SYS_rt_sigreturn, a, 0, &c, 1);
	sys(LIMEN_REC_EXIT, 100, SYS_rt_sigreturn, a, 0, NULL, 0);
	st.kind = LIMEN_START_THREAD;
	st.ppid = 100;
	fixed(LIMEN_REC_START, 101, &st, sizeof(st), &st.tsc);
	sys(LIMEN_REC_ENTER, 101, SYS_getppid, a, 0, NULL, 0);
	sys(LIMEN_REC_EXIT, 101, SYS_getppid, a, 99, NULL, 0);
	if (lost)
		fixed(LIMEN_REC_LOST, 101, &ls, sizeof(ls), &ls.tsc);
	memcpy(note.text, "statically linked ...", 21);
	fixed(LIMEN_REC_NOTE, 100, &note,
	      (uint32_t)LIMEN_ALIGN8(sizeof(note.n) + 21), &note.n.tsc);
	add(LIMEN_EV_NOTE, 101, 100, cnote, (uint32_t)strlen(cnote) + 1, 0);
	a[0] = 3;
	sys(LIMEN_REC_ENTER, 100, SYS_exit_group, a, 0, NULL, 0);
	add(LIMEN_EV_TICK, 0, 0, NULL, 0, 0);
	add(LIMEN_EV_REAPED, 0, 0, &rp, sizeof(rp), 0);
	add(LIMEN_EV_LINE, 0, 0, "+++ limen: a line +++", 22, 0);
}

/*
 * Two threads; a signal comes as thread 100 enters getppid, before limen
 * makes the call, after thread 101's line: the entry is told as
 * suspended, the exit says the call was never made (LIMEN_RECF_UNMADE,
 * as dispatch.c records it), the handler runs, then the program makes the
 * call again. The collector's part of tests/collector/signal_at_entry_once.t
 * (the session drops such a pair while the entry is still held: not so
 * when it was told in an earlier drain, as here).
 */
static void unmade(void)
{
	uint64_t a[6] = { 0 };
	struct limen_rec_start st = { .kind = LIMEN_START_INIT, .ppid = 99 };
	struct limen_rec_sig sg = { .sig = SIGALRM };
	uint64_t none = 0;
	struct cap c = { 0, &none, 8, 0 };
	int32_t cmd = 100;

	add(LIMEN_EV_COMMAND, 0, 0, &cmd, 4, 0);
	fixed(LIMEN_REC_START, 100, &st, sizeof(st), &st.tsc);
	st.kind = LIMEN_START_THREAD;
	st.ppid = 100;
	fixed(LIMEN_REC_START, 101, &st, sizeof(st), &st.tsc);
	sys(LIMEN_REC_ENTER, 100, SYS_getppid, a, 0, NULL, 0);
	sys(LIMEN_REC_ENTER, 101, SYS_getpid, a, 0, NULL, 0);
	sys(LIMEN_REC_EXIT, 101, SYS_getpid, a, 100, NULL, 0);
	sys_flags = LIMEN_RECF_UNMADE;
	sys(LIMEN_REC_EXIT, 100, SYS_getppid, a, -513, NULL, 0);
	fixed(LIMEN_REC_SIGNAL, 100, &sg, sizeof(sg), &sg.tsc);
	/* the handler's own call, then its return */
	sys(LIMEN_REC_ENTER, 100, SYS_getpid, a, 0, NULL, 0);
	sys(LIMEN_REC_EXIT, 100, SYS_getpid, a, 100, NULL, 0);
	sys(LIMEN_REC_ENTER, 100, SYS_rt_sigreturn, a, 0, &c, 1);
	sys(LIMEN_REC_EXIT, 100, SYS_rt_sigreturn, a, 0, NULL, 0);
	sys(LIMEN_REC_ENTER, 100, SYS_getppid, a, 0, NULL, 0);
	sys(LIMEN_REC_EXIT, 100, SYS_getppid, a, 99, NULL, 0);
	a[0] = 0;
	sys(LIMEN_REC_ENTER, 100, SYS_exit_group, a, 0, NULL, 0);
}

static int write_all(const char *dir, uint32_t packet_bytes)
{
	struct limen_ctf_opts o = { .sz = sizeof(o),
				    .packet_bytes = packet_bytes };
	struct limen_ctf_clock ck = { 5000, 1700000000000000000ull,
				      3000005000ull, 1700000001000000000ull };
	struct limen_ctf *w = limen_ctf_open(dir, &o);

	if (!w) {
		perror(dir);
		return -1;
	}
	for (int i = 0; i < nev; i++)
		if (limen_ctf_write(w, &evs[i]) < 0) {
			fprintf(stderr, "write %d failed\n", i);
			return -1;
		}
	limen_ctf_set_clock(w, &ck);
	return limen_ctf_close(w) < 0 ? -1 : 0;
}

static uint64_t rnd_state = 88172645463325252ull;

static uint64_t rnd(void)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 7;
	rnd_state ^= rnd_state << 17;
	return rnd_state;
}

/* Copies of known()'s records with bytes changed: most no longer have the
   runtime's shape and must come back whole all the same. */
static void mutated(int n)
{
	int base = nev;

	for (int k = 0; k < n; k++) {
		const struct limen_event *src = &evs[rnd() % (uint64_t)base];
		uint8_t buf[8192];
		int flips = 1 + (int)(rnd() % 3);

		/* a LOST record changed would change the count of
			   discarded events the test expects */
		if (!src->size || src->type == LIMEN_REC_LOST)
			continue;
		memcpy(buf, src->rec, src->size);
		for (int f = 0; f < flips; f++)
			buf[rnd() % src->size] ^= (uint8_t)(1u << (rnd() % 8));
		add(src->type, src->tid, src->pid, buf, src->size,
		    ((struct limen_rec *)buf)->flags);
		/* the drain's TSC is the record's (unless the change hit
		   it): most copies keep the runtime's shape */
		evs[nev - 1].tsc = src->tsc;
	}
	/* the drain's own type, whatever the record's header says */
	add(0x7777, 5, 5, "\1\2\3\4\5\6\7\0", 8, 3);
}

static int same(const struct limen_event *a, const struct limen_event *b)
{
	return a->type == b->type && a->flags == b->flags &&
	       a->nested == b->nested &&
	       a->tid == b->tid && a->pid == b->pid && a->tsc == b->tsc &&
	       a->size == b->size &&
	       (!a->size || !memcmp(a->rec, b->rec, a->size));
}

static int roundtrip(const char *dir)
{
	struct limen_ctf_reader *r;
	struct limen_ctf_clock ck;
	struct limen_event e;
	char why[256];
	int i = 0, k, bad = 0;

	known(1);
	mutated(2000);
	{
		/* larger than a packet: a packet of its own */
		static char big[100001];

		memset(big, 'x', sizeof(big) - 1);
		add(LIMEN_EV_NOTE, 1, 1, big, sizeof(big), 0);
	}
	if (write_all(dir, 4096) < 0)
		return 1;
	r = limen_ctf_reader_open(dir, why, sizeof(why));
	if (!r) {
		fprintf(stderr, "open: %s\n", why);
		return 1;
	}
	while ((k = limen_ctf_read(r, &e, why, sizeof(why))) == 1) {
		if (i >= nev || !same(&evs[i], &e) || e.seq != (uint64_t)i) {
			if (bad++ < 5)
				fprintf(stderr, "event %d (type %u, %u bytes) "
						"differs\n", i, evs[i].type,
					evs[i].size);
		}
		free(e.rec);
		i++;
	}
	if (k < 0) {
		fprintf(stderr, "read: %s\n", why);
		return 1;
	}
	limen_ctf_reader_clock(r, &ck);
	if (ck.tsc0 != 5000 || ck.ns1 != 1700000001000000000ull) {
		fprintf(stderr, "clock not kept\n");
		bad++;
	}
	if (limen_ctf_reader_discarded(r) != 5) {
		fprintf(stderr, "discarded %llu, not 5\n",
			(unsigned long long)limen_ctf_reader_discarded(r));
		bad++;
	}
	limen_ctf_reader_close(r);
	if (i != nev) {
		fprintf(stderr, "read %d events of %d\n", i, nev);
		return 1;
	}
	printf("%d events round-tripped\n", i);
	return bad != 0;
}

static int copy_damaged(const char *from, const char *to, size_t *len)
{
	static uint8_t b[1 << 20];
	char p[8400];
	ssize_t n;
	int fd;

	snprintf(p, sizeof(p), "%s/stream", from);
	fd = open(p, O_RDONLY);
	n = fd < 0 ? -1 : read(fd, b, sizeof(b));
	if (fd >= 0)
		close(fd);
	if (n <= 0)
		return -1;
	*len = (size_t)n;
	switch (rnd() % 3) {
	case 0: /* truncated */
		n = (ssize_t)(rnd() % (uint64_t)n);
		break;
	default: /* bytes changed */
		for (int f = 0, nf = 1 + (int)(rnd() % 4); f < nf; f++)
			b[rnd() % (uint64_t)n] = (uint8_t)rnd();
	}
	snprintf(p, sizeof(p), "%s/stream", to);
	fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || write(fd, b, (size_t)n) != n)
		return -1;
	close(fd);
	return 0;
}

static int damage(const char *dir, int n)
{
	char good[4096], cmd[8400];
	int ended = 0, failed = 0;

	if (mkdir(dir, 0755) < 0 && errno != EEXIST)
		return 1;
	snprintf(good, sizeof(good), "%s/good", dir);
	known(1);
	mutated(200);
	if (write_all(good, 4096) < 0)
		return 1;
	snprintf(cmd, sizeof(cmd), "%s/bad", dir);
	if (mkdir(cmd, 0755) < 0 && errno != EEXIST)
		return 1;
	snprintf(cmd, sizeof(cmd), "%s/metadata", good);
	{
		char bad[4200], buf[1 << 16];
		int in = open(cmd, O_RDONLY), out;
		ssize_t k;

		snprintf(bad, sizeof(bad), "%s/bad/metadata", dir);
		out = open(bad, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		while (in >= 0 && out >= 0 && (k = read(in, buf, sizeof(buf))) > 0)
			if (write(out, buf, (size_t)k) != k)
				return 1;
		close(in);
		close(out);
	}
	for (int i = 0; i < n; i++) {
		struct limen_ctf_reader *r;
		struct limen_event e;
		char why[256], bad[4200];
		size_t len;
		int k;

		snprintf(bad, sizeof(bad), "%s/bad", dir);
		if (copy_damaged(good, bad, &len) < 0)
			return 1;
		r = limen_ctf_reader_open(bad, why, sizeof(why));
		if (!r)
			return 1;
		while ((k = limen_ctf_read(r, &e, why, sizeof(why))) == 1) {
			/* what comes back has the size it says */
			if ((e.size && !e.rec) || e.size > LIMEN_CTF_REC_MAX)
				return 1;
			free(e.rec);
		}
		if (k < 0) {
			if (!why[0])
				return 1;
			failed++;
		} else {
			ended++;
		}
		limen_ctf_reader_close(r);
	}
	printf("%d damaged recordings: %d refused with a reason, %d read to "
	       "the end\n", n, failed, ended);
	return failed == 0;
}

int main(int argc, char **argv)
{
	if (argc >= 3 && !strcmp(argv[1], "write")) {
		known(argc > 3 && !strcmp(argv[3], "--lost"));
		return write_all(argv[2], 0) < 0;
	}
	if (argc == 3 && !strcmp(argv[1], "unmade")) {
		unmade();
		return write_all(argv[2], 0) < 0;
	}
	if (argc == 3 && !strcmp(argv[1], "roundtrip"))
		return roundtrip(argv[2]);
	if (argc == 4 && !strcmp(argv[1], "damage"))
		return damage(argv[2], atoi(argv[3]));
	fprintf(stderr, "usage: ctf_synth write DIR [--lost] | roundtrip DIR "
			"| damage DIR N\n");
	return 2;
}
