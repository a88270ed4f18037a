/* SPDX-License-Identifier: MIT */
/*
 * make bench's uaccess workloads (bench/run): the time per system call with
 * the uaccess slot armed before every call, or not.
 *   uaccess_bench loop N M ARM   N getppid, then M open+close
 *   uaccess_bench iov N CNT ARM  N writev of CNT 16-byte iovecs to /dev/null
 * Prints the nanoseconds per call (measured with the vDSO clock, which
 * makes no system call). ARM=1 needs uaccess logging (limen run).
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include "limen/uaccess.h"

#define NENT 2048
static __thread uint64_t slot;
static struct uaccess_buffer_entry ents[NENT];
static struct uaccess_descriptor desc;
static int arm;

static inline void armit(void)
{
	if (!arm)
		return;
	desc.addr = (uint64_t)(uintptr_t)ents;
	desc.size = NENT;
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
	slot = (uint64_t)(uintptr_t)&desc;
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

int main(int argc, char **argv)
{
	long n, m, calls = 0;
	double t0;

	if (argc < 5)
		return 2;
	n = atol(argv[2]);
	m = atol(argv[3]);
	arm = atoi(argv[4]);
	if (arm && limen_uaccess_register(&slot)) {
		perror("uaccess_bench: prctl(63)");
		return 1;
	}
	if (!strcmp(argv[1], "loop")) {
		t0 = now();
		for (long i = 0; i < n; i++) {
			armit();
			syscall(SYS_getppid);
		}
		for (long i = 0; i < m; i++) {
			int fd;

			armit();
			fd = open("/etc/hostname", O_RDONLY);
			armit();
			if (fd >= 0)
				close(fd);
		}
		calls = n + 2 * m;
	} else {
		struct iovec *v = calloc((size_t)m, sizeof(*v));
		static char buf[16];
		int fd = open("/dev/null", O_WRONLY);

		for (long i = 0; i < m; i++)
			v[i] = (struct iovec){ buf, sizeof(buf) };
		t0 = now();
		for (long i = 0; i < n; i++) {
			armit();
			if (writev(fd, v, (int)m) < 0)
				return 1;
		}
		calls = n;
	}
	printf("%.1f\n", (now() - t0) / (double)calls);
	return 0;
}
