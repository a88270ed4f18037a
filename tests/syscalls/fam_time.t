#!/bin/bash
# SPDX-License-Identifier: MIT
#
# Time family: clock_gettime/clock_getres, gettimeofday, time, nanosleep,
# clock_nanosleep (relative, absolute), itimers, alarm, POSIX timers, timerfd,
# times, errors. Values the kernel returns are printed as the program got them.
#
# tests/progs/fam_time.c makes each call with raw syscall() and known
# arguments, and writes the exact line limen must print for it (strace's
# rendering, checked against strace 6.1) to an expected file. Every expected
# line must appear in the trace, in order (other lines may come between):
# one check per expected line. The program checks the results of its own
# calls and exits non-zero if one did not behave as assumed.
. "$(dirname "$0")/../lib.sh"
need_limen

prog=$(testbin fam_time)
[ -x "$prog" ] || skip_all "fam_time not built; run make first"

run_fam fam_time default
done_testing
