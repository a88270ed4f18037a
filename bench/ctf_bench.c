/* SPDX-License-Identifier: MIT */
/*
 * The CTF writer's sustained speed: events per second and megabytes per
 * second into a recording on this machine, with the record mix of a traced
 * program (getppid pairs, reads returning 32 captured bytes, openat with a
 * path). Not a test: it asserts nothing.
 *
 *   ctf_bench DIR [EVENTS]   (default 4,000,000)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>

#include "ctf/ctf.h"

static uint8_t recs[3][256];
static uint32_t sizes[3];

static uint32_t make(uint8_t *rec, uint16_t type, uint32_t nr, int arg,
		     const void *data, uint32_t len, int64_t ret)
{
	struct limen_rec_sys *r = (void *)rec;
	uint32_t off = sizeof(*r);

	r->h.type = type;
	r->nr = nr;
	r->ret = ret;
	r->args[0] = 3;
	r->args[1] = 0x7ffc0000;
	r->args[2] = 4096;
	if (data) {
		struct limen_cap *c = (void *)(rec + off);

		c->arg = (uint8_t)arg;
		c->len = len;
		memcpy(c + 1, data, len);
		off += sizeof(*c) + (uint32_t)LIMEN_ALIGN8(len);
		r->ncap = 1;
	}
	r->h.size = off;
	return off;
}

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	uint64_t n = argc > 2 ? strtoull(argv[2], NULL, 10) : 4000000;
	struct limen_ctf_clock ck = { 0, 0, 3000000000ull, 1000000000ull };
	uint64_t events, bytes, recbytes = 0;
	struct limen_event e = { .tid = 4242, .pid = 4242 };
	struct limen_ctf *w;
	double t0, t1;

	if (argc < 2) {
		fprintf(stderr, "usage: ctf_bench DIR [EVENTS]\n");
		return 2;
	}
	sizes[0] = make(recs[0], LIMEN_REC_EXIT, SYS_getppid, 0, NULL, 0, 1);
	sizes[1] = make(recs[1], LIMEN_REC_EXIT, SYS_read, 1,
			"0123456789abcdef0123456789abcdef", 32, 32);
	sizes[2] = make(recs[2], LIMEN_REC_ENTER, SYS_openat, 1,
			"/usr/lib/x86_64-linux-gnu/libc.so.6", 36, 0);
	w = limen_ctf_open(argv[1], NULL);
	if (!w) {
		perror(argv[1]);
		return 1;
	}
	t0 = now();
	for (uint64_t i = 0; i < n; i++) {
		/* mostly getppid, as the loss benchmarks run; 1 in 8 a
		   read, 1 in 16 an openat */
		int k = (i & 7) == 3 ? 1 : (i & 15) == 5 ? 2 : 0;
		struct limen_rec_sys *r = (void *)recs[k];

		r->tsc = i * 100;
		e.type = r->h.type;
		e.tsc = r->tsc;
		e.rec = recs[k];
		e.size = sizes[k];
		recbytes += sizes[k];
		if (limen_ctf_write(w, &e) < 0) {
			fprintf(stderr, "write failed\n");
			return 1;
		}
	}
	limen_ctf_stats(w, &events, &bytes);
	limen_ctf_set_clock(w, &ck);
	if (limen_ctf_close(w) < 0) {
		fprintf(stderr, "close failed\n");
		return 1;
	}
	t1 = now();
	printf("ctf writer: %llu events in %.3f s: %.2f M events/s, "
	       "%.0f MB/s written (%.0f MB/s of ring records), "
	       "%.1f bytes per event in the file, %.1f in the rings\n",
	       (unsigned long long)events, t1 - t0,
	       (double)events / (t1 - t0) / 1e6,
	       (double)bytes / (t1 - t0) / 1e6,
	       (double)recbytes / (t1 - t0) / 1e6,
	       (double)bytes / (double)events,
	       (double)recbytes / (double)events);
	return 0;
}
