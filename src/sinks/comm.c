/* SPDX-License-Identifier: MIT */
/*
 * Each traced thread's name as the calls set it, for -Y
 * (--decode-pids=comm) and limen bt's comm: the command's file name, a
 * clone's parent's name, execve's file name, prctl(PR_SET_NAME). strace
 * reads /proc/PID/comm when it prints; limen prints after the fact, so the
 * name is the one the thread had at the call. A pid limen never saw is
 * named from /proc while the programs run (getppid's parent, kill(1)); a
 * process reaped by wait4/waitid has no name any more, as under strace.
 * The -Y sink wrapper that follows names in the text sink's order is
 * pidcomm.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decode/decode.h"
#include "sinks/pidcomm.h"
#include "decode/oom.h"

#define PR_SET_NAME_ 15 /* <linux/prctl.h>'s PR_SET_NAME */

struct slot {
	int32_t id;             /* 0: empty */
	char comm[16];
};

struct limen_pidcomm {
	struct slot *s;
	size_t n, cap;          /* cap: a power of two */
	char first[16];         /* the command's name, for its first pid */
	int seeded;
	int live;
	int32_t cloner;         /* a thread inside clone: new ids are its */
	char proc[16];          /* a name read from /proc */
};

struct limen_pidcomm *limen_pidcomm_cur;

static struct slot *find(struct limen_pidcomm *p, int32_t id, int add)
{
	size_t m, i;

	if (add && 2 * (p->n + 1) > p->cap) {
		struct slot *old = p->s;
		size_t oc = p->cap;

		p->cap = oc ? 2 * oc : 64;
		p->s = calloc(p->cap, sizeof(*p->s));
		if (!p->s)
			limen_out_of_memory();
		p->n = 0;
		for (size_t k = 0; k < oc; k++)
			if (old[k].id > 0)
				*find(p, old[k].id, 1) = old[k];
		free(old);
	}
	if (!p->cap)
		return NULL;
	m = p->cap - 1;
	/* deleted slots keep id -1 so that probing goes on past them */
	for (i = (size_t)id * 2654435761u & m; p->s[i].id; i = (i + 1) & m)
		if (p->s[i].id == id)
			return &p->s[i];
	if (!add)
		return NULL;
	p->s[i].id = id;
	p->s[i].comm[0] = 0;
	p->n++;
	return &p->s[i];
}

static void set(struct limen_pidcomm *p, int32_t id, const char *name,
		size_t n)
{
	struct slot *s = find(p, id, 1);

	if (n > 15)
		n = 15;
	memmove(s->comm, name, n);
	s->comm[n] = 0;
}

/* The kernel's name for an exec'd file: its last path component. */
void limen_pidcomm_exec(struct limen_pidcomm *p, int32_t id, const char *path,
			size_t n)
{
	const char *b = path;

	for (size_t i = 0; i < n; i++)
		if (path[i] == '/')
			b = path + i + 1;
	set(p, id, b, (size_t)(path + n - b));
}

struct limen_pidcomm *limen_pidcomm_new(const char *cmd0, int live)
{
	struct limen_pidcomm *p = calloc(1, sizeof(*p));
	const char *b = cmd0 ? strrchr(cmd0, '/') : NULL;

	if (!p)
		limen_out_of_memory();
	if (cmd0)
		snprintf(p->first, sizeof(p->first), "%s", b ? b + 1 : cmd0);
	p->live = live;
	return p;
}

void limen_pidcomm_free(struct limen_pidcomm *p)
{
	if (!p)
		return;
	free(p->s);
	free(p);
}

static const char *from_proc(struct limen_pidcomm *p, int32_t pid,
			     int32_t id)
{
	char path[64];
	FILE *f;

	if (!p->live)
		return NULL;
	if (pid && pid != id)
		snprintf(path, sizeof(path), "/proc/%d/task/%d/comm", (int)pid,
			 (int)id);
	else
		snprintf(path, sizeof(path), "/proc/%d/comm", (int)id);
	f = fopen(path, "re");
	if (!f)
		return NULL;
	if (!fgets(p->proc, sizeof(p->proc), f))
		p->proc[0] = 0;
	fclose(f);
	p->proc[strcspn(p->proc, "\n")] = 0;
	return p->proc[0] ? p->proc : NULL;
}

