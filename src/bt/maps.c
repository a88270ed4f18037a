/* SPDX-License-Identifier: MIT */
/*
 * limen bt's maps: keyed values and aggregates in open-addressing tables,
 * and their printing as bpftrace 0.17 prints them (bpftrace's
 * src/output.cpp: sorted by value, histograms by their total count, stats
 * and avg by their average; the same histogram lines and bars).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bt/btint.h"
#include "decode/decode.h"
#include "systab.h"

/* ---- maps ---- */

static uint64_t hash(const uint8_t *p, size_t n)
{
	uint64_t h = 14695981039346656037u;

	for (size_t i = 0; i < n; i++)
		h = (h ^ p[i]) * 1099511628211u;
	return h;
}

/* keys: per key a type byte, then 8 bytes (numbers) or a 2-byte length
   and the bytes */
size_t bt_key_put(uint8_t *k, size_t at, const struct bt_val *v)
{
	k[at++] = v->type;
	if (v->type == TY_INT) {
		memcpy(k + at, &v->i, 8);
		return at + 8;
	}
	memcpy(k + at, &v->len, 2);
	memcpy(k + at + 2, v->s, v->len);
	return at + 2 + v->len;
}

struct bt_ent *bt_ent_find(struct bt_map *m, const uint8_t *k, size_t n,
			       int add)
{
	size_t i, mask;

	if (add && 2 * (m->n + 1) > m->cap) {
		struct bt_ent *old = m->ents;
		size_t oc = m->cap;

		m->cap = oc ? 2 * oc : 16;
		m->ents = calloc(m->cap, sizeof(*m->ents));
		bt_oom(m->ents);
		for (size_t j = 0; j < oc; j++) {
			if (!old[j].key)
				continue;
			mask = m->cap - 1;
			for (i = hash(old[j].key, old[j].klen) & mask;
			     m->ents[i].key; i = (i + 1) & mask)
				;
			m->ents[i] = old[j];
		}
		free(old);
	}
	if (!m->cap)
		return NULL;
	mask = m->cap - 1;
	for (i = hash(k, n) & mask; m->ents[i].key; i = (i + 1) & mask)
		if (m->ents[i].klen == n && !memcmp(m->ents[i].key, k, n))
			return &m->ents[i];
	if (!add)
		return NULL;
	m->ents[i].key = malloc(n ? n : 1);
	bt_oom(m->ents[i].key);
	memcpy(m->ents[i].key, k, n);
	m->ents[i].klen = (uint32_t)n;
	m->n++;
	return &m->ents[i];
}

static void ent_free(struct bt_ent *e)
{
	free(e->key);
	free(e->bk);
	free(e->s);
	memset(e, 0, sizeof(*e));
}

/* linear probing's deletion: the slots after it move back */
void bt_ent_delete(struct bt_map *m, struct bt_ent *e)
{
	size_t mask = m->cap - 1, i = (size_t)(e - m->ents), j = i;

	ent_free(e);
	m->n--;
	for (;;) {
		size_t h;

		j = (j + 1) & mask;
		if (!m->ents[j].key)
			return;
		h = hash(m->ents[j].key, m->ents[j].klen) & mask;
		/* moves back if its home is not in (i, j] */
		if ((j > i && (h <= i || h > j)) || (j < i && h <= i && h > j)) {
			m->ents[i] = m->ents[j];
			memset(&m->ents[j], 0, sizeof(m->ents[j]));
			i = j;
		}
	}
}

void bt_map_clear(struct bt_map *m)
{
	for (size_t i = 0; i < m->cap; i++)
		if (m->ents[i].key)
			ent_free(&m->ents[i]);
	m->n = 0;
}

void bt_map_zero(struct bt_map *m)
{
	size_t nb = m->kind == M_HIST ? 66 :
		(size_t)((m->lmax - m->lmin) / (m->lstep ? m->lstep : 1) + 2);

	for (size_t i = 0; i < m->cap; i++) {
		struct bt_ent *e = &m->ents[i];

		if (!e->key)
			continue;
		e->a = e->b = 0;
		if (e->bk)
			memset(e->bk, 0, nb * sizeof(*e->bk));
		if (e->s) {
			e->s[0] = 0;
			e->slen = 0;
		}
	}
}

