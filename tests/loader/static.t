#!/bin/bash
# SPDX-License-Identifier: MIT
#
# limen's loader (src/loader/loader.c, README "limen's loader"): static
# programs are traced from their first instruction, not refused, and see
# themselves as they would bare. For each single-threaded program the
# trace's calls must be strace's, call for call, the command's own execve
# (strace's first line) included. Needs static glibc (libc6-dev), musl-tools, golang-go,
# busybox-static and strace; each part skips without its tool.
. "$(dirname "$0")/../lib.sh"
need_limen

src=$_lib_dir/loader/selfview.c
have_strace=
strace -f -o "$tmp/probe" true >/dev/null 2>&1 && [ -s "$tmp/probe" ] && have_strace=1

# same_calls DESC CMD...: the names of CMD's calls under limen are strace's,
# from strace's first line, the command's execve
same_calls() {
	local desc=$1
	shift
	if [ -z "$have_strace" ]; then
		skip "$desc: every call, as strace shows them" "strace cannot run here"
		return
	fi
	strace -o "$tmp/s.trace" "$@" </dev/null >/dev/null 2>&1
	run_limen trace -o "$tmp/l.trace" -- "$@" </dev/null >/dev/null 2>&1
	trace_names "$tmp/s.trace" >"$tmp/s.names"
	trace_names "$tmp/l.trace" >"$tmp/l.names"
	if cmp -s "$tmp/s.names" "$tmp/l.names"; then
		pass "$desc: every call, as strace shows them ($(wc -l <"$tmp/l.names"))"
	else
		fail "$desc: every call, as strace shows them" \
			"$(diff -u "$tmp/s.names" "$tmp/l.names" | head -n 30)"
	fi
}

# --- busybox-static -----------------------------------------------------------
bb=/bin/busybox
if [ -x $bb ] && file -L $bb 2>/dev/null | grep -q static; then
	same_as_bare "busybox-static: sh -c with a pipe and a status" \
		$bb sh -c 'echo one | $0 cat; exit 3' $bb
	ok_if "busybox-static: traced (its exit_group(3))" \
		grep -q -E '^[0-9]+ +exit_group\(3\) += \?' "$tmp/trace"
	same_calls "busybox-static echo" $bb echo hi
else
	skip "busybox-static" "no static /bin/busybox (busybox-static)"
	skip "busybox-static: traced" "no static /bin/busybox"
	skip "busybox-static echo: every call" "no static /bin/busybox"
fi

# --- static glibc, static musl: what the program sees of itself ---------------
# selfview prints argv[0], /proc/self/exe (readlink, open, stat), AT_EXECFN,
# AT_ENTRY, AT_PHDR, AT_PHNUM, AT_BASE, /proc/self/cmdline, comm, environ;
# "again" then execs itself through /proc/self/exe.
for libc in glibc glibc-pie musl; do
	case $libc in
	glibc) cc -static -O1 -o "$tmp/sv-$libc" "$src" 2>/dev/null ;;
	glibc-pie) cc -static-pie -O1 -o "$tmp/sv-$libc" "$src" 2>/dev/null ;;
	musl) command -v musl-gcc >/dev/null &&
		musl-gcc -static -O1 -o "$tmp/sv-$libc" "$src" 2>/dev/null ;;
	esac
	if [ ! -x "$tmp/sv-$libc" ]; then
		for d in "sees itself" "exec of /proc/self/exe" "calls" "maps" "auxv"; do
			skip "static $libc: $d" "cannot build a static $libc program"
		done
		continue
	fi
	same_as_bare "static $libc: argv, auxv, /proc/self/exe, cmdline, comm, environ as bare" \
		"$tmp/sv-$libc" one "two words"
	same_as_bare "static $libc: an exec of /proc/self/exe sees itself as bare" \
		"$tmp/sv-$libc" again
	same_calls "static $libc" "$tmp/sv-$libc" one
	# what still shows, pinned (README): the loader's mapping; the
	# kernel's own copy of the auxiliary vector is the program's
	# (tests/loader/kernel_view.t)
	run_limen trace -o "$tmp/t" -- "$tmp/sv-$libc" shows >"$tmp/shows" 2>&1
	ok_if "static $libc: /proc/self/maps shows limen-loader (documented)" \
		grep -q -x 'maps has limen-loader: yes' "$tmp/shows"
	ok_if "static $libc: /proc/self/auxv has the program's AT_ENTRY" \
		grep -q -x '/proc/self/auxv AT_ENTRY is the program.s: yes' "$tmp/shows"
done

# --- unwinding out of signal handlers in a static program ------------------------
# the handlers return to the program's own restorer (signals.c, deliver),
# whose CFI the program's unwinder finds in the program: backtrace() in a
# handler, pthread_cancel in a blocking call, a C++ exception thrown from a
# handler (the cases of tests/corpus/unwind.t and transparency.t, static)
for p in sigbacktrace cancel; do
	if cc -static -O1 -rdynamic -o "$tmp/$p" "$_lib_dir/progs/$p.c" -lpthread 2>/dev/null; then
		same_as_bare "static $p: as bare" "$tmp/$p"
	else
		skip "static $p" "cannot build it static"
	fi
done
sed -n '/cat >"$tmp\/throw.cc" <<.CC./,/^CC$/p' "$_lib_dir/corpus/unwind.t" | sed '1d;$d' >"$tmp/throw.cc"
if command -v g++ >/dev/null && [ -s "$tmp/throw.cc" ] &&
	g++ -static -O1 -fnon-call-exceptions -o "$tmp/throw" "$tmp/throw.cc" 2>/dev/null; then
	same_as_bare "static C++: an exception thrown from a signal handler is caught" "$tmp/throw"
