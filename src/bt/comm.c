/* SPDX-License-Identifier: MIT */
/*
 * limen bt: comm, per thread, from the calls seen: the command's file
 * name, execve's, a clone's parent's, prctl(PR_SET_NAME); /proc when
 * nothing said.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bt/btint.h"
#include "decode/decode.h"
#include "systab.h"

struct bt_comm {
	int32_t tid;            /* 0: empty */
	char comm[16];
};

static struct bt_comm *comm_slot(struct limen_bt *b, int32_t tid, int add)
{
	size_t m, i;

	if (add && 2 * (b->ncomms + 1) > b->capcomms) {
		struct bt_comm *old = b->comms;
		size_t oc = b->capcomms;

		b->capcomms = oc ? 2 * oc : 64;
		b->comms = calloc(b->capcomms, sizeof(*b->comms));
		bt_oom(b->comms);
		b->ncomms = 0;
		for (size_t k = 0; k < oc; k++)
			if (old[k].tid) {
				*comm_slot(b, old[k].tid, 1) = old[k];
			}
		free(old);
	}
	if (!b->capcomms)
		return NULL;
	m = b->capcomms - 1;
	for (i = (size_t)tid * 2654435761u & m; b->comms[i].tid;
	     i = (i + 1) & m)
		if (b->comms[i].tid == tid)
			return &b->comms[i];
	if (!add)
		return NULL;
	b->comms[i].tid = tid;
	b->comms[i].comm[0] = 0;
	b->ncomms++;
	return &b->comms[i];
}

static void set_comm(struct limen_bt *b, int32_t tid, const char *s,
		     size_t n)
{
	struct bt_comm *c = comm_slot(b, tid, 1);

	if (n > 15)
		n = 15;
	memcpy(c->comm, s, n);
	c->comm[n] = 0;
}

/* The command's name as the kernel sets it at exec: the file name's
   last part, 15 bytes. */
void bt_comm_exec(struct limen_bt *b, int32_t tid, const char *path,
		  size_t n)
{
	const char *s = path;

	for (size_t i = 0; i < n; i++)
		if (path[i] == '/')
			s = path + i + 1;
	set_comm(b, tid, s, (size_t)(path + n - s));
}

const char *bt_comm_of(struct limen_bt *b, int32_t pid, int32_t tid)
{
	struct bt_comm *c = comm_slot(b, tid, 0);
	char path[64], buf[32];
	FILE *f;

	if (c)
		return c->comm;
	/* a thread or process not seen before: a clone in flight made it */
	if (b->cloner && (c = comm_slot(b, b->cloner, 0))) {
		char s[16];

		memcpy(s, c->comm, sizeof(s));
		set_comm(b, tid, s, strlen(s));
		return comm_slot(b, tid, 0)->comm;
	}
	/* else what the kernel says now */
	snprintf(path, sizeof(path), "/proc/%d/task/%d/comm", (int)pid,
		 (int)tid);
	buf[0] = 0;
	f = fopen(path, "re");
	if (f) {
		if (!fgets(buf, sizeof(buf), f))
			buf[0] = 0;
		fclose(f);
	}
	buf[strcspn(buf, "\n")] = 0;
	set_comm(b, tid, buf, strlen(buf));
	return comm_slot(b, tid, 0)->comm;
}

/* What a call changes of comm (its end): exec, prctl(PR_SET_NAME),
   clones (the child inherits). */
void bt_comm_track(struct limen_bt *b, int32_t pid, int32_t tid,
		       const struct limen_call *c, int ended)
{
	const char *name = c->nr < LIMEN_NSYSENT && limen_sysent[c->nr].name ?
		limen_sysent[c->nr].name : "";
	int clone = !strcmp(name, "clone") || !strcmp(name, "clone3") ||
		!strcmp(name, "fork") || !strcmp(name, "vfork");

	if (!ended) {
		if (clone) {
			bt_comm_of(b, pid, tid);
			b->cloner = tid;
		}
		return;
	}
	if (clone) {
		const char *mine = bt_comm_of(b, pid, tid);

		if (c->has_ret && c->ret > 0 && !comm_slot(b, (int32_t)c->ret, 0))
			set_comm(b, (int32_t)c->ret, mine, strlen(mine));
		if (b->cloner == tid)
			b->cloner = 0;
		return;
	}
	if ((!strcmp(name, "execve") || !strcmp(name, "execveat")) &&
	    c->has_ret && c->ret == 0 &&
	    (c->cap_in[name[6] ? 1 : 0].flags & LIMEN_BLOB_PRESENT)) {
		const struct limen_blob *p = &c->cap_in[name[6] ? 1 : 0];

		/* the thread that execs becomes the process's only one */
		bt_comm_exec(b, pid, (const char *)p->data, p->len);
		return;
	}
	if (!strcmp(name, "prctl") && c->args[0] == 15 /* PR_SET_NAME */ &&
	    c->has_ret && c->ret == 0 &&
	    (c->cap_in[1].flags & LIMEN_BLOB_PRESENT)) {
		size_t n = strnlen((const char *)c->cap_in[1].data,
				   c->cap_in[1].len);

		set_comm(b, tid, (const char *)c->cap_in[1].data, n);
	}
}

