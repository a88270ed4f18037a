#!/usr/bin/env bash
# Calls nested deeper than the text sink keeps pending (16): signal
# handlers, each inside a read the kernel restarts (tests/progs/nest.c).
# Every call is shown, each exit with its own entry, nothing dropped; the
# handlers' frames grow the main thread's stack as the kernel's would.
. "$(dirname "$0")/../lib.sh"
need_limen
plan 3
d=20
t=$tmp/nest
limen_trace "$t" -- "$(testbin nest)" $d </dev/null >"$tmp/out" 2>&1
is "$?" 0 "nest: exit status 0 under limen"
# each read is interrupted once and restarted by the kernel: strace shows
# it twice, "= ? ERESTARTSYS" and then its result
# (the pipe's reads: ld.so's of each library's ELF header, "\177ELF"...,
# are in the trace when it starts at ld.so's first instruction)
pipe_reads=$(trace_body "$t" | grep -c -E '^read\(3, (0x[0-9a-f]+|"x*"), [0-9]+\) ')
is "$pipe_reads" $((2 * (d - 1))) "deep_nesting_drops_no_call ($((d - 1)) reads, each restarted once)"
# level L reads L bytes and gets L: a wrong pairing shows as L != result
bad=$(trace_body "$t" | sed -n -E 's/^read\(3, "x*", ([0-9]+)\) = ([0-9]+)$/\1 \2/p' |
	awk '$1 != $2' | head -n 3)
good=$(trace_body "$t" | grep -c -E '^read\(3, "x*", ([0-9]+)\) = [0-9]+$')
ok_if "deep_nesting_pairs_each_exit_with_its_entry ($good whole reads${bad:+, wrong: $bad})" \
	test -z "$bad" -a "$good" = $((d - 1))
