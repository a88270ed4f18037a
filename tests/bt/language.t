#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# The language limen bt runs, statement by statement, and the maps as
# bpftrace 0.17 prints them: tests/bt/begin.bt (every map kind, zero,
# clear, delete, print, printf's conversions, variables and compound
# assignment, ternary, if/else if/else, unroll, while, strncmp, END after
# exit()) prints exactly tests/bt/begin.expected, which is bpftrace 0.17's
# output (re-checked against bpftrace when it can run here). Then what
# only a traced command shows: FILE.bt and -o FILE, comm across fork and
# exec, join() of execve's argv, buf() with %r, str() with a length,
# args.args[N] and args.id of raw_syscalls, printf with no trailing map.
. "$(dirname "$0")/../lib.sh"
need_limen
here=$(cd "$(dirname "$0")" && pwd)
loop=$(testbin bt_loop)
[ -x "$loop" ] || skip_all "tests/progs/bt_loop.c not built"
plan 17

run_limen bt "$here/begin.bt" -- true >"$tmp/begin.out" 2>"$tmp/begin.err"
same_file "$tmp/begin.out" "$here/begin.expected" "begin_bt_prints_what_bpftrace_0.17_prints"
is "$(cat "$tmp/begin.err")" "" "exit_in_BEGIN_says_nothing_about_the_ended_command"
if [ "$(id -u)" = 0 ] && command -v bpftrace >/dev/null &&
	timeout 30 bpftrace "$here/begin.bt" >"$tmp/bpf.raw" 2>/dev/null; then
	grep -v '^Attaching ' "$tmp/bpf.raw" >"$tmp/bpf.out"
	same_file "$tmp/bpf.out" "$here/begin.expected" "begin_expected_is_bpftrace_output"
else
	skip "begin_expected_is_bpftrace_output" "bpftrace cannot run here (root, bpftrace needed)"
fi

# exit() ends the run with the command going on: the rings of threads
# it never looked at (a shell's next children) are no ring it found no
# room for, and the end says nothing of them (3 runs in 10 did before)
: >"$tmp/exit.err"
for i in 1 2 3 4 5 6 7 8; do
	run_limen bt -e 't:syscalls:sys_enter_getppid { exit(); }' -- \
		sh -c "$loop 1 & while :; do /bin/true; done" >/dev/null 2>>"$tmp/exit.err"
done
is "$(cat "$tmp/exit.err")" "" "exit_says_nothing_of_the_rings_of_threads_it_never_read"

run_limen bt -o "$tmp/o" -e 't:syscalls:sys_enter_getppid { @ = count(); }' -- "$loop" 7 >"$tmp/stdout"
is "$(cat "$tmp/o")" "

@: 14" "dash_o_writes_the_output_to_the_file"

# comm: sh, then its fork, then the fork's exec of bt_loop
out=$(run_limen bt -e 't:syscalls:sys_enter_getppid { @[comm] = count(); } t:syscalls:sys_enter_wait4 { @w[comm] = count(); }' -- sh -c "$loop 3; true")
ok_if "comm_follows_exec_in_the_forked_child" grep -qx '@\[bt_loop\]: 6' <<<"$out"
ok_if "comm_of_the_shell_is_its_own" grep -q '^@w\[sh\]: [1-9]' <<<"$out"

out=$(run_limen bt -e 't:syscalls:sys_enter_execve { join(args->argv); printf("<%s>\n", str(args->filename, 5)); }' -- sh -c "exec $loop 1 two three")
# the command's own execve (sh's, strace's first line), then sh's exec
is "$out" "sh -c exec $loop 1 two three
<$(printf %.5s "$(command -v sh)")>
$loop 1 two three
<$(printf %.5s "$loop")>" "join_prints_execve_argv_and_str_takes_a_length"

out=$(run_limen bt -e 't:syscalls:sys_enter_write /args->count == 37/ { printf("%r|\n", buf(args->buf, 3)); }' -- "$loop" 1)
is "$out" '\x00\x00\x00|' "buf_prints_non_printable_bytes_as_hex"

