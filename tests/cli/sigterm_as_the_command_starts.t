#!/bin/bash
# SPDX-License-Identifier: MIT
#
# A SIGTERM sent to limen as soon as its command runs (by a script that
# saw the command's first output, by timeout) finds limen's handler: the
# trace is finished with its "stopped by SIGTERM" note and the command
# gets the signal, as strace does. limen used to set that handler only
# after the command was started, and on a busy machine the signal could
# come first and kill limen with the trace unwritten and the command left
# running. strace delays limen's return from its vfork by a second (the
# command is running by then), so the signal comes in that window every
# time. And the command itself starts with SIGTERM's default action,
# and a SIGTERM that reaches it before its exec (-u: the child sets its
# ids first) kills it, as it would bare, instead of running limen's
# handler.
. "$(dirname "$0")/../lib.sh"
need_limen
command -v strace >/dev/null || skip_all "no strace (apt-get install strace)"
plan 5

# the command writes its pid and its parent's (limen's) and waits on a
# fifo that nobody writes: only a signal ends it
mkfifo "$tmp/never"
strace -o /dev/null -e trace=vfork -e inject=vfork:delay_exit=1000000 \
	"$LIMEN" trace -o "$tmp/t" -- \
	sh -c "echo \$\$ \$PPID >$tmp/ids.new; mv $tmp/ids.new $tmp/ids; exec 3<>$tmp/never; read x <&3" \
	</dev/null >/dev/null 2>"$tmp/err" &
sp=$!
while [ ! -e "$tmp/ids" ] && kill -0 "$sp" 2>/dev/null; do sleep 0.01; done
read -r cpid lpid <"$tmp/ids"
at_exit "kill -KILL $cpid"
kill -TERM "$lpid"
wait "$sp"
is "$?" 143 "sigterm_as_the_command_starts: limen dies of it once the trace is done"
is "$(tail -n 1 "$tmp/t")" "+++ limen: stopped by SIGTERM +++" \
	"sigterm_as_the_command_starts_finishes_the_trace_with_its_note"
if [ -s "$tmp/err" ]; then diag_file "$tmp/err"; fi

# SigCgt bit 15 (SIGTERM): the command does not inherit limen's handler
caught='n=$(sed -n "s/^SigCgt:\t//p" /proc/self/status); echo $(( (0x$n >> 14) & 1 ))'
is "$(run_limen trace -o /dev/null -- bash -c "$caught")" "$(bash -c "$caught")" \
	"the_command_starts_with_sigterm_not_caught_as_bare"

# -u USER: the child calls setgid before its exec; strace sends it SIGTERM
# as it enters that call
if [ "$(id -u)" != 0 ] || ! id nobody >/dev/null 2>&1; then
	skip "sigterm_to_the_command_before_its_exec_kills_it (-u)" "needs root and a user nobody"
	skip "sigterm_to_the_command_before_its_exec: limen dies of it (-u)" "needs root and a user nobody"
else
	{ strace -f -o "$tmp/st" -e trace=setgid -e inject=setgid:signal=TERM \
		"$LIMEN" trace -u nobody -o "$tmp/u" -- /bin/true \
		</dev/null >/dev/null 2>"$tmp/uerr"; } 2>/dev/null
	st=$?
	cpid=$(sed -n 's/^\([0-9]*\) *setgid(.*/\1/p' "$tmp/st")
	ok_if "sigterm_to_the_command_before_its_exec_kills_it (-u)" \
		grep -q "^${cpid:-none} *+++ killed by SIGTERM +++" "$tmp/u"
	is "$st" 143 "sigterm_to_the_command_before_its_exec: limen dies of it (-u)"
	if [ "$st" != 143 ] || [ -z "$cpid" ]; then diag_file "$tmp/u"; diag_file "$tmp/st"; fi
fi
