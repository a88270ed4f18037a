/* SPDX-License-Identifier: MIT */
/*
 * How a syscall record's six register slots are stored, derived once from
 * the syscall table: the metadata, the writer and the reader all read this
 * one description, so they cannot disagree.
 */
#include <stdio.h>
#include <string.h>

#include "ctf/ctf_int.h"
#include "systab.h"

static struct limen_ctf_arg args[LIMEN_NSYSENT][6];
static char extra[6][8];
static int built;

static uint8_t kind_of(const struct limen_argdesc *d)
{
	switch (d->type) {
	case LIMEN_AT_INT:
	case LIMEN_AT_FD:
	case LIMEN_AT_DIRFD:
	case LIMEN_AT_PID:
	case LIMEN_AT_SIG:
		return LIMEN_CTF_F_S32;
	case LIMEN_AT_UINT:
		return LIMEN_CTF_F_U32;
	case LIMEN_AT_OCT:
		return LIMEN_CTF_F_O32;
	case LIMEN_AT_LONG:
		return LIMEN_CTF_F_S64;
	case LIMEN_AT_ULONG:
		return LIMEN_CTF_F_U64;
	case LIMEN_AT_PATH:
	case LIMEN_AT_STR:
		return LIMEN_CTF_F_TEXT;
	case LIMEN_AT_BUF:
	case LIMEN_AT_STRUCT:
	case LIMEN_AT_SIGSET:
	case LIMEN_AT_ARGV:
	case LIMEN_AT_IOV:
	case LIMEN_AT_SOCKADDR:
	case LIMEN_AT_SOCKLEN:
	case LIMEN_AT_FDSET:
	case LIMEN_AT_IOCTL:
	case LIMEN_AT_MSGHDR:
	case LIMEN_AT_SPECIAL:
		return LIMEN_CTF_F_BYTES;
	}
	return LIMEN_CTF_F_X64;
}

/* A field name the event does not have yet (exit events start with ret). */
static int name_free(const struct limen_ctf_arg *a, int n, const char *name)
{
	if (!strcmp(name, "ret"))
		return 0;
	for (int i = 0; i < n; i++)
		if (!strcmp(a[i].name, name))
			return 0;
	return 1;
}

static void build(void)
{
	for (int i = 0; i < 6; i++)
		snprintf(extra[i], sizeof(extra[i]), "reg%d", i);
	for (uint32_t nr = 0; nr < LIMEN_NSYSENT; nr++) {
		const struct limen_sysent *se = &limen_sysent[nr];

		if (!se->name)
			continue;
		for (int i = 0; i < 6; i++) {
			const struct limen_argdesc *d = &se->args[i];

			if (i < se->nargs && se->decoded && d->name &&
			    name_free(args[nr], i, limen_str(d->name))) {
				args[nr][i].kind = kind_of(d);
				args[nr][i].name = limen_str(d->name);
			} else {
				args[nr][i].kind = LIMEN_CTF_F_X64;
				args[nr][i].name = extra[i];
			}
		}
	}
	/* the runtime records the mask a handler's return restores as a
	   capture of slot 0 (runtime/signals.c: record_sigreturn) */
	args[LIMEN_NR_rt_sigreturn][0].kind = LIMEN_CTF_F_BYTES;
	args[LIMEN_NR_rt_sigreturn][0].name = "mask";
	built = 1;
}

const struct limen_ctf_arg *limen_ctf_args(uint32_t nr)
{
	if (!built)
		build();
	if (nr >= LIMEN_NSYSENT || !limen_sysent[nr].name)
		return NULL;
	return args[nr];
}

static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
	const uint8_t *b = p;

	for (size_t i = 0; i < n; i++)
		h = (h ^ b[i]) * 0x100000001b3ull;
	return h;
}

uint64_t limen_ctf_table_hash(void)
{
	uint64_t h = 0xcbf29ce484222325ull;
	uint32_t v = LIMEN_CTF_FORMAT;

	h = fnv(h, &v, sizeof(v));
	for (uint32_t nr = 0; nr < LIMEN_NSYSENT; nr++) {
		const struct limen_ctf_arg *a = limen_ctf_args(nr);

		h = fnv(h, &nr, sizeof(nr));
		if (!a)
			continue;
		h = fnv(h, limen_str(limen_sysent[nr].name),
			strlen(limen_str(limen_sysent[nr].name)) + 1);
		for (int i = 0; i < 6; i++) {
			h = fnv(h, &a[i].kind, 1);
			h = fnv(h, a[i].name, strlen(a[i].name) + 1);
		}
	}
	/* the env value is a signed 64-bit integer in TSDL */
	return h >> 1;
}
