/* SPDX-License-Identifier: MIT */
/*
 * Finds its auxiliary vector on the stack past envp's NULL, as Go's
 * runtime does (runtime.sysargs), and prints AT_PAGESZ from there and from
 * getauxval: the same under limen as bare, whatever variables limen hid
 * from the environment (tests/loader/first_execve.t).
 */
#include <elf.h>
#include <stdio.h>
#include <sys/auxv.h>

int main(int argc, char **argv, char **envp)
{
	char **p = envp;
	unsigned long *a, found = 0;

	(void)argc;
	(void)argv;
	while (*p)
		p++;
	for (a = (unsigned long *)(p + 1); a[0] != AT_NULL; a += 2)
		if (a[0] == AT_PAGESZ)
			found = a[1];
	printf("stack AT_PAGESZ=%lu getauxval=%lu\n", found,
	       getauxval(AT_PAGESZ));
	return found == getauxval(AT_PAGESZ) ? 0 : 1;
}
