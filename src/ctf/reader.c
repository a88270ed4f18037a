/* SPDX-License-Identifier: MIT */
/*
 * Reading a recording back into the events the writer was given. A
 * recording is a file anyone can edit: every length, id and count is
 * checked against the bytes that are actually there before it is used,
 * and the first thing that does not add up ends the reading with a reason.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ctf/ctf_int.h"
#include "systab.h"

#define METADATA_MAX (16u << 20)
/* a packet holds at most one record over the bound (writer.c) */
#define PACKET_MAX ((64u << 20) + LIMEN_CTF_REC_MAX + 4096u)

struct limen_ctf_reader {
	int fd;
	uint8_t uuid[16];
	struct limen_ctf_clock clock;
	uint8_t *pkt;            /* the current packet */
	size_t cap, len, pos;
	uint64_t ts_end, ts_last, pkt_seq, discarded, seq, off;
	int failed;
};

static void say(char *why, size_t n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void say(char *why, size_t n, const char *fmt, ...)
{
	va_list ap;

	if (!why || !n)
		return;
	va_start(ap, fmt);
	vsnprintf(why, n, fmt, ap);
	va_end(ap);
}

static int env_int(const char *md, const char *key, int64_t *v)
{
	char pat[64];
	const char *p;
	char *end;

	snprintf(pat, sizeof(pat), "\n\t%s = ", key);
	p = strstr(md, pat);
	if (!p)
		return -1;
	p += strlen(pat);
	errno = 0;
	*v = strtoll(p, &end, 10);
	return errno || end == p || *end != ';' ? -1 : 0;
}

static int parse_uuid(const char *md, uint8_t *u)
{
	const char *p = strstr(md, "\n\tuuid = \"");
	unsigned b[16];

	if (!p || sscanf(p + 10, "%2x%2x%2x%2x-%2x%2x-%2x%2x-%2x%2x-"
				 "%2x%2x%2x%2x%2x%2x\"",
			 &b[0], &b[1], &b[2], &b[3], &b[4], &b[5], &b[6],
			 &b[7], &b[8], &b[9], &b[10], &b[11], &b[12], &b[13],
			 &b[14], &b[15]) != 16)
		return -1;
	for (int i = 0; i < 16; i++)
		u[i] = (uint8_t)b[i];
	return 0;
}

static char *read_small(int dirfd, const char *name, size_t max)
{
	int fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC);
	struct stat st;
	size_t n = 0, size;
	char *b = NULL;

	if (fd < 0)
		return NULL;
	if (fstat(fd, &st) < 0 || st.st_size < 0 || (size_t)st.st_size > max)
		goto out;
	size = (size_t)st.st_size;
	b = malloc(size + 1);
	/* the file may change under us: never more than we sized */
	while (b && n < size) {
		ssize_t k = read(fd, b + n, size - n);

		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			break;
		n += (size_t)k;
	}
	if (b)
		b[n] = 0;
out:
	close(fd);
	return b;
}

struct limen_ctf_reader *limen_ctf_reader_open(const char *dir, char *why,
					       size_t whylen)
{
	struct limen_ctf_reader *r;
	int dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	char *md;
	int64_t v[6];

	if (dirfd < 0) {
		say(why, whylen, "%s: %s", dir, strerror(errno));
		return NULL;
	}
	md = read_small(dirfd, "metadata", METADATA_MAX);
	if (!md || strncmp(md, "/* CTF 1.8 */\n", 14) ||
	    env_int(md, "limen_format", &v[0]) < 0 ||
	    v[0] != LIMEN_CTF_FORMAT) {
		say(why, whylen, "%s: not a limen recording (no metadata "
				 "of limen's format %d)", dir,
		    LIMEN_CTF_FORMAT);
		goto fail;
	}
	if (env_int(md, "limen_table", &v[1]) < 0 ||
	    (uint64_t)v[1] != limen_ctf_table_hash()) {
		say(why, whylen, "%s: recorded with another syscall table "
				 "(another limen version)", dir);
		goto fail;
	}
	r = calloc(1, sizeof(*r));
	if (!r || parse_uuid(md, r->uuid) < 0 ||
	    env_int(md, "limen_tsc0", &v[2]) < 0 ||
	    env_int(md, "limen_ns0", &v[3]) < 0 ||
	    env_int(md, "limen_tsc1", &v[4]) < 0 ||
	    env_int(md, "limen_ns1", &v[5]) < 0) {
		free(r);
		say(why, whylen, "%s: metadata: no uuid or clock", dir);
		goto fail;
	}
	r->clock.tsc0 = (uint64_t)v[2];
	r->clock.ns0 = (uint64_t)v[3];
	r->clock.tsc1 = (uint64_t)v[4];
	r->clock.ns1 = (uint64_t)v[5];
	r->fd = openat(dirfd, "stream", O_RDONLY | O_CLOEXEC);
	if (r->fd < 0) {
		say(why, whylen, "%s/stream: %s", dir, strerror(errno));
		free(r);
		goto fail;
	}
	free(md);
	close(dirfd);
	return r;
fail:
	free(md);
	close(dirfd);
	errno = EINVAL;
	return NULL;
}

