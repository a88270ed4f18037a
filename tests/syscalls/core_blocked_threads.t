#!/bin/bash
# SPDX-License-Identifier: MIT
#
# A core dumped while other threads are blocked in system calls shows
# each of those threads where the bare program's core shows it: in its
# call (pause, read of a pipe, a futex wait of pthread_cond_wait and of
# pthread_join, nanosleep), with the program's backtrace. Under limen such
# a thread sleeps in a call limen makes for it (the full way's, a
# rewritten site's lean path), whose pages the core leaves out: gdb read
# "?? ()" there. The dying thread sends every other one back to its own
# `syscall` first (src/runtime/core_signal.c, limen_core_gather).
# tests/progs/core_blocked.c dies of abort(), of a fault, and of a SIGQUIT
# from outside; `gdb -batch -ex 'thread apply all bt'`'s function names,
# thread by thread, must be bare's.
. "$(dirname "$0")/../lib.sh"
need_limen
prog=$(testbin core_blocked)
[ -x "$prog" ] || skip_all "tests/progs/core_blocked not built ($prog)"
need_gdb_cores

cd "$tmp" || exit 1
ulimit -S -c 0

# threads DIR: one line per thread of the core in DIR, the function names
# of its backtrace, the lines sorted (the dying thread's comes first in
# the core, the others in their order; sorted, a difference still shows)
threads() {
	[ -f "$1/gdb" ] ||
		gdb -batch -ex 'thread apply all bt' "$prog" "$1"/core* \
			>"$1/gdb" 2>/dev/null
	# (gdb's first line, before any "Thread", is the dying thread's #0)
	awk '/^Thread / { if (l != "") print l; l = ""; t = 1 }
	     t && /^#[0-9]/ { f = $2; if (f ~ /^0x/) f = $4; l = l " " f }
	     END { if (l != "") print l }' "$1/gdb" | sort
}

# die DIR MODE bare|traced [LIMEN ARGS...]: run core_blocked MODE in DIR
# with cores on; its status into DIR/st. Mode quit: a SIGQUIT once main
# sleeps in its pause (the pid comes through a fifo)
die() {
	local d=$tmp/$1 mode=$2 how=$3 cmd pid
	shift 3
	cmd=("$prog" "$mode")
	[ "$how" = traced ] &&
		cmd=("$LIMEN" trace "$@" -o "$d/trace" -- "$prog" "$mode")
	mkdir -p "$d"
	if [ "$mode" != quit ]; then
		{ (cd "$d" && ulimit -S -c "$(ulimit -H -c)" &&
			exec "${cmd[@]}" >/dev/null 2>&1); } 2>/dev/null
		echo $? >"$d/st"
		return
	fi
	mkfifo "$d/pid"
	(cd "$d" && ulimit -S -c "$(ulimit -H -c)" &&
		exec "${cmd[@]}" >"$d/pid" 2>/dev/null) &
	read -r pid <"$d/pid"
	for ((i = 0; i < 3000; i++)); do
		[ -d "/proc/$pid" ] || break
		[ "$(cut -d' ' -f1 "/proc/$pid/syscall" 2>/dev/null)" = 34 ] && break
		sleep 0.01 # polls for the state, orders nothing
	done
	kill -QUIT "$pid"
	{ wait $!; } 2>/dev/null
	echo $? >"$d/st"
}

# check NAME MODE [LIMEN ARGS...]
check() {
	local name=$1 mode=$2 bare traced
	shift 2
	[ -d "$tmp/$mode.bare" ] || {
		die "$mode.bare" "$mode" bare
		ok_if "$mode bare: a core with six threads, one in in_read" \
			eval '[ "$(threads "$tmp/$mode.bare" | wc -l)" = 6 ] &&
				threads "$tmp/$mode.bare" | grep -q " in_read "'
	}
	die "$name" "$mode" traced "$@"
	bare=$(threads "$tmp/$mode.bare")
	traced=$(threads "$tmp/$name")
	# once more on a difference: the dying thread waits at most 200 ms
	# for the others, which a loaded machine may not schedule in time
	if [ "$traced" != "$bare" ]; then
		diag "$name: first run: $traced"
		rm -rf "${tmp:?}/$name"
		die "$name" "$mode" traced "$@"
		traced=$(threads "$tmp/$name")
	fi
	is "$traced" "$bare" "${name}_every_threads_backtrace_is_the_programs"
	is "$(cat "$tmp/$name/st")" "$(cat "$tmp/$mode.bare/st")" \
		"$name: the exit status is bare's"
}

check abort_full_way abort
check abort_lean abort -e trace=none
check abort_no_rewrite abort --no-rewrite
check segv_full_way segv
check segv_no_rewrite segv --no-rewrite
check quit_from_outside quit
check quit_from_outside_lean quit -e trace=none
check quit_from_outside_no_rewrite quit --no-rewrite
LIMEN_LOADER=preload check abort_preload abort
LIMEN_LOADER=preload check abort_preload_no_rewrite abort --no-rewrite
done_testing