void bt_agg_update(struct bt_map *m, struct bt_ent *e, int64_t v)
{
	switch (m->kind) {
	case M_COUNT:
		e->a++;
		break;
	case M_SUM:
		e->a += v;
		break;
	case M_MIN:
		if (!e->b || v < e->a)
			e->a = v;
		e->b = 1;
		break;
	case M_MAX:
		if (!e->b || v > e->a)
			e->a = v;
		e->b = 1;
		break;
	case M_AVG:
	case M_STATS:
		e->a++;
		e->b += v;
		break;
	case M_HIST: {
		size_t i;

		if (!e->bk) {
			e->bk = calloc(66, sizeof(*e->bk));
			bt_oom(e->bk);
		}
		if (v < 0)
			i = 0;
		else if (v == 0)
			i = 1;
		else
			i = 2 + (size_t)(63 - __builtin_clzll((uint64_t)v));
		e->bk[i]++;
		break;
	}
	case M_LHIST: {
		int64_t nb = (m->lmax - m->lmin) / m->lstep;
		int64_t i;

		if (!e->bk) {
			e->bk = calloc((size_t)nb + 2, sizeof(*e->bk));
			bt_oom(e->bk);
		}
		if (v < m->lmin)
			i = 0;
		else if (v >= m->lmax)
			i = nb + 1;
		else
			i = (v - m->lmin) / m->lstep + 1;
		e->bk[i]++;
		break;
	}
	}
}

/* ---- printf, print, join ---- */

void bt_put_buf(FILE *out, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c >= 32 && c <= 126)
			fputc(c, out);
		else
			fprintf(out, "\\x%02x", c);
	}
}


/* ---- printing maps as bpftrace 0.17 ---- */

struct sorted {
	struct bt_map *m;
	struct bt_ent *e;
	int64_t sortv;
};

static int key_cmp(const struct bt_ent *x, const struct bt_ent *y)
{
	size_t i = 0, j = 0;

	while (i < x->klen && j < y->klen) {
		int t = x->key[i];
		int64_t a, c;
		uint16_t la, lc;
		int r;

		if (t == TY_INT) {
			memcpy(&a, x->key + i + 1, 8);
			memcpy(&c, y->key + j + 1, 8);
			if (a != c)
				return a < c ? -1 : 1;
			i += 9;
			j += 9;
			continue;
		}
		memcpy(&la, x->key + i + 1, 2);
		memcpy(&lc, y->key + j + 1, 2);
		r = memcmp(x->key + i + 3, y->key + j + 3, la < lc ? la : lc);
		if (r || la != lc)
			return r ? r : la < lc ? -1 : 1;
		i += 3u + la;
		j += 3u + lc;
	}
	return 0;
}

static int by_value(const void *pa, const void *pb)
{
	const struct sorted *a = pa, *c = pb;

	if (a->sortv != c->sortv) {
		/* counts are unsigned */
		if (a->m->kind == M_COUNT || a->m->kind == M_HIST ||
		    a->m->kind == M_LHIST)
			return (uint64_t)a->sortv < (uint64_t)c->sortv ? -1 : 1;
		return a->sortv < c->sortv ? -1 : 1;
	}
	return key_cmp(a->e, c->e);
}

static void print_key(FILE *out, const struct bt_map *m, const struct bt_ent *e)
{
	size_t i = 0;

	fputs(m->name, out);
	if (!e->klen)
		return;
	fputc('[', out);
	while (i < e->klen) {
		int t = e->key[i];

		if (i)
			fputs(", ", out);
		if (t == TY_INT) {
			int64_t v;

			memcpy(&v, e->key + i + 1, 8);
			fprintf(out, "%lld", (long long)v);
			i += 9;
		} else {
			uint16_t l;

			memcpy(&l, e->key + i + 1, 2);
			if (t == TY_BUF)
				bt_put_buf(out, (const char *)e->key + i + 3, l);
			else
				fwrite(e->key + i + 3, 1,
				       strnlen((const char *)e->key + i + 3, l),
				       out);
			i += 3u + l;
		}
	}
	fputc(']', out);
}

static void hist_label(char *s, size_t n, int power)
{
	const char *suffix = "";

	if (power >= 40) {
		suffix = "T";
		power -= 40;
	} else if (power >= 30) {
		suffix = "G";
		power -= 30;
	} else if (power >= 20) {
		suffix = "M";
		power -= 20;
	} else if (power >= 10) {
		suffix = "K";
		power -= 10;
	}
	snprintf(s, n, "%d%s", 1 << power, suffix);
}

static void lhist_label(char *s, size_t n, int64_t v)
{
	if (v == 0)
		snprintf(s, n, "0");
	else if (v % 1048576 == 0)
		snprintf(s, n, "%lldM", (long long)(v / 1048576));
	else if (v % 1024 == 0)
		snprintf(s, n, "%lldK", (long long)(v / 1024));
	else
		snprintf(s, n, "%lld", (long long)v);
}

static void bar_line(FILE *out, const char *head, uint64_t v, uint64_t max)
{
	/* as bpftrace: v / (float)max * 52, truncated */
	int w = max ? (int)((float)v / (float)max * 52) : 0;

	fprintf(out, "%-16s%8llu |", head, (unsigned long long)v);
	for (int i = 0; i < 52; i++)
		fputc(i < w ? '@' : ' ', out);
	fputs("|\n", out);
}

