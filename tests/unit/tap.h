/* SPDX-License-Identifier: MIT */
/*
 * TAP for the unit tests that need no decoder harness (harness.h): ok()
 * numbers each check and counts the failures; main returns nfail != 0.
 */
#ifndef LIMEN_TESTS_TAP_H
#define LIMEN_TESTS_TAP_H

#include <stdio.h>

static int ntest, nfail;

static void ok(int cond, const char *name)
{
	ntest++;
	if (!cond)
		nfail++;
	printf("%s %d - %s\n", cond ? "ok" : "not ok", ntest, name);
}

#endif
