/* SPDX-License-Identifier: MIT */
/*
 * The kernel's user_events ABI as the test programs call it, through the
 * uapi only (user_events_uapi.h): DIAG_IOCSREG, DIAG_IOCSUNREG, a writev
 * of one u32 field, and a call's result as a test line prints it (the
 * number, or errno's name).
 */
#ifndef LIMEN_TESTS_UEVENT_CALLS_H
#define LIMEN_TESTS_UEVENT_CALLS_H

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <sys/uio.h>

#include "user_events_uapi.h"

/* r as printed: the number, or errno's name (eight at once in one printf) */
static inline const char *err(long r)
{
	static char b[8][32];
	static int n;
	char *s = b[n++ % 8];

	if (r >= 0) {
		snprintf(s, 32, "%ld", r);
		return s;
	}
	switch (errno) {
	case EINVAL: return "EINVAL";
	case ENOENT: return "ENOENT";
	case EFAULT: return "EFAULT";
	case EADDRINUSE: return "EADDRINUSE";
	case EBUSY: return "EBUSY";
	case EBADF: return "EBADF";
	}
	snprintf(s, 32, "errno%d", errno);
	return s;
}

/* DIAG_IOCSREG of args with a 4-byte enable word at addr; the index the
   kernel gives into *index (99 if it gave none) */
static inline long reg(int fd, const char *args, volatile void *addr, int bit,
		       uint32_t *index)
{
	struct user_reg r = { .size = sizeof(r), .enable_bit = (uint8_t)bit,
			      .enable_size = 4,
			      .enable_addr = (uint64_t)(uintptr_t)addr,
			      .name_args = (uint64_t)(uintptr_t)args,
			      .write_index = 99 };
	long ret = ioctl(fd, DIAG_IOCSREG, &r);

	if (index)
		*index = r.write_index;
	return ret;
}

static inline long unreg(int fd, volatile void *addr, int bit)
{
	struct user_unreg u = { .size = sizeof(u), .disable_bit = (uint8_t)bit,
				.disable_addr = (uint64_t)(uintptr_t)addr };

	return ioctl(fd, DIAG_IOCSUNREG, &u);
}

/* one event of a single u32 field: write_index, then the value */
static inline long emit(int fd, uint32_t index, uint32_t v)
{
	struct iovec io[2] = { { &index, 4 }, { &v, 4 } };

	return writev(fd, io, 2);
}

#endif
