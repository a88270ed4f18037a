#!/bin/bash
# SPDX-License-Identifier: MIT
#
# Code moved by mremap after its call sites were rewritten
# (src/runtime/rewrite.c, limen_rewrite_moved): a patched site's jmp is
# relative to where it stands, so its moved copy led 8 GiB off (SIGSEGV
# at the first call after the move). The moved copy gets the site's own
# bytes back and traps as any other site; with MREMAP_DONTUNMAP the sites
# left behind keep working too. Every call in the trace. Under limen's
# loader and under LD_PRELOAD. tests/progs/remap_moved.c.
. "$(dirname "$0")/../lib.sh"
need_limen
prog=$(testbin remap_moved)
[ -x "$prog" ] || skip_all "tests/progs/remap_moved not built ($prog)"

for L in loader preload; do
	export LIMEN_LOADER=$L
	bare_and_traced moved "$tmp"
	as_bare moved "$L: rewritten code moved by mremap runs as bare"
	want=$((1 + $(awk '{n += $2} END {print n}' "$tmp/moved.bare.out")))
	is "$(count_calls "$tmp/moved.trace" getpid)" "$want" \
		"$L: every call of the moved code in the trace"
	bare_and_traced other "$tmp" other
	as_bare other "$L: a_moved_mapping_that_only_looks_like_a_rewritten_site_keeps_its_bytes"
done
done_testing
