/* SPDX-License-Identifier: MIT */
/*
 * limen bt's sink: the collector tells it each call (entry and exit, in
 * time order), it runs the probes on them; at the end END runs and the
 * maps are printed.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bt/btint.h"
#include "cli/cli.h"
#include "collector/collector.h"
#include "sinks/pidcomm.h"
#include "systab.h"
#include "decode/oom.h"

struct bt_sink {
	struct limen_sink sink;
	struct limen_bt *b;
};

/* nsecs is CLOCK_MONOTONIC's, as bpftrace's (ktime_get_ns) */
static uint64_t mono_ns(struct limen_bt *b, uint64_t tsc)
{
	return limen_clock_ns(tsc) - (uint64_t)b->mono_off;
}

static void bt_call(struct limen_sink *k, enum limen_call_what what,
		    const struct limen_at *at, const struct limen_callev *ce)
{
	struct limen_bt *b = ((struct bt_sink *)k)->b;
	struct limen_call c;

	if (b->exited)
		return;
	limen_callev_fill(&c, ce);
	/* the entry's probes run when the entry is told: with its suspend
	   if something came between, else with its end */
	if (ce->ent && (what == LIMEN_CALL_SUSPEND || !ce->suspended)) {
		struct limen_call ce_in = c;

		/* at entry, nothing of the exit is known */
		ce_in.has_ret = 0;
		ce_in.ret = 0;
		memset(ce_in.cap_out, 0, sizeof(ce_in.cap_out));
		bt_run_call(b, &ce_in, 0, at->pid, at->tid,
			    mono_ns(b, ce->ent->tsc));
	}
	if (what == LIMEN_CALL_END && ce->ex && !b->exited)
		bt_run_call(b, &c, 1, at->pid, at->tid,
			    mono_ns(b, ce->ex->tsc));
}

static void bt_loss(struct limen_sink *k, const struct limen_at *at,
		    uint64_t count)
{
	fprintf(stderr, "limen bt: %llu events lost: the maps miss them\n",
		(unsigned long long)count);
}

static void bt_note(struct limen_sink *k, enum limen_tell_kind kind,
		    const struct limen_at *at, int32_t pid, const char *text)
{
	/* the collector's notes about the trace (not traced, untraced
	   images) go to standard error: the output is the program's */
	if (kind != LIMEN_TELL_RECORD || strstr(text, "limen"))
		fprintf(stderr, "%s\n", text);
}

static int bt_flush(struct limen_sink *k)
{
	return fflush(((struct bt_sink *)k)->b->out);
}

static int bt_finish(struct limen_sink *k)
{
	struct bt_sink *s = (struct bt_sink *)k;
	struct limen_bt *b = s->b;
	struct timespec ts;
	int r;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	bt_run_kind(b, P_END, (uint64_t)ts.tv_sec * 1000000000u +
		    (uint64_t)ts.tv_nsec);
	bt_print_all(b, b->out);
	r = fflush(b->out);
	limen_bt_free(b);
	free(s);
	return r;
}

static const struct limen_sink_ops bt_ops = {
	.call = bt_call,
	.loss = bt_loss,
	.note = bt_note,
	.flush = bt_flush,
	.finish = bt_finish,
};

struct limen_sink *limen_bt_sink(struct limen_bt *b, FILE *out)
{
	struct bt_sink *s = calloc(1, sizeof(*s));
	struct timespec rt, mo;

	if (!s)
		limen_out_of_memory();
	s->sink.ops = &bt_ops;
	s->b = b;
	b->out = out;
	clock_gettime(CLOCK_REALTIME, &rt);
	clock_gettime(CLOCK_MONOTONIC, &mo);
	b->mono_off = ((int64_t)rt.tv_sec - mo.tv_sec) * 1000000000 +
		(rt.tv_nsec - mo.tv_nsec);
	b->t0_ns = (uint64_t)mo.tv_sec * 1000000000u + (uint64_t)mo.tv_nsec;
	bt_run_kind(b, P_BEGIN, b->t0_ns);
	return &s->sink;
}

unsigned limen_bt_strsize(const struct limen_bt *b)
{
	return b->strlen_max;
}

/* The command's own execve is entered by limen's vfork child, whose comm
   is still ours (as bpftrace shows the caller's comm there, and the new
   program's from that execve's exit on: limen_pidcomm_call names it) */
void limen_bt_child(struct limen_bt *b, int pid, const char *path)
{
	char comm[32];
	FILE *f = fopen("/proc/self/comm", "re");
	size_t n = f ? fread(comm, 1, sizeof(comm) - 1, f) : 0;

	if (f)
		fclose(f);
	while (n && comm[n - 1] == '\n')
		n--;
	if (n)
		limen_pidcomm_exec(bt_names(b), pid, comm, n);
	else
		limen_pidcomm_exec(bt_names(b), pid, path, strlen(path));
}

void limen_bt_tick(struct limen_bt *b, uint64_t tsc)
{
	if (!b->exited)
		bt_run_interval(b, mono_ns(b, tsc));
}

void limen_bt_select(const struct limen_bt *b, uint8_t *mask, unsigned nbits,
		     int *all)
{
	static const char *const comm_calls[] = {
		"execve", "execveat", "clone", "clone3", "fork", "vfork",
		"prctl",
	};

	*all = 0;
	memset(mask, 0, nbits / 8);
	for (int i = 0; i < b->nprobes; i++) {
		const struct bt_probe *p = &b->probes[i];

		if (p->type == P_RAW_ENTER || p->type == P_RAW_EXIT)
			*all = 1;
		if (p->type != P_ENTER && p->type != P_EXIT)
			continue;
		for (unsigned nr = 0; nr < LIMEN_NSYSENT && nr < nbits; nr++)
			if (p->nrs[nr / 8] >> (nr % 8) & 1)
				mask[nr / 8] |= (uint8_t)(1u << (nr % 8));
	}
	/* comm follows execs, clones and PR_SET_NAME: they are recorded
	   too (the probes see only their own calls) */
	if (b->uses_comm)
		for (size_t i = 0; i < sizeof(comm_calls) / sizeof(comm_calls[0]);
		     i++) {
			for (unsigned nr = 0; nr < LIMEN_NSYSENT && nr < nbits;
			     nr++)
				if (limen_sysent[nr].name &&
				    !strcmp(limen_str(limen_sysent[nr].name),
					    comm_calls[i]))
					mask[nr / 8] |= (uint8_t)(1u << (nr % 8));
		}
}
