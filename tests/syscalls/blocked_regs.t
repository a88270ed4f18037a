#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# A thread blocked in a call that limen makes for it shows the program's
# rbx, rbp and r12-r15 to a tool that stops it with ptrace, as bare
# (src/runtime/arch/x86_64/stubs.S, limen_app_syscall). They were limen's:
# LeakSanitizer, which looks for pointers in a stopped thread's registers,
# reported a leak for a worker's block whose only pointer was in r12 while
# the worker slept in read, in every run and every mode (a compiler keeps
# a malloc's result in a callee-saved register across glibc's read at
# -O2). tests/progs/blocked_regs.c reads the registers itself; the LSan
# check needs clang -fsanitize=address.
. "$(dirname "$0")/../lib.sh"
need_limen
prog=$(testbin blocked_regs)
[ -x "$prog" ] || skip_all "tests/progs/blocked_regs not built ($prog)"
bound=(timeout -k 2 30)

for L in loader preload; do
	export LIMEN_LOADER=$L
	bare_and_traced rw --
	as_bare rw "a_blocked_thread_shows_its_own_callee_saved_registers_at_a_rewritten_site ($L)"
	is "$(grep -c ' ok$' "$tmp/rw.out")" 6 "the six registers are checked ($L)"
	bare_and_traced sud --no-rewrite --
	as_bare sud "a_blocked_thread_shows_its_own_callee_saved_registers_through_SUD ($L)"
	bare_and_traced lean -e trace=none --
	as_bare lean "a_blocked_thread_shows_its_own_callee_saved_registers_not_traced ($L)"
done
unset LIMEN_LOADER

cat >"$tmp/lsan.c" <<'C'
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sanitizer/lsan_interface.h>
static int pfd[2];
static void *worker(void *arg)
{
	void *p = malloc(48);
	unsigned long x;
	long ret;
	char c;

	(void)arg;
	memset(p, 0, 48);
	x = (unsigned long)p ^ 0x5555;
	p = 0;
	/* the block's only pointer in r12 while the read sleeps */
	__asm__ volatile("mov %1, %%r12\n\t"
			 "xor $0x5555, %%r12\n\t"
			 "xor %1, %1\n\t"
			 "mov $0, %%eax\n\t"
			 "syscall\n\t"
			 "mov %%r12, %1\n\t"
			 "xor $0x5555, %1"
			 : "=a"(ret), "+r"(x)
			 : "D"((long)pfd[0]), "S"(&c), "d"(1L)
			 : "r12", "rcx", "r11", "memory");
	free((void *)(x ^ 0x5555));
	return 0;
}
int main(void)
{
	pthread_t t;

	if (pipe(pfd) || pthread_create(&t, 0, worker, 0))
		return 2;
	usleep(200000);
	printf("leak check returned %d\n", __lsan_do_recoverable_leak_check());
	fflush(stdout);
	if (write(pfd[1], "x", 1) != 1 || pthread_join(t, 0))
		return 2;
	return 0;
}
C
# clang at -O0 leaves no other copy of the pointer where LSan looks (gcc's
# code here keeps one: its check passes either way)
if command -v clang >/dev/null &&
	clang -g -O0 -fsanitize=address -o "$tmp/lsan" "$tmp/lsan.c" -lpthread 2>/dev/null &&
	"${bound[@]}" "$tmp/lsan" 2>/dev/null | grep -qx 'leak check returned 0'; then
	for mode in "" --no-rewrite; do
		out=$("${bound[@]}" "$LIMEN" trace $mode -o "$tmp/lsan.trace" -- "$tmp/lsan" 2>"$tmp/lsan.err")
		is "$out" "leak check returned 0" \
			"LeakSanitizer_finds_no_leak_for_a_pointer_in_a_blocked_thread's_register ${mode:-(default)}"
	done
else
	skip "LeakSanitizer_finds_no_leak_for_a_pointer_in_a_blocked_thread's_register" \
		"clang -fsanitize=address does not build, or LSan cannot run here"
	skip "LeakSanitizer_finds_no_leak (--no-rewrite)" "as above"
fi
done_testing
