/* SPDX-License-Identifier: MIT */
/*
 * What a `ret` after a system call costs on this machine (README, "A jump
 * back, not a return"): where the kernel refills the processor's return
 * stack on its way back to user space, every return after the `syscall`
 * instruction to a frame made before it is mispredicted. Times getppid
 *  - made 1 to 6 calls deep, each level's `ret` coming after the call;
 *  - from a site in a function (`mov $110,%eax; syscall; ret`, as glibc's)
 *    whose `mov` jumps to a stub on another page that calls a third page,
 *    where the `syscall` is made, and goes back to the site either by
 *    `ret` (fast.S before) or by `jmp *%rcx` (fast.S now), against the
 *    same `syscall` made inline at the site.
 * Medians of 21 rounds of CALLS calls, in ns a call. Not a test: it
 * asserts nothing.
 *   ret_after_syscall [CALLS]   (default 100000)
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "ns_clock.h"

#define ROUNDS 21

__attribute__((noinline)) static long d1(void)
{
	long r;

	__asm__ volatile("syscall" : "=a"(r) : "a"(110L) : "rcx", "r11", "memory");
	return r;
}
#define DEEPER(name, below)                                                    \
	__attribute__((noinline)) static long name(void)                       \
	{                                                                      \
		long r = below();                                              \
		__asm__ volatile("" ::"r"(r));                                 \
		return r + 1;                                                  \
	}
DEEPER(d2, d1)
DEEPER(d3, d2)
DEEPER(d4, d3)
DEEPER(d5, d4)
DEEPER(d6, d5)

/* generated code: a loop (rdi: its count) calling a site function */
typedef void (*loop_fn)(long);
static uint8_t *at;

static void put(const char *b, int n)
{
	memcpy(at, b, (size_t)n);
	at += n;
}

static void rel32(uint8_t op, const uint8_t *to)
{
	int32_t d;

	*at++ = op;
	d = (int32_t)(to - (at + 4));
	memcpy(at, &d, 4);
	at += 4;
}

/* way: 0 the site's own `syscall`, 1 stub and third page, back by `ret`
   (ret $136, as fast.S's lean path was), 2 the same back by `jmp *%rcx` */
static loop_fn build(uint8_t *base, int way)
{
	uint8_t *loop = base, *site = base + 512, *stub = base + (1 << 20),
		*far = base + (4 << 20), *back;

	at = loop;
	rel32(0xe8, site);			/* call site */
	put("\x48\xff\xcf", 3);			/* dec %rdi */
	put("\x0f\x85", 2);			/* jnz loop */
	{
		int32_t d = (int32_t)(loop - (at + 4));

		memcpy(at, &d, 4);
		at += 4;
	}
	put("\xc3", 1);
	at = site;
	if (way == 0) {
		put("\xb8\x6e\x00\x00\x00\x0f\x05\xc3", 8);
		return (loop_fn)loop;
	}
	rel32(0xe9, stub);			/* the site's mov, rewritten */
	put("\x0f\x05", 2);			/* its syscall, left in place */
	back = at;
	put("\xc3", 1);
	at = stub;
	put("\xb8\x6e\x00\x00\x00", 5);		/* mov $110,%eax */
	put("\x48\x8d\x64\x24\x80", 5);		/* lea -128(%rsp),%rsp */
	put("\x9c", 1);				/* pushfq */
	put("\xff\x15\x08\x00\x00\x00", 6);	/* call *8(%rip): the word below */
	memcpy(at, &back, 8);			/* the data word */
	memcpy(at + 8, &far, 8);		/* the third page */
	at = far;
	put("\x48\x8b\x0c\x24", 4);		/* mov (%rsp),%rcx */
	put("\x48\x8b\x09", 3);			/* mov (%rcx),%rcx */
	put("\x48\x89\x0c\x24", 4);		/* mov %rcx,(%rsp) */
	put("\x0f\x05", 2);			/* syscall */
	put("\x48\x8b\x0c\x24", 4);		/* mov (%rsp),%rcx */
	if (way == 1) {
		put("\xc2\x88\x00", 3);		/* ret $136 */
	} else {
		put("\x48\x8d\xa4\x24\x90\x00\x00\x00", 8); /* lea 144(%rsp),%rsp */
		put("\xff\xe1", 2);		/* jmp *%rcx */
	}
	return (loop_fn)loop;
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 100000;
	long (*deep[])(void) = { d1, d2, d3, d4, d5, d6 };
	static const char *const ways[] = { "inline", "stub, back by ret",
					    "stub, back by jmp *%rcx" };
	double r[9][ROUNDS];
	loop_fn f[3];
	uint8_t *m;

	if (n <= 0) {
		fprintf(stderr, "usage: ret_after_syscall [CALLS]\n");
		return 2;
	}
	m = mmap(NULL, 3 * (8 << 20), PROT_READ | PROT_WRITE | PROT_EXEC,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (m == MAP_FAILED) {
		perror("ret_after_syscall: mmap");
		return 1;
	}
	for (int w = 0; w < 3; w++)
		f[w] = build(m + w * (8 << 20), w);
	for (int k = 0; k < ROUNDS; k++) {
		for (int i = 0; i < 6; i++) {
			double t0 = now_ns();

			for (long j = 0; j < n; j++)
				deep[i]();
			r[i][k] = (now_ns() - t0) / n;
		}
		for (int w = 0; w < 3; w++) {
			double t0 = now_ns();

			f[w](n);
			r[6 + w][k] = (now_ns() - t0) / n;
		}
	}
	for (int i = 0; i < 9; i++)
		qsort(r[i], ROUNDS, sizeof r[i][0], cmp_double);
	for (int i = 0; i < 6; i++)
		printf("getppid %d call%s deep: %.1f ns (%+.1f)\n", i + 1,
		       i ? "s" : "", r[i][ROUNDS / 2],
		       r[i][ROUNDS / 2] - r[0][ROUNDS / 2]);
	for (int w = 0; w < 3; w++)
		printf("getppid from a site, %s: %.1f ns (%+.1f)\n", ways[w],
		       r[6 + w][ROUNDS / 2], r[6 + w][ROUNDS / 2] - r[6][ROUNDS / 2]);
	return 0;
}
