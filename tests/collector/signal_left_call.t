#!/bin/bash
# SPDX-License-Identifier: MIT
#
# A call told as suspended (`getppid( <unfinished ...>`, another thread's
# line came between) that a signal kept limen from making is never left
# unfinished, and nothing but its own end resumes it:
# * when the handler leaves by siglongjmp, the call is never made again;
#   its line must still end (strace never leaves a line of a living thread
#   unfinished), and a later call with the same arguments is its own line;
# * when the handler makes the same call itself, that call is the
#   handler's, shown as its own line after the signal; no thread shows a
#   signal between a call's `<unfinished ...>` and its `<... resumed>`
#   (the kernel delivers a signal only once the call is over).
# tests/progs/signal_left_call.c: 4 threads with 20 us SIGALRM timers.
# Both runtimes.
. "$(dirname "$0")/../lib.sh"
need_limen
prog=$(testbin signal_left_call)
[ -x "$prog" ] || skip_all "tests/progs/signal_left_call.c not built"

# per thread: <unfinished ...> lines with no <... resumed> after them
dangling() {
	awk '/<unfinished \.\.\.>/ { open[$1]++ }
	     /<\.\.\. [a-z0-9_]+ resumed>/ { if (open[$1]) open[$1]-- }
	     END { n = 0; for (t in open) n += open[t]; print n }' "$1"
}

# per thread: a signal line while a call of the thread is unfinished
signal_inside() {
	awk '/<unfinished \.\.\.>/ { open[$1]++ }
	     /<\.\.\. [a-z0-9_]+ resumed>/ { if (open[$1]) open[$1]-- }
	     / --- SIG/ && open[$1] { n++ }
	     END { print n + 0 }' "$1"
}

for ld in loader preload; do
	if [ $ld = preload ]; then
		export LIMEN_LOADER=preload
	else
		unset LIMEN_LOADER
	fi
	run_limen trace -f -o "$tmp/lj.$ld" -- "$prog" 1 10000 \
		>"$tmp/ljout.$ld" 2>&1
	is "$(cat "$tmp/ljout.$ld")" "done" "$ld: longjmp: the program runs as bare"
	is "$(dangling "$tmp/lj.$ld")" 0 \
		"$ld: no line left unfinished when the handler longjmps out"
	is "$(signal_inside "$tmp/lj.$ld")" 0 \
		"$ld: longjmp: no signal inside a call's line"

	run_limen trace -f -o "$tmp/hc.$ld" -- "$prog" 2 40000 \
		>"$tmp/hcout.$ld" 2>&1
	calls=$(sed -n 's/^calls //p' "$tmp/hcout.$ld")
	ok_if "$ld: handler's call: the program runs as bare" \
		[ -n "$calls" ]
	is "$(signal_inside "$tmp/hc.$ld")" 0 \
		"$ld: the handler's identical call is shown as its own"
	is "$(dangling "$tmp/hc.$ld")" 0 "$ld: handler's call: no line left unfinished"
	is "$(trace_body "$tmp/hc.$ld" | grep -c '^getppid() = [0-9]')" "$calls" \
		"$ld: each getppid call made is shown with its result"
done
done_testing
