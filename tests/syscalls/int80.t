#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# int $0x80 in a 64-bit program: calls of the i386 table (its numbers, its
# registers), made as bare (src/runtime/compat32.c). limen ran them as
# 64-bit calls of the same number: i386 write (4) as stat, getpid (20) as
# writev, exit (1) as write. tests/progs/int80.c: plain calls, fork and
# an exit status, a blocking read a signal ends or restarts, pause, and
# an execve whose image runs untraced; the trace names them from the
# i386 table with strace's personality lines.
. "$(dirname "$0")/../lib.sh"
need_limen
prog=$(testbin int80)
[ -x "$prog" ] || skip_all "tests/progs/int80 not built ($prog)"
"$prog" calls >/dev/null 2>&1 ||
	skip_all "int \$0x80 does not run here (a kernel without IA32 emulation)"
bound=(timeout -k 2 30)

for mode in calls eintr restart pause exec; do
	bare_and_traced "$mode" -- "$mode"
	as_bare "$mode" "an_int_0x80_call_does_what_it_does_bare ($mode)"
	bare_and_traced "$mode.sud" --no-rewrite -- "$mode"
	as_bare "$mode.sud" "an_int_0x80_call_does_what_it_does_bare ($mode, --no-rewrite)"
	bare_and_traced "$mode.none" -e trace=none -- "$mode"
	as_bare "$mode.none" "an_int_0x80_call_does_what_it_does_bare ($mode, -e trace=none)"
done

# the trace: i386 names, raw arguments, strace's personality lines; the
# calls made as their 64-bit twins under their 64-bit names
t=$tmp/calls.trace
ok_if "the_trace_says_the_thread_runs_in_32_bit_mode" \
	grep -qE '^[0-9]+ +\[ Process PID=[0-9]+ runs in 32 bit mode\. \]$' "$t"
ok_if "an_i386_write_is_named_write_with_its_raw_arguments" \
	grep -qE '^[0-9]+ +write\(0x1, 0x[0-9a-f]+, 0x13, .*\) += 19$' "$t"
ok_if "an_i386_open_is_named_open_and_fails_as_bare" \
	grep -qE '^[0-9]+ +open\(0x[0-9a-f]+, 0, .*\) += -1 ENOENT' "$t"
ok_if "the_trace_says_the_thread_is_back_in_64_bit_mode" \
	grep -qE '^[0-9]+ +\[ Process PID=[0-9]+ runs in 64 bit mode\. \]$' "$t"
ok_if "an_i386_rt_sigprocmask_is_made_and_shown_as_its_64-bit_twin" \
	grep -qE '^[0-9]+ +rt_sigprocmask\(SIG_BLOCK, \[USR1\], NULL, 8\) += 0$' "$t"
ok_if "an_i386_fork_child's_exit_is_seen_as_exit" \
	grep -qE '^[0-9]+ +exit\(7\) += \?$' "$t"
ok_if "an_i386_execve's_untraced_image_is_said" \
	grep -qF 'not traced: an i386 execve (int $0x80) starts it +++' "$tmp/exec.trace"

# a call limen cannot make as bare answers ENOSYS, and limen goes on
out=$("${bound[@]}" "$LIMEN" trace -e trace=getppid -o "$tmp/refused.trace" -- "$prog" refused)
is "$out" "rt_sigaction=-38 ppid_ok=1" "an_i386_rt_sigaction_answers_ENOSYS"
is "$(grep -c 'getppid()' "$tmp/refused.trace")" 2 "calls_after_a_refused_one_are_still_traced"
done_testing
