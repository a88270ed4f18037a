#!/usr/bin/env bash
# epoll_pwait, epoll_pwait2, ppoll and pselect6 from rewritten call sites:
# given no mask, they are made without a signal frame (rewrite.c,
# frameless_ok), as the calls without it; given one, the same site's call
# goes through SUD, whose hook swaps the mask for the call's duration.
# tests/progs/pwait_site.c prints its checks (readiness, a timer's EINTR
# after its handler, a signal the call's mask blocks waiting for the
# call's end); bare, traced, not selected and with --no-rewrite print the
# same, the sites are rewritten, and the calls are in the trace as
# --no-rewrite records them.
. "$(dirname "$0")/../lib.sh"
need_limen
prog=$(testbin pwait_site)
[ -x "$prog" ] || skip_all "tests/progs/pwait_site not built"
plan 6
_timeout=(timeout -k 5 120)

run() { # OUT LIMEN-ARGS...
	local out=$1
	shift
	"${_timeout[@]}" "$@" "$prog" >"$tmp/$out" 2>&1
	echo "exit $?" >>"$tmp/$out"
}
run bare
run traced "$LIMEN" trace -o "$tmp/trace" --
run quick "$LIMEN" trace -e trace=getppid -o /dev/null --
run sud "$LIMEN" trace --no-rewrite -o "$tmp/trace.sud" --
checks() { grep -v '^sites' "$tmp/$1"; }

is "$(grep -c '^ok ' "$tmp/bare") $(tail -1 "$tmp/bare")" "9 exit 0" \
	"bare: every check passes"
is "$(checks traced) $(grep '^sites' "$tmp/traced")" \
	"$(checks bare) sites e9 e9 e9 e9" \
	"traced: the_same_checks_pass_and_the_sites_are_rewritten"
is "$(checks quick) $(grep '^sites' "$tmp/quick")" \
	"$(checks bare) sites e9 e9 e9 e9" \
	"not_selected: the_same_checks_pass"
is "$(checks sud) $(grep '^sites' "$tmp/sud")" \
	"$(checks bare) sites b8 b8 b8 b8" \
	"--no-rewrite: the same checks pass, no site rewritten"
# the calls, times left aside (what a timeout has left)
calls() {
	sed -n -E 's/^[0-9]+ +((epoll_pwait2?|ppoll|pselect6)\(.*)/\1/p' "$1" |
		sed -E 's/0x[0-9a-f]{6,}/ADDR/g; s/tv_nsec=[0-9]+/tv_nsec=N/g'
}
is "$(calls "$tmp/trace" | md5sum)" "$(calls "$tmp/trace.sud" | md5sum)" \
	"every_call_recorded_as_through_SUD ($(calls "$tmp/trace" | wc -l) calls)"
if [ "$(calls "$tmp/trace" | md5sum)" != "$(calls "$tmp/trace.sud" | md5sum)" ]; then
	diff <(calls "$tmp/trace") <(calls "$tmp/trace.sud") | head -10 | sed 's/^/# /'
fi
n=$(calls "$tmp/trace" | wc -l)
ok_if "and there are 12000 and more of them ($n)" test "$n" -ge 12000
