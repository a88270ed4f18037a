/* SPDX-License-Identifier: MIT */
/*
 * The command's own execve line (issue 13). strace's first line is the
 * execve of the command it spawned; limen's runtime starts inside the new
 * image, after that execve returned. limen's spawn (src/cli/spawn.c) marks
 * the command's first image with LIMEN_FIRST=<the path it gave execve>;
 * the loader (src/loader/loader.c), or under LD_PRELOAD the runtime's
 * constructor (init.c), takes the variable out and, once the runtime is
 * armed and the environment is the program's, records the execve as the
 * kernel ran it: the path, argv, and the environment the program sees,
 * and 0. Images exec'd later by the
 * program are told by the old image's runtime (its execve ENTER, closed
 * by the collector when the new image starts): no mark, no line here.
 */
#include <stdint.h>
#include <sys/syscall.h>

#include "rt.h"
#include "filter.h"
#include "session/session.h"

void limen_first_exec(const char *path, const char *script_argv,
		      uint64_t argc, char **argv, char **envp)
{
	long a[6] = { (long)path, (long)argv, (long)envp, 0, 0, 0 };
	uint64_t idx = 0;
	char *slot = 0;
	struct limen_fcall fc;
	int sel = limen_selected(SYS_execve);

	if (!sel && !limen_filter_on)
		return;
	/* a script: the command's argv is the tail of the interpreter's,
	   from the script's path, which the command's argv[0] replaces
	   for the record (loader.c, first_argv_var) */
	if (script_argv) {
		for (; *script_argv >= '0' && *script_argv <= '9';
		     script_argv++)
			idx = idx * 10 + (uint64_t)(*script_argv - '0');
		if (*script_argv == ':' && idx < argc) {
			slot = argv[idx];
			argv[idx] = (char *)(script_argv + 1);
			a[1] = (long)(argv + idx);
		}
	}
	/* a call filter (-e status=, -P, --filter) decides as for any
	   call: at entry on the arguments (-P's path), at exit on the
	   result; the call was made before the runtime was there, so an
	   injection (-e inject=execve) cannot change it */
	if (limen_filter_on) {
		fc.site = 0;
		fc.uc = 0;
		sel = limen_filter_enter(&fc, SYS_execve, a, sel);
	}
	if (sel) {
		limen_record_sys(LIMEN_REC_ENTER, SYS_execve, a, 0, 0);
		limen_record_sys(LIMEN_REC_EXIT, SYS_execve, a, 0, 0);
	}
	if (limen_filter_on)
		limen_filter_exit(&fc, SYS_execve, a, 0);
	if (slot)
		argv[idx] = slot;
}
