#!/bin/bash
# SPDX-License-Identifier: MIT
#
# Signal family: rt_sigaction, rt_sigprocmask (real-time and full sets),
# rt_sigpending, kill/tgkill/rt_sigqueueinfo deliveries with their siginfo,
# the handler's call and rt_sigreturn, rt_sigsuspend interrupted,
# rt_sigtimedwait, sigaltstack, signalfd4, errors.
#
# tests/progs/fam_signal.c makes each call with raw syscall() and known
# arguments, and writes the exact line limen must print for it (strace's
# rendering, checked against strace 6.1) to an expected file. Every expected
# line must appear in the trace, in order (other lines may come between):
# one check per expected line. The program checks the results of its own
# calls and exits non-zero if one did not behave as assumed.
. "$(dirname "$0")/../lib.sh"
need_limen

prog=$(testbin fam_signal)
[ -x "$prog" ] || skip_all "fam_signal not built; run make first"

run_fam fam_signal default
done_testing
