/* SPDX-License-Identifier: MIT */
/*
 * The CTF writer: events are encoded straight into the current packet's
 * buffer (byte-packed, little-endian, as metadata.c describes them) and a
 * packet goes to the stream file with one write() when the next event
 * would not fit. No allocation per event.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ctf/ctf.h"
#include "ctf/ctf_int.h"
#include "systab.h"

struct limen_ctf {
	int dirfd, fd;
	uint8_t *buf;
	size_t cap, pos;         /* pos: bytes of the packet so far */
	uint32_t packet_bytes;
	uint64_t ts_begin, ts_last, nev_pkt;
	uint64_t discarded;      /* cumulative, as CTF counts them */
	uint64_t pkt_seq;
	uint64_t events, bytes;
	int err;                 /* first write error, -errno */
	struct limen_ctf_clock clock;
	uint8_t uuid[16];
};

static void put(uint8_t **p, const void *v, size_t n)
{
	memcpy(*p, v, n);
	*p += n;
}

static void put16(uint8_t **p, uint16_t v) { put(p, &v, 2); }
static void put32(uint8_t **p, uint32_t v) { put(p, &v, 4); }
static void put64(uint8_t **p, uint64_t v) { put(p, &v, 8); }

static int write_all(int fd, const uint8_t *b, size_t n)
{
	while (n) {
		ssize_t k = write(fd, b, n);

		if (k < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		b += k;
		n -= (size_t)k;
	}
	return 0;
}

static void packet_header(struct limen_ctf *w, uint8_t *p, size_t len,
			  uint64_t end, uint64_t discarded)
{
	put32(&p, LIMEN_CTF_MAGIC);
	put(&p, w->uuid, 16);
	put32(&p, 0);                       /* stream_id */
	put64(&p, w->ts_begin);
	put64(&p, end);
	put64(&p, (uint64_t)len * 8);       /* content_size */
	put64(&p, (uint64_t)len * 8);       /* packet_size: no padding */
	put64(&p, discarded);
	put64(&p, w->pkt_seq++);
}

static int flush_packet(struct limen_ctf *w)
{
	int r;

	if (w->pos <= LIMEN_CTF_PKT_HDR)
		return w->err;
	if (!w->pkt_seq) {
		/* CTF readers count a packet's discarded events from the
		   packet before it: an empty first packet saying 0 lets
		   them count losses in the first real packet too */
		uint8_t h[LIMEN_CTF_PKT_HDR];

		packet_header(w, h, sizeof(h), w->ts_begin, 0);
		r = write_all(w->fd, h, sizeof(h));
		if (r < 0 && !w->err)
			w->err = r;
		w->bytes += sizeof(h);
	}
	packet_header(w, w->buf, w->pos, w->ts_last, w->discarded);
	r = write_all(w->fd, w->buf, w->pos);
	if (r < 0 && !w->err)
		w->err = r;
	w->bytes += w->pos;
	w->pos = LIMEN_CTF_PKT_HDR;
	w->nev_pkt = 0;
	return w->err;
}

static void random_uuid(uint8_t *u)
{
	int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
	ssize_t k = fd >= 0 ? read(fd, u, 16) : -1;

	if (fd >= 0)
		close(fd);
	if (k != 16) {
		/* no /dev/urandom: unique enough for one machine */
		uint64_t a = limen_rdtsc(), b = (uint64_t)getpid();

		memcpy(u, &a, 8);
		memcpy(u + 8, &b, 8);
	}
	u[6] = (u[6] & 0x0f) | 0x40;  /* version 4 */
	u[8] = (u[8] & 0x3f) | 0x80;  /* RFC 4122 variant */
}

struct limen_ctf *limen_ctf_open(const char *dir,
				 const struct limen_ctf_opts *o)
{
	struct limen_ctf *w = calloc(1, sizeof(*w));
	int e;

	if (!w)
		return NULL;
	w->packet_bytes = 64u << 10;
	if (o && o->sz >= offsetof(struct limen_ctf_opts, packet_bytes) + 4 &&
	    o->packet_bytes) {
		if (o->packet_bytes < 4096 || o->packet_bytes > (64u << 20)) {
			free(w);
			errno = EINVAL;
			return NULL;
		}
		w->packet_bytes = o->packet_bytes;
	}
	w->fd = w->dirfd = -1;
	if (mkdir(dir, 0777) < 0 && errno != EEXIST)
		goto fail;
	w->dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (w->dirfd < 0)
		goto fail;
	w->fd = openat(w->dirfd, "stream",
		       O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
	if (w->fd < 0)
		goto fail;
	/* a stale metadata file from an earlier recording would describe
	   this stream wrongly until close writes ours */
	if (unlinkat(w->dirfd, "metadata", 0) < 0 && errno != ENOENT)
		goto fail;
	w->cap = w->packet_bytes;
	w->buf = malloc(w->cap);
	if (!w->buf)
		goto fail;
	w->pos = LIMEN_CTF_PKT_HDR;
	random_uuid(w->uuid);
	/* a collector killed before close leaves a readable recording (of
	   the packets written), timed with a provisional clock */
	e = limen_ctf_write_metadata(w->dirfd, w->uuid, &w->clock);
	if (e < 0) {
		errno = -e;
		goto fail;
	}
	return w;
fail:
	e = errno;
	free(w->buf);
	if (w->fd >= 0)
		close(w->fd);
	if (w->dirfd >= 0)
		close(w->dirfd);
	free(w);
	errno = e;
	return NULL;
}

/* Room for n more bytes in the packet: flush, or grow for one big event. */
static int room(struct limen_ctf *w, size_t n)
{
	if (w->pos + n <= w->cap)
		return 0;
	flush_packet(w);
	if (w->pos + n > w->cap) {
		size_t cap = w->pos + n;
		uint8_t *b = realloc(w->buf, cap);

		if (!b)
			return -ENOMEM;
		w->buf = b;
		w->cap = cap;
	}
	return 0;
}

/* After a packet that had to grow, go back to the bound. */
static void shrink(struct limen_ctf *w)
{
	if (w->cap > w->packet_bytes && w->pos == LIMEN_CTF_PKT_HDR) {
		uint8_t *b = realloc(w->buf, w->packet_bytes);

		if (b) {
			w->buf = b;
			w->cap = w->packet_bytes;
		}
	}
}

void limen_ctf_set_clock(struct limen_ctf *w, const struct limen_ctf_clock *c)
{
	w->clock = *c;
}

void limen_ctf_stats(const struct limen_ctf *w, uint64_t *events,
		     uint64_t *bytes)
{
	*events = w->events;
	*bytes = w->bytes + (w->pos > LIMEN_CTF_PKT_HDR ? w->pos : 0);
}

/* Size of e's payload in its class (see ctf_int.h), setting *id. */
static size_t payload_size(const struct limen_event *e, uint16_t *id,
			   struct limen_ctf_sys *sys)
{
	struct limen_ctf_shape sh;

	if (limen_ctf_shape(e, &sh, sys) == 0) {
		*id = sh.id;
		return sh.payload;
	}
	*id = LIMEN_CTF_ID_RECORD;
	return 2 + 4 + (size_t)e->size;
}

static void encode_sys(uint8_t **p, const struct limen_event *e,
		       const struct limen_ctf_sys *sys)
{
	const struct limen_rec_sys *r = (const void *)e->rec;
	const struct limen_ctf_arg *a = limen_ctf_args(r->nr);

	if (e->type == LIMEN_REC_EXIT)
		put64(p, (uint64_t)r->ret);
	for (int i = 0; i < 6; i++) {
		const struct limen_cap *c = sys->cap[i];

		switch (a[i].kind) {
		case LIMEN_CTF_F_S32:
		case LIMEN_CTF_F_U32:
		case LIMEN_CTF_F_O32:
			put32(p, (uint32_t)r->args[i]);
			put32(p, (uint32_t)(r->args[i] >> 32));
			break;
		case LIMEN_CTF_F_TEXT:
		case LIMEN_CTF_F_BYTES:
			put64(p, r->args[i]);
			**p = c ? (uint8_t)(LIMEN_CTF_CAP_PRESENT | c->flags) : 0;
			(*p)++;
			put32(p, c ? c->len : 0);
			if (c)
				put(p, c + 1, c->len);
			break;
		default:
			put64(p, r->args[i]);
		}
	}
}

static void encode(uint8_t **p, uint16_t id, const struct limen_event *e,
		   const struct limen_ctf_sys *sys)
{
	const uint8_t *rec = e->rec;

	if (id < 2 * LIMEN_NSYSENT) {
		encode_sys(p, e, sys);
		return;
	}
	switch (id) {
	case LIMEN_CTF_ID_SIGNAL: {
		const struct limen_rec_sig *s = (const void *)rec;

		put32(p, s->sig);
		put(p, s->siginfo, sizeof(s->siginfo));
		put64(p, s->ip);
		break;
	}
	case LIMEN_CTF_ID_START: {
		const struct limen_rec_start *s = (const void *)rec;

		put32(p, s->kind);
		put32(p, (uint32_t)s->ppid);
		break;
	}
	case LIMEN_CTF_ID_LOST: {
		const struct limen_rec_lost *l = (const void *)rec;

		put64(p, l->count);
		break;
	}
	case LIMEN_CTF_ID_NOTE: {
		const struct limen_rec_note *n = (const void *)rec;

		put32(p, n->kind);
		put32(p, (uint32_t)n->pid);
		put32(p, n->len);
		put(p, n + 1, n->len);
		break;
	}
	case LIMEN_CTF_ID_CNOTE:
	case LIMEN_CTF_ID_LINE:
		put(p, rec, e->size);  /* NUL-terminated: a CTF string */
		break;
	case LIMEN_CTF_ID_REAPED: {
		const struct limen_ctf_reaped *d = (const void *)rec;

		put32(p, (uint32_t)d->pid);
		put32(p, (uint32_t)d->status);
		put32(p, d->child);
		break;
	}
	case LIMEN_CTF_ID_COMMAND:
		put(p, rec, 4);
		break;
	case LIMEN_CTF_ID_TICK:
		break;
	default: /* LIMEN_CTF_ID_RECORD */
		put16(p, e->type);
		put32(p, e->size);
		if (e->size)
			put(p, rec, e->size);
	}
}

int limen_ctf_write(struct limen_ctf *w, const struct limen_event *e)
{
	struct limen_ctf_sys sys;
	uint16_t id;
	size_t n;
	uint64_t ts;
	uint8_t *p;
	int r;

	if ((!e->rec && e->size) || e->size > LIMEN_CTF_REC_MAX)
		return -EINVAL;
	n = LIMEN_CTF_EV_HDR + payload_size(e, &id, &sys);
	r = room(w, n);
	if (r < 0)
		return r;
	/* CTF wants each stream's clock to go forward; the record's own
	   TSC is kept in the event's context */
	ts = e->tsc > w->ts_last ? e->tsc : w->ts_last;
	if (!w->nev_pkt)
		w->ts_begin = ts;
	w->ts_last = ts;
	p = w->buf + w->pos;
	put16(&p, id);
	put64(&p, ts);
	put32(&p, (uint32_t)e->tid);
	put32(&p, (uint32_t)e->pid);
	put16(&p, e->flags | (e->nested ? LIMEN_RECF_NESTED : 0));
	put64(&p, e->tsc);
	encode(&p, id, e, &sys);
	w->pos = (size_t)(p - w->buf);
	w->nev_pkt++;
	w->events++;
	if (id == LIMEN_CTF_ID_LOST)
		w->discarded += ((const struct limen_rec_lost *)e->rec)->count;
	if (w->cap > w->packet_bytes) {
		flush_packet(w);
		shrink(w);
	}
	return w->err;
}

int limen_ctf_close(struct limen_ctf *w)
{
	int r = flush_packet(w);

	if (r == 0)
		r = limen_ctf_write_metadata(w->dirfd, w->uuid, &w->clock);
	if (close(w->fd) < 0 && r == 0)
		r = -errno;
	close(w->dirfd);
	free(w->buf);
	free(w);
	return r;
}
