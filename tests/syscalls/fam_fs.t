#!/bin/bash
# SPDX-License-Identifier: MIT
#
# File-system family: open, read, write, stat, fcntl, dup, pipe, iovecs,
# names, directories, errors (ENOENT, EBADF, EFAULT on bad pointers), and
# buffers cut by -s (run twice: default -s 32, then -s 4).
#
# tests/progs/fam_fs.c makes each call with raw syscall() and known
# arguments, and writes the exact line limen must print for it (strace's
# rendering, checked against strace 6.1) to an expected file. Every expected
# line must appear in the trace, in order (other lines may come between):
# one check per expected line. The program checks the results of its own
# calls and exits non-zero if one did not behave as assumed.
. "$(dirname "$0")/../lib.sh"
need_limen

prog=$(testbin fam_fs)
[ -x "$prog" ] || skip_all "fam_fs not built; run make first"

run_fam fam_fs default
run_fam fam_fs s4 -s 4
done_testing
