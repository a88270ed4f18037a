/* SPDX-License-Identifier: MIT */
/*
 * A SIGSYS the program sent itself while it blocks it stays pending,
 * blocked, across execve, as any blocked signal does (and across a failed
 * one); a fork child does not inherit it. After the exec, unblocking runs
 * its handler (and SIGUSR1's, sent the same way). Derived from the torture
 * run's pendexec.c.
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static void h(int s)
{
	printf("handler %d ran\n", s);
}

static void show(const char *when)
{
	sigset_t p, m;

	sigpending(&p);
	sigprocmask(SIG_BLOCK, 0, &m);
	printf("%s: SIGSYS pending=%d blocked=%d SIGUSR1 pending=%d\n", when,
	       sigismember(&p, SIGSYS), sigismember(&m, SIGSYS),
	       sigismember(&p, SIGUSR1));
	fflush(stdout);
}

int main(int argc, char **argv)
{
	sigset_t s, none;
	pid_t pid;

	if (argc > 1) {
		show("after exec");
		signal(SIGSYS, h);
		signal(SIGUSR1, h);
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, 0);
		show("after unblock");
		return 0;
	}
	sigemptyset(&s);
	sigaddset(&s, SIGSYS);
	sigaddset(&s, SIGUSR1);
	sigprocmask(SIG_BLOCK, &s, 0);
	raise(SIGSYS);
	raise(SIGUSR1);
	show("before exec");
	pid = fork();
	if (pid == 0) {
		show("fork child");
		_exit(0);
	}
	waitpid(pid, 0, 0);
	execl("/nonexistent/sigsys_across_exec", "x", "x", (char *)0);
	show("after failed exec");
	execl(argv[0], argv[0], "x", (char *)0);
	return 1;
}
