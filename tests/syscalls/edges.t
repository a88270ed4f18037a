#!/bin/bash
# SPDX-License-Identifier: MIT
#
# Kernel semantics at the edges: a program that pushes a call to the limit
# of what the kernel accepts must get exactly what it gets bare. Each test
# program prints one line per case (what it got: a child's fate, an error,
# a value read back); every line is one test here, compared with the same
# program run bare, so that a case that differs fails alone.
. "$(dirname "$0")/../lib.sh"
need_limen

# per_case LABEL CMD...: run CMD bare and under limen (trace in
# $tmp/LABEL.trace); one test per line of the bare output, named by it,
# that the same line comes at the same place under limen; one for the
# exit status.
per_case() {
	local label=$1
	shift
	local b=$tmp/$label.bare l=$tmp/$label.limen i=0 line got
	_run_to "$b" "$@"
	_run_to "$l" "$LIMEN" trace -o "$tmp/$label.trace" -- "$@"
	while IFS= read -r line; do
		i=$((i + 1))
		got=$(sed -n "${i}p" "$l.out")
		is "$got" "$line" "$label: $line"
	done <"$b.out"
	is "$(cat "$l.st")" "$(cat "$b.st")" "$label: exit status as bare"
	[ "$(cat "$l.st")" = "$(cat "$b.st")" ] ||
		diag_file "$l.err" "stderr under limen"
}

# --- clone and clone3 -------------------------------------------------------
per_case clone "$(testbin cloneedge)"
# the fork-like children of a clone_args above the kernel's size are traced
n=$(grep -c -E '^[0-9]+ +getppid\(\) += ' "$tmp/clone.trace")
is "$n" 2 "clone: children of clone3 with a size above 88 are traced"

# --- signal masks and dispositions --------------------------------------------
per_case signal "$(testbin sigedge)"

# --- seccomp strict mode --------------------------------------------------------
# After the switch the thread may only read, write, exit and rt_sigreturn
# (and RDTSC faults): limen's handler must make no other call. Its calls are
# still traced, with the memory they point to, as strace shows them (read
# with plain loads, whose faults limen's handler recovers without a call).
# The child's getpid is killed (SIGKILL): its line whole (`= ?`, its end
# told before its parent's wait) or split by it.
per_case strict "$(testbin strictmode)"
for re in 'seccomp\(SECCOMP_SET_MODE_STRICT, 0, NULL\) += 0' \
	'write\(1, "seccomp strict: writing\\n", 24\) += 24' \
	'read\(3, "from the pipe\\n", 16\) += 14' \
	'exit\(3\) += \?' 'getpid(\( <unfinished \.\.\.>|\(\) += \?)'; do
	if grep -q -E "^[0-9]+ +$re\$" "$tmp/strict.trace"; then
		pass "strict: the trace shows ${re//\\/}"
	else
		fail "strict: the trace shows ${re//\\/}" "$(tail -n 20 "$tmp/strict.trace")"
	fi
done

# --- seccomp SECCOMP_RET_TRAP -----------------------------------------------------
# The program's SIGSYS handler emulates a trapped getuid and returns through
# rt_sigreturn: the handler sees the call at the program's address, and the
# trace from the call to the rt_sigreturn reads as strace's (addresses
# aside).
per_case trap "$(testbin trapret)"
if command -v strace >/dev/null &&
	strace -f -o "$tmp/trap.strace" "$(testbin trapret)" >/dev/null 2>&1; then
	norm() {
		trace_body "$1" | sed -E 's/0x[0-9a-f]+/0xADDR/g' |
			sed -n '/^getuid(/,/^rt_sigreturn(/p'
	}
	norm "$tmp/trap.strace" >"$tmp/trap.want"
	norm "$tmp/trap.trace" >"$tmp/trap.got"
	if [ "$(wc -l <"$tmp/trap.want")" -ge 3 ]; then
		while IFS= read -r line; do
			if grep -q -x -F -- "$line" "$tmp/trap.got"; then
				pass "trap: as strace: $line"
			else
				fail "trap: as strace: $line" "$(cat "$tmp/trap.got")"
			fi
		done <"$tmp/trap.want"
	else
		fail "trap: strace shows getuid, SIGSYS, rt_sigreturn" \
			"$(cat "$tmp/trap.strace")"
	fi
else
	skip "trap: the trace reads as strace's" "strace does not run here"
fi

# --- execve at the edge of the argument space -------------------------------------
# The kernel gives argv and envp (strings and pointers) a quarter of the
# stack limit. limen adds LD_PRELOAD and LIMEN_SESSION to every execve; a
# block that just fits bare must still run, traced, and see its own stack
# limit and environment, and one byte more must still be E2BIG. argmax
# finds the edge bare, by trying.
argmax=$(testbin argmax)
# With the stack limit at the kernel's cap (6 MiB of arguments: unlimited,
# or >= 24 MiB) there is no room to make: the block runs as bare, untraced,
# and the trace says so.
for soft in inherited 16384 1000 unlimited; do
	if [ $soft = inherited ]; then
		set_limit=:
	else
		set_limit="ulimit -S -s $soft"
	fi
	wrap=(bash -c "$set_limit && exec \"\$0\" \"\$@\"")
	n=$("${wrap[@]}" env -u _ "$argmax" probe 2>/dev/null)
	if [ -z "$n" ]; then
		skip "execve: stack limit $soft: the block that just fits runs" \
			"cannot set or probe this stack limit here"
		skip "execve: stack limit $soft: one byte more is E2BIG" \
			"cannot set or probe this stack limit here"
		continue
	fi
	same_as_bare "execve: stack limit $soft: the block that just fits ($n bytes) runs" \
		"${wrap[@]}" "$argmax" exec "$n"
	if [ $soft = unlimited ]; then
		c=$(grep -c -E '^[0-9]+ +\+\+\+ limen: [0-9]+ not traced: no room left for limen.s variables in execve.s arguments \+\+\+$' "$tmp/trace")
		is "$c" 1 "execve: stack limit unlimited: the trace says the block ran untraced"
	fi
	if [ $soft = inherited ]; then
		# the new image runs traced: its shell's own execve of env
		c=$(trace_body "$tmp/trace" | grep -c -E '^execve\("[^"]*/env", \["env"\].* = 0$')
		is "$c" 1 "execve: the program the edge block started is traced"
	fi
	same_as_bare "execve: stack limit $soft: one byte more is E2BIG" \
		"${wrap[@]}" "$argmax" exec $((n + 1))
done

done_testing
