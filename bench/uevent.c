/* SPDX-License-Identifier: MIT */
/*
 * User events: what a check and an emit cost (bench/uevent.sh runs it
 * bare and under limen). Not a test: it asserts nothing.
 *   empty     an empty loop (the loop counter through a volatile)
 *   check     the same loop with a disabled event's check in it
 *   emit32    limen_uevent_write of a 32-byte payload, enabled (the
 *             header's inline emit)
 *   emit32nc  the same without its clock: the record's time given
 *             (taken once before the round), to show what rdtsc costs
 *   emit32fn  the same through limen's function limen_uevent_emit (a
 *             call into the runtime, as every emit was before the
 *             inline one)
 *   rdtsc     the clock alone, as the emit reads it
 *   emit32l1  emit32's code writing into a private 32 KiB buffer that
 *             stays in the core's cache instead of limen's ring: what
 *             the emit's instructions cost, the ring's lines aside
 *   emit32l1nc  the same without its clock
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

#define ROUNDS 9

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
	   ROUNDS more of each way, interleaved (the machine's load falls on
	   all six alike), their medians and ranges */
	{
		static const char *const how[6] = {
			"emit32", "emit32nc", "emit32fn", "rdtsc",
			"emit32l1", "emit32l1nc"
		};
		double r[6][ROUNDS];
		/* the thread's place in a ring of our own (the gate open,
		   room without end, the record never past its last byte:
		   room for one more after the 32 KiB the positions wrap in) */
		static uint32_t gate;
		static unsigned char priv[32768 + 256]
			__attribute__((aligned(64)));
		struct limen_uevent_thread mine = { 0 }, *ring = 0;

		mine.size = sizeof(mine);
		mine.end = UINT64_MAX / 2;
		mine.base = (uint64_t)(uintptr_t)priv;
		mine.mask = 32768 - 1;
		mine.gate = (uint64_t)(uintptr_t)&gate;
		for (int round = 0; round <= ROUNDS; round++) {
			for (int w = 0; w < 6; w++) {
				uint64_t tsc = __builtin_ia32_rdtsc();

				if (w == 4) {
					ring = *limen_uevent_slot_();
					mine.flags = ring ? ring->flags : 0;
					*limen_uevent_slot_() = &mine;
				}
				t0 = now();
				for (long i = 0; i < m; i++) {
					p[0] = (uint64_t)i;
					if (w == 0)
						limen_uevent_write(&ev_on, p,
								   sizeof(p));
					else if (w == 1)
						limen_uevent_put_(ev_on.id, p,
								  sizeof(p),
								  tsc);
					else if (w == 2)
						limen_uevent_call_(ev_on.id, p,
								   sizeof(p));
					else if (w == 3)
						sink = __builtin_ia32_rdtsc();
					else if (w == 4)
						limen_uevent_write(&ev_on, p,
								   sizeof(p));
					else
						limen_uevent_put_(ev_on.id, p,
								  sizeof(p),
								  tsc);
				}
				t1 = now();
				if (w == 5)
					*limen_uevent_slot_() = ring;
				if (!round && !w)
					printf("emit32    %.2f ns (first touch "
					       "of the ring)\n",
					       (double)(t1 - t0) / (double)m);
				else if (round)
					r[w][round - 1] = (double)(t1 - t0) /
							  (double)m;
				if (w < 3)
					usleep(100000); /* the collector
							   drains */
			}
		}
		for (int w = 0; w < 6; w++) {
			qsort(r[w], ROUNDS, sizeof(r[w][0]), by_value);
			printf("%-9s %.2f ns (median of %d; %.2f-%.2f)\n",
			       how[w], r[w][ROUNDS / 2], ROUNDS, r[w][0],
			       r[w][ROUNDS - 1]);
		}
	}
	/* what other clocks cost here */
	{
		unsigned lo, hi, aux;
		struct timespec ts;

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
