#!/bin/bash
# SPDX-License-Identifier: MIT
#
# -e inject=...:syscall=NAME as strace 6.1: with error= or retval=, the
# pure call NAME (%pure: getpid, getuid, ...) is made in place of the
# call, so the kernel sees it, and the program gets the injected result;
# NAME must be one pure call's name, given once. Seen from outside: strace
# -f over limen counts the getpid the kernel ran (limen makes its own
# getpid too: the difference from the same run without syscall= is what
# counts). tests/progs/purecalls.c: getuid N times, results printed.
. "$(dirname "$0")/../lib.sh"
need_limen
command -v strace >/dev/null || skip_all "strace is not installed"
strace -o /dev/null true 2>/dev/null || skip_all "strace cannot trace here (no ptrace)"
prog=$(testbin purecalls)
[ -x "$prog" ] || skip_all "tests/progs/purecalls.c not built"

inj=getuid:retval=5:when=2..3
strace -o /dev/null -e inject=$inj:syscall=getpid -- "$prog" 4 >"$tmp/s" 2>&1
run_limen trace -o /dev/null -e inject=$inj:syscall=getpid \
	-- "$prog" 4 >"$tmp/l" 2>&1
same_file "$tmp/l" "$tmp/s" "syscall=getpid: the program gets what strace gives it"

# kernel_calls NAME OPTIONS...: how many NAME calls the kernel ran
kernel_calls() {
	local name=$1
	shift
	strace -f -qq -e signal=none -e trace=getpid,getuid -o "$tmp/k" \
		"$LIMEN" trace -o /dev/null "$@" -- "$prog" 4 >/dev/null 2>&1
	grep -c "^[0-9]* *$name()" "$tmp/k"
}
p0=$(kernel_calls getpid -e inject=$inj)
u0=$(kernel_calls getuid -e inject=$inj)
p1=$(kernel_calls getpid -e inject=$inj:syscall=getpid)
u1=$(kernel_calls getuid -e inject=$inj:syscall=getpid)
is "$((p1 - p0)) $((u1 - u0))" "2 0" \
	"syscall=getpid: the kernel runs a getpid for each injected getuid"
p1=$(kernel_calls getpid -e fault=getuid:when=2..3:syscall=getpid)
is "$((p1 - p0))" "2" "-e fault= takes syscall= too, as strace"

for bad in syscall=chdir syscall=39 syscall=nosuch syscall= \
	   syscall=getpid:syscall=getppid; do
	strace -o /dev/null -e inject=getuid:error=EPERM:$bad -- "$prog" 1 \
		>/dev/null 2>&1
	s=$?
	run_limen trace -o /dev/null -e inject=getuid:error=EPERM:$bad \
		-- "$prog" 1 >/dev/null 2>&1
	l=$?
	ok_if "$bad is refused as strace refuses it" [ "$s/$l" = 1/1 ]
done
strace -o /dev/null -e inject=getuid:syscall=getpid -- "$prog" 1 >/dev/null 2>&1
s=$?
run_limen trace -o /dev/null -e inject=getuid:syscall=getpid -- "$prog" 1 \
	>/dev/null 2>&1
l=$?
ok_if "syscall= alone is no tampering: refused as strace refuses it" \
	[ "$s/$l" = 1/1 ]
done_testing
