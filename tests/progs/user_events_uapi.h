/* SPDX-License-Identifier: MIT */
/*
 * The kernel's user_events ABI (include/uapi/linux/user_events.h, Linux
 * 6.4 on), for the test programs written against it alone: Debian 12's
 * headers do not ship it. Layouts and numbers as the kernel defines them.
 */
#ifndef LIMEN_TEST_USER_EVENTS_UAPI_H
#define LIMEN_TEST_USER_EVENTS_UAPI_H

#include <stdint.h>
#include <sys/ioctl.h>

struct user_reg {
	uint32_t size;
	uint8_t enable_bit;
	uint8_t enable_size;
	uint16_t flags;
	uint64_t enable_addr;
	uint64_t name_args;
	uint32_t write_index;
} __attribute__((__packed__));

struct user_unreg {
	uint32_t size;
	uint8_t disable_bit;
	uint8_t __reserved;
	uint16_t __reserved2;
	uint64_t disable_addr;
} __attribute__((__packed__));

#define DIAG_IOC_MAGIC '*'
#define DIAG_IOCSREG _IOWR(DIAG_IOC_MAGIC, 0, struct user_reg *)
#define DIAG_IOCSDEL _IOW(DIAG_IOC_MAGIC, 1, char *)
#define DIAG_IOCSUNREG _IOW(DIAG_IOC_MAGIC, 2, struct user_unreg *)
#define USER_EVENT_REG_PERSIST (1U << 0)
#define USER_EVENT_REG_MULTI_FORMAT (1U << 1)

#endif
