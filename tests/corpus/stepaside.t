#!/bin/bash
# SPDX-License-Identifier: MIT
#
# Programs with their own interposition, and images limen cannot trace.
# Each behaves exactly as without limen (same output and status, numbers
# that differ from run to run masked), and where limen must step aside the
# trace says so where it happened, `+++ limen: PID not traced: REASON +++`,
# with the execve that started the untraced image finished (never left
# <unfinished ...>).
. "$(dirname "$0")/../lib.sh"
need_limen

# --- AddressSanitizer ----------------------------------------------------------
# ASan refuses to start unless its runtime is the first library loaded.
asan_ok=
if printf 'int main(void){return 0;}\n' >"$tmp/a.c" &&
	gcc -fsanitize=address -o "$tmp/a" "$tmp/a.c" 2>/dev/null &&
	"$tmp/a" 2>/dev/null; then
	asan_ok=1
fi
if [ -n "$asan_ok" ]; then
	cat >"$tmp/asan_env.c" <<'C'
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
extern char **environ;
int main(void)
{
	char *p = malloc(16);
	strcpy(p, "heap ok");
	puts(p);
	free(p);
	for (char **e = environ; *e; e++)
		puts(*e);
	return 0;
}
C
	cat >"$tmp/asan_bad.c" <<'C'
#include <stdlib.h>
int main(int argc, char **argv)
{
	char *p = malloc(10);
	p[10 + argc - 1] = 'x';  /* one past the end */
	free(p);
	return 0;
}
C
	gcc -fsanitize=address -g -o "$tmp/asan_env" "$tmp/asan_env.c"
	gcc -fsanitize=address -g -o "$tmp/asan_bad" "$tmp/asan_bad.c"
	same_as_bare "ASan program: runs, and sees the environment it sees bare" \
		"$tmp/asan_env"
	ok_if "ASan program: traced (its write is in the trace)" \
		grep -q -F 'write(1, "heap ok\n' "$tmp/trace"
	# the report's addresses and pids change from run to run
	same_as_bare "ASan program with a heap overflow: same report" \
		sh -c '"$0" 2>&1 | sed -E "s/0x[0-9a-f]+/ADDR/g; s/==[0-9]+==/==PID==/g"' \
		"$tmp/asan_bad"
	same_as_bare "ASan program with a heap overflow: exit status 1" \
		sh -c '"$0" 2>/dev/null' "$tmp/asan_bad"
	same_as_bare "ASan program started by a traced shell" \
		sh -c '"$0"; echo "status $?"' "$tmp/asan_env"
	# the user's own LD_PRELOAD decides, as bare: ASan's runtime preloaded
	# by hand runs (and the program sees that LD_PRELOAD), another library
	# first is refused
	libasan=$(ldd "$tmp/asan_env" | awk '/libasan/ { print $3 }')
	same_as_bare "ASan program, LD_PRELOAD=libasan by the user: runs, sees it" \
		env LD_PRELOAD="$libasan" "$tmp/asan_env"
	same_as_bare "ASan program, another library preloaded first: refused as bare" \
		sh -c 'LD_PRELOAD=libm.so.6 "$0" 2>&1 | sed -E "s/==[0-9]+==/==PID==/g"' \
		"$tmp/asan_env"
else
	for d in "runs, same environment" "traced" "same report" "exit status" \
		"started by a traced shell" "LD_PRELOAD=libasan" "refused"; do
		skip "ASan program: $d" "gcc -fsanitize=address does not work here"
	done
fi

