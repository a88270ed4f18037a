/* SPDX-License-Identifier: MIT */
/*
 * One thread opens and closes a file over and over and checks that it
 * gets the lowest free descriptor each time, as POSIX promises, while
 * another thread does what makes limen's runtime work behind the
 * program's back: call sites run a second time (limen rewrites them),
 * threads that make their first call (limen maps each one's ring), a
 * signal sent to the process from another thread. Bare, nothing else
 * opens a descriptor, so every open gets the same number; a runtime that
 * opened one of its own for a moment (/proc/self/mem, /proc/self/maps,
 * its session's memfd) would show as a higher number.
 *
 * Prints how many opens got another number (0 bare) and exits 0.
 */
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/syscall.h>

static volatile int stop;
static long opens, other, seen = -1;
static int lowest;

static void *opener(void *unused)
{
	(void)unused;
	while (!__atomic_load_n(&stop, __ATOMIC_ACQUIRE)) {
		int fd = open("/dev/null", O_RDONLY | O_CLOEXEC);

		opens++;
		if (fd != lowest) {
			other++;
			seen = fd;
		}
		if (fd >= 0)
			close(fd);
	}
	return 0;
}

/* 256 call sites of the form limen rewrites: mov $nr,%eax; syscall (7
   bytes each, from fd_lowest_sites on) */
extern const unsigned char fd_lowest_sites[];

static void sites(void)
{
	__asm__ volatile(".globl fd_lowest_sites\nfd_lowest_sites:\n\t"
			 ".rept 256\n\tmov $110, %%eax\n\tsyscall\n\t.endr"
			 ::: "rax", "rcx", "r11", "memory");
}

/* how many start with a jmp now (e9): rewritten */
static int jumps(void)
{
	int n = 0;

	for (int i = 0; i < 256; i++)
		n += fd_lowest_sites[7 * i] == 0xe9;
	return n;
}

static void *brief(void *unused)
{
	(void)unused;
	return (void *)(long)getppid();
}

static void on_usr1(int sig)
{
	(void)sig;
}

int main(int argc, char **argv)
{
	int rounds = argc > 1 ? atoi(argv[1]) : 3;
	pthread_t t, b;

	lowest = dup(0);
	close(lowest);
	signal(SIGUSR1, on_usr1);
	if (pthread_create(&t, 0, opener, 0))
		return 2;
	for (int r = 0; r < rounds; r++) {
		sites();
		for (int i = 0; i < 16; i++) {
			if (pthread_create(&b, 0, brief, 0))
				return 2;
			pthread_join(b, 0);
		}
		kill(getpid(), SIGUSR1);
	}
	__atomic_store_n(&stop, 1, __ATOMIC_RELEASE);
	pthread_join(t, 0);
	printf("opens that did not get the lowest descriptor: %ld%s\n", other,
	       opens ? "" : " (none made)");
	if (other)
		fprintf(stderr, "last one got %ld, lowest is %d\n", seen,
			lowest);
	fprintf(stderr, "sites rewritten: %d\n", jumps());
	return 0;
}
