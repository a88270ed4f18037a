/* SPDX-License-Identifier: MIT */
/*
 * Memory family, end to end: mmap (anonymous, file, fixed, errors),
 * mprotect, madvise, msync, mlock, mincore, mremap, munmap, brk. Each call
 * is made with raw syscall() and the exact line `limen trace` must print for
 * it is written to argv[2] (addresses are the ones the calls returned).
 * argv[1] is a work directory. See tests/syscalls/fam_memory.t.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "fam.h"

int main(int argc, char **argv)
{
	char f[512], *p, *q;
	unsigned char vec[4];
	long r, b0;
	int fd;

	if (argc < 3) {
		fprintf(stderr, "usage: %s WORKDIR EXPECTED\n", argv[0]);
		return 2;
	}
	const char *w = argv[1];
	snprintf(f, sizeof f, "%s/map", w);

	b0 = S(SYS_brk, 0);
	CHECK(b0 > 0);
	E("brk(NULL) = %#lx", b0);
	r = S(SYS_brk, b0 + 8192);
	CHECK(r == b0 + 8192);
	E("brk(%#lx) = %#lx", b0 + 8192, r);
	r = S(SYS_brk, b0);
	E("brk(%#lx) = %#lx", b0, r);

	p = (char *)S(SYS_mmap, 0, 8192, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(p != MAP_FAILED);
	E("mmap(NULL, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = %p", p);
	p[0] = 1;
	p[4096] = 1;

	r = S(SYS_mincore, p, 8192, vec);
	CHECK(r == 0 && (vec[0] & 1) && (vec[1] & 1));
	E("mincore(%p, 8192, [1, 1]) = %s", p, R(r));

	r = S(SYS_mprotect, p, 4096, PROT_READ);
	CHECK(r == 0);
	E("mprotect(%p, 4096, PROT_READ) = %s", p, R(r));
	r = S(SYS_mprotect, p + 4096, 4096, PROT_NONE);
	CHECK(r == 0);
	E("mprotect(%p, 4096, PROT_NONE) = %s", p + 4096, R(r));
	r = S(SYS_mprotect, p, 8192, PROT_READ | PROT_WRITE);
	CHECK(r == 0);
	E("mprotect(%p, 8192, PROT_READ|PROT_WRITE) = %s", p, R(r));
	r = S(SYS_mprotect, p + 1, 4096, PROT_READ);
	CHECK(r == -1 && last_errno == EINVAL);
	E("mprotect(%p, 4096, PROT_READ) = %s", p + 1, R(r));

	r = S(SYS_madvise, p, 8192, MADV_DONTNEED);
	CHECK(r == 0);
	E("madvise(%p, 8192, MADV_DONTNEED) = %s", p, R(r));
	r = S(SYS_madvise, p, 8192, MADV_WILLNEED);
	CHECK(r == 0);
	E("madvise(%p, 8192, MADV_WILLNEED) = %s", p, R(r));

	r = S(SYS_msync, p, 8192, MS_SYNC);
	CHECK(r == 0);
	E("msync(%p, 8192, MS_SYNC) = %s", p, R(r));
	r = S(SYS_msync, p, 8192, MS_ASYNC | MS_INVALIDATE);
	CHECK(r == 0);
	E("msync(%p, 8192, MS_ASYNC|MS_INVALIDATE) = %s", p, R(r));

	r = S(SYS_mlock, p, 4096);
	E("mlock(%p, 4096) = %s", p, R(r));
	r = S(SYS_munlock, p, 4096);
	E("munlock(%p, 4096) = %s", p, R(r));
	r = S(SYS_munlockall);
	CHECK(r == 0);
	E("munlockall() = %s", R(r));

	q = (char *)S(SYS_mremap, p, 8192, 16384, MREMAP_MAYMOVE, 0);
	CHECK(q != MAP_FAILED);
	E("mremap(%p, 8192, 16384, MREMAP_MAYMOVE) = %p", p, q);
	r = S(SYS_madvise, q, 4096, MADV_DONTFORK);
	CHECK(r == 0);
	E("madvise(%p, 4096, MADV_DONTFORK) = %s", q, R(r));
	r = S(SYS_munmap, q, 16384);
	CHECK(r == 0);
	E("munmap(%p, 16384) = %s", q, R(r));
	r = S(SYS_munmap, (void *)0x1001, 4096);
	CHECK(r == -1 && last_errno == EINVAL);
	E("munmap(0x1001, 4096) = %s", R(r));

	/* a fixed address, and the same place again: EEXIST */
	p = (char *)S(SYS_mmap, 0x200000000UL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC,
		      MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	CHECK(p == (char *)0x200000000UL);
	E("mmap(0x200000000, 4096, PROT_READ|PROT_WRITE|PROT_EXEC, "
	  "MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = %p", p);
	/* mmap's flags as strace's print_mmap_flags: the type (MAP_FILE
	   for 0, an unknown one with its comment), the flags, the huge
	   page size's bits as N<<MAP_HUGE_SHIFT (refused: no file, or an
	   unknown type) */
	r = S(SYS_mmap, 0, 4096, PROT_READ, 0, -1, 0);
	CHECK(r == -1 && last_errno == EBADF);
	E("mmap(NULL, 4096, PROT_READ, MAP_FILE, -1, 0) = %s", R(r));
	r = S(SYS_mmap, 0, 4096, PROT_READ, 0xf | MAP_ANONYMOUS, -1, 0);
	CHECK(r == -1 && last_errno == EINVAL);
	E("mmap(NULL, 4096, PROT_READ, 0xf /* MAP_??? */|MAP_ANONYMOUS, -1, 0) = %s", R(r));
	r = S(SYS_mmap, 0, 4096, PROT_READ, MAP_PRIVATE | MAP_HUGETLB | (21 << 26), -1, 0);
	CHECK(r == -1 && last_errno == EBADF);
	E("mmap(NULL, 4096, PROT_READ, MAP_PRIVATE|MAP_HUGETLB|21<<MAP_HUGE_SHIFT, -1, 0) = %s",
	  R(r));
	r = S(SYS_mmap, 0, 4096, PROT_READ, MAP_PRIVATE | 0x80000000u | 0x800000, -1, 0);
	CHECK(r == -1 && last_errno == EBADF);
	E("mmap(NULL, 4096, PROT_READ, MAP_PRIVATE|0x800000|32<<MAP_HUGE_SHIFT, -1, 0) = %s",
	  R(r));
	r = S(SYS_mmap, 0x200000000UL, 4096, PROT_READ,
	      MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	CHECK(r == -1 && last_errno == EEXIST);
	E("mmap(0x200000000, 4096, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, "
	  "-1, 0) = %s", R(r));
	r = S(SYS_mmap, 0x200000000UL, 4096, PROT_READ,
	      MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	CHECK(r == 0x200000000L);
	E("mmap(0x200000000, 4096, PROT_READ, MAP_PRIVATE|MAP_FIXED|MAP_ANONYMOUS, -1, 0) = %#lx", r);
	r = S(SYS_munmap, 0x200000000UL, 4096);
	E("munmap(0x200000000, 4096) = %s", R(r));

	p = (char *)S(SYS_mmap, 0, 4096, PROT_READ,
		      MAP_SHARED | MAP_ANONYMOUS | MAP_POPULATE | MAP_NORESERVE, -1, 0);
	CHECK(p != MAP_FAILED);
	E("mmap(NULL, 4096, PROT_READ, MAP_SHARED|MAP_ANONYMOUS|MAP_NORESERVE|MAP_POPULATE, -1, 0) = %p", p);
	r = S(SYS_munmap, p, 4096);
	E("munmap(%p, 4096) = %s", p, R(r));

	/* a file mapping, with an offset */
	r = S(SYS_mkdir, w, 0755);
	E("mkdir(\"%s\", 0755) = %s", w, R(r));
	fd = S(SYS_openat, AT_FDCWD, f, O_RDWR | O_CREAT | O_TRUNC, 0600);
	CHECK(fd >= 0);
	E("openat(AT_FDCWD, \"%s\", O_RDWR|O_CREAT|O_TRUNC, 0600) = %s", f, R(fd));
	r = S(SYS_ftruncate, fd, 8192);
	E("ftruncate(%d, 8192) = %s", fd, R(r));
	p = (char *)S(SYS_mmap, 0, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 4096);
	CHECK(p != MAP_FAILED);
	E("mmap(NULL, 4096, PROT_READ|PROT_WRITE, MAP_SHARED, %d, 0x1000) = %p", fd, p);
	r = S(SYS_msync, p, 4096, MS_SYNC);
	E("msync(%p, 4096, MS_SYNC) = %s", p, R(r));
	r = S(SYS_munmap, p, 4096);
	E("munmap(%p, 4096) = %s", p, R(r));
	r = S(SYS_mmap, 0, 4096, PROT_READ, MAP_SHARED, fd, 1);
	CHECK(r == -1 && last_errno == EINVAL);
	E("mmap(NULL, 4096, PROT_READ, MAP_SHARED, %d, 0x1) = %s", fd, R(r));
	r = S(SYS_close, fd);
	E("close(%d) = %s", fd, R(r));

	/* errors */
	r = S(SYS_mmap, 0, 4096, PROT_READ, MAP_SHARED, 9999, 0);
	CHECK(r == -1 && last_errno == EBADF);
	E("mmap(NULL, 4096, PROT_READ, MAP_SHARED, 9999, 0) = %s", R(r));
	r = S(SYS_mmap, 0, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(r == -1 && last_errno == EINVAL);
	E("mmap(NULL, 0, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = %s", R(r));
	r = S(SYS_mincore, 0x1000, 4096, vec);
	CHECK(r == -1 && last_errno == ENOMEM);
	E("mincore(0x1000, 4096, %s) = %s", P(vec), R(r));

	r = S(SYS_unlink, f);
	E("unlink(\"%s\") = %s", f, R(r));
	r = S(SYS_rmdir, w);
	E("rmdir(\"%s\") = %s", w, R(r));

	write_expected(argv[2]);
	return failures ? 1 : 0;
}