void limen_ctf_reader_clock(const struct limen_ctf_reader *r,
			    struct limen_ctf_clock *c)
{
	*c = r->clock;
}

uint64_t limen_ctf_reader_discarded(const struct limen_ctf_reader *r)
{
	return r->discarded;
}

void limen_ctf_reader_close(struct limen_ctf_reader *r)
{
	if (!r)
		return;
	close(r->fd);
	free(r->pkt);
	free(r);
}

/* n bytes at fd's position; 1, 0 at a clean end, -1 short or error */
static int read_full(int fd, uint8_t *b, size_t n)
{
	size_t got = 0;

	while (got < n) {
		ssize_t k = read(fd, b + got, n - got);

		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return got == 0 && k == 0 ? 0 : -1;
		got += (size_t)k;
	}
	return 1;
}

static uint64_t get(const uint8_t *p, size_t n)
{
	uint64_t v = 0;

	memcpy(&v, p, n);
	return v;
}

/* Load the next packet: 1, 0 at the end, -1 damaged. */
static int next_packet(struct limen_ctf_reader *r, char *why, size_t wl)
{
	uint8_t h[LIMEN_CTF_PKT_HDR];
	uint64_t bits, ts_begin, ts_end, disc, seqn;
	int k = read_full(r->fd, h, sizeof(h));

	if (k <= 0) {
		if (k < 0)
			say(why, wl, "stream: truncated packet header at "
				     "byte %" PRIu64, r->off);
		return k;
	}
	ts_begin = get(h + 24, 8);
	ts_end = get(h + 32, 8);
	bits = get(h + 40, 8);
	disc = get(h + 56, 8);
	seqn = get(h + 64, 8);
	if (get(h, 4) != LIMEN_CTF_MAGIC || memcmp(h + 4, r->uuid, 16) ||
	    get(h + 20, 4) != 0) {
		say(why, wl, "stream: bad packet header at byte %" PRIu64,
		    r->off);
		return -1;
	}
	if (bits != get(h + 48, 8) || bits & 7 ||
	    bits / 8 < LIMEN_CTF_PKT_HDR || bits / 8 > PACKET_MAX ||
	    ts_end < ts_begin || ts_begin < r->ts_last ||
	    disc < r->discarded || seqn != r->pkt_seq) {
		say(why, wl, "stream: inconsistent packet context at byte "
			     "%" PRIu64, r->off);
		return -1;
	}
	r->len = (size_t)(bits / 8) - LIMEN_CTF_PKT_HDR;
	if (r->len > r->cap) {
		uint8_t *b = realloc(r->pkt, r->len);

		if (!b) {
			say(why, wl, "stream: no memory for a packet of %zu "
				     "bytes", r->len);
			return -1;
		}
		r->pkt = b;
		r->cap = r->len;
	}
	if (read_full(r->fd, r->pkt, r->len) != 1) {
		say(why, wl, "stream: truncated packet at byte %" PRIu64,
		    r->off);
		return -1;
	}
	r->off += bits / 8;
	r->pos = 0;
	r->ts_last = ts_begin;
	r->ts_end = ts_end;
	r->discarded = disc;
	r->pkt_seq++;
	return 1;
}

/* A cursor over the packet's bytes that never reads past them. */
struct cur {
	const uint8_t *p;
	size_t n;
	int bad;
};

static uint64_t take(struct cur *c, size_t n)
{
	uint64_t v = 0;

	if (c->bad || c->n < n) {
		c->bad = 1;
		return 0;
	}
	memcpy(&v, c->p, n);
	c->p += n;
	c->n -= n;
	return v;
}

static const uint8_t *take_bytes(struct cur *c, uint64_t n)
{
	const uint8_t *p = c->p;

	if (c->bad || c->n < n) {
		c->bad = 1;
		return NULL;
	}
	c->p += n;
	c->n -= n;
	return p;
}

static uint8_t *dup_bytes(const void *p, size_t n)
{
	uint8_t *b = malloc(n ? n : 1);

	if (b && n)
		memcpy(b, p, n);
	return b;
}

