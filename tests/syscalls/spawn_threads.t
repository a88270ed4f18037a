#!/bin/bash
# SPDX-License-Identifier: MIT
#
# Threads that posix_spawn at the same time (a Python or Java program
# running subprocesses from several threads) all spawn as bare: glibc's
# posix_spawn makes a CLONE_VM|CLONE_VFORK child that execs, and limen
# builds each such execve's environment in a mapping the parent takes back
# when its child is done. That mapping was one per process: a thread whose
# child was done unmapped another thread's child's while it was in its
# execve, which failed with EFAULT ("spawn: Bad address") in about one run
# in four. It is now one per thread (src/runtime/exec.c, clone.c's
# restore_parent). tests/progs/spawn_threads.c.
. "$(dirname "$0")/../lib.sh"
need_limen
prog=$(testbin spawn_threads)
[ -x "$prog" ] || skip_all "tests/progs/spawn_threads not built ($prog)"
is "$("$prog" 3 10)" ok "bare: every spawn of 3 threads at once succeeds"
for opts in "-f" "-f -e trace=execve" "-f --no-rewrite"; do
	bad=0
	for i in 1 2 3 4; do
		out=$("$LIMEN" trace $opts -o /dev/null -- "$prog" 3 10 2>&1)
		[ "$out" = ok ] || { bad=1; diag "$out"; }
	done
	is "$bad" 0 "three_threads_spawning_at_once_all_spawn_as_bare (${opts}, 4 runs)"
done
done_testing
