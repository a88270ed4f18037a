/* SPDX-License-Identifier: MIT */
/*
 * The CTF writer and reader under libFuzzer, AddressSanitizer and UBSan:
 * events made from the input (any type, any bytes: the rings are written by
 * the traced program) are recorded and read back, and must come back
 * exactly as given; then the recording is damaged at places the input
 * names and read again, which must end cleanly, with or without a reason.
 *
 * Input: byte 0 the number of events; per event one byte of type (an index
 * into types[], or a raw type), two of flags, two of length, the bytes;
 * then (offset: 4 bytes, xor: 1 byte) pairs for the damage.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ctf/ctf.h"

static const uint16_t types[] = {
	LIMEN_REC_ENTER, LIMEN_REC_EXIT, LIMEN_REC_SIGNAL, LIMEN_REC_START,
	LIMEN_REC_LOST, LIMEN_REC_NOTE, LIMEN_EV_NOTE, LIMEN_EV_REAPED,
	LIMEN_EV_TICK, LIMEN_EV_COMMAND, LIMEN_EV_LINE,
};
#define NTYPES (sizeof(types) / sizeof(types[0]))
#define MAXEV 256

static char dir[256];

/* where each ring record keeps its TSC (cli/session.c: rec_tsc) */
static uint64_t rec_tsc(uint16_t type, const uint8_t *rec, uint32_t size)
{
	size_t off;
	uint64_t tsc = 0;

	switch (type) {
	case LIMEN_REC_ENTER:
	case LIMEN_REC_EXIT:
		off = offsetof(struct limen_rec_sys, tsc);
		break;
	case LIMEN_REC_SIGNAL:
		off = offsetof(struct limen_rec_sig, tsc);
		break;
	case LIMEN_REC_START:
		off = offsetof(struct limen_rec_start, tsc);
		break;
	case LIMEN_REC_LOST:
		off = offsetof(struct limen_rec_lost, tsc);
		break;
	case LIMEN_REC_NOTE:
		off = offsetof(struct limen_rec_note, tsc);
		break;
	default:
		return 0;
	}
	if (off + 8 <= size)
		memcpy(&tsc, rec + off, 8);
	return tsc;
}

static void damage(const uint8_t *d, size_t n)
{
	char path[300];
	FILE *f;
	long len;

	snprintf(path, sizeof(path), "%s/stream", dir);
	f = fopen(path, "r+");
	if (!f)
		abort();
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	for (; n >= 5 && len > 0; d += 5, n -= 5) {
		uint32_t off;
		int c;

		memcpy(&off, d, 4);
		fseek(f, (long)(off % (uint32_t)len), SEEK_SET);
		c = fgetc(f);
		fseek(f, (long)(off % (uint32_t)len), SEEK_SET);
		fputc(c ^ d[4], f);
	}
	/* the last pair may cut the file short */
	if (n == 4 && len > 0) {
		uint32_t off;

		memcpy(&off, d, 4);
		if (ftruncate(fileno(f), (off_t)(off % (uint32_t)len)) < 0)
			abort();
	}
	fclose(f);
}

static void cleanup(void)
{
	char p[300];

	snprintf(p, sizeof(p), "%s/stream", dir);
	unlink(p);
	snprintf(p, sizeof(p), "%s/metadata", dir);
	unlink(p);
	rmdir(dir);
}

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);
int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	static struct limen_event ev[MAXEV];
	struct limen_ctf_opts o = { .sz = sizeof(o), .packet_bytes = 4096 };
	struct limen_ctf_reader *r;
	struct limen_ctf *w;
	struct limen_event e;
	char why[256];
	size_t nev = 0, want;
	int k;

	if (!dir[0]) {
		const char *t = getenv("TMPDIR");

		snprintf(dir, sizeof(dir), "%s/limen-fuzz-ctf.%d",
			 t ? t : "/tmp", getpid());
		atexit(cleanup);
	}
	if (!n)
		return 0;
	want = d[0];
	d++;
	n--;
	while (nev < want && n >= 5) {
		struct limen_event *x = &ev[nev];
		uint16_t flags, len;

		memset(x, 0, sizeof(*x));
		x->type = d[0] < NTYPES ? types[d[0]] : (uint16_t)(d[0] | 0x100);
		memcpy(&flags, d + 1, 2);
		memcpy(&len, d + 3, 2);
		d += 5;
		n -= 5;
		if (len > n)
			len = (uint16_t)n;
		x->size = len;
		x->rec = len ? malloc(len) : NULL;
		if (len)
			memcpy(x->rec, d, len);
		d += len;
		n -= len;
		x->tid = (int32_t)nev;
		x->pid = 7;
		/* the collector's mark of a nested writer, never a ring's
		   (session.c clears it there) */
		x->nested = flags >> 15;
		flags &= (uint16_t)~LIMEN_RECF_NESTED;
		if (x->type < 0x8000) {
			x->flags = flags;
			/* as the drain holds a record: its size and type are
			   the validated ones */
			if (len >= 8) {
				struct limen_rec *h = (void *)x->rec;

				h->size = len;
				h->type = x->type;
				h->flags &= (uint16_t)~LIMEN_RECF_NESTED;
				x->flags = h->flags;
			}
			x->tsc = rec_tsc(x->type, x->rec, len);
		} else {
			x->tsc = nev * 10;
		}
		nev++;
	}
	w = limen_ctf_open(dir, &o);
	if (!w)
		abort();
	for (size_t i = 0; i < nev; i++)
		if (limen_ctf_write(w, &ev[i]) < 0)
			abort();
	if (limen_ctf_close(w) < 0)
		abort();
	r = limen_ctf_reader_open(dir, why, sizeof(why));
	if (!r)
		abort();
	for (size_t i = 0; i <= nev; i++) {
		k = limen_ctf_read(r, &e, why, sizeof(why));
		if (i == nev) {
			if (k != 0)
				abort();
			break;
		}
		if (k != 1 || e.type != ev[i].type || e.flags != ev[i].flags ||
		    e.nested != ev[i].nested || e.tid != ev[i].tid || e.pid != ev[i].pid ||
		    e.tsc != ev[i].tsc || e.size != ev[i].size ||
		    (e.size && memcmp(e.rec, ev[i].rec, e.size)))
			abort();
		free(e.rec);
	}
	limen_ctf_reader_close(r);
	for (size_t i = 0; i < nev; i++)
		free(ev[i].rec);

	damage(d, n);
	r = limen_ctf_reader_open(dir, why, sizeof(why));
	if (!r)
		abort();
	while ((k = limen_ctf_read(r, &e, why, sizeof(why))) == 1)
		free(e.rec);
	if (k < 0 && !why[0])
		abort();
	limen_ctf_reader_close(r);
	return 0;
}
