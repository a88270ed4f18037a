/* SPDX-License-Identifier: MIT */
/*
 * The calls that make a userfaultfd that handles user-mode faults only
 * (UFFD_USER_MODE_ONLY): userfaultfd(2), and the USERFAULTFD_IOC_NEW
 * ioctl of a descriptor of /dev/userfaultfd. Once the process has one,
 * limen's reads and writes of its memory go through the kernel as the
 * kernel's own would (safe.c, limen_safe_kernel_only). Both calls always
 * reach run(): they may change what memory a pointer reaches (uaccess.c,
 * limen_ua_changes_maps), so they are never lean. Another driver's ioctl
 * of the same number that succeeds with the same bit set would only make
 * limen's accesses slower.
 */
#include <sys/syscall.h>

#include "raw.h"
#include "rt.h"

#define UFFD_USER_MODE_ONLY_ 1
#define USERFAULTFD_IOC_NEW_ 0xaa00u /* _IO(0xAA, 0x00) */

/* After call nr with arguments a answered ret; returns ret */
long limen_uffd_call(long nr, const long *a, long ret)
{
	if (ret >= 0 && (a[nr == SYS_ioctl ? 2 : 0] & UFFD_USER_MODE_ONLY_) &&
	    (nr == SYS_userfaultfd ||
	     (unsigned int)a[1] == USERFAULTFD_IOC_NEW_))
		limen_safe_kernel_only();
	return ret;
}
