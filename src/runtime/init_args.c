/* SPDX-License-Identifier: MIT */
/*
 * The arguments limen_init (init.c) runs with, as a constructor of the
 * preloaded runtime. glibc's loader calls constructors with argc, argv and
 * envp; musl's calls them with none, so that under LD_PRELOAD a musl
 * program's runtime read whatever its registers held (a NULL argv, an
 * envp of 1) and the program died of SIGSEGV before its first
 * instruction. Arguments that do not hold together (envp just after
 * argv's NULL, as the kernel lays them out) are taken from the stack the
 * kernel built instead: argc at the start of the stack (/proc/self/stat's
 * startstack), argv after it, envp after argv's NULL. glibc's, when an
 * earlier constructor changed the environment (envp is then environ, not
 * the stack's), are kept: their argv is the stack's.
 */
#include "raw.h"
#include "rt.h"

void limen_init_args(int *argc, char ***argv, char ***envp)
{
	uint64_t start, n;

	if (*argv && *argc >= 0 && *envp == *argv + *argc + 1)
		return; /* glibc's, as the kernel laid them out */
	if (limen_self_stat(28, &start) < 0 || !start ||
	    limen_safe_read(&n, start, sizeof(n)) != sizeof(n) ||
	    n > 0x7fffffff) {
		*envp = 0; /* limen_init: nothing to trace with */
		return;
	}
	if (*argv == (char **)(start + 8) && *argc == (int)n)
		return; /* glibc's, environ changed before us */
	*argc = (int)n;
	*argv = (char **)(start + 8);
	*envp = *argv + n + 1;
}
