/* SPDX-License-Identifier: MIT */
/*
 * The latency sink (limen trace --latency): at the end, per system call
 * the 50th, 90th and 99th percentiles and the maximum of the time from
 * entry to exit with a log2 histogram, the paths touched most, and the
 * errors by call and errno. Durations are kept per call number (8 bytes a
 * call) so the percentiles are exact.
 */
#include <stdlib.h>
#include <string.h>

#include "collector/collector.h"
#include "decode/oom.h"

#define NERR 134        /* errno values with names (EHWPOISON = 133) */
#define NBUCKET 40      /* log2 of microseconds: <1 us ... >= 2^38 us */
#define TOP 20

struct durs {
	uint64_t *ns;
	size_t n, cap;
	uint64_t total;
};

struct path {
	char *name;             /* NULL: an empty slot */
	uint64_t count;
};

struct latency {
	struct limen_sink sink;
	FILE *out;
	const struct limen_opts *o;
	struct durs d[LIMEN_NSYSENT + 1];
	uint32_t *errs;         /* [nr][errno], errno >= NERR counted at 0 */
	struct path *paths;     /* open addressing on the name */
	size_t npaths, cappaths;
};

static size_t hash(const char *s, size_t n)
{
	size_t h = 14695981039346656037u;

	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211u;
	return h;
}

static struct path *path_slot(struct path *t, size_t cap, const char *s,
			      size_t n)
{
	size_t i = hash(s, n) & (cap - 1);

	while (t[i].name && (strncmp(t[i].name, s, n) || t[i].name[n]))
		i = (i + 1) & (cap - 1);
	return &t[i];
}

static void count_path(struct latency *l, const char *s, size_t n)
{
	struct path *p;

	if (2 * (l->npaths + 1) > l->cappaths) {
		struct path *old = l->paths;
		size_t oldcap = l->cappaths;

		l->cappaths = oldcap ? 2 * oldcap : 256;
		l->paths = calloc(l->cappaths, sizeof(*l->paths));
		if (!l->paths)
			limen_out_of_memory();
		for (size_t i = 0; i < oldcap; i++)
			if (old[i].name)
				*path_slot(l->paths, l->cappaths, old[i].name,
					   strlen(old[i].name)) = old[i];
		free(old);
	}
	p = path_slot(l->paths, l->cappaths, s, n);
	if (!p->name) {
		p->name = strndup(s, n);
		if (!p->name)
			limen_out_of_memory();
		l->npaths++;
	}
	p->count++;
}

static void lat_call(struct limen_sink *k, enum limen_call_what what,
		     const struct limen_at *at, const struct limen_callev *ce)
{
	struct latency *l = (struct latency *)k;
	const struct limen_sysent *se;
	struct limen_call c;
	unsigned nr;

	if (what != LIMEN_CALL_END)
		return;
	/* a signal came first and the call was not made: it is counted
	   when the program makes it, after the handler (strace never sees
	   it twice) */
	if (ce->ex && (ce->ex->flags & LIMEN_RECF_UNMADE))
		return;
	limen_callev_fill(&c, ce);
	nr = c.nr < LIMEN_NSYSENT ? (unsigned)c.nr : LIMEN_NSYSENT;
	if (ce->ent && ce->ex) {
		struct durs *d = &l->d[nr];

		if (d->n == d->cap) {
			d->cap = d->cap ? 2 * d->cap : 64;
			d->ns = realloc(d->ns, d->cap * sizeof(*d->ns));
			if (!d->ns)
				limen_out_of_memory();
		}
		d->ns[d->n] = limen_callev_ns(ce);
		d->total += d->ns[d->n++];
	}
	if (ce->ex && c.ret < 0 && c.ret > -4096) {
		int e = (int)-c.ret;

		l->errs[nr * NERR + (e < NERR ? e : 0)]++;
	}
	se = limen_sysent_get(c.nr);
	if (!se || !ce->ent)
		return;
	for (unsigned i = 0; i < se->nargs && i < 6; i++) {
		const struct limen_blob *b = &c.cap_in[i];
		const char *s = (const char *)b->data;
		size_t n = 0;

		if (se->args[i].type != LIMEN_AT_PATH ||
		    !(b->flags & LIMEN_BLOB_PRESENT))
			continue;
		while (n < b->len && s[n])
			n++;
		/* "" is no path (fstatat's AT_EMPTY_PATH: the fd's file) */
		if (n)
			count_path(l, s, n);
	}
}

static int lat_flush(struct limen_sink *k)
{
	return fflush(((struct latency *)k)->out);
}

static int by_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* the p-th percentile (nearest rank) of n sorted values */
static uint64_t pct(const uint64_t *v, size_t n, unsigned p)
{
	size_t r = (n * p + 99) / 100;

	return v[r ? r - 1 : 0];
}

static int by_total(const void *a, const void *b, void *ctx)
{
	const struct latency *l = ctx;
	unsigned x = *(const unsigned *)a, y = *(const unsigned *)b;
	uint64_t tx = l->d[x].total, ty = l->d[y].total;

	if (tx != ty)
		return tx < ty ? 1 : -1;
	return x < y ? -1 : x > y;
}

