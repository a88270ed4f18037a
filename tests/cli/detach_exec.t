#!/bin/bash
# SPDX-License-Identifier: MIT
#
# -b execve / --detach-on=execve: as strace detaches from a process at its
# execve, the new image runs without limen's runtime (none of its
# variables is passed on: nothing of limen is in the process), and the
# trace says so at the execve; the processes that did not exec stay traced.
. "$(dirname "$0")/../lib.sh"
need_limen

run_limen trace -o "$tmp/t" -b execve -e trace=execve,write -- \
	sh -c '/bin/echo b; echo c' >"$tmp/out" 2>&1
is "$?:$(cat "$tmp/out")" "0:b
c" "-b execve: the program runs as bare"
ok_if "-b execve: the exec'd echo's write is not traced" \
	sh -c "! grep -q 'write(1, \"b' '$tmp/t'"
ok_if "-b execve: the shell's own write is" grep -q 'write(1, "c\\n", 2)' "$tmp/t"
ok_if "-b execve: the trace says the image is detached" \
	grep -q -E '^[0-9]+ +\+\+\+ limen: [0-9]+ not traced: detached on execve \(-b execve\) \+\+\+$' "$tmp/t"

# nothing of limen in the new image: no runtime mapped, no variable
# (liblimen.so, or limen's loader when the program was started by it)
maps='exec grep -c -a -e liblimen -e limen-loader -e LIMEN_SESSION /proc/self/maps /proc/self/environ'
is "$(run_limen trace -o /dev/null --detach-on=execve -- sh -c "$maps" | tr '\n' ' ')" \
	"/proc/self/maps:0 /proc/self/environ:0 " "--detach-on=execve: the new image has no runtime, no variable"
# a static image too: not run by limen's loader (which carries the runtime)
if [ -x /bin/busybox ] && /bin/busybox true 2>/dev/null; then
	is "$(run_limen trace -o /dev/null --detach-on=execve -- sh -c "exec /bin/busybox grep -c -a -e limen-loader -e LIMEN_SESSION -e LIMEN_EXEC /proc/self/maps /proc/self/environ" | tr '\n' ' ')" \
		"/proc/self/maps:0 /proc/self/environ:0 " "detached_static_image_is_not_run_by_limens_loader"
else
	skip "detached_static_image_is_not_run_by_limens_loader" "no busybox-static"
fi
ok_if "without -b the new image has the runtime (the check can fail)" \
	sh -c "'$LIMEN' trace -o /dev/null -- sh -c '$maps' | grep -q 'maps:[1-9]'"

# the execve as strace prints it: "<detached ...>", then nothing more of
# that process (the note says why, as limen's own line)
# (or, when a line came between it and the moment limen knows it
# succeeded, the vfork parent's return or the process's end, strace's
# split form <unfinished ...>)
ok_if "-b execve: the execve line ends in strace's <detached ...>" \
	grep -qE '^[0-9]+ +execve\("/bin/echo", \["/bin/echo", "b"\], 0x[0-9a-f]+ /\* [0-9]+ vars \*/ <(detached|unfinished) \.\.\.>$' "$tmp/t"
ok_if "-b execve: no <... execve resumed> line after it" \
	sh -c "! grep -q 'execve resumed' '$tmp/t'"
if command -v strace >/dev/null && strace -o /dev/null true 2>/dev/null; then
	strace -f -b execve -o "$tmp/s" -e trace=execve -- sh -c '/bin/echo b; echo c' >/dev/null
	run_limen trace -f -b execve -o "$tmp/l" -e trace=execve -- sh -c '/bin/echo b; echo c' >/dev/null
	det() { grep -E 'detached|resumed|unfinished' "$1" | sed -E 's/^[0-9]+ +//; s/0x[0-9a-f]+/0xA/; s/<unfinished \.\.\.>$/<detached ...>/'; }
	is "$(det "$tmp/l" | grep -v '+++ limen')" "$(det "$tmp/s")" "-b execve: the detached execve's lines as strace's"
else
	skip "-b execve: as strace" "strace cannot run here"
fi

# a full trace: the shell's wait4 reaps the detached process and says it
# exited, which strace does not show either (nothing after <detached ...>)
run_limen trace -b execve -o "$tmp/full" -- sh -c '/bin/echo b; echo c' >/dev/null
dpid=$(sed -nE 's/^([0-9]+) +execve\("\/bin\/echo".*<detached \.\.\.>$/\1/p' "$tmp/full")
dpid=${dpid:-$(sed -nE 's/^([0-9]+) +execve\("\/bin\/echo".*<unfinished \.\.\.>$/\1/p' "$tmp/full")}
is "$(grep -E "^${dpid:-none} " "$tmp/full" | sed -n '/execve(/,$p' | grep -v '+++ limen' |
	sed -E 's/^[0-9]+ +//; s/0x[0-9a-f]+/0xA/; s/<unfinished \.\.\.>$/<detached ...>/')" \
	'execve("/bin/echo", ["/bin/echo", "b"], 0xA /* '"$(env | wc -l)"' vars */ <detached ...>' \
	"detached_process_shows_nothing_after_its_execve_in_a_full_trace"

