#!/bin/bash
# SPDX-License-Identifier: MIT
#
# Rewritten call sites (src/runtime/rewrite.c, fast.S) under limen's loader:
# its runtime finds its per-thread state through %gs (rt.h, LIMEN_GS_TLS),
# the fast path's stack too (the %gs block's header), so a hot site of a
# program started by the loader is rewritten as under LD_PRELOAD, every
# call still counted, threads, fork and vfork children as bare.
# tests/progs/rewrite.c prints "site MODE XX" on stderr, XX the first byte
# of its site: b8 as built, e9 once rewritten.
. "$(dirname "$0")/../lib.sh"
need_limen
prog=$(testbin rewrite)
[ -x "$prog" ] || skip_all "tests/progs/rewrite not built ($prog)"
export LIMEN_LOADER=all

bare_and_traced hot hot 5000
as_bare hot "loader: a hot site's program as bare"
is "$(site hot hot)" e9 "loader_rewrites_a_hot_site_to_a_jmp"
is "$(count_calls "$tmp/hot.trace" getppid)" 5001 \
	"loader: every getppid counted through the rewritten site (5000 + main's)"

for mode in threads fork signals; do
	bare_and_traced "$mode" "$mode" 2000
	as_bare "$mode" "loader: a rewritten site with $mode: as bare"
done
done_testing
