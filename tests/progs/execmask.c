/* SPDX-License-Identifier: MIT */
/* Block SIGSYS, then execve argv[1..]: the mask must survive the exec. */
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	sigset_t s;

	if (argc < 2)
		return 2;
	sigemptyset(&s);
	sigaddset(&s, SIGSYS);
	sigprocmask(SIG_BLOCK, &s, NULL);
	execv(argv[1], argv + 1);
	perror("execv");
	return 1;
}
