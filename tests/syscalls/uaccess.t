#!/bin/bash
# SPDX-License-Identifier: MIT
#
# uaccess logging (include/limen/uaccess.h): the ABI of the Linux series
# under `limen run`, point by point (tests/progs/uaccess_abi.c prints one
# line per case), and `limen run` itself: the program runs as bare, with
# nothing printed by limen.
. "$(dirname "$0")/../lib.sh"
need_limen

prog=$(testbin uaccess_abi)

# a stock x86_64 kernel answers EINVAL: how a program tells it has no log
"$prog" bare >"$tmp/bare.out" 2>&1
is "$(cat "$tmp/bare.out")" "pass stock_kernel_einval" \
	"bare: prctl(63) fails with EINVAL"

# plain limen trace stays transparent: prctl(63) fails as bare
"$LIMEN" trace -o /dev/null -- "$prog" bare >"$tmp/tr.out" 2>&1
is "$(cat "$tmp/tr.out")" "pass stock_kernel_einval" \
	"trace without --uaccess: prctl(63) fails with EINVAL, as bare"
# a bound: a blocking logged call that a signal cannot cut short would
# hang here (blocking_logged_call_interrupted)
timeout 30 "$LIMEN" trace --uaccess -o /dev/null -- "$prog" >"$tmp/tru.out" 2>&1
is "$(grep -c "^pass" "$tmp/tru.out")" 25 \
	"trace --uaccess: the program has uaccess logging"

timeout 30 "$LIMEN" run -- "$prog" >"$tmp/run.out" 2>"$tmp/run.err"
st=$?
n=0
while IFS= read -r line; do
	n=$((n + 1))
	case $line in
	pass\ *) pass "run: ${line#pass }" ;;
	*) fail "run: $line" ;;
	esac
done <"$tmp/run.out"
# every case reported: a crash or a hang part-way shows as missing lines
is "$n" 25 "run: all 25 cases reported"
is "$st" 0 "run: exit status 0"
is "$(cat "$tmp/run.err")" "" "run: limen prints nothing"

# limen run: same exit status and output as bare, no trace
"$LIMEN" run -- sh -c 'echo out; exit 3' >"$tmp/o" 2>"$tmp/e"
is "$?:$(cat "$tmp/o"):$(cat "$tmp/e")" "3:out:" \
	"run: the program's output only, its exit status"
"$LIMEN" run -- /nonexistent/cmd 2>"$tmp/e"
is "$?:$(cat "$tmp/e")" \
	"127:limen: Can't stat '/nonexistent/cmd': No such file or directory" \
	"run: a missing command as with trace"
"$LIMEN" run -o x -- true 2>"$tmp/e"
is "$?" 1 "run: trace options are refused"

# limen trace --uaccess: the ranges under each call's line
printf 'vm\n' >"$tmp/vm"
"$LIMEN" trace --uaccess -e trace=openat,read -o "$tmp/ua.trace" -- \
	cat "$tmp/vm" >/dev/null
grep -A1 -E '^[0-9]+ +read\(3, "vm\\n", [0-9]+\) += 3$' "$tmp/ua.trace" \
	>"$tmp/ua.read"
ok_if "trace --uaccess: read = 3 then the 3 bytes written" \
	grep -qE '^[0-9]+ +  uaccess W 0x[0-9a-f]+\+3$' "$tmp/ua.read"
grep -A1 -E "^[0-9]+ +openat\(AT_FDCWD, \"$tmp/vm\"" "$tmp/ua.trace" \
	>"$tmp/ua.open"
ok_if "trace --uaccess: openat reads its path with the NUL" \
	grep -qE "^[0-9]+ +  uaccess R 0x[0-9a-f]+\+$((${#tmp} + 4))\$" \
	"$tmp/ua.open"
grep -A1 -E '^[0-9]+ +read\(3, "", [0-9]+\) += 0$' "$tmp/ua.trace" \
	>"$tmp/ua.eof"
is "$(grep -c uaccess "$tmp/ua.eof")" 0 \
	"trace --uaccess: a read of nothing touched nothing"
ok_if "trace: no uaccess lines without --uaccess" \
	sh -c "! '$LIMEN' trace -- cat '$tmp/vm' 2>&1 | grep -q uaccess"

# the README's example: extracted, compiled as shown, run both ways
repo=$(cd "$(dirname "$0")/../.." && pwd)
awk '/<!-- uaccess-example -->/ { on = 1; next }
     on && /^```c/ { inb = 1; next }
     inb && /^```/ { exit }
     inb { print }' "$repo/README.md" >"$tmp/example.c"
if ${CC:-cc} -Wall -Wextra -Werror -I"$repo/include" -o "$tmp/example" \
	"$tmp/example.c" 2>"$tmp/cc.err"; then
	pass "README example compiles as shown"
	"$LIMEN" run -- "$tmp/example" >"$tmp/ex.out" 2>&1
	is "$?:$(cat "$tmp/ex.out")" \
		"0:read = 3: the kernel wrote 3 bytes at buf+0" \
		"README example under limen run prints what the README shows"
	"$tmp/example" >"$tmp/ex.bare" 2>&1
	is "$?:$(cat "$tmp/ex.bare")" \
		"1:no uaccess logging here: Invalid argument" \
		"README example bare falls back as the README shows"
else
	fail "README example compiles as shown" "$(cat "$tmp/cc.err")"
fi
if command -v c++ >/dev/null; then
	ok_if "include/limen/uaccess.h compiles as C++" \
		c++ -x c++ -Wall -Werror -I"$repo/include" -fsyntax-only \
		"$tmp/example.c"
else
	skip "include/limen/uaccess.h compiles as C++" "no c++ compiler"
fi

done_testing
