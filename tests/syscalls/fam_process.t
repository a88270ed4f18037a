#!/bin/bash
# SPDX-License-Identifier: MIT
#
# Process family: ids, uname, resource limits, fork + wait4 (exit status
# and killed-by-signal status), waitid siginfo, kill, failing execve, prctl,
# scheduling and priority.
#
# tests/progs/fam_process.c makes each call with raw syscall() and known
# arguments, and writes the exact line limen must print for it (strace's
# rendering, checked against strace 6.1) to an expected file. Every expected
# line must appear in the trace, in order (other lines may come between):
# one check per expected line. The program checks the results of its own
# calls and exits non-zero if one did not behave as assumed.
. "$(dirname "$0")/../lib.sh"
need_limen

prog=$(testbin fam_process)
[ -x "$prog" ] || skip_all "fam_process not built; run make first"

run_fam fam_process default
done_testing
