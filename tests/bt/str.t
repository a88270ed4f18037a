#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# str() reads the memory limen's runtime captured in the process at the
# moment of the call, so it never comes back empty for a valid string:
# tests/progs/freshpage.c opens paths that live in .rodata pages the
# program never touched (bpftrace's bpf_probe_read_user cannot fault them
# in and gives "" for the first on this machine; that side is checked
# when bpftrace can run, skipped otherwise). A pointer limen did not
# capture with the call (an output buffer at entry) gives "" and says so
# on standard error, never a guess.
. "$(dirname "$0")/../lib.sh"
need_limen
fresh=$(testbin freshpage)
[ -x "$fresh" ] || skip_all "tests/progs/freshpage.c not built"
plan 4
prog='tracepoint:syscalls:sys_enter_openat /comm == "freshpage"/ { printf("[%s]\n", str(args->filename)); }'

run_limen bt -e "$prog" -- "$fresh" >"$tmp/limen.out" 2>"$tmp/limen.err"
# the program's two opens last (ld.so's come first when the trace starts
# at its first instruction), and none of the paths empty
is "$(grep '^\[' "$tmp/limen.out" | tail -n 2)$(grep -c -x '\[\]' "$tmp/limen.out")" "[/etc/hostname]
[/etc/hostname]0" "str_of_paths_in_pages_never_faulted_in_is_the_path"

if [ "$(id -u)" = 0 ] && command -v bpftrace >/dev/null &&
	[ -d /sys/kernel/tracing/events/syscalls ] &&
	timeout 30 bpftrace -e "$prog" -c "$fresh" >"$tmp/bpf.out" 2>/dev/null &&
	grep -q '^\[' "$tmp/bpf.out"; then
	if grep -qx '\[\]' "$tmp/bpf.out"; then
		pass "bpftrace_str_came_back_empty_where_limen_read_the_path"
	else
		skip "bpftrace_str_came_back_empty_where_limen_read_the_path" \
			"bpftrace read both paths this time (their pages were mapped)"
	fi
else
	skip "bpftrace_str_came_back_empty_where_limen_read_the_path" \
		"bpftrace cannot run here (root, bpftrace, syscall tracepoints)"
fi

# read's buffer at entry: nothing is there yet, limen captured nothing
out=$(run_limen bt -e 't:syscalls:sys_enter_read /comm == "freshpage"/ { printf("<%s>\n", str(args->buf)); }' -- "$fresh" 2>"$tmp/err")
is "$(grep '^<' <<<"$out" | sort -u)" "<>" "str_of_memory_not_captured_is_empty"
ok_if "str_of_memory_not_captured_says_so" grep -q "^limen bt: str(0x[0-9a-f]*): not memory limen captured with this call; empty$" "$tmp/err"