static int by_count(const void *a, const void *b)
{
	const struct path *x = a, *y = b;

	if (x->count != y->count)
		return x->count < y->count ? 1 : -1;
	return strcmp(x->name, y->name);
}

static const char *name_of(unsigned nr, char nb[32])
{
	return nr < LIMEN_NSYSENT ? limen_syscall_name(nr, nb) : "(unknown)";
}

static void report(struct latency *l)
{
	unsigned idx[LIMEN_NSYSENT + 1], n = 0;
	char nb[32];

	for (unsigned i = 0; i <= LIMEN_NSYSENT; i++)
		if (l->d[i].n) {
			qsort(l->d[i].ns, l->d[i].n, sizeof(uint64_t), by_u64);
			idx[n++] = i;
		}
	qsort_r(idx, n, sizeof(idx[0]), by_total, l);
	fprintf(l->out, "latency (microseconds, entry to exit)\n"
			"%-20s %9s %11s %11s %11s %11s\n",
		"syscall", "calls", "p50", "p90", "p99", "max");
	for (unsigned k = 0; k < n; k++) {
		const struct durs *d = &l->d[idx[k]];

		fprintf(l->out, "%-20s %9zu %11.3f %11.3f %11.3f %11.3f\n",
			name_of(idx[k], nb), d->n, pct(d->ns, d->n, 50) / 1e3,
			pct(d->ns, d->n, 90) / 1e3, pct(d->ns, d->n, 99) / 1e3,
			d->ns[d->n - 1] / 1e3);
	}
	fputs("\nhistogram (calls per latency: [<1us] below 1 us, [Nus] from "
	      "N to 2N us)\n", l->out);
	for (unsigned k = 0; k < n; k++) {
		const struct durs *d = &l->d[idx[k]];
		uint64_t b[NBUCKET] = { 0 };

		for (size_t i = 0; i < d->n; i++) {
			uint64_t u = d->ns[i] / 1000;
			unsigned j = 0;

			while (u && j < NBUCKET - 1) {
				u >>= 1;
				j++;
			}
			b[j]++;
		}
		fprintf(l->out, "%-20s", name_of(idx[k], nb));
		for (unsigned j = 0; j < NBUCKET; j++) {
			if (!b[j])
				continue;
			if (!j)
				fprintf(l->out, " [<1us] %llu",
					(unsigned long long)b[j]);
			else
				fprintf(l->out, " [%lluus] %llu",
					1ull << (j - 1),
					(unsigned long long)b[j]);
		}
		fputc('\n', l->out);
	}
	if (l->npaths) {
		struct path *v = malloc(l->npaths * sizeof(*v));
		size_t m = 0;

		if (!v)
			limen_out_of_memory();
		for (size_t i = 0; i < l->cappaths; i++)
			if (l->paths[i].name)
				v[m++] = l->paths[i];
		qsort(v, m, sizeof(*v), by_count);
		fputs("\npaths touched most\n", l->out);
		for (size_t i = 0; i < m && i < TOP; i++) {
			fprintf(l->out, "%9llu ", (unsigned long long)v[i].count);
			/* the name as the trace quotes it */
			{
				struct limen_sb sb = { 0 };

				limen_decode_quoted(&sb, (const uint8_t *)v[i].name,
						    strlen(v[i].name), 0);
				fwrite(sb.p, 1, sb.len, l->out);
				limen_sb_free(&sb);
			}
			fputc('\n', l->out);
		}
		free(v);
	}
	{
		int any = 0;

		for (unsigned i = 0; i <= LIMEN_NSYSENT; i++)
			for (unsigned e = 0; e < NERR; e++) {
				uint32_t c = l->errs[i * NERR + e];
				const char *en = e ? limen_errname((int)e) : NULL;

				if (!c)
					continue;
				if (!any++)
					fputs("\nerrors by call and errno\n",
					      l->out);
				fprintf(l->out, "%9u %-20s %s\n", c, name_of(i, nb),
					en ? en : e ? "?" : "(other)");
			}
	}
}

static int lat_finish(struct limen_sink *k)
{
	struct latency *l = (struct latency *)k;
	int r;

	report(l);
	r = fflush(l->out) || ferror(l->out) ? -1 : 0;
	for (unsigned i = 0; i <= LIMEN_NSYSENT; i++)
		free(l->d[i].ns);
	for (size_t i = 0; i < l->cappaths; i++)
		free(l->paths[i].name);
	free(l->paths);
	free(l->errs);
	free(l);
	return r;
}

static const struct limen_sink_ops latency_ops = {
	.call = lat_call,
	.flush = lat_flush,
	.finish = lat_finish,
};

struct limen_sink *limen_latency_sink(FILE *out, const struct limen_opts *o)
{
	struct latency *l = calloc(1, sizeof(*l));

	if (!l)
		limen_out_of_memory();
	l->errs = calloc((LIMEN_NSYSENT + 1) * NERR, sizeof(*l->errs));
	if (!l->errs)
		limen_out_of_memory();
	l->sink.ops = &latency_ops;
	l->out = out;
	l->o = o;
	return &l->sink;
}
