#!/bin/bash
# SPDX-License-Identifier: MIT
#
# Miscellaneous family: poll/ppoll (struct pollfd in and out), select, epoll,
# eventfd2, getrandom, memfd_create and seals, ioctl(FIONREAD), getgroups,
# personality, arch_prctl, errors.
#
# tests/progs/fam_misc.c makes each call with raw syscall() and known
# arguments, and writes the exact line limen must print for it (strace's
# rendering, checked against strace 6.1) to an expected file. Every expected
# line must appear in the trace, in order (other lines may come between):
# one check per expected line. The program checks the results of its own
# calls and exits non-zero if one did not behave as assumed.
. "$(dirname "$0")/../lib.sh"
need_limen

prog=$(testbin fam_misc)
[ -x "$prog" ] || skip_all "fam_misc not built; run make first"

run_fam fam_misc default
done_testing
