/* SPDX-License-Identifier: MIT */
/*
 * What src/runtime/filter.c needs from the rest of the runtime, for a
 * program that links filter.c alone (tests/fuzz/fuzz_filter.c,
 * bench/filter_eval.c): the runtime's state, with no session, and
 * records that go nowhere (they test and time the decisions). Include it
 * once per program; it defines limen_safe_read's users' state, not
 * limen_safe_read itself, whose memory each program fakes its own way.
 */
#ifndef LIMEN_RUNTIME_FILTER_HOST_H
#define LIMEN_RUNTIME_FILTER_HOST_H

#include "runtime/filter.h"

__thread struct limen_tls limen_tls;
/* no session: -k's stack capture is never asked for (fc.uc is NULL) */
struct limen_rt limen_rt;

void limen_record_sys_flags(uint16_t type, long nr, const long *a, long ret,
			    int hidden, uint16_t flags)
{
	(void)type, (void)nr, (void)a, (void)ret, (void)hidden, (void)flags;
}

void limen_capture_stack(long nr, const long *a, const ucontext_t *uc)
{
	(void)nr, (void)a, (void)uc;
}

int limen_stack_first(long nr)
{
	(void)nr;
	return 0;
}

void limen_record_unmade(long nr, const long *a, int hidden)
{
	(void)nr, (void)a, (void)hidden;
}

/* no filter of the program's: when= counters are mapped (filter.c) */
int limen_program_filtered(void)
{
	return 0;
}

#endif
