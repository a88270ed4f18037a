/* SPDX-License-Identifier: MIT */
/*
 * EXHAUSTIVENESS: a known number of easily recognised system calls, issued
 * from different contexts, one distinct system call per context, so that a
 * trace can be checked context by context (tests/syscalls/exhaust.t):
 *
 *   main thread, libc syscall()            7 x getppid
 *   second pthread, libc syscall()         5 x getpgid(0)
 *   SIGUSR1 handler (raised once)          3 x getsid(0)
 *   fork() child, then _exit               4 x getuid
 *   vfork() child, inline asm, then _exit  2 x getegid
 *   code generated at run time in an       6 x getgid
 *     mmap'd executable page
 *   inline asm `syscall` in main           8 x geteuid
 *   vDSO fallback: clock_gettime(          9 x clock_gettime
 *     CLOCK_PROCESS_CPUTIME_ID) in main
 *   main thread, glibc's sched_yield       11 x sched_yield
 *     (mov $nr,%eax; syscall: limen rewrites the site once hot)
 *
 * None of these is made by libc behind the program's back. Prints "done".
 * With an argument, writes the thread ids of the contexts to that file:
 *   main TID / thread TID / fork PID / vfork PID   (one "name id" a line)
 * and "yield_site XX", the first byte of sched_yield after the calls.
 */
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define N_GETPPID 7
#define N_GETPGID 5
#define N_GETSID 3
#define N_GETUID 4
#define N_GETEGID 2
#define N_GETGID 6
#define N_GETEUID 8
#define N_CLOCK 9
#define N_YIELD 11

/* A raw `syscall` instruction, no libc. */
#define RAW_SYSCALL0(nr)                                                  \
	({                                                                \
		long r_;                                                  \
		__asm__ volatile("syscall"                                \
				 : "=a"(r_)                               \
				 : "0"((long)(nr))                        \
				 : "rcx", "r11", "memory");               \
		r_;                                                       \
	})

static pid_t thread_tid;

static void on_usr1(int sig)
{
	for (int i = 0; i < N_GETSID; i++)
		syscall(SYS_getsid, 0);
}

static void *thread_main(void *arg)
{
	thread_tid = gettid();
	for (int i = 0; i < N_GETPGID; i++)
		syscall(SYS_getpgid, 0);
	return NULL;
}

int main(int argc, char **argv)
{
	static const unsigned char code_template[] = {
		0xb8, SYS_getgid, 0, 0, 0, /* mov $SYS_getgid, %eax */
		0x0f, 0x05,                /* syscall */
		0xc3,                      /* ret */
	};
	struct sigaction sa;
	struct timespec ts;
	pthread_t t;
	pid_t fork_pid, vfork_pid;
	long (*code)(void);
	unsigned char *page;
	int st, bad = 0, i;
	long r;

	/* main thread */
	for (i = 0; i < N_GETPPID; i++)
		syscall(SYS_getppid);
	/* a rewritable site, hot while the process has one thread */
	for (i = 0; i < N_YIELD; i++)
		sched_yield();

	/* second thread */
	if (pthread_create(&t, NULL, thread_main, NULL))
		return 1;
	pthread_join(t, NULL);

	/* signal handler */
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_usr1;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR1, &sa, NULL);
	raise(SIGUSR1);

	/* fork child */
	fflush(stdout);
	fork_pid = fork();
	if (fork_pid == 0) {
		for (i = 0; i < N_GETUID; i++)
			syscall(SYS_getuid);
		_exit(0);
	}
	if (fork_pid < 0 || waitpid(fork_pid, &st, 0) != fork_pid ||
	    !WIFEXITED(st) || WEXITSTATUS(st) != 0)
		bad = 1;

	/* vfork child: must not return from main; raw syscalls only */
	vfork_pid = vfork();
	if (vfork_pid == 0) {
		RAW_SYSCALL0(SYS_getegid);
		RAW_SYSCALL0(SYS_getegid);
		_exit(0);
	}
	if (vfork_pid < 0 || waitpid(vfork_pid, &st, 0) != vfork_pid ||
	    !WIFEXITED(st) || WEXITSTATUS(st) != 0)
		bad = 1;

	/* run-time generated code */
	page = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (page == MAP_FAILED)
		return 1;
	memcpy(page, code_template, sizeof code_template);
	if (mprotect(page, 4096, PROT_READ | PROT_EXEC))
		return 1;
	code = (long (*)(void))page;
	for (i = 0; i < N_GETGID; i++)
		if (code() < 0)
			bad = 1;

	/* inline asm in main */
	for (i = 0; i < N_GETEUID; i++) {
		r = RAW_SYSCALL0(SYS_geteuid);
		if (r < 0)
			bad = 1;
	}

	/* vDSO: CPU-time clocks fall back to the real system call */
	for (i = 0; i < N_CLOCK; i++)
		if (clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts))
			bad = 1;

	if (argc > 1) {
		FILE *f = fopen(argv[1], "w");
		if (!f)
			return 1;
		fprintf(f, "main %d\nthread %d\nfork %d\nvfork %d\n", getpid(),
			thread_tid, fork_pid, vfork_pid);
		fprintf(f, "yield_site %02x\n",
			*(volatile unsigned char *)(void *)sched_yield);
		fclose(f);
	}
	printf(bad ? "FAIL\n" : "done\n");
	return bad;
}
