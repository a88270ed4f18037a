#!/bin/bash
# SPDX-License-Identifier: MIT
#
# Memory family: mmap (anonymous, shared, file with offset, fixed, errors),
# mprotect, madvise, msync, mlock, mincore, mremap, munmap, brk.
#
# tests/progs/fam_memory.c makes each call with raw syscall() and known
# arguments, and writes the exact line limen must print for it (strace's
# rendering, checked against strace 6.1) to an expected file. Every expected
# line must appear in the trace, in order (other lines may come between):
# one check per expected line. The program checks the results of its own
# calls and exits non-zero if one did not behave as assumed.
. "$(dirname "$0")/../lib.sh"
need_limen

prog=$(testbin fam_memory)
[ -x "$prog" ] || skip_all "fam_memory not built; run make first"

run_fam fam_memory default
done_testing
