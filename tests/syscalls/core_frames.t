#!/bin/bash
# SPDX-License-Identifier: MIT
#
# A program killed by a core-dumping signal at its default action leaves
# the core it would leave bare: the program's registers, whose backtrace
# gdb reads, even when the kernel found the thread in limen's code (the
# tgkill of abort() made by limen_app_syscall, a SIGQUIT that ends a read
# limen made, no room for a handler's frame): src/runtime/core_signal.c.
# tests/progs/core_frames.c dies in four ways, overflow.c in one; the
# function names of `gdb -batch -ex bt`, and the registers there, must be
# bare's.
. "$(dirname "$0")/../lib.sh"
need_limen
prog=$(testbin core_frames)
[ -x "$prog" ] || skip_all "tests/progs/core_frames not built ($prog)"
need_gdb_cores

# no core from same_as_bare's runs, none in the caller's directory
cd "$tmp" || exit 1
ulimit -S -c 0

# gdb_core DIR: gdb's backtrace of the core in DIR, then where its thread
# stopped (function + offset), rax (the call's result), rcx as the
# `syscall` leaves it (rip) and the siginfo's si_code; read once
gdb_core() {
	[ -f "$1/gdb" ] ||
		gdb -batch -ex bt \
			-ex 'printf "rax=%ld rcx-rip=%ld si_code=%d at ", (long)$rax, (long)$rcx - (long)$pc, (int)$_siginfo.si_code' \
			-ex 'info symbol $pc' "$prog" "$1"/core* >"$1/gdb" 2>/dev/null
	cat "$1/gdb"
}

# frames DIR: the function names of the backtrace
frames() {
	gdb_core "$1" |
		sed -n 's/^#[0-9]* *\(0x[0-9a-f]* in \)\{0,1\}\([^ (]*\) .*/\2/p' |
		tr '\n' ' '
}

# regs DIR: the registers and si_code; with $fault set, si_code and
# where only (a fault's rax and rcx are the program's data)
regs() {
	gdb_core "$1" | sed -n 's/^\(rax=.*\) in section .*/\1/p' |
		if [ -n "${fault-}" ]; then sed 's/^.* si_code=/si_code=/'; else cat; fi
}

# die DIR MODE bare|traced [LIMEN ARGS...]: run core_frames MODE in DIR
# with cores on, bare or under limen trace ARGS -o DIR/trace; its status
# into DIR/st. Mode read: once the program blocks in its read of a fifo
# (its pid comes through another fifo, /proc/PID/syscall says read(0), or
# its wchan a pipe's read), a SIGQUIT from here.
die() {
	local d=$tmp/$1 mode=$2 how=$3 cmd pid nr a0 _ i
	shift 3
	cmd=("$prog" "$mode")
	[ "$how" = traced ] &&
		cmd=("$LIMEN" trace "$@" -o "$d/trace" -- "$prog" "$mode")
	mkdir -p "$d"
	if [ "$mode" != read ]; then
		{ (cd "$d" && ulimit -S -c "$(ulimit -H -c)" &&
			exec "${cmd[@]}" >/dev/null 2>&1); } 2>/dev/null
		echo $? >"$d/st"
		return
	fi
	mkfifo "$d/in" "$d/pid"
	exec 5<>"$d/in" # a writer that never writes: the read blocks
	(cd "$d" && ulimit -S -c "$(ulimit -H -c)" &&
		exec "${cmd[@]}" <"$d/in" >"$d/pid" 2>/dev/null) &
	read -r pid <"$d/pid"
	for ((i = 0; i < 3000; i++)); do
		[ -d "/proc/$pid" ] || break
		# /proc/PID/syscall needs ptrace's access; wchan does not
		if read -r nr a0 _ <"/proc/$pid/syscall" 2>/dev/null; then
			[ "$nr $a0" = "0 0x0" ] && break
		elif [[ $(cat "/proc/$pid/wchan" 2>/dev/null) = *pipe_read ]]; then
			break
		fi
		sleep 0.01 # polls for the state, orders nothing
	done
	kill -QUIT "$pid"
	{ wait $!; } 2>/dev/null
	echo $? >"$d/st"
	exec 5>&-
}

# check NAME MODE SIG FUNCTION [LIMEN ARGS...]: bare and traced cores,
# the bare backtrace through the program's FUNCTION
check() {
	local name=$1 mode=$2 sig=$3 fn=$4
	shift 4
	[ -d "$tmp/$mode.bare" ] || {
		die "$mode.bare" "$mode" bare
		ok_if "$mode bare: a core whose backtrace has $fn ($(frames "$tmp/$mode.bare"))" \
			grep -q " $fn " <<<" $(frames "$tmp/$mode.bare")"
	}
	die "$name" "$mode" traced "$@"
	local bare traced
	bare=$(frames "$tmp/$mode.bare")
	traced=$(frames "$tmp/$name")
	is "$traced" "$bare" "${name}_core_backtrace_is_the_programs"
	is "$(regs "$tmp/$name")" "$(regs "$tmp/$mode.bare")" \
		"${name}_core_registers_and_siginfo_are_the_programs"
	is "$(cat "$tmp/$name/st")" "$(cat "$tmp/$mode.bare/st")" \
		"$name: the exit status is bare's"
	ok_if "$name: the trace ends with +++ killed by $sig (core dumped) +++" \
		grep -q "+++ killed by $sig (core dumped) +++" "$tmp/$name/trace"
}

check abort_via_assert assert SIGABRT check_two
check raise_quit quit SIGQUIT quit_now -e trace=none
check pthread_kill_fpe_from_a_thread thread SIGFPE fpe_self
check quit_from_outside_in_read read SIGQUIT wait_input
# read not traced: its rewritten site's lean path, rewound by the kernel
check quit_from_outside_in_lean_read read SIGQUIT wait_input -e trace=none
check quit_from_outside_in_read_no_rewrite read SIGQUIT wait_input \
	--no-rewrite
check abort_via_assert_no_rewrite assert SIGABRT check_two --no-rewrite
LIMEN_LOADER=preload check quit_from_outside_in_read_preload read SIGQUIT \
	wait_input
# no room below a thread's stack for its SIGSEGV handler's frame: the
# kernel's SIGSEGV (SI_KERNEL) at the fault (tests/progs/overflow.c)
prog=$(testbin overflow) fault=1 \
	check no_room_for_a_handlers_frame guard SIGSEGV guard
# seccomp strict mode: limen may make no call of its own for a signal
# then, the kernel's SIG_DFL kills (SIGFPE, not seccomp's SIGKILL)
fault=1 check strict_mode_division_by_zero strict SIGFPE divide_strict

same_as_bare "abort: the same status and message as bare" "$prog" assert
same_as_bare "raise(SIGQUIT): the same status as bare" "$prog" quit
same_as_bare "SIGFPE of a thread: the same status as bare" "$prog" thread
done_testing
