#!/bin/bash
# SPDX-License-Identifier: MIT
#
# A seccomp filter inherited through exec that kills at a call the
# program never makes but the runtime's site rewriting does (pwrite64 of
# /proc/self/mem, src/runtime/rewrite.c): the runtime of the new image
# asks once whether a filter is on (unixpeer.c, limen_seccomp_filtered)
# and then leaves the sites on Syscall User Dispatch, as it does after a
# filter the image installed itself. The exec'd busy loop runs as bare,
# every call in the trace. Under limen's loader and under LD_PRELOAD.
# tests/progs/killcall.c, sysloop.c.
. "$(dirname "$0")/../lib.sh"
need_limen
prog=$(testbin killcall)
loop=$(testbin sysloop)
[ -x "$prog" ] || skip_all "tests/progs/killcall not built ($prog)"
pwrite64=18 # x86_64

for L in loader preload; do
	export LIMEN_LOADER=$L
	bare_and_traced pw "$pwrite64" "$loop" 20000 100
	as_bare pw "$L: an inherited filter that kills at pwrite64: the exec'd loop as bare"
	is "$(count_calls "$tmp/pw.trace" getppid)" 20000 \
		"$L: every call of the exec'd loop under the inherited filter in the trace"
	# prctl(PR_SET_MM): the kernel's view of the layout (mm_view.c)
	bare_and_traced mm "157:35" "$loop" 200 10
	as_bare mm "$L: an inherited filter that kills at prctl(PR_SET_MM): the exec'd loop as bare"
done
done_testing
