/* SPDX-License-Identifier: MIT */
/*
 * execve with a huge environment: 70,000 entries (more than 65,536, where
 * limen's execve used to give up and run the new image untraced). The new
 * image (this program again, with "count") prints how many entries it got
 * and the first and last of them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define N 70000

extern char **environ;

int main(int argc, char **argv)
{
	static char *env[N + 1];
	static char strs[N][12];
	size_t n = 0;

	if (argc > 1 && !strcmp(argv[1], "count")) {
		while (environ[n])
			n++;
		printf("%zu entries, first %s, last %s\n", n,
		       n ? environ[0] : "-", n ? environ[n - 1] : "-");
		return 0;
	}
	for (int i = 0; i < N; i++) {
		snprintf(strs[i], sizeof(strs[i]), "V%d=", i);
		env[i] = strs[i];
	}
	env[N] = NULL;
	execve("/proc/self/exe", (char *[]){ argv[0], "count", NULL }, env);
	perror("execve");
	return 1;
}
