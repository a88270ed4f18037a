#!/bin/bash
# SPDX-License-Identifier: MIT
#
# Transparency: a program traced by limen must behave exactly as it does
# bare. Every case runs CMD bare and under `limen trace -o FILE -- CMD` and
# requires identical stdout, identical stderr and identical exit status
# (same_as_bare in tests/lib.sh). Needs the runtime: until build/limen and
# build/liblimen.so work, the cases fail (or the script skips if limen is not
# built at all).
. "$(dirname "$0")/../lib.sh"
need_limen

# --- ordinary programs -----------------------------------------------------
# /proc is left out: its link count is the number of processes, and limen
# (like strace) is one more process on the system while the command runs.
same_as_bare "ls -l / (without /proc)" ls -l -I proc /
same_as_bare "cat /etc/passwd" cat /etc/passwd

dash=/bin/dash
[ -x "$dash" ] || dash=/bin/sh
same_as_bare "$dash -c 'echo hi | cat'" "$dash" -c 'echo hi | cat'
if [ -x /bin/bash ]; then
	same_as_bare "bash -c 'echo hi | cat'" /bin/bash -c 'echo hi | cat'
	same_as_bare "bash: for loop piped into sort -r" \
		/bin/bash -c 'for i in 1 2 3; do echo $i; done | sort -r'
else
	skip "bash -c 'echo hi | cat'" "no /bin/bash"
	skip "bash: for loop piped into sort -r" "no /bin/bash"
fi
same_as_bare "stdout, stderr and status 5 from sh" \
	sh -c 'echo out; echo err >&2; exit 5'

# python3 with 8 threads opening and reading files; output deterministic.
if [ -x /usr/bin/python3 ]; then
	cat >"$tmp/threads.py" <<'PY'
import hashlib, os, threading
files = ["/etc/passwd", "/etc/hostname", "/etc/os-release", "/etc/group"]
files = [f for f in files if os.access(f, os.R_OK)]
results = [None] * 8
def work(i):
    h = hashlib.sha256()
    for _ in range(25):
        for f in files:
            with open(f, "rb") as fh:
                h.update(fh.read())
    results[i] = (h.hexdigest()[:16], len(os.listdir("/etc")) > 0)
threads = [threading.Thread(target=work, args=(i,)) for i in range(8)]
for t in threads: t.start()
for t in threads: t.join()
for i, r in enumerate(results):
    print(i, r[0], r[1])
print("all equal:", len(set(results)) == 1)
PY
	same_as_bare "python3: 8 threads reading files" \
		/usr/bin/python3 "$tmp/threads.py"
else
	skip "python3: 8 threads reading files" "no /usr/bin/python3"
fi