out=$(run_limen bt -e 't:raw_syscalls:sys_enter /args.id == 3/ { @[args.args[0]] = count(); } t:raw_syscalls:sys_exit /args.id == 110/ { @r = max(args.ret); }' -- "$loop" 4)
# the closes of fd 3 as limen trace counts them (ld.so's too when the
# trace starts at its first instruction)
run_limen trace -e trace=close,openat -o "$tmp/t4" -- "$loop" 4 >/dev/null 2>&1
n3=$(trace_body "$tmp/t4" | grep -c '^close(3)')
ok_if "raw_syscalls_args_id_and_args_N ($n3 closes of 3)" grep -qx "@\\[3\\]: $n3" <<<"$out"
ok_if "raw_syscalls_exit_ret_is_the_result" grep -qx "@r: [1-9][0-9]*" <<<"$out"

# a probe group, a predicate on a string
run_limen trace -e trace=close -o "$tmp/t2" -- "$loop" 2 >/dev/null 2>&1
nc=$(count_calls "$tmp/t2" close)
out=$(run_limen bt -e 't:syscalls:sys_enter_getppid, t:syscalls:sys_enter_close /comm == "bt_loop"/ { @[probe] = count(); }' -- "$loop" 2)
# (a map prints in the order of its values, as bpftrace's)
if [ "$nc" -le 4 ]; then
	want="@[tracepoint:syscalls:sys_enter_close]: $nc
@[tracepoint:syscalls:sys_enter_getppid]: 4"
else
	want="@[tracepoint:syscalls:sys_enter_getppid]: 4
@[tracepoint:syscalls:sys_enter_close]: $nc"
fi
is "$out" "

$want" "probe_list_shares_a_predicate_and_body"

# nested loops cannot run for ever: a firing stops after 10M statements
out=$(run_limen bt -e 'BEGIN { unroll(100) { unroll(100) { $i = 0; while ($i < 100000) { $i++; } } } @x = 1; exit(); }' -- true 2>"$tmp/err")
is "$out" "" "a_runaway_firing_stops_before_its_next_statements"
ok_if "a_runaway_firing_says_where" grep -qx 'limen bt: 1:67: a probe ran 10000000 statements: stopped there' "$tmp/err"

# opensnoop's pattern: the pointer kept at entry, str() of it at exit (the
# call's captured path: the same call's record)
out=$(run_limen bt -e 't:syscalls:sys_enter_openat { @fn[tid] = args->filename; } t:syscalls:sys_exit_openat /@fn[tid]/ { printf("%s = %d\n", str(@fn[tid]), args->ret); delete(@fn[tid]); }' -- "$loop" 1)
# each open's path and result as limen trace shows them
run_limen trace -e trace=openat -o "$tmp/t1" -- "$loop" 1 >/dev/null 2>&1
want=$(trace_body "$tmp/t1" | sed -n -E 's/^openat\(AT_FDCWD, "([^"]*)".* = ([0-9-]+).*$/\1 = \2/p')
is "$out" "$want" "str_at_exit_of_the_pointer_kept_at_entry"

# threads take their process's comm; tids are keys
thr=$(testbin threadloop)
out=$(run_limen bt -e 't:syscalls:sys_enter_getppid { @[comm] = count(); @t[tid] = count(); }' -- "$thr" 3 500 2>&1)
is "$(grep -c '^@t\[[0-9]*\]: 500$' <<<"$out"):$(grep '^@\[' <<<"$out")" "3:@[threadloop]: 1500" \
	"threads_inherit_comm_and_count_by_tid"

# strings are captured as long as bpftrace reads them (BPFTRACE_STRLEN, 64
# with the NUL), not only limen trace's -s 32
long=$(printf 'a%.0s' $(seq 100))
# (the command's own execve: the trace's first line)
out=$(run_limen bt -e 't:syscalls:sys_enter_execve { join(args->argv); }' -- "$loop" 0 "$long")
is "$out" "$loop 0 ${long:0:63}" "join_keeps_63_characters_of_each_argument"
