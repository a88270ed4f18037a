/* SPDX-License-Identifier: MIT */
/*
 * System calls whose number in rax has bits set above the low 32, which
 * the kernel ignores (do_syscall_64 takes the number as an int): a
 * getppid with bit 32 set, then an execve with bit 32 set of this program
 * again ("again"), which makes one more getppid, the same way, and ends
 * (tests/syscalls/nr_high_bits.t). Under limen the execve is limen's
 * execve: the new image is traced as any other.
 */
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

static long raw3(unsigned long nr, long a, long b, long c)
{
	long r;

	__asm__ volatile("syscall"
			 : "=a"(r)
			 : "a"(nr), "D"(a), "S"(b), "d"(c)
			 : "rcx", "r11", "memory");
	return r;
}

#define HIGH (1ul << 32)

int main(int argc, char **argv)
{
	char *av[] = { argv[0], "again", 0 };
	long r;

	printf("getppid %s\n",
	       raw3(HIGH | SYS_getppid, 0, 0, 0) == getppid() ? "same" : "differs");
	if (argc > 1 && !strcmp(argv[1], "again"))
		return 0;
	fflush(stdout);
	r = raw3(HIGH | SYS_execve, (long)argv[0], (long)av, 0);
	printf("execve returned %ld\n", r);
	return 1;
}
