#!/bin/bash
# SPDX-License-Identifier: MIT
#
# A call that a signal with a handler ends: strace shows the code the
# kernel returned before the handler ran, on the call's one line
# ("pause() = ? ERESTARTNOHAND (To be restarted if no handler)", a
# sleep's ERESTART_RESTARTBLOCK, a pipe read's or a wait's ERESTARTSYS
# when the handler has no SA_RESTART), or the call's own -EINTR
# (epoll_wait, rt_sigtimedwait); then the signal, then rt_sigreturn =
# -1 EINTR. limen showed -1 EINTR for all of them, the -EINTR our
# wrapper's delivery had left (signals.c, deliver), and a timer's
# si_ptr=0 for strace's NULL, and epoll_pwait's mask where strace shows
# a failed call's address. tests/progs/interrupted_calls.c, alone
# and in a second thread under -f; the lines of its calling thread
# between its getpid() and getppid(), as strace's, addresses and ids
# aside. Both loaders, with and without rewriting.
. "$(dirname "$0")/../lib.sh"
need_limen
prog=$(testbin interrupted_calls)
[ -x "$prog" ] || skip_all "tests/progs/interrupted_calls not built ($prog)"
command -v strace >/dev/null || skip_all "no strace"

# norm TRACE TID: TID's lines (all of them if the trace has no ids)
# between getpid() and getppid(), each call on one line (under -f,
# another thread's call in the middle of this one's splits it into
# "<unfinished ...>" and "<... resumed>", in strace's trace as in
# limen's, as the threads happen to run), without the id and the
# padding, addresses and ids as words, and the timer's overrun count
# (how many periods the scheduler let pass: 0 to 4 seen under load,
# whoever traces)
norm() {
	trace_join "$1" | sed -E -n "/^[0-9]/{s/^$2 +//p; d}; p" |
		sed -n '/^getpid()/,/^getppid()/p' |
		sed -E 's/ {2,}= / = /; s/0x[0-9a-f]+/ADDR/g;
			s/^(getpid|getppid)\(\) = [0-9]+/\1() = N/;
			s/^wait4\([0-9]+/wait4(KID/; s/si_overrun=[0-9]+/si_overrun=N/g'
}

for how in alone thread; do
	f=
	[ $how = thread ] && f=-f
	# shellcheck disable=SC2086
	(strace $f -o "$tmp/strace" "$prog" ${how#alone}) >"$tmp/sout" 2>&1
	norm "$tmp/strace" "$(head -1 "$tmp/sout")" >"$tmp/want"
	[ -s "$tmp/want" ] || { fail "strace's lines ($how)" "$(head -5 "$tmp/strace")"; continue; }
	for L in loader preload; do
		for opts in "" "--no-rewrite"; do
			# shellcheck disable=SC2086
			LIMEN_LOADER=$L run_limen trace $f $opts -o "$tmp/trace" -- \
				"$prog" ${how#alone} >"$tmp/lout" 2>"$tmp/lerr"
			norm "$tmp/trace" "$(head -1 "$tmp/lout")" >"$tmp/got"
			same_file "$tmp/got" "$tmp/want" \
				"a_call_a_handler_ends_shows_what_strace_shows ($how, $L, ${opts:-rewriting})"
		done
	done
done
done_testing
