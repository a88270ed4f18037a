/* SPDX-License-Identifier: MIT */
/*
 * User events: what a check and an emit cost (bench/uevent.sh runs it
 * bare and under limen). Not a test: it asserts nothing.
 *   empty     an empty loop (the loop counter through a volatile)
 *   check     the same loop with a disabled event's check in it
 *   emit32    limen_uevent_write of a 32-byte payload, enabled
 *   writev32  the same event through the kernel ABI's writev (traps)
 *   marker    a write to trace_marker, if this kernel has one
 */
#include <limen/uevent.h>

#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

LIMEN_UEVENT_DEFINE(ev_off, "bench_off u64 a");
LIMEN_UEVENT_DEFINE(ev_on, "bench u64 a; u64 b; u64 c; u64 d");

static uint64_t now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static volatile uint64_t sink;

#define ROUNDS 5

static int by_value(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

struct __attribute__((packed)) user_reg {
	uint32_t size;
	uint8_t enable_bit, enable_size;
	uint16_t flags;
	uint64_t enable_addr, name_args;
	uint32_t write_index;
};

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 20000000;
	long m = argc > 2 ? atol(argv[2]) : 50000; /* fits a 4 MiB ring */
	uint64_t p[4] = { 1, 2, 3, 4 }, t0, t1;
	static volatile uint32_t kenabled;

	t0 = now();
	for (long i = 0; i < n; i++)
		sink = (uint64_t)i;
	t1 = now();
	printf("empty     %.2f ns\n", (double)(t1 - t0) / (double)n);
	t0 = now();
	for (long i = 0; i < n; i++) {
		sink = (uint64_t)i;
		if (limen_uevent_on(&ev_off))
			limen_uevent_write(&ev_off, p, 8);
	}
	t1 = now();
	printf("check     %.2f ns\n", (double)(t1 - t0) / (double)n);
	if (!getenv("UEV_NO_MARKER")) {
		int fd = open("/sys/kernel/tracing/trace_marker", O_WRONLY);

		if (fd >= 0) {
			char msg[32];

			memset(msg, 'x', sizeof(msg));
			t0 = now();
			for (long i = 0; i < 10000; i++)
				if (write(fd, msg, sizeof(msg)) < 0)
					break;
			t1 = now();
			printf("marker    %.2f ns\n", (double)(t1 - t0) / 1e4);
		} else {
			printf("marker    (no trace_marker here)\n");
		}
	}
	if (!limen_uevent_on(&ev_on))
		return 0;
	/* the first round also pays for the ring's first touch; then
	   ROUNDS more, their median and range */
	{
		double r[ROUNDS];

		for (int round = 0; round <= ROUNDS; round++) {
			t0 = now();
			for (long i = 0; i < m; i++) {
				p[0] = (uint64_t)i;
				limen_uevent_write(&ev_on, p, sizeof(p));
			}
			t1 = now();
			if (!round)
				printf("emit32    %.2f ns (first touch of the "
				       "ring)\n",
				       (double)(t1 - t0) / (double)m);
			else
				r[round - 1] = (double)(t1 - t0) / (double)m;
			usleep(200000); /* the collector drains */
		}
		qsort(r, ROUNDS, sizeof(r[0]), by_value);
		printf("emit32    %.2f ns (median of %d; %.2f-%.2f)\n",
		       r[ROUNDS / 2], ROUNDS, r[0], r[ROUNDS - 1]);
	}
	/* what a timestamp costs here, three ways */
	{
		unsigned lo, hi, aux;
		struct timespec ts;

		t0 = now();
		for (long i = 0; i < m; i++) {
			__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
			sink = lo;
		}
		t1 = now();
		printf("rdtsc     %.2f ns (a record's timestamp)\n",
		       (double)(t1 - t0) / (double)m);
		t0 = now();
		for (long i = 0; i < m; i++) {
			__asm__ volatile("rdtscp"
					 : "=a"(lo), "=d"(hi), "=c"(aux));
			sink = lo;
		}
		t1 = now();
		printf("rdtscp    %.2f ns\n", (double)(t1 - t0) / (double)m);
		t0 = now();
		for (long i = 0; i < m; i++) {
			clock_gettime(CLOCK_MONOTONIC, &ts);
			sink = (uint64_t)ts.tv_nsec;
		}
		t1 = now();
		printf("clock_gettime %.2f ns (vDSO, CLOCK_MONOTONIC)\n",
		       (double)(t1 - t0) / (double)m);
	}
	{
		int fd = open("/sys/kernel/tracing/user_events_data", O_RDWR);
		struct user_reg r = { sizeof(r), 0, 4, 0,
				      (uint64_t)(uintptr_t)&kenabled,
				      (uint64_t)(uintptr_t)
					      "bench u64 a; u64 b; u64 c; u64 d",
				      0 };
		uint32_t idx;
		struct iovec io[2] = { { &idx, 4 }, { p, sizeof(p) } };
		long k = m / 5;

		if (fd >= 0 && ioctl(fd, 0xC0082A00ul, &r) == 0) {
			idx = r.write_index;
			t0 = now();
			for (long i = 0; i < k; i++)
				if (kenabled & 1)
					writev(fd, io, 2);
			t1 = now();
			printf("writev32  %.2f ns\n",
			       (double)(t1 - t0) / (double)k);
		}
	}
	return 0;
}
