#!/usr/bin/env bash
# rt_sigprocmask from a rewritten call site is made without a signal frame
# (signals.c, sigprocmask_frameless; 3 us through SUD here where the call
# takes 0.3) and does what the kernel's does: the old set, the change,
# SIGKILL and SIGSTOP never blocked, limen's own signals blocked as the
# program sees them, errors in the kernel's order, a pending signal
# delivered at the unblocking call, a timer's handler never run where its
# signal is blocked, a new thread's mask inherited. tests/progs/sigmask_site.c
# prints its checks; bare and traced print the same, the site is rewritten,
# and every call is in the trace as --no-rewrite records it.
. "$(dirname "$0")/../lib.sh"
need_limen
prog=$(testbin sigmask_site)
[ -x "$prog" ] || skip_all "tests/progs/sigmask_site not built"
plan 7
_timeout=(timeout -k 5 120)

"${_timeout[@]}" "$prog" >"$tmp/bare" 2>&1
echo "exit $?" >>"$tmp/bare"
"${_timeout[@]}" "$LIMEN" trace -o "$tmp/trace" -- "$prog" >"$tmp/traced" 2>&1
echo "exit $?" >>"$tmp/traced"
"${_timeout[@]}" "$LIMEN" trace --no-rewrite -o "$tmp/trace.sud" -- "$prog" \
	>"$tmp/sud" 2>&1
echo "exit $?" >>"$tmp/sud"
# not selected: the quick way (quickrec.c), no records to make
"${_timeout[@]}" "$LIMEN" trace -e trace=getppid -o /dev/null -- "$prog" \
	>"$tmp/quick" 2>&1
echo "exit $?" >>"$tmp/quick"

is "$(grep -c '^ok ' "$tmp/bare") $(tail -1 "$tmp/bare")" "15 exit 0" \
	"bare: every check passes"
is "$(grep -v '^site' "$tmp/traced")" "$(grep -v '^site' "$tmp/bare")" \
	"traced_from_a_rewritten_site: the_same_checks_pass"
is "$(grep '^site' "$tmp/traced") $(grep '^site' "$tmp/sud")" "site e9 site b8" \
	"the_site_is_rewritten (and is not with --no-rewrite)"
is "$(grep -v '^site' "$tmp/sud")" "$(grep -v '^site' "$tmp/bare")" \
	"--no-rewrite: the same checks pass"
is "$(grep -v '^site' "$tmp/quick") $(grep '^site' "$tmp/quick")" \
	"$(grep -v '^site' "$tmp/bare") site e9" \
	"not_selected_from_the_rewritten_site: the_same_checks_pass"
# the calls before the timer's loop (whose count is the timer's), as
# --no-rewrite records them: the same sets, old sets and errors, thread by
# thread (the main thread's first: the order of two threads' calls is
# the scheduler's)
calls() {
	sed -n -E 's/^([0-9]+) +(rt_sigprocmask\(.*)/\1 \2/p' "$1" |
		sed -E 's/0x[0-9a-f]{6,}/ADDR/' | sed '/\[ALRM\]/,$d' |
		awk '!($1 in seen) { seen[$1] = n++ } { k = seen[$1]; $1 = "";
			line[k] = line[k] $0 "\n" } END {
			for (i = 0; i < n; i++) printf "%s", line[i] }'
}
is "$(calls "$tmp/trace" | md5sum)" "$(calls "$tmp/trace.sud" | md5sum)" \
	"every_call_recorded_as_through_SUD ($(calls "$tmp/trace" | wc -l) calls)"
n=$(calls "$tmp/trace" | wc -l)
ok_if "and there are 6000 and more of them ($n)" test "$n" -ge 6000
if [ "$(calls "$tmp/trace" | md5sum)" != "$(calls "$tmp/trace.sud" | md5sum)" ]; then
	diff <(calls "$tmp/trace") <(calls "$tmp/trace.sud") | head -10 | sed 's/^/# /'
fi
