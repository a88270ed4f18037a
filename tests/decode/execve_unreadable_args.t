#!/bin/bash
# SPDX-License-Identifier: MIT
#
# execve's argv and envp as strace shows them when they cannot be read
# whole (tests/progs/execve_unreadable.c, fork and vfork children): a
# string that is unreadable, or runs into an unmapped page before its NUL,
# by its pointer (not "" or its readable bytes); an array that runs into
# an unmapped page with no NULL ends with `... /* ADDRESS */` (the word
# that could not be read), and envp's default form says
# "/* N vars, unterminated */"; an unreadable array by its address; the
# default form counts every variable (100), and -v lists them all.
# Both forms (default and -v), compared with strace's own trace when strace
# can run here, addresses as ADDR.
. "$(dirname "$0")/../lib.sh"
need_limen
prog=$(testbin execve_unreadable)
[ -x "$prog" ] || skip_all "tests/progs/execve_unreadable.c not built"

# the execve lines, in order, addresses as ADDR
execs() {
	trace_body "$1" | grep '^execve(' | grep -v '^execve("[^"]*execve_unreadable"' |
		sed -E 's/0x[0-9a-f]+/ADDR/g'
}

have_strace=1
command -v strace >/dev/null || have_strace=0
[ $have_strace = 1 ] && ! strace -o /dev/null true 2>/dev/null && have_strace=0

for v in "" -v; do
	run_limen trace $v -f -e trace=execve -o "$tmp/l$v" -- "$prog" \
		>"$tmp/out$v" 2>&1
	is "$(grep -c ': 114$' "$tmp/out$v")" 16 \
		"${v:-default}: each bad execve fails with EFAULT as bare"
	execs "$tmp/l$v" >"$tmp/l$v.x"
	is "$(grep -c '^execve("/bin/true", \["/bin/true", ADDR\]' "$tmp/l$v.x")" 4 \
		"${v:-default}: an argv string not readable to its NUL is shown by its pointer"
	is "$(grep -c '"", \|"abcde"' "$tmp/l$v.x")" 0 \
		"${v:-default}: none as \"\" or its readable bytes"
	is "$(grep -c '^execve("/bin/true", \["/bin/true", "x", \.\.\. /\* ADDR \*/\]' "$tmp/l$v.x")" 2 \
		"${v:-default}: an argv without NULL ends with ... and the unreadable word's address"
	is "$(grep -c '^execve("/bin/true", ADDR, ' "$tmp/l$v.x")" 2 \
		"${v:-default}: an unreadable argv by its address"
	if [ -z "$v" ]; then
		is "$(grep -c '\], ADDR /\* 2 vars, unterminated \*/) = -1 EFAULT' "$tmp/l$v.x")" 2 \
			"default: an envp without NULL: /* N vars, unterminated */"
		is "$(grep -c '\], ADDR /\* 100 vars \*/) = 0' "$tmp/l$v.x")" 1 \
			"default: envp's variables all counted"
	else
		is "$(grep -c '\], \["A=1", ADDR\]) = -1 EFAULT' "$tmp/l$v.x")" 4 \
			"-v: an envp string not readable to its NUL is shown by its pointer"
		is "$(grep -c '\], \["A=1", "B=2", \.\.\. /\* ADDR \*/\]) = -1 EFAULT' "$tmp/l$v.x")" 2 \
			"-v: an envp without NULL ends with ... and the unreadable word's address"
	fi
	if [ $have_strace = 1 ]; then
		strace $v -f -e trace=execve -o "$tmp/s$v" -- "$prog" >/dev/null 2>&1
		execs "$tmp/s$v" >"$tmp/s$v.x"
		if [ -s "$tmp/s$v.x" ] && cmp -s "$tmp/s$v.x" "$tmp/l$v.x"; then
			pass "${v:-default}: the execve lines are strace's"
		else
			fail "${v:-default}: the execve lines are strace's" \
				"strace (-) and limen (+) differ:" \
				"$(diff -u "$tmp/s$v.x" "$tmp/l$v.x" | head -n 30)"
		fi
	else
		skip "strace cannot run here"
	fi
done
done_testing
