/* SPDX-License-Identifier: MIT */
/*
 * A program written for Linux's user_events ABI only (no limen header):
 * the structs and ioctl numbers of include/uapi/linux/user_events.h (6.4),
 * every ioctl and the errors the kernel gives (tests/uevent/kabi.t).
 * Prints one line per step: its result, or the errno's name.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "user_events_uapi.h"

static const char *err(long r)
{
	static char b[32];

	if (r >= 0) {
		snprintf(b, sizeof(b), "%ld", r);
		return b;
	}
	switch (errno) {
	case EINVAL: return "EINVAL";
	case ENOENT: return "ENOENT";
	case EFAULT: return "EFAULT";
	case EADDRINUSE: return "EADDRINUSE";
	case EBUSY: return "EBUSY";
	case E2BIG: return "E2BIG";
	case EBADF: return "EBADF";
	case EMFILE: return "EMFILE";
	}
	snprintf(b, sizeof(b), "errno%d", errno);
	return b;
}

static volatile uint32_t enabled, other_word = 0xff;
static volatile uint64_t wide;

static long reg(int fd, const char *args, volatile void *addr, int size,
		int bit, uint16_t flags, uint32_t *index)
{
	struct user_reg r = { .size = sizeof(r), .enable_bit = (uint8_t)bit,
			      .enable_size = (uint8_t)size, .flags = flags,
			      .enable_addr = (uint64_t)(uintptr_t)addr,
			      .name_args = (uint64_t)(uintptr_t)args };
	long ret = ioctl(fd, DIAG_IOCSREG, &r);

	if (index)
		*index = r.write_index;
	return ret;
}

static long unreg(int fd, volatile void *addr, int bit)
{
	struct user_unreg u = { .size = sizeof(u), .disable_bit = (uint8_t)bit,
				.disable_addr = (uint64_t)(uintptr_t)addr };

	return ioctl(fd, DIAG_IOCSUNREG, &u);
}

struct __attribute__((packed)) payload {
	uint32_t count;
	char msg[8];
};

static long emit(int fd, uint32_t index, const void *p, size_t n)
{
	struct iovec io[2] = { { &index, 4 }, { (void *)p, n } };

	return writev(fd, io, 2);
}

int main(void)
{
	struct payload p = { 5, "kabi" };
	uint32_t i0 = 99, i1 = 99, i2 = 99;
	int fd = open("/sys/kernel/tracing/user_events_data", O_RDWR);
	int fd2;
	void *hole;

	if (fd < 0) {
		fd = open("/sys/kernel/debug/tracing/user_events_data", O_RDWR);
		if (fd < 0) {
			printf("open=%s\n", err(fd));
			return 0;
		}
	}
	printf("open=ok\n");
	printf("reg=%s", err(reg(fd, "test u32 count; char[8] msg", &enabled,
				 4, 31, 0, &i0)));
	printf(" index=%u enabled=%#x\n", i0, enabled);
	printf("reg2=%s", err(reg(fd, "other u64 v", &other_word, 4, 0, 0, &i1)));
	printf(" index=%u word=%#x\n", i1, other_word);
	printf("reg_same_event_again=%s",
	       err(reg(fd, "test u32 count;char[8] msg", &wide, 8, 63, 0, &i2)));
	printf(" index=%u wide=%#llx\n", i2, (unsigned long long)wide);
	printf("write=%s\n", err(emit(fd, i0, &p, sizeof(p))));
	fflush(stdout);
	if (fork() == 0) {
		/* the child's copy of the registration, and of its bit */
		struct payload c = { 6, "child" };

		printf("child_write=%s enabled=%#x\n",
		       err(emit(fd, i0, &c, sizeof(c))), enabled);
		return 0;
	}
	wait(NULL);
	printf("write_disabled=%s\n", err(emit(fd, i1, &p, 8)));
	printf("write_short=%s\n", err(emit(fd, i0, &p, 4)));
	printf("write_index_only_3_bytes=%s\n", err(write(fd, &i0, 3)));
	printf("write_bad_index=%s\n", err(emit(fd, 7, &p, sizeof(p))));
	printf("write_bad_buffer=%s\n", err(emit(fd, i0, (void *)8, 12)));
	printf("reg_bad_format=%s\n",
	       err(reg(fd, "bad u33 x", &enabled, 4, 1, 0, 0)));
	printf("reg_bad_size=%s\n",
	       err(reg(fd, "e1 u32 x", &enabled, 3, 1, 0, 0)));
	printf("reg_bad_bit=%s\n",
	       err(reg(fd, "e1 u32 x", &enabled, 4, 32, 0, 0)));
	printf("reg_misaligned=%s\n",
	       err(reg(fd, "e1 u32 x", (char *)&wide + 2, 4, 1, 0, 0)));
	printf("reg_bad_name_args=%s\n",
	       err(reg(fd, (const char *)8, &enabled, 4, 2, 0, 0)));
	hole = mmap(0, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	printf("reg_bad_enable_addr=%s\n",
	       err(reg(fd, "e2 u32 x", hole, 4, 2, 0, 0)));
	printf("reg_same_bit_twice=%s\n",
	       err(reg(fd, "e3 u32 x", &enabled, 4, 31, 0, 0)));
	printf("reg_conflicting_format=%s\n",
	       err(reg(fd, "test u64 count", &enabled, 4, 3, 0, 0)));
	printf("reg_multi_format=%s\n",
	       err(reg(fd, "test u64 count", &enabled, 4, 3,
		       USER_EVENT_REG_MULTI_FORMAT, 0)));
	{
		uint8_t big[64] = { 0 };
		struct user_reg *r = (void *)big;

		r->size = sizeof(big);
		r->enable_size = 4;
		r->enable_addr = (uint64_t)(uintptr_t)&enabled;
		r->enable_bit = 5;
		r->name_args = (uint64_t)(uintptr_t)"e4 u32 x";
		big[sizeof(*r) + 3] = 1;
		printf("reg_nonzero_tail=%s\n", err(ioctl(fd, DIAG_IOCSREG, r)));
		r->size = 8192;
		printf("reg_size_over_page=%s\n",
		       err(ioctl(fd, DIAG_IOCSREG, r)));
	}
	printf("del_in_use=%s\n", err(ioctl(fd, DIAG_IOCSDEL, "test")));
	printf("del_unknown=%s\n", err(ioctl(fd, DIAG_IOCSDEL, "nosuch")));
	fd2 = dup(fd);
	close(fd);
	printf("write_on_dup=%s\n", err(emit(fd2, i0, &p, sizeof(p))));
	printf("write_closed=%s\n", err(emit(fd, i0, &p, sizeof(p))));
	printf("unreg=%s", err(unreg(fd2, &enabled, 31)));
	printf(" enabled=%#x\n", enabled);
	printf("unreg_again=%s\n", err(unreg(fd2, &enabled, 31)));
	unreg(fd2, &wide, 63);
	unreg(fd2, &enabled, 3);
	/* unregistered, but the file that registered it is open: it still
	   holds the event (trace_events_user.c, user_events_ref_add) */
	printf("del_while_file_holds=%s\n",
	       err(ioctl(fd2, DIAG_IOCSDEL, "test")));
	{
		/* tracefs: the enable file flips the bit before write returns */
		int en = open("/sys/kernel/tracing/events/user_events/other/enable",
			      O_WRONLY);
		uint64_t v = 77;

		printf("enable_file=%s", en >= 0 ? "ok" : err(en));
		printf(" write1=%s", err(write(en, "1", 1)));
		printf(" word=%#x", other_word);
		printf(" write_enabled=%s", err(emit(fd2, i1, &v, 8)));
		printf(" write0=%s", err(write(en, "0\n", 2)));
		printf(" word=%#x\n", other_word);
		close(en);
	}
	{
		/* name_args: at most MAX_EVENT_DESC (512) bytes with its NUL */
		static char big[600];
		static volatile uint64_t words[8];

		memcpy(big, "big u32 ", 8);
		memset(big + 8, 'a', 511 - 8);
		printf("reg_511_bytes=%s\n",
		       err(reg(fd2, big, &words[7], 8, 63, 0, 0)));
		big[511] = 'a';
		printf("reg_512_bytes=%s\n",
		       err(reg(fd2, big, &words[7], 8, 62, 0, 0)));
		/* events past the limit: EMFILE, as past user_events_max */
		long r = 0;
		int n = 0;

		for (int i = 0; i < 500 && r >= 0; i++) {
			char name[32];

			snprintf(name, sizeof(name), "many%d u32 x", i);
			r = reg(fd2, name, &words[i / 64], 8, i % 64, 0, 0);
			n += r >= 0;
		}
		printf("reg_past_the_limit=%s", err(r));
		printf(" after_200_or_more=%s\n", n >= 200 ? "yes" : "no");
	}
	close(fd2);
	/* the file released (user_events_release), nothing holds it */
	fd = open("/sys/kernel/tracing/user_events_data", O_RDWR);
	printf("del_unused=%s\n", err(ioctl(fd, DIAG_IOCSDEL, "test")));
	close(fd);
	return 0;
}
