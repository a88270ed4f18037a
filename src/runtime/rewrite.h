/* SPDX-License-Identifier: MIT */
/*
 * Call-site rewriting (rewrite.c, arch/x86_64/fast.S): constants the
 * assembly needs, as plain numbers; rewrite.c pins them against the C
 * layout with _Static_assert.
 */
#ifndef LIMEN_REWRITE_H
#define LIMEN_REWRITE_H

/* struct limen_fast_frame: a ucontext_t (glibc's, 968 bytes) and after it
   the stack pointer the way out loads (FAST_EXIT_SP) */
#define FAST_FRAME 1024
#define FAST_EXIT_SP 976
#define UC_EFL 176

/* what a site's stub leaves on the program's stack below its red zone:
   the program's flags (pushfq) and the return address into the stub's
   data (its call): FAST_BELOW bytes under the program's stack pointer */
#define FAST_RED_ZONE 128
#define FAST_BELOW 144

#endif