/* Rebuild a syscall record from its class's fields. NULL: bad fields. */
static uint8_t *sys_record(struct cur *c, uint32_t nr, int exit,
			   const struct limen_event *e, uint32_t *size)
{
	const struct limen_ctf_arg *a = limen_ctf_args(nr);
	struct limen_rec_sys h;
	const uint8_t *data[6] = { 0 };
	uint32_t len[6] = { 0 };
	uint8_t capf[6] = { 0 };
	uint64_t total = sizeof(h);
	uint8_t *rec, *p;

	memset(&h, 0, sizeof(h));
	if (exit)
		h.ret = (int64_t)take(c, 8);
	for (int i = 0; i < 6; i++) {
		switch (a[i].kind) {
		case LIMEN_CTF_F_S32:
		case LIMEN_CTF_F_U32:
		case LIMEN_CTF_F_O32:
			h.args[i] = take(c, 4);
			h.args[i] |= take(c, 4) << 32;
			break;
		case LIMEN_CTF_F_TEXT:
		case LIMEN_CTF_F_BYTES:
			h.args[i] = take(c, 8);
			capf[i] = (uint8_t)take(c, 1);
			len[i] = (uint32_t)take(c, 4);
			if (!(capf[i] & LIMEN_CTF_CAP_PRESENT) &&
			    (capf[i] || len[i]))
				return NULL;
			data[i] = take_bytes(c, len[i]);
			if (capf[i]) {
				h.ncap++;
				total += sizeof(struct limen_cap) +
					 LIMEN_ALIGN8((uint64_t)len[i]);
			}
			break;
		default:
			h.args[i] = take(c, 8);
		}
	}
	if (c->bad || total > LIMEN_CTF_REC_MAX)
		return NULL;
	h.h.size = (uint32_t)total;
	h.h.type = exit ? LIMEN_REC_EXIT : LIMEN_REC_ENTER;
	h.h.flags = e->flags;
	h.nr = nr;
	h.tsc = e->tsc;
	rec = calloc(1, total);
	if (!rec)
		return NULL;
	memcpy(rec, &h, sizeof(h));
	p = rec + sizeof(h);
	for (int i = 0; i < 6; i++) {
		struct limen_cap cap = { .arg = (uint8_t)i,
					 .flags = capf[i] &
						  ~LIMEN_CTF_CAP_PRESENT,
					 .len = len[i] };

		if (!capf[i])
			continue;
		memcpy(p, &cap, sizeof(cap));
		memcpy(p + sizeof(cap), data[i], len[i]);
		p += sizeof(cap) + LIMEN_ALIGN8((uint64_t)len[i]);
	}
	*size = (uint32_t)total;
	return rec;
}

/* A ring record of a fixed layout: its header, then the fields. */
static uint8_t *fixed_record(uint16_t type, uint16_t flags, size_t size)
{
	uint8_t *rec = calloc(1, size);
	struct limen_rec h = { .size = (uint32_t)size, .type = type,
			       .flags = flags };

	if (rec)
		memcpy(rec, &h, sizeof(h));
	return rec;
}