const char *limen_pidcomm_of(struct limen_pidcomm *p, int32_t pid,
			     int32_t id)
{
	struct slot *s;

	if (id <= 0)
		return NULL;
	s = find(p, id, 0);
	if (s)
		return s->comm;
	if (pid && !p->seeded && p->first[0]) {
		/* the first thread told: the command limen started */
		p->seeded = 1;
		set(p, id, p->first, strlen(p->first));
		return find(p, id, 0)->comm;
	}
	if (pid && p->cloner && (s = find(p, p->cloner, 0))) {
		/* a thread told before its parent's clone returned */
		char c[16];

		memcpy(c, s->comm, sizeof(c));
		set(p, id, c, strlen(c));
		return find(p, id, 0)->comm;
	}
	return from_proc(p, pid, id);
}

static const char *name_of(const struct limen_call *c)
{
	const struct limen_sysent *se = limen_sysent_get(c->nr);

	return se ? limen_str(se->name) : "";
}

static int is_clone(const char *n)
{
	return !strcmp(n, "clone") || !strcmp(n, "clone3") ||
	       !strcmp(n, "fork") || !strcmp(n, "vfork");
}

void limen_pidcomm_clone(struct limen_pidcomm *p, int32_t pid, int32_t tid,
			 const struct limen_call *c, int ended)
{
	const char *mine;
	char m[16];

	if (!is_clone(name_of(c)))
		return;
	if (!ended) {
		p->cloner = tid;
		return;
	}
	if (c->has_ret && c->ret > 0 && !find(p, (int32_t)c->ret, 0)) {
		mine = limen_pidcomm_of(p, pid, tid);
		snprintf(m, sizeof(m), "%s", mine ? mine : "");
		set(p, (int32_t)c->ret, m, strlen(m));
	}
	if (p->cloner == tid)
		p->cloner = 0;
}

void limen_pidcomm_end(struct limen_pidcomm *p, int32_t pid, int32_t tid,
		       const struct limen_call *c, int with_ent)
{
	const char *n = name_of(c);
	struct slot *s;

	if (is_clone(n))
		return;
	/* strace named wait4's argument at the call's entry, and finds no
	   /proc/PID/comm for its result (decode.c names no wait4 result) */
	if (c->has_ret && c->ret > 0 && !strcmp(n, "wait4") &&
	    (s = find(p, (int32_t)c->ret, 0)))
		s->id = -1;
	if (!with_ent)
		return;
	if ((!strcmp(n, "execve") || !strcmp(n, "execveat")) &&
	    (!c->has_ret || c->ret == 0)) {
		const struct limen_blob *b = &c->cap_in[n[6] ? 1 : 0];

		if (!(b->flags & LIMEN_BLOB_PRESENT))
			return;
		/* the thread that execs becomes its process's only one */
		limen_pidcomm_exec(p, tid, (const char *)b->data, b->len);
		if (pid && pid != tid)
			limen_pidcomm_exec(p, pid, (const char *)b->data,
					   b->len);
		return;
	}
	if (!strcmp(n, "prctl") && c->args[0] == PR_SET_NAME_ && c->has_ret &&
	    c->ret == 0 && (c->cap_in[1].flags & LIMEN_BLOB_PRESENT))
		set(p, tid, (const char *)c->cap_in[1].data,
		    strnlen((const char *)c->cap_in[1].data, c->cap_in[1].len));
}

void limen_pidcomm_call(struct limen_pidcomm *p, int32_t pid, int32_t tid,
			const struct limen_call *c, int ended)
{
	limen_pidcomm_of(p, pid, tid);
	limen_pidcomm_clone(p, pid, tid, c, ended);
	if (ended)
		limen_pidcomm_end(p, pid, tid, c, 1);
}

