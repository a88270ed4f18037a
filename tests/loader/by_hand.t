#!/bin/bash
# SPDX-License-Identifier: MIT
#
# limen's loader run by hand, without the variables limen gives it, says
# so and exits 127; it never reaches a program on a stack it cannot
# rebuild (without LIMEN_SESSION it crashed the program's ld.so: SIGSEGV).
. "$(dirname "$0")/../lib.sh"
need_limen
loader=$(dirname "$LIMEN")/limen-loader
[ -x "$loader" ] || skip_all "no limen-loader next to $LIMEN"

for vars in "" "LIMEN_EXEC=/bin/echo" "LIMEN_SESSION=1:3:/nowhere"; do
	env -u LIMEN_EXEC -u LIMEN_SESSION $vars "$loader" echo hi \
		>"$tmp/out" 2>"$tmp/err"
	st=$?
	is "$st" 127 "run with '${vars:-nothing}' only: exits 127"
	ok_if "run with '${vars:-nothing}' only: says it is run by limen only" \
		grep -q 'run by limen only' "$tmp/err"
done
# with both, and a session that is nowhere: the program runs, untraced
# (the loader's argv is the program's own: argv[0] "echo")
LIMEN_EXEC=/bin/echo LIMEN_SESSION=1:3:/nowhere \
	bash -c 'exec -a echo "$0" hi' "$loader" >"$tmp/out" 2>"$tmp/err"
is "$?" 0 "a session out of reach: the program runs"
is "$(cat "$tmp/out")" "hi" "a session out of reach: as bare"

done_testing
