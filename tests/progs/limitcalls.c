/* SPDX-License-Identifier: MIT */
/*
 * For --syscall-limit (tests/cli/syscall_limit.t), after strace's own test
 * of it: chdir("."), a child that fails an unlinkat and does a chdir,
 * then, in the parent, a chdir to a missing directory and 20000 getppid
 * after a pause (by then limen has seen the limit reached and told the
 * runtime to record nothing more).
 */
#include <fcntl.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(void)
{
	struct timespec pause = { 1, 0 };
	pid_t child;
	int st;

	if (chdir(".") != 0)
		return 1;
	child = fork();
	if (child == 0) {
		syscall(SYS_unlinkat, AT_FDCWD, "invalid.dir", AT_REMOVEDIR);
		if (chdir(".") != 0)
			_exit(1);
		_exit(0);
	}
	if (child < 0 || waitpid(child, &st, 0) != child)
		return 1;
	if (chdir("invalid.dir") == 0)
		return 1;
	nanosleep(&pause, NULL);
	for (int i = 0; i < 20000; i++)
		syscall(SYS_getppid);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 1;
}
