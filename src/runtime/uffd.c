/* SPDX-License-Identifier: MIT */
/*
 * The calls that make a userfaultfd that handles user-mode faults only
 * (UFFD_USER_MODE_ONLY): userfaultfd(2), and the USERFAULTFD_IOC_NEW
 * ioctl of a descriptor of /dev/userfaultfd. Once the process has one,
 * limen's reads and writes of its memory go through the kernel as the
 * kernel's own would (safe.c, limen_safe_kernel_only).
 *
 * userfaultfd is never lean (lean.c, hooked). ioctl is, in a process that
 * never opened /dev/userfaultfd: its open takes the full way (a path
 * under /dev/ is not plain, quickpath.c) and comes here, where it makes
 * ioctl and the other descriptor calls of uevent_abi.c's list take the
 * full way too (limen_lean_fd_off), a cost only such a process pays.
 */
#include <fcntl.h>
#include <sys/syscall.h>

#include "raw.h"
#include "rt.h"

#define UFFD_USER_MODE_ONLY_ 1
#define USERFAULTFD_IOC_NEW_ 0xaa00ul /* _IO(0xAA, 0x00) */
#define DEV_UFFD "/dev/userfaultfd"

static int dev_opened; /* this image opened /dev/userfaultfd */

static int is_dev(uint64_t path)
{
	char b[sizeof(DEV_UFFD)];

	return limen_peek_read(b, path, sizeof(b)) == (long)sizeof(b) &&
	       !limen_strncmp(b, DEV_UFFD, sizeof(b));
}

/* After call nr with arguments a answered ret; returns ret */
long limen_uffd_call(long nr, const long *a, long ret)
{
	if (ret < 0)
		return ret;
	switch (nr) {
	case SYS_userfaultfd:
		if (a[0] & UFFD_USER_MODE_ONLY_)
			limen_safe_kernel_only();
		break;
	case SYS_ioctl:
		if (dev_opened && (unsigned int)a[1] == USERFAULTFD_IOC_NEW_ &&
		    (a[2] & UFFD_USER_MODE_ONLY_))
			limen_safe_kernel_only();
		break;
	case SYS_open:
	case SYS_openat:
	case SYS_openat2:
		if (!dev_opened && is_dev((uint64_t)(nr == SYS_open ? a[0] :
								       a[1]))) {
			__atomic_store_n(&dev_opened, 1, __ATOMIC_SEQ_CST);
			limen_lean_fd_off();
		}
		break;
	}
	return ret;
}
