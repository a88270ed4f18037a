/* SPDX-License-Identifier: MIT */
/*
 * int $0x80 from a 64-bit program: calls of the i386 table, its numbers
 * and registers (ebx, ecx, edx, esi, edi, ebp). Under limen they used to
 * run as 64-bit calls of the same number (i386 write, 4, as stat).
 * Memory they point to is mapped below 4 GiB (MAP_32BIT): the kernel
 * takes 32 bits of each argument. tests/syscalls/int80.t.
 *   int80 calls     write, getpid, a failing open, rt_sigprocmask, fork
 *                   and an exit status, brk
 *   int80 eintr     a blocking read a SIGALRM ends (no SA_RESTART)
 *   int80 restart   the same read restarted (SA_RESTART; the handler
 *                   writes the byte it waits for)
 *   int80 pause     pause ended by a SIGALRM
 *   int80 exec      execve of /bin/echo (argv an array of 32-bit words)
 *   int80 refused   rt_sigaction of SIGSYS (limen answers ENOSYS: README)
 *                   then a 64-bit call, which limen must still see
 */
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

static long i80(long n, long a, long b, long c)
{
	long r;

	__asm__ volatile("int $0x80"
			 : "=a"(r)
			 : "a"(n), "b"(a), "c"(b), "d"(c)
			 : "memory");
	return r;
}

static char *low; /* a page below 4 GiB */
static int pfd[2];
static volatile sig_atomic_t handled;

static void on_alarm(int sig)
{
	(void)sig;
	handled++;
	if (handled == 1 && write(pfd[1], "x", 1) != 1)
		_exit(9);
}

static void arm(int restart)
{
	struct sigaction sa;
	struct itimerval it = { { 0, 0 }, { 0, 50000 } };

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;
	sa.sa_flags = restart ? SA_RESTART : 0;
	sigaction(SIGALRM, &sa, 0);
	setitimer(ITIMER_REAL, &it, 0);
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "calls";

	low = mmap(0, 4096, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);
	if (low == MAP_FAILED || pipe(pfd))
		return 2;
	if (!strcmp(mode, "calls")) {
		uint64_t *set = (uint64_t *)(low + 256);
		long w, p, o, m, f;
		int st = 0;
		sigset_t cur;

		strcpy(low, "hello via int 0x80\n");
		strcpy(low + 64, "/nonexistent/x");
		w = i80(4, 1, (long)low, 19);                 /* write */
		p = i80(20, 0, 0, 0);                         /* getpid */
		o = i80(5, (long)(low + 64), 0, 0);           /* open */
		*set = 1ull << (SIGUSR1 - 1);
		/* rt_sigprocmask(SIG_BLOCK, set, NULL, 8): ecx, edx, esi */
		__asm__ volatile("int $0x80"
				 : "=a"(m)
				 : "a"(175L), "b"(0L), "c"((long)set), "d"(0L),
				   "S"(8L)
				 : "memory");
		f = i80(2, 0, 0, 0);                          /* fork */
		if (f == 0)
			i80(1, 7, 0, 0);                      /* exit(7) */
		if (f > 0)
			waitpid((pid_t)f, &st, 0);
		sigprocmask(SIG_BLOCK, 0, &cur);
		printf("write=%ld getpid_ok=%d open=%ld sigprocmask=%ld "
		       "usr1_blocked=%d fork_ok=%d status=%d brk_ok=%d\n",
		       w, p == getpid(), o, m, sigismember(&cur, SIGUSR1),
		       f > 0, WIFEXITED(st) ? WEXITSTATUS(st) : -1,
		       i80(45, 0, 0, 0) != 0);
		return 0;
	}
	if (!strcmp(mode, "eintr") || !strcmp(mode, "restart")) {
		long r;

		arm(mode[0] == 'r');
		r = i80(3, pfd[0], (long)low, 1);             /* read */
		printf("read=%ld handled=%d\n", r, (int)handled);
		return 0;
	}
	if (!strcmp(mode, "pause")) {
		long r;

		arm(0);
		r = i80(29, 0, 0, 0);
		printf("pause=%ld handled=%d\n", r, (int)handled);
		return 0;
	}
	if (!strcmp(mode, "exec")) {
		uint32_t *av = (uint32_t *)(low + 512);

		strcpy(low, "/bin/echo");
		strcpy(low + 64, "exec'd via int 0x80");
		av[0] = (uint32_t)(uintptr_t)low;
		av[1] = (uint32_t)(uintptr_t)(low + 64);
		av[2] = 0;
		fflush(stdout);
		printf("execve=%ld\n", i80(11, (long)low, (long)av, 0));
		return 1;
	}
	if (!strcmp(mode, "refused")) {
		/* struct sigaction of the i386 ABI: handler, flags, restorer,
		   mask; SIG_IGN for SIGSYS */
		uint32_t *act = (uint32_t *)low;
		long r;

		memset(low, 0, 64);
		act[0] = 1;
		__asm__ volatile("int $0x80"
				 : "=a"(r)
				 : "a"(174L), "b"((long)SIGSYS), "c"((long)act),
				   "d"(0L), "S"(8L)
				 : "memory");
		printf("rt_sigaction=%ld ppid_ok=%d\n", r,
		       getppid() == (pid_t)syscall(SYS_getppid));
		return 0;
	}
	return 2;
}