# after_note FILE: the lines of a detached process after its note, and
# the number of notes, as "pid:lines" for every pid noted more than once
# or with lines after its note (none: "")
after_note() {
	awk '/\+\+\+ limen: [0-9]+ not traced: detached on execve/ {
		n[$1]++; seen[$1] = 1; next }
	     ($1 in seen) { after[$1]++ }
	     END { for (p in n) if (n[p] > 1 || after[p]) print p ":" n[p] ":" after[p] }' "$1"
}

# the note stands for the execve that succeeded, whether -e trace= shows
# the execve or not: a PATH search's failed attempts leave none, and the
# detached process's end is not told either
for sel in none openat; do
	run_limen trace -b execve -e trace=$sel -o "$tmp/u" -- \
		env PATH=/no1:/no2:/usr/bin env true
	is "$(grep -v '^[0-9]* *openat(' "$tmp/u" | sed -E 's/^[0-9]+ +//; s/[0-9]+/N/g')" \
		'+++ limen: N not traced: detached on execve (-b execve) +++' \
		"detach_note_once_for_unselected_execve_after_failed_attempts (trace=$sel)"
done

# the execve's line split by the other side of a pipe: the note once for
# each, nothing of either after it (no "resumed" line, no end line)
bad=
for i in $(seq 30); do
	run_limen trace -b execve -o "$tmp/p" -- bash -c 'yes | head -1' >/dev/null
	n=$(grep -c 'detached on execve' "$tmp/p")
	a=$(after_note "$tmp/p")
	[ "$n" = 2 ] && [ -z "$a" ] || { bad="round $i: $n notes, $a"; break; }
done
is "$bad" "" "detach_note_then_nothing_when_the_execve_line_is_split"

# threads exec'ing at once through failing PATH entries (python's
# subprocess: vfork, then execve per PATH entry): one note per child,
# none for a failed attempt, nothing of a child after its note
if [ -x /usr/bin/python3 ]; then
	cat >"$tmp/bx.py" <<'PY'
import subprocess, threading, os
os.environ["PATH"] = "/no1:/no2:/no3:/no4:/no5:/no6:/no7:/no8:/usr/bin"
ts = [threading.Thread(target=subprocess.run, args=(["true"],))
      for _ in range(12)]
[t.start() for t in ts]; [t.join() for t in ts]
PY
	bad=
	for i in $(seq 6); do
		run_limen trace -b execve -o "$tmp/x" -- /usr/bin/python3 "$tmp/bx.py"
		n=$(grep -c 'detached on execve' "$tmp/x")
		a=$(after_note "$tmp/x")
		f=$(grep -E '^[0-9]+ +execve\("/no' "$tmp/x" | grep -c -v -e 'ENOENT' -e 'unfinished')
		[ "$n" = 12 ] && [ -z "$a" ] && [ "$f" = 0 ] ||
			{ bad="round $i: $n notes, $a, $f failed execve not told failed"; break; }
	done
	is "$bad" "" "detach_note_once_per_child_of_threads_execing_through_path"
else
	skip "detach_note_once_per_child_of_threads_execing_through_path" "no python3"
fi

# glibc's posix_spawn makes its child with clone3(CLONE_VM|CLONE_VFORK):
# the parent's return says the child's execve succeeded, so its line ends
# in <detached ...>, as a vfork child's does (tests/progs/spawn_threads.c)
spawn=$(testbin spawn_threads)
if [ -x "$spawn" ]; then
	bad=
	for i in 1 2 3; do
		run_limen trace -f -b execve -e trace=execve,clone3 -o "$tmp/x" -- "$spawn" 1 1 >/dev/null
		grep -Eq '^[0-9]+ +execve\("/bin/sh", .* <detached \.\.\.>$' "$tmp/x" ||
			{ bad="round $i: $(grep -E 'execve\("/bin/sh"' "$tmp/x")"; break; }
	done
	is "$bad" "" "a_posix_spawn_child_s_execve_line_ends_detached"
else
	skip "a_posix_spawn_child_s_execve_line_ends_detached" "tests/progs/spawn_threads not built"
fi

out=$(run_limen trace -b open -- true 2>&1)
is "$?:$out" "1:limen: Syscall 'open' for -b isn't supported" "-b open: strace's message, status 1"
done_testing
