#!/bin/bash
# SPDX-License-Identifier: MIT
#
# Unwinding through limen's frames: a debugger's backtrace of a call in
# flight (the program blocked in read inside limen's SIGSYS handler) shows
# the program's whole stack, and a C++ exception thrown from a signal
# handler reaches its catch, in the program's own code and in a blocking
# call. (pthread_cancel and backtrace() in a handler are in
# transparency.t: tests/progs/cancel.c and sigbacktrace.c.)
. "$(dirname "$0")/../lib.sh"
need_limen

# --- gdb: backtrace of a call in flight ----------------------------------------
# frames PID: the function of each frame of PID's main thread, one a line.
frames() {
	gdb -q -batch -p "$1" -ex bt </dev/null 2>/dev/null |
		sed -n -E 's/^#[0-9]+ +(0x[0-9a-f]+ in )?([^ ]+) .*/\2/p'
}

# blocked_in_read PID: PID once its main thread is blocked in read (syscall
# 0); empty after 5 s.
blocked_in_read() {
	local pid=$1 i
	for ((i = 0; i < 500; i++)); do
		if grep -q '^0 ' "/proc/$pid/syscall" 2>/dev/null; then
			echo "$pid"
			return
		fi
		sleep 0.01
	done
}

# descendant PID NAME: a process named NAME below PID (limen runs under
# timeout, the program under limen)
descendant() {
	local c
	for c in $(pgrep -P "$1"); do
		if [ "$(cat "/proc/$c/comm" 2>/dev/null)" = "$2" ]; then
			echo "$c"
			return
		fi
		descendant "$c" "$2"
	done
}

prog=$(testbin blockread)
if ! command -v gdb >/dev/null; then
	skip "gdb backtrace of a read in flight: the program's frames as bare" \
		"no gdb (apt-get install gdb)"
elif [ ! -x "$prog" ]; then
	skip "gdb backtrace of a read in flight: the program's frames as bare" \
		"not built ($prog)"
else
	"$prog" &
	bare_pid=$!
	p=$(blocked_in_read "$bare_pid")
	[ -n "$p" ] && frames "$p" >"$tmp/bare.bt"
	kill "$bare_pid" 2>/dev/null
	wait "$bare_pid" 2>/dev/null
	if [ ! -s "$tmp/bare.bt" ] || ! grep -qx main "$tmp/bare.bt"; then
		skip "gdb backtrace of a read in flight: the program's frames as bare" \
			"gdb cannot attach here (ptrace_scope?)"
	else
		# gdb -p takes /proc/PID/exe, which names limen-loader under
		# the default loader, while the kernel's auxv names the
		# program (README, "limen's loader"): gdb names nothing
		# there, and LIMEN_LOADER=preload is the way documented
		LIMEN_LOADER=preload run_limen trace -o "$tmp/trace" -- "$prog" &
		lim_pid=$!
		child=
		for ((i = 0; i < 500; i++)); do
			child=$(descendant "$lim_pid" blockread)
			[ -n "$child" ] && break
			sleep 0.01
		done
		p=
		[ -n "$child" ] && p=$(blocked_in_read "$child")
		[ -n "$p" ] && frames "$p" >"$tmp/limen.bt"
		[ -n "$child" ] && kill "$child" 2>/dev/null
		wait "$lim_pid" 2>/dev/null
		# under limen: limen's frames, the signal frame, then the program's
		sed -n '/^<signal$/,$p' "$tmp/limen.bt" | sed 1d >"$tmp/prog.bt"
		same_file "$tmp/prog.bt" "$tmp/bare.bt" \
			"gdb backtrace of a read in flight: the program's frames as bare"
		[ -s "$tmp/prog.bt" ] || diag_file "$tmp/limen.bt" "limen's backtrace"
	fi
fi

# --- C++: an exception thrown from a signal handler ----------------------------
if command -v g++ >/dev/null; then
	cat >"$tmp/throw.cc" <<'CC'
#include <csignal>
#include <cstdio>
#include <cstring>
#include <sys/time.h>
#include <unistd.h>

struct Fault {
	int sig;
};

extern "C" void on_signal(int sig)
{
	throw Fault{sig};
}

__attribute__((noinline)) void poke(volatile int *p)
{
	*p = 1;
}

__attribute__((noinline)) int wait_for(int fd)
{
	char c;
	return (int)read(fd, &c, 1);
}

int main()
{
	struct sigaction sa;
	int p[2], caught = 0;

	std::memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sa.sa_flags = SA_NODEFER;
	sigaction(SIGSEGV, &sa, nullptr);
	sigaction(SIGALRM, &sa, nullptr);
	for (int i = 0; i < 50; i++) {
		try {
			poke(nullptr);
		} catch (const Fault &f) {
			caught += f.sig == SIGSEGV;
		}
	}
	std::printf("SIGSEGV in the program's code: caught %d of 50\n", caught);
	if (pipe(p))
		return 1;
	caught = 0;
	for (int i = 0; i < 5; i++) {
		struct itimerval it = { { 0, 0 }, { 0, 20000 } };

		try {
			setitimer(ITIMER_REAL, &it, nullptr);
			wait_for(p[0]);
			std::printf("read returned\n");
		} catch (const Fault &f) {
			caught += f.sig == SIGALRM;
		}
	}
	std::printf("SIGALRM in a blocking read: caught %d of 5\n", caught);
	return 0;
}
CC
	if g++ -O1 -fnon-call-exceptions -o "$tmp/throw" "$tmp/throw.cc" \
		>"$tmp/gxx.log" 2>&1; then
		same_as_bare "C++ exception thrown from a signal handler" "$tmp/throw"
	else
		fail "C++ exception thrown from a signal handler" \
			"g++ failed:" "$(head -n 20 "$tmp/gxx.log")"
	fi
else
	skip "C++ exception thrown from a signal handler" "no g++"
fi

done_testing
