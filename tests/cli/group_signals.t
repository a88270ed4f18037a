#!/bin/bash
# SPDX-License-Identifier: MIT
#
# limen is its command's parent and shares its process group, so a
# command that signals its own group (kill(0, sig)) signals limen too.
# Most signals end a process at their default action, and limen died of
# them with the trace unwritten, its exit status in place of the
# command's (a torture run: SIGHUP, SIGUSR1, SIGUSR2, SIGALRM, SIGTERM,
# SIGVTALRM, SIGPROF, SIGIO, SIGPWR and the real-time signals). Now one
# the traced tree sends is ignored: the command has its own copy
# (src/cli/tree_signals.c). One sent to limen from elsewhere is passed on
# to the command, and limen ends as the command does, when its sender is
# of limen's own process group (timeout --foreground); from outside the
# group it is ignored: sent to the group, it reaches the command itself
# (passed on too, the command's handler ran twice). A SIGTERM or SIGHUP
# the caller ignores (nohup) stays ignored by limen too. Each case runs in a
# session of its own (setsid -w), so that the group holds limen and its
# command alone, bare the command alone.
. "$(dirname "$0")/../lib.sh"
need_limen
command -v setsid >/dev/null || skip_all "no setsid (util-linux)"
prog=$(testbin group_kill)
[ -x "$prog" ] || skip_all "tests/progs/group_kill not built ($prog)"
plan 13

# in_session OUT CMD...: CMD in a session of its own; its stdout in
# OUT.out, its status in OUT.st
in_session() {
	local out=$1
	shift
	"${_timeout[@]}" setsid -w "$@" >"$out.out" 2>"$out.err" </dev/null
	echo $? >"$out.st"
}

in_session "$tmp/bare" "$prog" handled
in_session "$tmp/limen" "$LIMEN" trace -o "$tmp/trace" -- "$prog" handled
is "$(cat "$tmp/limen.st") $(cat "$tmp/limen.out")" \
	"$(cat "$tmp/bare.st") $(cat "$tmp/bare.out")" \
	"signals_the_command_sends_its_own_group_leave_limen_running: output and status as bare"
is "$(count_calls "$tmp/trace" kill) $(tail -n 1 "$tmp/trace" | sed 's/^[0-9]* *//')" \
	"13 +++ exited with 0 +++" "group signals: every kill in the trace, and the command's end"
in_session "$tmp/lnr" "$LIMEN" trace --no-rewrite -o "$tmp/trace" -- "$prog" handled
is "$(cat "$tmp/lnr.st") $(cat "$tmp/lnr.out")" \
	"$(cat "$tmp/bare.st") $(cat "$tmp/bare.out")" \
	"group signals with --no-rewrite: output and status as bare (SIGHUP and SIGTERM not passed back)"

# at their default: the command dies of them, and limen as it
for sig in USR2 TERM; do
	n=$(kill -l "$sig")
	in_session "$tmp/bare" "$prog" die "$n"
	in_session "$tmp/limen" "$LIMEN" trace -o "$tmp/trace" -- "$prog" die "$n"
	is "$(cat "$tmp/limen.st") $(cat "$tmp/limen.out")" \
		"$(cat "$tmp/bare.st") $(cat "$tmp/bare.out")" \
		"a_command_killed_by_the_SIG${sig}_it_sends_its_group: status as bare"
	is "$(tail -n 1 "$tmp/trace" | sed 's/^[0-9]* *//')" "+++ killed by SIG$sig +++" \
		"SIG${sig} to the group: the trace ends with the command's death, not limen's"
done

# from outside, to limen's pid: passed on to the command
wait_ready() {
	local i
	for ((i = 0; i < 500; i++)); do
		grep -q ready "$1" 2>/dev/null && return 0
		sleep 0.01
	done
	return 1
}
"$prog" wait >"$tmp/bw.out" 2>&1 &
bp=$!
wait_ready "$tmp/bw.out" && kill -USR1 "$bp"
wait "$bp"
echo $? >"$tmp/bw.st"
"$LIMEN" trace -o "$tmp/trace" -- "$prog" wait >"$tmp/lw.out" 2>&1 &
lp=$!
wait_ready "$tmp/lw.out" && kill -USR1 "$lp"
wait "$lp"
echo $? >"$tmp/lw.st"
is "$(cat "$tmp/lw.st") $(cat "$tmp/lw.out")" "$(cat "$tmp/bw.st") $(cat "$tmp/bw.out")" \
	"a_SIGUSR1_sent_to_limen_by_a_process_of_its_group_reaches_the_command_once"
ok_if "the relayed SIGUSR1 is in the trace" grep -q -- '--- SIGUSR1 ' "$tmp/trace"

# from outside limen's group, to the group: the command's handler once
"${_timeout[@]}" setsid -w "$LIMEN" trace -o "$tmp/trace" -- "$prog" wait >"$tmp/gw.out" 2>&1 &
gp=$!
if wait_ready "$tmp/gw.out"; then
	lpid=$(pgrep -f -n "limen trace -o $tmp/trace -- $prog wait" || true)
	pg=$(ps -o pgid= -p "$lpid" | tr -d ' ')
	[ -n "$pg" ] && kill -USR1 -- "-$pg"
fi
wait "$gp"
is "$? $(cat "$tmp/gw.out" | tr '\n' ' ')" "0 ready got USR1 1 times " \
	"a_SIGUSR1_sent_to_limen_s_group_from_outside_runs_the_command_s_handler_once"

# a SIGTERM the caller ignores: ignored by limen as by the command (no
# timeout(1) in between: it catches SIGTERM, and its child gets it back at
# the default)
(
	trap '' TERM
	setsid -w "$LIMEN" trace -o "$tmp/trace" -- sh -c 'sleep 0.5; echo done' \
		>"$tmp/nt.out" 2>&1 &
	np=$!
	sleep 0.2
	lpid=$(pgrep -f -n "limen trace -o $tmp/trace -- sh -c sleep 0.5" || true)
	[ -n "$lpid" ] && kill -TERM "$lpid"
	wait "$np"
	echo $? >"$tmp/nt.st"
)
is "$(cat "$tmp/nt.st") $(cat "$tmp/nt.out")" "0 done" \
	"a_SIGTERM_the_caller_ignores_is_ignored_by_limen_too"
is "$(tail -n 1 "$tmp/trace" | sed 's/^[0-9]* *//')" "+++ exited with 0 +++" \
	"an ignored SIGTERM: the trace ends with the command's exit"

# a kill 0 from a process that its own parent reaps at once (xargs's
# child, which the signal ends): gone from /proc when limen looks, its
# SIGTERM was taken for an outsider's in 3 of 10 runs, the trace ended
# "stopped by SIGTERM"; the collector, which saw it, tells now
bad=0
for ((i = 0; i < 8; i++)); do
	"${_timeout[@]}" setsid -w "$LIMEN" trace -o "$tmp/trace" -- sh -c \
		"printf '1\n2\n3\n4\n' | xargs -P4 -I{} sh -c 'sleep 0.{}; [ {} = 2 ] && kill 0; echo {}'" \
		>/dev/null 2>&1 </dev/null
	grep -q '+++ limen: stopped' "$tmp/trace" && bad=$((bad + 1))
done
is "$bad" 0 "a_kill_0_from_a_sender_reaped_at_once_is_still_the_tree_s (runs stopped of 8)"
