#!/bin/bash
# SPDX-License-Identifier: MIT
#
# Filters and fault injection against strace 6.1 on the same program
# (tests/progs/filt.c): -e inject=, -e fault=, -Z, -z, -e status=, -P,
# -e signal=; the trace lines from the program's first call of interest
# (ld.so's calls before the runtime is loaded are not limen's to see), and
# what the program printed (the results it got).
. "$(dirname "$0")/../lib.sh"
need_limen
command -v strace >/dev/null || skip_all "strace is not installed"
strace -o /dev/null true 2>/dev/null || skip_all "strace cannot trace here (no ptrace)"
prog=$(testbin filt)
[ -x "$prog" ] || skip_all "tests/progs/filt.c not built"

# from_mark FILE: trace_body from the program's first call that shows (its
# calls name d/sub, d/file, "nope", or are getppid, write(1, kill, a signal)
from_mark() {
	trace_body "$1" |
		awk 'f || /d\/sub|d\/file|"nope"|^getppid|^write\(1|^kill|^---/ { f = 1; print }' |
		sed -E 's/si_pid=[0-9]+/si_pid=N/; s/si_uid=[0-9]+/si_uid=N/; s/^getppid\(\) = [0-9]+/getppid() = N/; s/^kill\([0-9]+,/kill(N,/'
}

# compare DESC OPTIONS...: filt calls under both, with OPTIONS
compare() {
	local desc=$1
	shift
	rm -rf "$tmp/d" && mkdir "$tmp/d"
	strace -o "$tmp/s" "$@" -- "$prog" calls "$tmp/d" >"$tmp/s.out" 2>&1
	rm -rf "$tmp/d" && mkdir "$tmp/d"
	run_limen trace -o "$tmp/l" "$@" -- "$prog" calls "$tmp/d" >"$tmp/l.out" 2>&1
	from_mark "$tmp/s" >"$tmp/s.body"
	from_mark "$tmp/l" >"$tmp/l.body"
	if ! cmp -s "$tmp/s.out" "$tmp/l.out"; then
		fail "$desc" "the program's results differ (- strace, + limen):" \
			"$(diff -u "$tmp/s.out" "$tmp/l.out" | head -n 30)"
	elif [ -s "$tmp/s.body" ] && cmp -s "$tmp/s.body" "$tmp/l.body"; then
		pass "$desc"
	else
		fail "$desc" "strace (-) and limen (+) differ:" \
			"$(diff -u "$tmp/s.body" "$tmp/l.body" | head -n 40)"
	fi
}

set_=trace=mkdir,chdir,getppid,openat,write,dup,dup2,fcntl,close,unlink,kill
compare "-e inject=getppid:retval=0:when=2, chdir:error=EACCES" -e "$set_" \
	-e inject=getppid:retval=0:when=2 -e inject=chdir:error=EACCES
compare "-e inject=...:when=2+ and when=1+2" -e "$set_" \
	-e inject=getppid:retval=0:when=2+ -e inject=write:error=EIO:when=1+2
compare "-e fault=unlink (ENOSYS), fault=mkdir:error=EEXIST" -e "$set_" \
	-e fault=unlink -e fault=mkdir:error=EEXIST
compare "-e inject=chdir:error=13 (a number)" -e "$set_" -e inject=chdir:error=13
compare "the last rule for a call wins" -e "$set_" \
	-e inject=chdir:error=EACCES -e inject=chdir,unlink:error=EPERM
compare "-e inject=getppid:delay_exit=1000:when=3 (DELAYED)" -e "$set_" \
	-e inject=getppid:delay_exit=1000:when=3
compare "-e inject=chdir:error=ENOENT:delay_enter=1ms" -e "$set_" \
	-e inject=chdir:error=ENOENT:delay_enter=1ms
compare "-e inject=getppid:signal=SIGUSR2:when=2" -e "$set_" \
	-e inject=getppid:signal=SIGUSR2:when=2
compare "-Z" -e "$set_" -Z
compare "-z" -e "$set_" -z
compare "--failed-only with an injection" -e "$set_" --failed-only \
	-e inject=getppid:retval=0
compare "-e status=successful,failed" -e "$set_" -e status=successful,failed
compare "-e status=!failed" -e "$set_" -e 'status=!failed'
compare "-e status=unfinished" -e "$set_" -e status=unfinished
compare "-P DIR/file (through its fds: dup, dup2, F_DUPFD, close)" \
	-P "$tmp/d/file"
compare "-P DIR/file -e trace=write" -e trace=write -P "$tmp/d/file"
compare "-P DIR/sub -P DIR/file" -P "$tmp/d/sub" -P "$tmp/d/file"
compare "-e signal=SIGUSR1" -e "$set_" -e signal=SIGUSR1
compare "-e signal=!USR1" -e "$set_" -e 'signal=!USR1'
compare "-e signal=none" -e "$set_" -e signal=none

