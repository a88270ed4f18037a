#!/bin/bash
# SPDX-License-Identifier: MIT
#
# A SIGSYS the program sends itself while it blocks it is held in limen's
# hands (SIGSYS is never really blocked: owned.c). Bare, it stays pending,
# blocked, across execve, and a fork child does not inherit it; under
# limen it was lost at the exec (the new image saw it neither pending nor
# delivered at the unblock), and a fork child saw it pending.
. "$(dirname "$0")/../lib.sh"
need_limen
prog=$(testbin sigsys_across_exec)
[ -x "$prog" ] || skip_all "tests/progs/sigsys_across_exec not built"

bare_and_traced default
ok_if "bare: pending and blocked after exec, both handlers run" \
	grep -q -x 'after exec: SIGSYS pending=1 blocked=1 SIGUSR1 pending=1' \
	"$tmp/default.bare.out"
as_bare default "a pending blocked SIGSYS survives execve, as bare"
ok_if "its handler runs once unblocked" \
	grep -q -x 'handler 31 ran' "$tmp/default.out"
bare_and_traced norewrite --no-rewrite --
as_bare norewrite "--no-rewrite: as bare"
bare_and_traced none -e trace=none --
as_bare none "-e trace=none: as bare"
LIMEN_LOADER=loader bare_and_traced loader
as_bare loader "LIMEN_LOADER=loader: as bare"
LIMEN_LOADER=preload bare_and_traced preload
as_bare preload "LIMEN_LOADER=preload: as bare"
src=$(dirname "$0")/../progs/sigsys_across_exec.c
if command -v cc >/dev/null &&
	cc -static -o "$tmp/static" "$src" 2>/dev/null; then
	prog=$tmp/static
	bare_and_traced static
	as_bare static "a static program: as bare"
else
	skip "a static program: as bare" "cc -static failed"
fi
done_testing
