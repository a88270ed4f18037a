/* SPDX-License-Identifier: MIT */
/*
 * One getppid from a known place: prints the address of the instruction
 * after its syscall instruction, which is what strace -i shows for it
 * (tests/cli/ip.t).
 */
#include <stdio.h>
#include <sys/syscall.h>

extern const char limen_callsite_after[];

int main(void)
{
	long r;

	__asm__ volatile("syscall\n\t"
			 ".globl limen_callsite_after\n"
			 "limen_callsite_after:"
			 : "=a"(r)
			 : "a"((long)SYS_getppid)
			 : "rcx", "r11", "memory");
	printf("%016lx\n", (unsigned long)limen_callsite_after);
	return r > 0 ? 0 : 1;
}
