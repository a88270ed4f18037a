#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# bpftrace's integer casts, (int8)x ... (uint64)x: the low bits, sign- or
# zero-extended, in printf, maps, hist keys and conditions; the type a
# value keeps (a widening cast extends from its operand's width, - and ~
# in it, unsigned comparisons, through $ variables); and printf's
# %d, %u, %x as bpftrace 0.17 formats them (C's printf on each 64-bit
# value: without l, the low 32 bits; h 16, hh 8). tests/bt/casts.bt prints
# exactly tests/bt/casts.expected, bpftrace 0.17's output (re-checked
# against bpftrace when it can run here). A cast to anything else, or of a
# string, is refused (tests/bt/refused.t).
. "$(dirname "$0")/../lib.sh"
need_limen
here=$(cd "$(dirname "$0")" && pwd)

run_limen bt "$here/casts.bt" -- true >"$tmp/out" 2>"$tmp/err"
same_file "$tmp/out" "$here/casts.expected" "casts_and_printf_widths_print_what_bpftrace_0.17_prints"
is "$(cat "$tmp/err")" "" "casts_bt_says_nothing_on_stderr"
if [ "$(id -u)" = 0 ] && command -v bpftrace >/dev/null &&
	timeout 30 bpftrace "$here/casts.bt" >"$tmp/bpf.raw" 2>/dev/null; then
	grep -v '^Attaching ' "$tmp/bpf.raw" >"$tmp/bpf.out"
	same_file "$tmp/bpf.out" "$here/casts.expected" "casts_expected_is_bpftrace_output"
else
	skip "casts_expected_is_bpftrace_output" "bpftrace cannot run here (root, bpftrace needed)"
fi
# in a predicate: the field's low bits (bt_loop writes 37 bytes)
loop=$(testbin bt_loop)
out=$(run_limen bt -e 't:syscalls:sys_enter_write /(uint8)(args->count + 256) == 37/ { @ = count(); }' -- "$loop" 1)
is "$(grep @ <<<"$out")" "@: 1" "a_cast_in_a_predicate_takes_the_low_bits"
done_testing