if command -v perl >/dev/null; then
	same_as_bare "perl: files, directories, fork, system, stderr" perl -e '
		open(my $f, "<", "/etc/passwd") or die "passwd: $!";
		my %shells;
		while (<$f>) { chomp; my @a = split /:/; $shells{$a[6] // ""}++ }
		close $f;
		print "$_ $shells{$_}\n" for sort keys %shells;
		opendir(my $d, "/etc") or die; my @e = grep !/^\./, readdir $d;
		print "etc entries: ", scalar(@e) > 0 ? "some" : "none", "\n";
		print STDERR "a line on stderr\n";
		my $pid = fork(); if (!$pid) { exit 7 } waitpid($pid, 0);
		print "child status ", $? >> 8, "\n";
		system("echo", "from system()");
		exit 0;'
else
	skip "perl: files, directories, fork, system, stderr" "no perl"
fi

# make running gcc on a generated project; -B rebuilds everything each run.
if command -v make >/dev/null && command -v cc >/dev/null; then
	mk=$tmp/mk
	mkdir -p "$mk"
	cat >"$mk/hello.c" <<'C'
#include <stdio.h>
int main(void) { printf("hello from a program built under make\n"); return 0; }
C
	printf '%s\n' \
		'all: hello.out sum.out words.out' \
		'	@cat hello.out sum.out words.out' \
		'	@echo make done' \
		'hello: hello.c' \
		'	cc -O0 -o $@ $<' \
		'hello.out: hello' \
		'	./hello > $@' \
		'sum.out:' \
		'	seq 1 1000 | awk '\''{ s += $$1 } END { print "sum", s }'\'' > $@' \
		'words.out:' \
		'	printf "%s\n" b c a | sort > $@' \
		'.PHONY: all' >"$mk/Makefile"
	same_as_bare "make -s -B -j4 -C dir (cc, awk, sort)" make -s -B -j4 -C "$mk"
else
	skip "make -s -B -j4 -C dir (cc, awk, sort)" "no make or cc"
fi

# sort on a big generated file: temporary files, several threads.
awk 'BEGIN { x = 12345
	for (i = 0; i < 200000; i++) {
		x = (x * 69069 + 1) % 4294967296
		printf "%010d line %d\n", x, i
	} }' >"$tmp/big.txt"
mkdir -p "$tmp/sorttmp"
same_as_bare "sort of 200000 lines (-S 1M --parallel=4)" \
	sort -S 1M --parallel=4 -T "$tmp/sorttmp" "$tmp/big.txt"

# --- exit status ------------------------------------------------------------
same_as_bare "exit status 3" sh -c 'exit 3'
same_as_bare "killed by SIGTERM (143)" sh -c 'kill -TERM $$'
same_as_bare "killed by SIGKILL (137)" sh -c 'kill -KILL $$'

# A command killed by a signal kills limen with the same signal (as strace
# does), so that the caller sees a signal and not an exit status 128+N:
# Python's returncode is -N, a shell prints "Segmentation fault". limen
# itself dumps no core even where the command does.
if command -v python3 >/dev/null; then
	for sig in SEGV INT TERM; do
		bare=$(python3 -c 'import subprocess, sys
print(subprocess.run(sys.argv[1:]).returncode)' sh -c "kill -$sig \$\$" 2>/dev/null)
		traced=$(python3 -c 'import subprocess, sys
print(subprocess.run(sys.argv[1:]).returncode)' \
			"$LIMEN" trace -o /dev/null -- sh -c "kill -$sig \$\$" 2>/dev/null)
		is "$traced" "$bare" "killed by SIG$sig: the caller sees the signal ($bare), as bare"
	done
else
	skip "killed by SIGSEGV: the caller sees the signal" "no python3"
fi
core=$( cd "$tmp" && ulimit -c unlimited 2>/dev/null &&
	perl -e 'system(@ARGV); print $? & 127, ($? & 128) ? " core" : ""' \
		"$LIMEN" trace -o /dev/null -- sh -c 'kill -SEGV $$' 2>/dev/null)
is "$core" 11 "killed by SIGSEGV: limen dies of SIGSEGV without a core of its own"

# --- environment --------------------------------------------------------------
# The runtime must hide its own variables (LD_PRELOAD and whatever else it
# uses): every process of the pipeline sees the environment it would see bare.
same_as_bare "environment (env | sort) identical" sh -c 'env | sort'
# the program's own LD_PRELOAD, even an empty one, is kept as it is
same_as_bare "an empty LD_PRELOAD stays, empty" \
	env LD_PRELOAD= sh -c 'env | sort'
same_as_bare "LD_PRELOAD with two libraries, blank-separated, stays as it is" \
	env "LD_PRELOAD=libm.so.6 libdl.so.2" sh -c 'env | sort; echo "[$LD_PRELOAD]"'
# The strings stay in the stack's string area, where /proc/PID/environ
# reads them: limen's come last and the kernel's view ends before them
# (PR_SET_MM_MAP), the program's own LD_PRELOAD in its place
for loader in default preload; do
	export LIMEN_LOADER=$loader
	same_as_bare "$loader loader: /proc/PID/environ as bare, none of limen's" \
		sh -c 'tr "\0" "\n" </proc/self/environ; tr "\0" "\n" </proc/$$/environ'
	same_as_bare "$loader loader: an empty environment: /proc/PID/environ empty" \
		env -i /bin/sh -c 'tr "\0" "\n" </proc/$$/environ; echo end'
	# under LD_PRELOAD the program's own LD_PRELOAD comes last (README)
	same_as_bare "$loader loader: the program's own LD_PRELOAD, whole, nothing of limen's" \
		env -i A=0 'LD_PRELOAD=libm.so.6 libdl.so.2' X=1 /bin/sh -c \
		'tr "\0" "\n" </proc/$$/environ | sort'
done
unset LIMEN_LOADER
same_as_bare "the program's own LD_PRELOAD keeps its place among its variables" \
	env -i A=0 LD_PRELOAD= X=1 sh -c 'env; tr "\0" "\n" </proc/$$/environ'

# --- the test programs (tests/progs) ------------------------------------------
# ownsud: the program's own Syscall User Dispatch (tests/nsud/nsud.t).
# smallstack: calls from a 4 KiB coroutine stack; cancel: pthread_cancel
# of a thread blocked in read (unwinds through the signal frame);
# sigbacktrace: backtrace() in a handler, in the program's code and in a
# blocking call; altstack_rules: sigaltstack(2) as the program sees it;
# sigcontext: a handler changing rip and uc_sigmask, and siglongjmp out of
# handlers hundreds of times; sigstorm: 10000 queued signals at a thread
# busy in system calls, each delivered once and in order.
for p in spawn vfork sighandler altstack sigsys closefds exhaust clone3 \
	clearsighand threads freshpage smallstack cancel sigbacktrace altstack_rules \
	sigcontext sigstorm ownsud; do
	if [ -x "$(testbin $p)" ]; then
		same_as_bare "tests/progs/$p" "$(testbin $p)"
	else
		skip "tests/progs/$p" "not built ($(testbin $p))"
	fi
done

# Signal handlers nested 60 deep inside restarted reads: their frames go
# below the main thread's stack mapping, which must grow as the kernel's
# own frame writes grow it (limen writes frames with process_vm_writev,
# which does not).
same_as_bare "handlers_nested_60_deep_grow_the_main_stack" "$(testbin nest)" 60

# --- Go --------------------------------------------------------------------------
# Goroutines run on 2 KiB stacks and Go's signal handler insists on its own
# signal stack; os/exec forks with a raw clone(CLONE_VM|CLONE_VFORK). Built
# with cgo, so dynamically linked (the runtime cannot attach to a static one).
if command -v go >/dev/null && command -v cc >/dev/null; then
	gd=$tmp/go
	mkdir -p "$gd/src" "$gd/files"
	cat >"$gd/src/main.go" <<'GO'
package main

// #include <unistd.h>
import "C"

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
)

func main() {
	dir := os.Args[1]
	var wg sync.WaitGroup
	res := make([]string, 32)
	for i := 0; i < 32; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			p := filepath.Join(dir, fmt.Sprintf("f%d", i))
			for k := 0; k < 20; k++ {
				s := fmt.Sprintf("goroutine %d pass %d\n", i, k)
				if err := os.WriteFile(p, []byte(s), 0644); err != nil {
					res[i] = err.Error()
					return
				}
				b, err := os.ReadFile(p)
				if err != nil {
					res[i] = err.Error()
					return
				}
				res[i] = string(b)
			}
			if i%8 == 0 {
				out, err := exec.Command("/bin/echo", "exec", fmt.Sprint(i)).Output()
				if err != nil {
					res[i] += err.Error() + "\n"
				} else {
					res[i] += string(out)
				}
			}
		}(i)
	}
	wg.Wait()
	for _, r := range res {
		fmt.Print(r)
	}
	fmt.Println("cgo getpid positive:", C.getpid() > 0)
}
GO
	if (cd "$gd/src" && GOCACHE=$gd/cache GOPATH=$gd/gopath GO111MODULE=off \
		go build -o "$gd/goprog" main.go) >"$gd/build.log" 2>&1; then
		same_as_bare "Go (cgo): 32 goroutines doing file I/O and os/exec" \
			"$gd/goprog" "$gd/files"
	else
		fail "Go (cgo): 32 goroutines doing file I/O and os/exec" \
			"go build failed:" "$(head -n 20 "$gd/build.log")"
	fi