static void print_hist(FILE *out, const struct bt_map *m, const uint64_t *bk)
{
	int nb = m->kind == M_HIST ? 66 :
		(int)((m->lmax - m->lmin) / m->lstep + 2);
	int lo = -1, hi = -1;
	uint64_t max = 0;
	char head[96], l1[40], l2[40];

	for (int i = 0; i < nb; i++) {
		if (bk[i]) {
			if (lo < 0)
				lo = i;
			hi = i;
		}
		if (bk[i] > max)
			max = bk[i];
	}
	if (lo < 0)
		return;
	for (int i = lo; i <= hi; i++) {
		if (m->kind == M_HIST) {
			if (i == 0) {
				strcpy(head, "(..., 0)");
			} else if (i == 1) {
				strcpy(head, "[0]");
			} else if (i == 2) {
				strcpy(head, "[1]");
			} else {
				hist_label(l1, sizeof(l1), i - 2);
				hist_label(l2, sizeof(l2), i - 1);
				snprintf(head, sizeof(head), "[%s, %s)", l1, l2);
			}
		} else if (i == 0) {
			lhist_label(l1, sizeof(l1), m->lmin);
			snprintf(head, sizeof(head), "(..., %s)", l1);
		} else if (i == nb - 1) {
			lhist_label(l1, sizeof(l1), m->lmax);
			snprintf(head, sizeof(head), "[%s, ...)", l1);
		} else {
			lhist_label(l1, sizeof(l1), (i - 1) * m->lstep + m->lmin);
			lhist_label(l2, sizeof(l2), i * m->lstep + m->lmin);
			snprintf(head, sizeof(head), "[%s, %s)", l1, l2);
		}
		bar_line(out, head, bk[i], max);
	}
}

void bt_map_print(struct limen_bt *b, struct bt_map *m, FILE *out)
{
	struct sorted *v = calloc(m->n ? m->n : 1, sizeof(*v));
	size_t n = 0;
	int nb = m->kind == M_LHIST ? (int)((m->lmax - m->lmin) / m->lstep + 2) :
		66;

	bt_oom(v);
	for (size_t i = 0; i < m->cap; i++) {
		struct bt_ent *e = &m->ents[i];

		if (!e->key)
			continue;
		v[n].m = m;
		v[n].e = e;
		switch (m->kind) {
		case M_AVG: case M_STATS:
			v[n].sortv = e->a ? e->b / e->a : 0;
			break;
		case M_HIST: case M_LHIST:
			v[n].sortv = 0;
			for (int k = 0; e->bk && k < nb; k++)
				v[n].sortv += (int64_t)e->bk[k];
			break;
		case M_STR:
			v[n].sortv = 0;
			break;
		default:
			v[n].sortv = e->a;
		}
		n++;
	}
	qsort(v, n, sizeof(*v), by_value);
	for (size_t i = 0; i < n; i++) {
		struct bt_ent *e = v[i].e;

		if (i)
			fputc('\n', out);
		print_key(out, m, e);
		fputs(": ", out);
		switch (m->kind) {
		case M_HIST: case M_LHIST:
			fputc('\n', out);
			if (e->bk)
				print_hist(out, m, e->bk);
			break;
		case M_COUNT:
			fprintf(out, "%llu", (unsigned long long)e->a);
			break;
		case M_AVG:
			fprintf(out, "%lld", (long long)(e->a ? e->b / e->a : 0));
			break;
		case M_STATS:
			fprintf(out, "count %lld, average %lld, total %lld",
				(long long)e->a,
				(long long)(e->a ? e->b / e->a : 0),
				(long long)e->b);
			break;
		case M_STR:
			fwrite(e->s ? e->s : "", 1, e->s ? e->slen : 0, out);
			break;
		default:
			fprintf(out, "%lld", (long long)e->a);
		}
	}
	/* bpftrace: a newline after the last element (a histogram's lines
	   end in one already, so a blank line follows), one more after
	   avg and stats maps */
	fputc('\n', out);
	if (m->kind == M_AVG || m->kind == M_STATS)
		fputc('\n', out);
	free(v);
}

static int by_name(const void *a, const void *b)
{
	return strcmp((*(struct bt_map *const *)a)->name,
		      (*(struct bt_map *const *)b)->name);
}

void bt_print_all(struct limen_bt *b, FILE *out)
{
	struct bt_map **v = calloc((size_t)b->nmaps + 1, sizeof(*v));

	bt_oom(v);
	for (int i = 0; i < b->nmaps; i++)
		v[i] = b->maps[i];
	qsort(v, (size_t)b->nmaps, sizeof(*v), by_name);
	/* bpftrace prints two newlines before the maps at the end */
	fputs("\n\n", out);
	for (int i = 0; i < b->nmaps; i++)
		if (v[i]->kind != M_NONE)
			bt_map_print(b, v[i], out);
	free(v);
}
