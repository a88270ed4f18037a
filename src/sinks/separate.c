/* SPDX-License-Identifier: MIT */
/* -ff: one trace file per thread, FILE.TID (separate.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "sinks/separate.h"
#include "decode/oom.h"

struct limen_sep {
	const char *base;
	int append;
	struct limen_sep_thr **thr;  /* open addressing on tid */
	size_t cap, n;
	int err;                     /* the first error */
	int32_t *made;               /* the tids whose file this run made, */
	size_t nmade, capmade;       /* sorted */
};

struct limen_sep *limen_sep_new(const char *base, int append)
{
	struct limen_sep *s = calloc(1, sizeof(*s));

	if (!s)
		limen_out_of_memory();
	s->base = base;
	s->append = append;
	return s;
}

static struct limen_sep_thr **find(struct limen_sep *s, int32_t tid)
{
	size_t i = (size_t)(uint32_t)tid * 2654435761u % s->cap;

	while (s->thr[i] && s->thr[i]->tid != tid)
		i = (i + 1) % s->cap;
	return &s->thr[i];
}

static void grow(struct limen_sep *s)
{
	struct limen_sep_thr **old = s->thr;
	size_t ocap = s->cap;

	s->cap = ocap ? 2 * ocap : 64;
	s->thr = calloc(s->cap, sizeof(*s->thr));
	if (!s->thr)
		limen_out_of_memory();
	for (size_t i = 0; i < ocap; i++)
		if (old[i])
			*find(s, old[i]->tid) = old[i];
	free(old);
}

/*
 * 1 if tid's file was made earlier in this run (its thread ended, and
 * another with the same id came); else remembers it. Two threads can have
 * the same id: a pid reused, or threads of sibling pid namespaces that
 * ended before they could be told apart keep their namespace's ids (1, 2,
 * ... in each). The second one truncated the first one's file, whole
 * threads' lines lost; it is appended to instead.
 */
static int made_before(struct limen_sep *s, int32_t tid)
{
	size_t lo = 0, hi = s->nmade;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (s->made[mid] == tid)
			return 1;
		if (s->made[mid] < tid)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (s->nmade == s->capmade) {
		s->capmade = s->capmade ? 2 * s->capmade : 64;
		s->made = realloc(s->made, s->capmade * sizeof(*s->made));
		if (!s->made)
			limen_out_of_memory();
	}
	memmove(&s->made[lo + 1], &s->made[lo],
		(s->nmade - lo) * sizeof(*s->made));
	s->made[lo] = tid;
	s->nmade++;
	return 0;
}

struct limen_sep_thr *limen_sep_thr(struct limen_sep *s, int32_t tid)
{
	struct limen_sep_thr **p, *h;
	char path[4096];

	if (2 * (s->n + 1) > s->cap)
		grow(s);
	p = find(s, tid);
	if (*p)
		return *p;
	h = calloc(1, sizeof(*h));
	if (!h)
		limen_out_of_memory();
	h->tid = tid;
	snprintf(path, sizeof(path), "%s.%d", s->base, (int)tid);
	h->f = fopen(path, made_before(s, tid) || s->append ? "ae" : "we");
	if (!h->f) {
		if (!s->err)
			fprintf(stderr, "limen: %s: %s\n", path,
				strerror(errno));
		s->err = s->err ? s->err : errno;
	}
	*p = h;
	s->n++;
	return h;
}

static int close_thr(struct limen_sep *s, struct limen_sep_thr *h)
{
	int r = 0;

	if (h->f && fclose(h->f) != 0) {
		r = -1;
		if (!s->err)
			s->err = errno ? errno : EIO;
	}
	free(h->buf);
	free(h);
	return r;
}

struct limen_sep_thr *limen_sep_find(struct limen_sep *s, int32_t tid)
{
	return s->cap ? *find(s, tid) : NULL;
}

void limen_sep_close(struct limen_sep *s, int32_t tid)
{
	struct limen_sep_thr **p;
	size_t i, j;

	if (!s->cap)
		return;
	p = find(s, tid);
	if (!*p)
		return;
	close_thr(s, *p);
	*p = NULL;
	s->n--;
	/* open addressing: put back the entries after the hole */
	i = (size_t)(p - s->thr);
	for (j = (i + 1) % s->cap; s->thr[j]; j = (j + 1) % s->cap) {
		struct limen_sep_thr *h = s->thr[j];

		s->thr[j] = NULL;
		*find(s, h->tid) = h;
	}
}

struct limen_sep_thr *limen_sep_next(struct limen_sep *s, size_t *i)
{
	for (; *i < s->cap; (*i)++)
		if (s->thr[*i])
			return s->thr[(*i)++];
	return NULL;
}

int limen_sep_finish(struct limen_sep *s)
{
	int err;

	for (size_t i = 0; i < s->cap; i++)
		if (s->thr[i])
			close_thr(s, s->thr[i]);
	err = s->err;
	free(s->made);
	free(s->thr);
	free(s);
	if (err) {
		errno = err;
		return -1;
	}
	return 0;
}
