/* SPDX-License-Identifier: MIT */
/*
 * mapsinflight N: the main thread calls getppid once, while a second
 * thread, from 50 us later on, calls getppid (through syscall()) N times
 * and more, until that one call has returned
 * (tests/cli/stack_maps_in_flight.t). Under -k the main thread's call is
 * the process's first capture: it reads /proc/self/maps, through a
 * helper thread, and the second thread's calls come meanwhile. 200
 * mappings of its own (12 KiB of the maps' text), as a larger program
 * has, make that read last longer than the 50 us.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static atomic_int ready, go, done;
static int n;

/* clock_gettime is the vDSO's: no call is made, none recorded */
static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

__attribute__((noinline)) void *second(void *a);
__attribute__((noinline)) void *second(void *a)
{
	uint64_t t0;

	(void)a;
	/* syscall()'s site trapped twice by calls -e trace=getppid does
	   not select: rewritten to the fast path now, not at our getppids
	   (a rewrite reads the maps too, as long) */
	syscall(SYS_gettid);
	syscall(SYS_gettid);
	syscall(SYS_gettid);
	atomic_store(&ready, 1);
	while (!atomic_load(&go))
		;
	/* the main thread's call under way: its capture, not one of ours,
	   is the first */
	t0 = now_ns();
	while (now_ns() - t0 < 50000)
		;
	for (int i = 0; i < n || !atomic_load(&done); i++) {
		syscall(SYS_getppid);
		__asm__ volatile("" ::: "memory");
	}
	return 0;
}

int main(int argc, char **argv)
{
	pthread_t th;

	if (argc < 2 || (n = atoi(argv[1])) < 1)
		return 2;
	/* read-only, then writable: two mappings each, never merged */
	for (int i = 0; i < 100; i++) {
		char *p = mmap(0, 8192, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (p == MAP_FAILED || mprotect(p, 4096, PROT_READ))
			return 1;
	}
	if (pthread_create(&th, 0, second, 0))
		return 1;
	while (!atomic_load(&ready))
		;
	atomic_store(&go, 1);
	getppid();
	atomic_store(&done, 1);
	pthread_join(th, 0);
	return 0;
}
