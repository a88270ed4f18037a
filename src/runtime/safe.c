/* SPDX-License-Identifier: MIT */
/*
 * Reading and writing the program's memory without trusting its pointers:
 * process_vm_readv/writev on ourselves fault in pages the kernel would fault
 * in (a fresh .rodata page right after execve) and report a bad pointer as an
 * error instead of a SIGSEGV in the program. Transfers are split at page
 * boundaries so that a range running into an unmapped page returns the part
 * before it.
 */
#include <sys/syscall.h>
#include <sys/uio.h>

#include "raw.h"
#include "rt.h"

#define PAGE 4096ul
#define MAXIOV 8

static long vm_rw(long nr, void *local, uint64_t remote, size_t n)
{
	struct iovec l = { local, n };
	struct iovec r[MAXIOV];
	int cnt = 0;
	uint64_t p = remote, end = remote + n;
	long ret;
	long pid = limen_tls.pid;

	/* seccomp strict mode would kill the thread for the call */
	if (!remote || end < remote || limen_tls.strict)
		return -14;
	while (p < end && cnt < MAXIOV) {
		uint64_t next = (p & ~(PAGE - 1)) + PAGE;

		if (next > end || cnt == MAXIOV - 1)
			next = end;
		r[cnt].iov_base = (void *)p;
		r[cnt].iov_len = next - p;
		cnt++;
		p = next;
	}
	if (!pid)
		pid = limen_tls.pid = limen_sys0(SYS_getpid);
	ret = limen_sys6(nr, pid, (long)&l, 1, (long)r, cnt, 0);
	return ret;
}

long limen_safe_read(void *dst, uint64_t src, size_t n)
{
	if (!n)
		return 0;
	return vm_rw(SYS_process_vm_readv, dst, src, n);
}

long limen_safe_write(uint64_t dst, const void *src, size_t n)
{
	if (!n)
		return 0;
	return vm_rw(SYS_process_vm_writev, (void *)src, dst, n);
}
