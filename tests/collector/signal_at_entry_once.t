#!/bin/bash
# SPDX-License-Identifier: MIT
#
# A signal that comes as a call enters, before limen has made it (limen
# holds it, or it interrupts limen's own code before the `syscall`), makes
# the program take its handler first and make the call again after it:
# the kernel ran the call once, and the trace shows it once with its
# result, as strace does; never "= ? ERESTARTNOINTR", which the kernel
# never shows for getppid, while limen still holds the entry. When the
# entry was told already as suspended (another thread's line came
# between), its line is ended "= ? ERESTARTNOINTR" before the signal:
# limen cannot tell yet whether the program makes the call again (the
# handler may siglongjmp out, or make the same call itself:
# tests/collector/signal_left_call.t), and never leaves it unfinished.
# tests/progs/signal_at_entry.c: 4 threads with their own 20 us SIGALRM
# timers make 3000 getppid calls each; then a blocking read that a handled
# signal interrupts, which keeps strace's form (ERESTARTSYS, the signal,
# rt_sigreturn, the read again), compared with strace's own trace. Both
# runtimes.
. "$(dirname "$0")/../lib.sh"
need_limen
prog=$(testbin signal_at_entry)
[ -x "$prog" ] || skip_all "tests/progs/signal_at_entry.c not built"

# the lines of the thread whose read was interrupted, from that read on
# (pids and addresses as X)
reader_lines() {
	trace_join "$1" | awk '
		/read\(3, .*ERESTARTSYS/ && !tid { tid = $1 }
		tid && $1 == tid { sub(/^[0-9]+ +/, ""); print }' |
		grep -E '^(read\(3|--- SIGALRM|rt_sigreturn)' |
		sed -E 's/ +=/ =/; s/0x[0-9a-f]+/X/g; s/si_pid=[0-9]+/si_pid=X/'
}

for ld in loader preload; do
	if [ $ld = preload ]; then
		export LIMEN_LOADER=preload
	else
		unset LIMEN_LOADER
	fi
	run_limen trace -f -o "$tmp/tr.$ld" -- "$prog" 4 3000 >"$tmp/out.$ld" 2>&1
	calls=$(sed -n 's/^calls //p' "$tmp/out.$ld")
	is "$(cat "$tmp/out.$ld")" "$(printf 'calls 12000\nread ok')" \
		"$ld: the program's calls as bare"
	restarted=$(trace_body "$tmp/tr.$ld" |
		grep -c '^getppid() = ? ERESTARTNOINTR (To be restarted)$')
	is "$(count_calls "$tmp/tr.$ld" getppid)" "$((calls + restarted))" \
		"$ld: each getppid call is shown once, but for a call told as suspended before limen found it not made"
	is "$(trace_body "$tmp/tr.$ld" | grep -c '^getppid() = [0-9]')" "$calls" \
		"$ld: each call made with its result"
	is "$(trace_join "$tmp/tr.$ld" | grep 'getppid.*ERESTART' |
		grep -vc 'ERESTARTNOINTR')" 0 \
		"$ld: a call not made is ended as ERESTARTNOINTR only"
	reader_lines "$tmp/tr.$ld" >"$tmp/rd.$ld"
	is "$(cat "$tmp/rd.$ld")" "$(printf '%s\n' \
		'read(3, X, 1) = ? ERESTARTSYS (To be restarted if SA_RESTART is set)' \
		'--- SIGALRM {si_signo=SIGALRM, si_code=SI_TKILL, si_pid=X, si_uid=0} ---' \
		'rt_sigreturn({mask=[]}) = 0' \
		'read(3, "x", 1) = 1')" \
		"$ld: a blocking read the signal interrupted: ERESTARTSYS, the signal, the read again"
done
unset LIMEN_LOADER
# the collector's part, made certain: a recording (tests/ctf/ctf_synth.c,
# unmade()) where the never-made entry was told as suspended before its
# exit came (told in an earlier drain, which the session cannot undo)
synth=$LIMEN_TESTBIN/ctf/ctf_synth
if [ -x "$synth" ] && "$synth" unmade "$tmp/um.rec"; then
	"$LIMEN" report -o "$tmp/um.txt" "$tmp/um.rec" 2>/dev/null
	trace_body "$tmp/um.txt" >"$tmp/um.body"
	is "$(grep -E 'getppid|^---' "$tmp/um.body" | sed 's/ {.*//')" \
		"$(printf '%s\n' \
		'getppid() = ? ERESTARTNOINTR (To be restarted)' \
		'--- SIGALRM' 'getppid() = 99')" \
		"told as suspended, never made: ended before the signal, never left unfinished; the call made again is its own line"
	is "$(grep -c 'unfinished' "$tmp/um.txt")" \
		"$(grep -c 'resumed>' "$tmp/um.txt")" "each suspended line resumed"
else
	skip "ctf_synth not built"
	skip "ctf_synth not built"
fi
if command -v strace >/dev/null && strace -o /dev/null true 2>/dev/null; then
	strace -f -o "$tmp/st" -- "$prog" 0 0 >/dev/null 2>&1
	reader_lines "$tmp/st" >"$tmp/rd.st"
	same_file "$tmp/rd.loader" "$tmp/rd.st" \
		"the interrupted read's lines are strace's"
else
	skip "strace cannot run here"
fi
done_testing
