/* SPDX-License-Identifier: MIT */
/*
 * The decoder unit tests' harness: build a call by hand (name, arguments,
 * captured blobs, return value) and compare its rendering with strace's
 * text, printing TAP.
 */
#ifndef LIMEN_TESTS_HARNESS_H
#define LIMEN_TESTS_HARNESS_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decode/decode.h"

static int ntest, nfail;
static struct limen_call C;
static struct limen_dopts O = { .strsize = 32 };
/* blob storage: one per argument slot and direction */
static uint8_t store[2][6][1024];

__attribute__((unused)) static unsigned long nr_of(const char *name)
{
	unsigned long i;

	for (i = 0; i < LIMEN_NSYSENT; i++)
		if (limen_sysent[i].name &&
		    !strcmp(limen_str(limen_sysent[i].name), name))
			return i;
	fprintf(stderr, "no syscall %s\n", name);
	exit(2);
}

__attribute__((unused)) static void call(const char *name, uint64_t a0, uint64_t a1, uint64_t a2,
		 uint64_t a3, uint64_t a4, uint64_t a5)
{
	memset(&C, 0, sizeof C);
	C.nr = nr_of(name);
	C.args[0] = a0; C.args[1] = a1; C.args[2] = a2;
	C.args[3] = a3; C.args[4] = a4; C.args[5] = a5;
	O.strsize = 32;
}

__attribute__((unused)) static void blob(int out, unsigned i, const void *p, size_t n, uint32_t fl)
{
	struct limen_blob *b = out ? &C.cap_out[i] : &C.cap_in[i];

	memcpy(store[out][i], p, n);
	b->data = store[out][i];
	b->len = (uint32_t)n;
	b->flags = LIMEN_BLOB_PRESENT | fl;
}

#define IN(i, p, n) blob(0, i, p, n, 0)
#define OUT(i, p, n) blob(1, i, p, n, 0)
#define INS(i, s) blob(0, i, s, strlen(s), 0)

__attribute__((unused)) static void ret(int64_t r)
{
	C.ret = r;
	C.has_ret = 1;
}

__attribute__((unused)) static void check(const char *name, const char *want)
{
	struct limen_sb sb = { 0 };

	limen_decode_call(&sb, &C, &O);
	ntest++;
	if (sb.p && !strcmp(sb.p, want)) {
		printf("ok %d - %s\n", ntest, name);
	} else {
		nfail++;
		printf("not ok %d - %s # got %s want %s\n", ntest, name,
		       sb.p ? sb.p : "(null)", want);
	}
	limen_sb_free(&sb);
}

__attribute__((unused)) static void check_str(const char *name, const char *got, const char *want)
{
	ntest++;
	if (!strcmp(got, want)) {
		printf("ok %d - %s\n", ntest, name);
	} else {
		nfail++;
		printf("not ok %d - %s # got %s want %s\n", ntest, name, got,
		       want);
	}
}

#endif
