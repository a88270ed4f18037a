#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# A fault's report from a handler the program installed before limen's
# runtime started. ASan's runtime, preloaded first, installs its SIGSEGV
# handler and a sigaltstack before liblimen's constructor runs (adopt.c):
# the runtime must put that handler behind its wrapper and keep that
# sigaltstack as the program's. Before, the handler ran on limen's own
# signal stack, and its calls through rewritten sites moved to the top
# of that stack, over the handler's frames: ASan's SEGV report stopped at
# "nested bug in the same thread", its stack-overflow report hung.
. "$(dirname "$0")/../lib.sh"
need_limen

# the reports print addresses and pids that change from run to run, and
# where a stack overflows (the prologue's or the call's line) depends on
# where the stack starts, which ASLR moves: bare, 3 runs in 40 here
# overflow at the call; the exit status goes into the compared output
norm='{ "$0" "$@" 2>&1; echo "exit status $?"; } |
	sed -E "s/0x[0-9a-f]+/ADDR/g; s/==[0-9]+==/==PID==/g; s/[.]c:[0-9]+/.c:LINE/g"'
# a hang is a failure, not a stuck make check
bound=(timeout -k 2 30)

cat >"$tmp/badptr.c" <<'C'
#include <stdio.h>
int main(int argc, char **argv)
{
	volatile int *p = (int *)(long)(argc - 1 + 0x10);

	(void)argv;
	puts("before");
	fflush(stdout);
	return *p;
}
C
cat >"$tmp/recurse.c" <<'C'
#include <stdio.h>
static int rec(volatile char *p, int n)
{
	volatile char buf[256];

	buf[0] = (char)n;
	if (p)
		buf[1] = *p;
	return rec(buf, n + 1) + buf[0];
}
int main(int argc, char **argv)
{
	(void)argv;
	puts("before");
	fflush(stdout);
	return rec(0, argc);
}
C

if printf 'int main(void){return 0;}\n' >"$tmp/probe.c" &&
	cc -fsanitize=address -o "$tmp/probe" "$tmp/probe.c" 2>/dev/null &&
	"$tmp/probe" &&
	cc -g -O0 -fsanitize=address -o "$tmp/badptr" "$tmp/badptr.c" &&
	cc -g -O0 -fsanitize=address -o "$tmp/recurse" "$tmp/recurse.c"; then
	same_as_bare "ASan: a bad pointer's SEGV report and exit status as bare" \
		"${bound[@]}" sh -c "$norm" "$tmp/badptr"
	ok_if "ASan: the SIGSEGV is in the trace, as strace shows it" \
		grep -q -e '--- SIGSEGV {si_signo=SIGSEGV, si_code=SEGV_MAPERR, si_addr=0x10}' \
		"$tmp/trace"
	ok_if "ASan: the report's calls are traced after it" \
		grep -q -F 'write(2, "==' "$tmp/trace"
	same_as_bare "ASan: a stack overflow's report and exit status as bare, no hang" \
		"${bound[@]}" sh -c "$norm" "$tmp/recurse"
	LIMEN_NO_REWRITE=1 same_as_bare \
		"ASan, no site rewritten: the same report and exit status" \
		"${bound[@]}" sh -c "$norm" "$tmp/badptr"
	ok_if "ASan, no site rewritten: the SIGSEGV is in the trace" \
		grep -q -e '--- SIGSEGV {si_signo=SIGSEGV' "$tmp/trace"
else
	for d in "a bad pointer's report" "the SIGSEGV in the trace" \
		"the report's calls traced" "a stack overflow's report" \
		"no site rewritten" "no site rewritten, the SIGSEGV"; do
		skip "ASan: $d" "cc -fsanitize=address does not build or run here"
	done
fi

# The same without ASan: a .preinit_array function installs a sigaltstack
# and an SA_ONSTACK SIGSEGV handler, so that under LD_PRELOAD (limen's
# loader starts the runtime before any code of the image) the runtime
# finds them when it starts. The handler says where it runs, makes calls
# through sites rewritten meanwhile and checks its own frame, siginfo and
# ucontext after them (tests/progs/preinit_handler.c).
prog=$(testbin preinit_handler)
for what in segv overflow; do
	for loader in preload all; do
		LIMEN_LOADER=$loader same_as_bare \
			"handler and sigaltstack from .preinit_array ($what, LIMEN_LOADER=$loader): as bare" \
			"${bound[@]}" "$prog" "$what"
		ok_if "handler from .preinit_array ($what, LIMEN_LOADER=$loader): the SIGSEGV is in the trace" \
			grep -q -e '--- SIGSEGV {si_signo=SIGSEGV' "$tmp/trace"
	done
done

# Faults inside handlers on a sigaltstack whose calls go through a
# rewritten site: the next handler, nested, or the kernel's kill, as bare
# (tests/progs/fault_in_handler.c)
prog=$(testbin fault_in_handler)
for what in usr1 nodefer defer; do
	same_as_bare "a fault inside a handler on a sigaltstack ($what): as bare" \
		"${bound[@]}" "$prog" "$what"
done

done_testing