else
	skip "static C++: an exception thrown from a signal handler" "no static g++"
fi

# --- a static child of a traced program, and its static child ------------------
if [ -x "$tmp/sv-musl" ] && [ -x $bb ]; then
	cat >"$tmp/chain.c" <<'C'
#include <unistd.h>
#include <sys/wait.h>
int main(int argc, char **argv)
{
	int st;
	pid_t p = fork();

	if (p == 0) {
		execv(argv[1], argv + 1);
		_exit(99);
	}
	waitpid(p, &st, 0);
	return WEXITSTATUS(st) + 1;
}
C
	musl-gcc -static -o "$tmp/chain" "$tmp/chain.c"
	same_as_bare "dynamic sh -> static musl -> static busybox: status as bare" \
		sh -c '"$0" "$1" sh -c "echo deep; exit 5"; echo "status $?"' "$tmp/chain" $bb
	ok_if "the static grandchild is traced (its write and exit_group)" \
		grep -q -E '^[0-9]+ +write\(1, "deep\\n", 5\) += 5' "$tmp/trace"
	ok_if "no execve is left unfinished, no process untraced" \
		eval 'execves_finished && ! untraced_note ""'
else
	skip "a static child chain" "needs musl-gcc and static busybox"
	skip "a static child chain: traced" "needs musl-gcc and static busybox"
	skip "a static child chain: finished" "needs musl-gcc and static busybox"
fi

# --- a script whose interpreter is static, run by the command and by a child --
# (limen's loader does what binfmt_script does: argv, cmdline, comm, status)
if [ -x $bb ] && file -L $bb 2>/dev/null | grep -q static; then
	printf '#!%s sh\necho "script $0 $*"; cat /proc/self/comm\ntr "\\0" " " </proc/self/cmdline; echo; exit 6\n' \
		$bb >"$tmp/bbscript"
	chmod +x "$tmp/bbscript"
	same_as_bare "a script with a static interpreter, as the command" "$tmp/bbscript" a "b c"
	ok_if "the script's interpreter is traced (exit_group(6))" \
		grep -q -E '^[0-9]+ +exit_group\(6\) += \?' "$tmp/trace"
	same_as_bare "a script with a static interpreter, as a child" \
		sh -c '"$0" q; echo "status $?"' "$tmp/bbscript"
	ok_if "the child script's interpreter is traced, no note" \
		eval 'grep -q -E "exit_group\(6\)" "$tmp/trace" && ! untraced_note ""'
else
	for d in command traced child "child traced"; do
		skip "a static-interpreter script: $d" "no static busybox"
	done
fi

# --- a set-user-ID static child: its own exec, untraced, said so ----------------
# (the loader would run it without its privileges)
if [ "$(id -u)" = 0 ] && [ -x $bb ] && file -L $bb 2>/dev/null | grep -q static; then
	cp $bb "$tmp/suid-bb" && chown nobody "$tmp/suid-bb" && chmod 4755 "$tmp/suid-bb"
	chmod 755 "$tmp"
	same_as_bare "a set-user-ID static child: its privileges, as bare" \
		sh -c '"$0" id -u' "$tmp/suid-bb"
	stepped_aside "a set-user-ID static child" "set-user-ID or set-group-ID static"
else
	skip "a set-user-ID static child" "needs root and static busybox"
	skip "a set-user-ID static child: note" "needs root and static busybox"
fi

# --- Go ------------------------------------------------------------------------
# goroutines on 2 threads, a loop that only asynchronous preemption (SIGURG,
# Go's own sigaltstack per thread) can stop for the GC, os.Executable
# (/proc/self/exe), exit status 7
if command -v go >/dev/null; then
	mkdir -p "$tmp/go"
	cat >"$tmp/go/main.go" <<'GO'
package main

import (
	"fmt"
	"os"
	"runtime"
	"sync"
	"sync/atomic"
)

func main() {
	runtime.GOMAXPROCS(2)
	var stop, started int32
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		atomic.StoreInt32(&started, 1)
		for atomic.LoadInt32(&stop) == 0 {
		}
	}()
	for atomic.LoadInt32(&started) == 0 {
		runtime.Gosched()
	}
	runtime.GC() // stops the world: the loop must be preempted
	atomic.StoreInt32(&stop, 1)
	wg.Wait()
	sum := 0
	ch := make(chan int)
	for i := 0; i < 8; i++ {
		go func(i int) { ch <- i }(i)
	}
	for i := 0; i < 8; i++ {
		sum += <-ch
	}
	exe, _ := os.Executable()
	fmt.Println("sum", sum, "exe is argv[1]:", exe == os.Args[1])
	os.Exit(7)
}
GO
	(cd "$tmp/go" && GOCACHE="${GOCACHE:-$HOME/.cache/go-build}" GO111MODULE=off \
		go build -o prog main.go) >"$tmp/go/build.log" 2>&1
	if [ -x "$tmp/go/prog" ]; then
		same_as_bare "Go: goroutines, preemption, os.Executable, exit status 7" \
			"$tmp/go/prog" "$tmp/go/prog"
		ok_if "Go: the preempting SIGURG is in the trace" \
			grep -q -E -- '--- SIGURG ' "$tmp/trace"
		ok_if "Go: its threads are traced (clone)" \
			grep -q -E '^[0-9]+ +clone\(' "$tmp/trace"
	else
		diag_file "$tmp/go/build.log"
		for d in "runs" "SIGURG" "threads"; do skip "Go: $d" "go build failed"; done
	fi
else
	for d in "runs" "SIGURG" "threads"; do skip "Go: $d" "no go (golang-go)"; done
fi

done_testing
