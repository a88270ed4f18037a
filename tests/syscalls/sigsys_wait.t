#!/bin/bash
# SPDX-License-Identifier: MIT
#
# A SIGSYS the program sends itself while it blocks it is taken by its
# sigwaitinfo/sigtimedwait, in the kernel's order among other pending
# signals. limen never really blocks SIGSYS (owned.c) and holds such a
# one itself: the wait used to sleep in the kernel for it forever.
. "$(dirname "$0")/../lib.sh"
need_limen
prog=$(testbin sigsys_wait)
[ -x "$prog" ] || skip_all "tests/progs/sigsys_wait not built"

same_as_bare "sigwaitinfo takes a SIGSYS sent while blocked" "$prog"
ok_if "the wait's line as strace shows it" \
	grep -q -E 'rt_sigtimedwait\(\[USR1 SEGV SYS\], \{si_signo=SIGSYS, si_code=SI_USER, si_pid=[0-9]+, si_uid=[0-9]+\}, \{tv_sec=0, tv_nsec=0\}, 8\) += 31 \(SIGSYS\)' "$tmp/trace"
LIMEN_NO_REWRITE=1 same_as_bare "--no-rewrite: sigwaitinfo takes a SIGSYS sent while blocked" "$prog"
LIMEN_LOADER=preload same_as_bare "LD_PRELOAD: sigwaitinfo takes a SIGSYS sent while blocked" "$prog"
done_testing
