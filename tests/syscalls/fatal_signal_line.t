#!/bin/bash
# SPDX-License-Identifier: MIT
#
# A program that dies of a signal at its default action shows that signal
# before its end, as strace does: "--- SIGSEGV {si_signo=SIGSEGV,
# si_code=SEGV_MAPERR, si_addr=0x8} ---" then "+++ killed by SIGSEGV +++".
# A fault (SIGSEGV, SIGBUS, SIGTRAP: limen's own signals, safe.c's
# fault_handler) showed only the end; a SIGTRAP of the kernel's
# (SI_KERNEL) showed no si_addr; SIGPIPE, whose default action ends the
# process without a core (src/runtime/core_signal.h, LIMEN_TERM_BITS),
# showed only the end, and the write it ended "= ?" for strace's EPIPE.
# (SIGALRM, SIGTERM and the others that end a process are left to the
# kernel: no line; fatal alarm shows it.) The last two lines against strace's, with
# addresses above the first page as ADDR (tests/progs/fatal.c).
. "$(dirname "$0")/../lib.sh"
need_limen
prog=$(testbin fatal)
[ -x "$prog" ] || skip_all "tests/progs/fatal not built ($prog)"
command -v strace >/dev/null || skip_all "strace not installed"
strace -o "$tmp/probe" true 2>/dev/null && [ -s "$tmp/probe" ] ||
	skip_all "strace cannot trace here (ptrace not permitted?)"

# last FILE [CALL]: the signal and end lines (with CALL, the name and
# result of the call before them too: the one the signal ended), without
# pids, addresses as ADDR
last() {
	{
		# its name and result (tests/traceparse.py joins a call
		# told unfinished to its resumed line)
		[ -n "${2-}" ] && "$_py" -S "$_trace_py" calls "$1" | tail -1
		grep -E -- '^([0-9]+ +)?(--- SIG|\+\+\+ killed)' "$1" | tail -2
	} | sed -E 's/^[0-9]+ +//; s/ +=/ =/; s/0x[0-9a-f]{4,}/ADDR/g;
		s/si_pid=[0-9]+/si_pid=PID/; s/kill\([0-9]+, [0-9]+,/kill(PID, PID,/'
}

for mode in segv trap ill bus abort pipe; do
	{ strace -o "$tmp/s.$mode" "$prog" $mode >/dev/null 2>&1; } 2>/dev/null
	for opts in "" "--no-rewrite" "-e trace=none"; do
		{ "$LIMEN" trace $opts -o "$tmp/l.$mode" -- "$prog" $mode >/dev/null 2>&1; } 2>/dev/null
		call=1
		[ "$opts" = "-e trace=none" ] && call=
		is "$(last "$tmp/l.$mode" $call)" "$(last "$tmp/s.$mode" $call)" \
			"a_program_killed_by_${mode}_shows_the_signal_then_its_end_as_strace (${opts:-full trace})"
	done
done
# asleep in a call when a SIGPIPE sent from elsewhere kills: the call's
# result is the restart code the kernel had (strace's "= ? ERESTART..."),
# not the -EINTR a handler would have got (src/runtime/signals.c,
# bare_interrupted)
rcode() { grep -oE '= \? ERESTART[A-Z_]*|= -1 EINTR' "$1" | tail -1; }
for call in poll polltimeout ppoll futex msgrcv nanosleep pause; do
	{ strace -o "$tmp/s.$call" "$prog" sleep-$call >/dev/null 2>&1; } 2>/dev/null
	{ "$LIMEN" trace -o "$tmp/l.$call" -- "$prog" sleep-$call >/dev/null 2>&1; } 2>/dev/null
	want=$(rcode "$tmp/s.$call")
	is "$(rcode "$tmp/l.$call")" "${want:-none in the strace trace}" \
		"a_${call}_ended_by_a_fatal_sigpipe_shows_the_kernels_restart_code"
done
done_testing
