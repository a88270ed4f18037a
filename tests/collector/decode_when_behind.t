#!/usr/bin/env bash
# Decode threads only where they pay. On fewer than 3 cores the collector
# formats inline by default: one decode thread cost more CPU and more wall
# time than it saved on every workload measured (README, "make bench"; the
# copy made for the worker costs about what it saves). With
# LIMEN_DECODE_THREADS=+N, N threads start only once formatting inline
# falls behind (the default with 3 cores or more), and the trace is the
# same as formatted inline.
. "$(dirname "$0")/../lib.sh"
need_limen
command -v setarch >/dev/null || skip_all "setarch is not installed (util-linux)"
plan 2

# two of the CPUs we may run on
cpus=$("$_py" -S -c 'import os; print(",".join(map(str, sorted(os.sched_getaffinity(0))[:2])))' 2>/dev/null)
if ! command -v strace >/dev/null; then
	skip "two_cores_format_inline_by_default" "strace is not installed"
elif ! command -v taskset >/dev/null; then
	skip "two_cores_format_inline_by_default" "taskset is not installed (util-linux)"
elif [ "${cpus#*,}" = "$cpus" ]; then
	skip "two_cores_format_inline_by_default" "fewer than 2 CPUs"
else
	# limen's own clones (its thread only): a decode thread's if one
	# starts (it did after 2048 lines); the command's is a vfork
	env -u LIMEN_DECODE_THREADS taskset -c "$cpus" strace -o "$tmp/st" \
		-e trace=clone,clone3 "$LIMEN" trace -o /dev/null -- \
		"$(testbin sysloop)" 20000 5000 </dev/null >/dev/null 2>&1
	ok_if "two_cores_format_inline_by_default" \
		test "$(grep -c -E '^clone3?\(.*CLONE_THREAD' "$tmp/st")" -eq 0
	diag_file "$tmp/st"
fi

# a trace whose formatting is most of the work (the data read and
# written, in hex): the threads may start part way through
run() {
	LIMEN_DECODE_THREADS=$1 setarch -R "$LIMEN" trace -s 256 -xx -o "$2" -- \
		dd if=/dev/zero of=/dev/null bs=4096 count=20000 status=none \
		</dev/null >/dev/null 2>&1
	# the two runs' environments differ in LIMEN_DECODE_THREADS's
	# length, which moves dd's stack: execve's envp is left out
	trace_body "$2" | sed 's/^\(set_tid_address(.*)\) *= [0-9]*$/\1 = T/; s/^getrandom("[^"]*"/getrandom(R/;
		s|^\(execve(.*\]\), 0x[0-9a-f]* /\*|\1, ENVP /*|' >"$2.body"
}
run 0 "$tmp/inline"
run +2 "$tmp/behind"
same_file "$tmp/behind.body" "$tmp/inline.body" \
	"threads_started_when_behind_write_what_inline_writes ($(wc -l <"$tmp/inline.body") lines)"