else
	skip "Go (cgo): 32 goroutines doing file I/O and os/exec" \
		"no go or cc (apt-get install golang-go)"
fi

# --- the same programs built with AddressSanitizer ----------------------------
# ASan insists on its runtime being the first library loaded, intercepts
# signals and memory calls, and maps terabytes of shadow memory.
asan_progs="spawn vfork sighandler altstack closefds threads"
if printf 'int main(void){return 0;}\n' >"$tmp/asan_probe.c" &&
	cc -fsanitize=address -o "$tmp/asan_probe" "$tmp/asan_probe.c" 2>/dev/null &&
	"$tmp/asan_probe"; then
	src=$(cd "$(dirname "$0")/../progs" && pwd)
	for p in $asan_progs; do
		if cc -std=gnu11 -O1 -g -D_GNU_SOURCE -fsanitize=address \
			-o "$tmp/asan_$p" "$src/$p.c" -lpthread 2>/dev/null; then
			same_as_bare "tests/progs/$p built with -fsanitize=address" \
				"$tmp/asan_$p"
		else
			skip "tests/progs/$p built with -fsanitize=address" "does not build"
		fi
	done
else
	for p in $asan_progs; do
		skip "tests/progs/$p built with -fsanitize=address" \
			"cc -fsanitize=address does not work here"
	done
fi

done_testing