# --- the dynamic loader --------------------------------------------------------
ldso=/lib64/ld-linux-x86-64.so.2
if [ -x "$ldso" ]; then
	same_as_bare "$ldso /bin/echo hi: runs as bare" "$ldso" /bin/echo hi
	ok_if "$ldso /bin/echo hi: traced (the loader reads LD_PRELOAD too)" \
		grep -q -E 'write\(1, "hi\\n", 3\) += 3' "$tmp/trace"
	# the loaded objects' addresses change from run to run
	same_as_bare "ldd /bin/true lists no limen runtime" \
		sh -c 'ldd /bin/true | sed -E "s/ \(0x[0-9a-f]+\)//"'
	stepped_aside "ldd" "LD_TRACE_LOADED_OBJECTS"
	same_as_bare "LD_TRACE_LOADED_OBJECTS=1 /bin/true lists no limen runtime" \
		sh -c 'LD_TRACE_LOADED_OBJECTS=1 /bin/true | sed -E "s/ \(0x[0-9a-f]+\)//"'
	# its shell's vfork returns when the exec succeeded, which is when the
	# note is told: the child's end is told still (its reaper's word)
	run_limen trace -f -o "$tmp/ldv" -- sh -c 'LD_TRACE_LOADED_OBJECTS=1 /bin/true' >/dev/null
	lpid=$(sed -nE 's/^([0-9]+) +\+\+\+ limen: [0-9]+ not traced: LD_TRACE.*/\1/p' "$tmp/ldv")
	ok_if "stepped_aside_vfork_child_end_is_told" \
		grep -qE "^${lpid:-none} +\+\+\+ exited with 0 \+\+\+$" "$tmp/ldv"
	if [ -n "$asan_ok" ]; then
		same_as_bare "$ldso ASAN-PROGRAM: ASan's runtime first there too" \
			"$ldso" "$tmp/asan_env"
		same_as_bare "sh -c '$ldso --argv0 x ASAN-PROGRAM': the same, from a traced shell" \
			sh -c '"$0" --argv0 x "$1"' "$ldso" "$tmp/asan_env"
	else
		skip "$ldso ASAN-PROGRAM" "gcc -fsanitize=address does not work here"
		skip "sh -c '$ldso ASAN-PROGRAM'" "gcc -fsanitize=address does not work here"
	fi
	if [ -x /bin/busybox ] && file -L /bin/busybox 2>/dev/null | grep -q static; then
		same_as_bare "LD_TRACE_LOADED_OBJECTS through static busybox sh: no limen runtime listed" \
			sh -c 'LD_TRACE_LOADED_OBJECTS=1 /bin/busybox sh -c /bin/true |
				sed -E "s/ \(0x[0-9a-f]+\)//"'
	else
		skip "LD_TRACE_LOADED_OBJECTS through static busybox sh" "no static /bin/busybox"
	fi
	same_as_bare "$ldso --list /bin/true lists no limen runtime" \
		sh -c '"$0" --list /bin/true | sed -E "s/ \(0x[0-9a-f]+\)//"' "$ldso"
	stepped_aside "ld.so --list" "the dynamic loader runs no program"
else
	for d in runs traced ldd "ldd note" LD_TRACE_LOADED_OBJECTS ASan "ASan from sh" busybox \
		--list "--list note"; do
		skip "loader: $d" "no $ldso"
	done
fi

# --- debuggers -----------------------------------------------------------------
same_as_bare "PTRACE_TRACEME then execve: the tracer sees the exec's SIGTRAP first" \
	"$(testbin traceme)"
stepped_aside "PTRACE_TRACEME" "traced with ptrace"
pid=$(sed -n -E 's/^[0-9]+ +\+\+\+ limen: ([0-9]+) not traced: traced with ptrace.*/\1/p' \
	"$tmp/trace" | head -n 1)
ok_if "PTRACE_TRACEME: the tracee's end is shown (its tracer reaped it)" \
	grep -q -E "^${pid:-none} +\+\+\+ exited with 0 \+\+\+\$" "$tmp/trace"
# a tracer that attaches with PTRACE_SEIZE to a child that never slept:
# its first stop is at its execve, whose SIGSYS the tracer passes on
# (step_aside.c, never_stopped: a thread that never slept has no tracer,
# and this one has slept once, there)
same_as_bare "PTRACE_SEIZE of a child that never stopped: the tracer sees its exec and its end" \
	"$(testbin seizeexec)" "$tmp/seize.n"
