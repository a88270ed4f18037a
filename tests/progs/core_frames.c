/* SPDX-License-Identifier: MIT */
/*
 * core_frames MODE: die of a core-dumping signal with its default action,
 * from a function of our own, for tests/syscalls/core_frames.t to read
 * the core's backtrace:
 *   assert  an assert() that fails (abort: tgkill of SIGABRT)
 *   quit    raise(SIGQUIT)
 *   thread  a second thread pthread_kill()s itself SIGFPE
 *   read    three reads of /dev/zero, SIGQUIT back to SIG_DFL (a
 *           background job of a shell ignores it), the pid on stdout,
 *           then a read of stdin that blocks until a SIGQUIT from outside
 *   strict  seccomp strict mode, then a division by zero (SIGFPE)
 */
#include <assert.h>
#include <fcntl.h>
#include <linux/seccomp.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

__attribute__((noinline)) void check_two(int x)
{
	assert(x == 2);
}

__attribute__((noinline)) void quit_now(void)
{
	raise(SIGQUIT);
}

__attribute__((noinline)) void *fpe_self(void *arg)
{
	pthread_kill(pthread_self(), SIGFPE);
	return arg;
}

__attribute__((noinline)) void wait_input(void)
{
	int z = open("/dev/zero", O_RDONLY);
	char c;

	/* read()'s site is rewritten by the last read (limen's fast path,
	   its lean path when read is not traced) */
	for (int i = 0; i < 3; i++)
		if (read(z, &c, 1) != 1)
			return;
	signal(SIGQUIT, SIG_DFL);
	printf("%d\n", (int)getpid());
	fflush(stdout);
	if (read(0, &c, 1) >= 0)
		printf("read returned\n");
}

/* seccomp strict mode allows no call but read, write, exit and
   rt_sigreturn: a fault still kills with its signal */
__attribute__((noinline)) int divide_strict(int argc)
{
	volatile int zero = argc - 2;

	prctl(PR_SET_SECCOMP, SECCOMP_MODE_STRICT);
	return 10 / zero;
}

int main(int argc, char **argv)
{
	pthread_t t;

	if (argc < 2)
		return 2;
	if (!strcmp(argv[1], "assert"))
		check_two(argc + 1);
	else if (!strcmp(argv[1], "quit"))
		quit_now();
	else if (!strcmp(argv[1], "thread") &&
		 !pthread_create(&t, 0, fpe_self, 0))
		pthread_join(t, 0);
	else if (!strcmp(argv[1], "read"))
		wait_input();
	else if (!strcmp(argv[1], "strict"))
		return divide_strict(argc);
	return 1;
}