static int decode(struct cur *c, uint16_t id, struct limen_event *e)
{
	uint8_t *rec = NULL;
	uint32_t size = 0;

	if (id < 2 * LIMEN_NSYSENT) {
		if (!limen_ctf_args(id / 2))
			return -1;
		rec = sys_record(c, id / 2, id & 1, e, &size);
		e->type = id & 1 ? LIMEN_REC_EXIT : LIMEN_REC_ENTER;
	} else if (id == LIMEN_CTF_ID_SIGNAL) {
		struct limen_rec_sig *s;
		const uint8_t *info;

		size = sizeof(*s);
		rec = fixed_record(LIMEN_REC_SIGNAL, e->flags, size);
		if (!rec)
			return -1;
		s = (void *)rec;
		s->sig = (uint32_t)take(c, 4);
		s->tsc = e->tsc;
		info = take_bytes(c, 128);
		if (info)
			memcpy(s->siginfo, info, 128);
		s->ip = take(c, 8);
		e->type = LIMEN_REC_SIGNAL;
	} else if (id == LIMEN_CTF_ID_START) {
		struct limen_rec_start *s;

		size = sizeof(*s);
		rec = fixed_record(LIMEN_REC_START, e->flags, size);
		if (!rec)
			return -1;
		s = (void *)rec;
		s->kind = (uint32_t)take(c, 4);
		s->ppid = (int32_t)take(c, 4);
		s->tsc = e->tsc;
		e->type = LIMEN_REC_START;
	} else if (id == LIMEN_CTF_ID_LOST) {
		struct limen_rec_lost *l;

		size = sizeof(*l);
		rec = fixed_record(LIMEN_REC_LOST, e->flags, size);
		if (!rec)
			return -1;
		l = (void *)rec;
		l->count = take(c, 8);
		l->tsc = e->tsc;
		e->type = LIMEN_REC_LOST;
	} else if (id == LIMEN_CTF_ID_NOTE) {
		struct limen_rec_note n = { .tsc = e->tsc };
		const uint8_t *text;
		uint64_t total;

		n.kind = (uint32_t)take(c, 4);
		n.pid = (int32_t)take(c, 4);
		n.len = (uint32_t)take(c, 4);
		text = take_bytes(c, n.len);
		total = LIMEN_ALIGN8(sizeof(n) + (uint64_t)n.len);
		if (c->bad || total > LIMEN_CTF_REC_MAX)
			return -1;
		size = (uint32_t)total;
		rec = fixed_record(LIMEN_REC_NOTE, e->flags, size);
		if (!rec)
			return -1;
		n.h = *(struct limen_rec *)rec;
		memcpy(rec, &n, sizeof(n));
		memcpy(rec + sizeof(n), text, n.len);
		e->type = LIMEN_REC_NOTE;
	} else if (id == LIMEN_CTF_ID_CNOTE || id == LIMEN_CTF_ID_LINE) {
		const uint8_t *nul = c->bad ? NULL : memchr(c->p, 0, c->n);

		if (!nul)
			return -1;
		size = (uint32_t)(nul - c->p + 1);
		rec = dup_bytes(take_bytes(c, size), size);
		e->type = id == LIMEN_CTF_ID_LINE ? LIMEN_EV_LINE
						  : LIMEN_EV_NOTE;
	} else if (id == LIMEN_CTF_ID_REAPED) {
		struct limen_ctf_reaped d = { 0 };

		d.pid = (int32_t)take(c, 4);
		d.status = (int32_t)take(c, 4);
		d.child = (uint32_t)take(c, 4);
		size = sizeof(d);
		rec = dup_bytes(&d, size);
		e->type = LIMEN_EV_REAPED;
	} else if (id == LIMEN_CTF_ID_COMMAND) {
		int32_t pid = (int32_t)take(c, 4);

		size = 4;
		rec = dup_bytes(&pid, size);
		e->type = LIMEN_EV_COMMAND;
	} else if (id == LIMEN_CTF_ID_TICK) {
		e->type = LIMEN_EV_TICK;
	} else if (id == LIMEN_CTF_ID_RECORD) {
		uint16_t type = (uint16_t)take(c, 2);
		uint32_t n = (uint32_t)take(c, 4);
		const uint8_t *b = take_bytes(c, n);

		if (c->bad || n > LIMEN_CTF_REC_MAX)
			return -1;
		size = n;
		rec = n ? dup_bytes(b, n) : NULL;
		if (n && !rec)
			return -1;
		e->type = type;
	} else {
		return -1;
	}
	if (c->bad || (size && !rec)) {
		free(rec);
		return -1;
	}
	e->rec = rec;
	e->size = size;
	return 0;
}

int limen_ctf_read(struct limen_ctf_reader *r, struct limen_event *e,
		   char *why, size_t wl)
{
	struct cur c;
	uint64_t ts;
	uint16_t id;
	int k;

	if (r->failed)
		return -1;
	while (r->pos == r->len) {
		k = next_packet(r, why, wl);
		if (k <= 0) {
			r->failed = k < 0;
			return k;
		}
	}
	c.p = r->pkt + r->pos;
	c.n = r->len - r->pos;
	c.bad = 0;
	memset(e, 0, sizeof(*e));
	id = (uint16_t)take(&c, 2);
	ts = take(&c, 8);
	e->tid = (int32_t)take(&c, 4);
	e->pid = (int32_t)take(&c, 4);
	e->flags = (uint16_t)take(&c, 2);
	e->nested = !!(e->flags & LIMEN_RECF_NESTED);
	e->flags &= (uint16_t)~LIMEN_RECF_NESTED;
	e->tsc = take(&c, 8);
	if (c.bad || ts < r->ts_last || ts > r->ts_end ||
	    id >= LIMEN_CTF_NIDS || decode(&c, id, e) < 0) {
		say(why, wl, "stream: bad event at byte %" PRIu64,
		    r->off - r->len + r->pos);
		r->failed = 1;
		return -1;
	}
	r->ts_last = ts;
	r->pos = r->len - c.n;
	e->seq = r->seq++;
	return 1;
}