# -P through an fd inherited across execve (the shell opens it, echo
# writes to it): the new image finds it in /proc/self/fd
rm -f "$tmp/pf"
strace -f -o "$tmp/s" -P "$tmp/pf" -- sh -c "exec 5>$tmp/pf; /bin/echo hi >&5" 2>/dev/null
rm -f "$tmp/pf"
run_limen trace -o "$tmp/l" -P "$tmp/pf" -- sh -c "exec 5>$tmp/pf; /bin/echo hi >&5" 2>/dev/null
trace_body "$tmp/s" | grep -v -e '^+++' -e '^---' >"$tmp/s.body"
trace_body "$tmp/l" | grep -v -e '^+++' -e '^---' >"$tmp/l.body"
if grep -q '^write(1, "hi' "$tmp/l.body" && cmp -s "$tmp/s.body" "$tmp/l.body"; then
	pass "-P through an fd inherited across execve"
else
	fail "-P through an fd inherited across execve" "$(diff -u "$tmp/s.body" "$tmp/l.body")"
fi

# --filter where strace has the same selection under another name
compare2() {
	local desc=$1 sopt=$2 lopt=$3
	shift 3
	rm -rf "$tmp/d" && mkdir "$tmp/d"
	strace -o "$tmp/s" "$@" $sopt -- "$prog" calls "$tmp/d" >/dev/null 2>&1
	rm -rf "$tmp/d" && mkdir "$tmp/d"
	run_limen trace -o "$tmp/l" "$@" --filter "$lopt" -- "$prog" calls "$tmp/d" >/dev/null 2>&1
	from_mark "$tmp/s" >"$tmp/s.body"
	from_mark "$tmp/l" >"$tmp/l.body"
	if [ -s "$tmp/s.body" ] && cmp -s "$tmp/s.body" "$tmp/l.body"; then
		pass "$desc"
	else
		fail "$desc" "strace (-) and limen (+) differ:" \
			"$(diff -u "$tmp/s.body" "$tmp/l.body" | head -n 40)"
	fi
}
compare2 "--filter 'ret < 0' is -Z" -Z 'ret < 0' -e "$set_"
compare2 "--filter '!(ret < 0)' is -z" -z '!(ret < 0)' -e "$set_"

# when= counters: strace counts per tracee (a new process starts afresh)
strace -f -o /dev/null -e inject=getppid:retval=0:when=2 -- "$prog" fork >"$tmp/s.out" 2>&1
run_limen trace -o /dev/null -e inject=getppid:retval=0:when=2 -- "$prog" fork >"$tmp/l.out" 2>&1
same_file "$tmp/l.out" "$tmp/s.out" "when=2 counts per process, as strace -f"
grep -q 'child getppid = 0' "$tmp/l.out"
ok_if "when=2: the child's second getppid is injected too" test $? = 0
strace -f -o /dev/null -e inject=getppid:retval=0:when=2 -- "$prog" threads >"$tmp/s.out" 2>&1
run_limen trace -o /dev/null -e inject=getppid:retval=0:when=2 -- "$prog" threads >"$tmp/l.out" 2>&1
same_file "$tmp/l.out" "$tmp/s.out" "when=2 counts per thread, as strace -f"
grep -q 'thread getppid = 0' "$tmp/l.out"
ok_if "when=2: the new thread's second getppid is injected too" test $? = 0
strace -f -o /dev/null -e inject=getppid:retval=0:when=2 -- "$prog" vfork >"$tmp/s.out" 2>&1
run_limen trace -o /dev/null -e inject=getppid:retval=0:when=2 -- "$prog" vfork >"$tmp/l.out" 2>&1
same_file "$tmp/l.out" "$tmp/s.out" "when=2: a vfork child counts on its own, its parent's count goes on"
# execve: a successful one returns in a new image, so -e status= decides
# on its result after the fact; the command's own execve (which limen's
# loader tells) is filtered like the others, by -P too
execs() {
	grep 'execve(' "$1" | sed -E 's/^[0-9]+ +//; s/0x[0-9a-f]+/ADDR/; s/ +=/ =/'
}
exec_compare() {
	local desc=$1
	shift
	strace -f -o "$tmp/s" -e trace=execve "$@" -- /bin/sh -c \
		'/bin/true; /nonexistent-limen; exec /bin/true' >/dev/null 2>&1
	run_limen trace -f -o "$tmp/l" -e trace=execve "$@" -- /bin/sh -c \
		'/bin/true; /nonexistent-limen; exec /bin/true' >/dev/null 2>&1
	execs "$tmp/s" >"$tmp/s.body"
	execs "$tmp/l" >"$tmp/l.body"
	same_file "$tmp/l.body" "$tmp/s.body" "$desc"
}
exec_compare "status_failed_hides_successful_execves" -e status=failed
exec_compare "status_successful_keeps_the_commands_execve" -e status=successful
exec_compare "status_not_failed_on_execve" -e 'status=!failed'
exec_compare "-P keeps the command's own execve of that path" -P /bin/sh
done_testing
