#!/bin/bash
# SPDX-License-Identifier: MIT
#
# A thread that ends inside a call, with nothing printed between the call's
# entry and its end, shows it on one line as strace -f does:
# "kill(PID, SIGKILL) = ?" for a process that kills itself, and
# "read(3,  <unfinished ...>) = ?" for a thread blocked in a read when its
# process exits or is killed (the arguments the call never filled left
# out), where limen printed "kill(PID, SIGKILL <unfinished ...>" and
# "<... kill resumed>) = ?" (src/collector/collector.c, calls_gone;
# src/sinks/text.c). tests/progs/gone_in_call.c.
. "$(dirname "$0")/../lib.sh"
need_limen
prog=$(testbin gone_in_call)
[ -x "$prog" ] || skip_all "tests/progs/gone_in_call not built ($prog)"

for opts in "-e trace=kill" "-f -e trace=kill" "-e trace=kill --no-rewrite"; do
	"$LIMEN" trace $opts -o "$tmp/trace" -- "$prog" self
	ok_if "a_process_killing_itself_shows_its_kill_whole (${opts})" \
		grep -Eq '^[0-9]+ +kill\([0-9]+, SIGKILL\) += \?$' "$tmp/trace"
	ok_if "and_no_split_kill (${opts})" \
		bash -c "! grep -q 'unfinished\\|resumed' '$tmp/trace'"
done
# a read blocked 200 ms is shown unfinished at once (a terminal shows what
# the program waits in), and then rightly split: the thread blocks 30 ms,
# so that on a loaded machine a run may split it. Three runs, one whole at
# least, and no line is both.
for mode in exit kill; do
	for opts in "-f -e trace=read" "-f -e trace=read --no-rewrite"; do
		whole=0 bad=0
		for i in 1 2 3; do
			"$LIMEN" trace $opts -o "$tmp/trace" -- "$prog" $mode
			if grep -Eq '^[0-9]+ +read\([0-9]+,  <unfinished \.\.\.>\) += \?$' "$tmp/trace"; then
				whole=$((whole + 1))
				grep -q resumed "$tmp/trace" && bad=1
			fi
		done
		ok_if "a_thread_blocked_in_read_when_its_process_ends_by_${mode}_shows_it_on_one_line (${opts})" \
			test "$whole" -ge 1 -a "$bad" = 0
	done
done

# the same lines as strace's: poll's shows all its arguments at entry and
# is unfinished all the same (its revents come at its exit)
if command -v strace >/dev/null; then
	for mode in exit kill poll; do
		call=read
		[ $mode = poll ] && call=poll
		strace -f -e trace=$call -o "$tmp/strace" "$prog" $mode
		want=$(grep -E "$call\\(" "$tmp/strace" | grep -v ELF | sed 's/^[0-9]* *//; s/  */ /g')
		"$LIMEN" trace -f -e trace=$call -o "$tmp/trace" -- "$prog" $mode
		grep -q resumed "$tmp/trace" &&
			"$LIMEN" trace -f -e trace=$call -o "$tmp/trace" -- "$prog" $mode
		got=$(grep -E "$call\\(" "$tmp/trace" | grep -v ELF | sed 's/^[0-9]* *//; s/  */ /g')
		is "$got" "$want" "the_line_is_strace_s (${mode})"
	done
else
	skip "the_line_is_strace_s" "no strace"
fi

# the stack under it (-k), and in a Perfetto trace the call lasts until
# its thread ended
nok=$(no_stacks)
if [ -n "$nok" ]; then
	skip "-k_shows_the_stack_under_a_call_told_whole_at_its_thread_s_end" "$nok"
else
	"$LIMEN" trace -k -e trace=kill -o "$tmp/trace" -- "$prog" self
	ok_if "-k_shows_the_stack_under_a_call_told_whole_at_its_thread_s_end" \
		grep -q '^ > .*gone_in_call(main+' "$tmp/trace"
fi
"$LIMEN" trace -f -e trace=read --perfetto "$tmp/pf.json" -o /dev/null -- "$prog" exit
dur=$(python3 -c '
import json, sys
ev = json.load(open(sys.argv[1]))
ev = ev.get("traceEvents", ev) if isinstance(ev, dict) else ev
print(max([e.get("dur", 0) for e in ev if e.get("name") == "read"] or [0]))' "$tmp/pf.json")
ok_if "a_call_its_thread_ended_in_lasts_until_then_in_perfetto (dur $dur us)" \
	awk -v d="$dur" 'BEGIN { exit !(d >= 10000) }'
done_testing