if grep -q "^nvcsw 0$" "$tmp/seize.n"; then
	stepped_aside "PTRACE_SEIZE before the execve, no stop before it" \
		"traced with ptrace"
else
	skip "PTRACE_SEIZE before the execve, no stop before it" \
		"the child slept before the seize: $(cat "$tmp/seize.n")"
fi
if command -v gdb >/dev/null; then
	# gdb prints the inferior's pid
	same_as_bare "gdb -batch -ex run --args /bin/echo hi" \
		sh -c 'gdb -nx -q -batch -ex run --args /bin/echo hi </dev/null 2>&1 |
			sed -E "s/[0-9]+/N/g"'
	untraced_note "traced with ptrace" && pass "gdb: the trace says its inferior is not traced" ||
		fail "gdb: the trace says its inferior is not traced"
else
	skip "gdb -batch -ex run --args /bin/echo hi" "no gdb"
	skip "gdb: the trace says its inferior is not traced" "no gdb"
fi

# strace, itself a ptrace tracer, traced by limen: its tracee is left to it
if command -v strace >/dev/null; then
	same_as_bare "strace -e trace=write /bin/echo hi: strace's own output" \
		strace -e trace=write /bin/echo hi
	stepped_aside "strace's tracee" "traced with ptrace"
	ok_if "strace: a tracer's wait for a stop does not end its tracee" \
		eval '! grep -q "the runtime did not start" "$tmp/trace"'
else
	skip "strace -e trace=write /bin/echo hi" "no strace"
	skip "strace's tracee" "no strace"
	skip "strace: a stop is not an end" "no strace"
fi

# --- valgrind ------------------------------------------------------------------
# valgrind runs its guest on a synthetic CPU: the preload must not reach it
if command -v valgrind >/dev/null; then
	same_as_bare "valgrind env: runs, the guest's environment is as bare" \
		sh -c 'valgrind -q --error-exitcode=3 env | sort'
	stepped_aside "valgrind" "valgrind's guest"
	# a tool found through VALGRIND_LIB, elsewhere: known by the
	# VALGRIND_LAUNCHER variable the launcher gives it
	mkdir -p "$tmp/vglib"
	for f in /usr/libexec/valgrind/* /usr/lib/x86_64-linux-gnu/valgrind/*; do
		[ -e "$f" ] && ln -sf "$f" "$tmp/vglib/"
	done
	same_as_bare "valgrind with VALGRIND_LIB elsewhere: runs, guest environment as bare" \
		env VALGRIND_LIB="$tmp/vglib" sh -c 'valgrind -q env | sort'
	stepped_aside "valgrind with VALGRIND_LIB elsewhere" "valgrind's guest"
	cat >"$tmp/uninit.c" <<'C'
#include <stdio.h>
#include <stdlib.h>
int main(void)
{
	int *p = malloc(sizeof(*p));
	if (*p == 42)  /* uninitialised */
		puts("42");
	free(p);
	return 0;
}
C
	if cc -g -O0 -o "$tmp/uninit" "$tmp/uninit.c"; then
		# pids and addresses change from run to run
		same_as_bare "valgrind --error-exitcode=3 on an uninitialised read: same report, status 3" \
			sh -c 'valgrind -q --error-exitcode=3 "$0" 2>"$1"; st=$?
				sed -E "s/==[0-9]+==/==PID==/g; s/0x[0-9A-F]+/ADDR/g" "$1"
				exit $st' "$tmp/uninit" "$tmp/vg.err"
	else
		skip "valgrind --error-exitcode=3 on an uninitialised read" "no cc"
	fi
else
	for d in "env" "note" "VALGRIND_LIB" "VALGRIND_LIB note" \
		"--error-exitcode=3"; do
		skip "valgrind $d" "no valgrind"
	done
fi

done_testing
