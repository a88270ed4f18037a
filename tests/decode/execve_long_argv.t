#!/bin/bash
# SPDX-License-Identifier: MIT
#
# execve's argv and envp shown whole, as strace shows them, however many
# strings they hold: argv of 10, 65, 200 and 2000 arguments and an envp of
# 100 variables (each longer than -s 32), in fork and vfork children
# (tests/progs/execve_many.c), with the default form (argv: -s strings,
# then "..."; envp: its count), -v (every string), -s 5 and -s 100; the
# execve lines compared with strace's own, addresses as ADDR. limen
# captured 64 strings of each array: -v showed 64 and "...", -s 100 showed
# 64 arguments, not 100. A ring too small for every string (--ring-size
# 16K) ends the list with strace's "...", never silently.
. "$(dirname "$0")/../lib.sh"
need_limen
prog=$(testbin execve_many)
[ -x "$prog" ] || skip_all "tests/progs/execve_many.c not built"

have_strace=1
command -v strace >/dev/null || have_strace=0
[ $have_strace = 1 ] && ! strace -o /dev/null true 2>/dev/null && have_strace=0
[ $have_strace = 1 ] || skip_all "strace cannot run here"

# the execve lines of /bin/true, addresses as ADDR
execs() {
	trace_body "$1" | grep '^execve("/bin/true"' | sed -E 's/0x[0-9a-f]+/ADDR/g'
}

for n in 10 65 200 2000; do
	args=$(seq 1 $((n - 1)))
	for how in fork vfork; do
		for o in "" -v "-s 5" "-s 100"; do
			what="argv of $n, envp of 100, $how, ${o:-default}"
			# shellcheck disable=SC2086
			run_limen trace $o -e trace=execve -o "$tmp/l" -- \
				"$prog" $how 100 /bin/true $args >"$tmp/out" 2>&1
			# shellcheck disable=SC2086
			strace $o -f -e trace=execve -o "$tmp/s" -- \
				"$prog" $how 100 /bin/true $args >/dev/null 2>&1
			execs "$tmp/l" >"$tmp/l.x"
			execs "$tmp/s" >"$tmp/s.x"
			if [ -s "$tmp/s.x" ] && cmp -s "$tmp/s.x" "$tmp/l.x"; then
				pass "$what: the execve line is strace's"
			else
				fail "$what: the execve line is strace's" \
					"strace (-) and limen (+) differ:" \
					"$(diff -u "$tmp/s.x" "$tmp/l.x" | cut -c1-300 | head -n 8)"
			fi
		done
	done
done

# a ring too small for every string: as many as fit, then "...", as
# strace ends a list it does not show whole
for how in fork vfork; do
	run_limen trace -v --ring-size 16K -e trace=execve -o "$tmp/l" -- \
		"$prog" $how 100 /bin/true $(seq 1 199) >"$tmp/out" 2>&1
	strace -v -f -e trace=execve -o "$tmp/s" -- \
		"$prog" $how 100 /bin/true $(seq 1 199) >/dev/null 2>&1
	l=$(execs "$tmp/l")
	s=$(execs "$tmp/s")
	shown=${l%%, ...], *}
	ok_if "16K ring, $how: argv cut with \"...\", the strings before it strace's" \
		test "$shown" != "$l" -a "${s#"$shown", }" != "$s"
	is "$(grep -c 'exited with 0' "$tmp/l")" "$(grep -c 'exited with 0' "$tmp/s")" \
		"16K ring, $how: the program ran as under strace"
done
done_testing
