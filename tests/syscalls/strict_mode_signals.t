#!/bin/bash
# SPDX-License-Identifier: MIT
#
# Signals of a thread in seccomp strict mode, which may only read, write,
# exit and rt_sigreturn (any other call kills it with SIGKILL): bare, the
# kernel runs a handler and returns from it without another call. limen's
# wrapper asked the kernel for the mask (rt_sigprocmask) before the
# handler ran, and read the handler's frame back with process_vm_readv
# after, so any handled signal killed the program with SIGKILL; a fault
# without a handler killed with SIGKILL, not SIGSEGV (fault_handler puts
# back SIG_DFL with rt_sigaction); and siglongjmp's rt_sigprocmask, which
# limen answers itself, went on where bare it kills. The cases are
# tests/progs/strict_signals.c's: a timer's SIGALRM ending a read (on the
# stack and on a sigaltstack), SIGPIPE from a write, SIGUSR1 from the
# parent, a SIGSEGV whose handler returns or siglongjmps, a fault without
# a handler, SIGSEGV, SIGBUS and SIGTRAP sent by the parent at SIG_DFL
# (which limen's own handlers stand in for: each was SIGKILL, now a fault
# made again with the signal blocked, src/runtime/arch/x86_64/refault.S),
# and none. The trace of each case from the switch on reads as
# strace's, addresses aside.
. "$(dirname "$0")/../lib.sh"
need_limen
prog=$(testbin strict_signals)
[ -x "$prog" ] || skip_all "tests/progs/strict_signals not built ($prog)"
ulimit -c 0 # segvdfl dumps no core here

_run_to "$tmp/bare" "$prog"
for L in loader preload; do
	for opts in "" "--no-rewrite" "-e trace=none"; do
		# shellcheck disable=SC2086
		LIMEN_LOADER=$L _run_to "$tmp/l" "$LIMEN" trace -f $opts -o "$tmp/trace" -- "$prog"
		d="$L, ${opts:-full trace}"
		if cmp -s "$tmp/l.out" "$tmp/bare.out"; then
			pass "strict_mode_signals_are_handled_as_bare ($d)"
		else
			fail "strict_mode_signals_are_handled_as_bare ($d)" \
				"$(diff -u "$tmp/bare.out" "$tmp/l.out")"
		fi
		is "$(cat "$tmp/l.st")" "$(cat "$tmp/bare.st")" \
			"strict_mode_signals_exit_as_bare ($d)"
	done
done

# one case at a time, in the process itself: the lines from the switch on
if ! command -v strace >/dev/null; then
	skip "strict_mode_signals_are_traced_as_strace_shows_them" "no strace"
	done_testing
	exit 0
fi
norm() {
	trace_body "$1" | sed -n '/^seccomp(SECCOMP_SET_MODE_STRICT/,$p' |
		sed -E 's/0x[0-9a-f]+/ADDR/g; s/si_pid=[0-9]+/si_pid=PID/; s/ \(core dumped\)//'
}
for c in timer altstack sigpipe segvfix longjmp0 longjmp1 segvdfl nosig; do
	(strace -o "$tmp/strace" "$prog" $c; :) >/dev/null 2>&1
	(run_limen trace -o "$tmp/trace" -- "$prog" $c; :) >/dev/null 2>&1
	is "$(norm "$tmp/trace")" "$(norm "$tmp/strace")" \
		"strict_mode_signals_are_traced_as_strace_shows_them ($c)"
done
done_testing
