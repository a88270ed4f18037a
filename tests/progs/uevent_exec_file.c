/* SPDX-License-Identifier: MIT */
/*
 * A user_events_data descriptor that survives an exec, written against
 * the uapi only (tests/uevent/exec_keeps_file.t). On Linux an exec keeps
 * the open file (its user_event_file_info and the refs array of the
 * events registered through it: a write_index of the old image still
 * writes its event, a new registration takes the next index) and drops
 * the enablers with the old mm (user_events_execve ->
 * user_event_mm_remove: DIAG_IOCSUNREG of an old bit is ENOENT). A
 * descriptor opened with O_CLOEXEC is closed by the exec: its file is
 * released, and its events go with their last reference.
 *
 * Run with -e uevent=ek_b,ek_c (ek_a and ek_d have no tracer: a write
 * of theirs is EBADF once its index is found). One line per step.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/uio.h>
#include <unistd.h>

#include "user_events_uapi.h"

#define DATA "/sys/kernel/tracing/user_events_data"

static volatile uint32_t wa, wb, wc, wd;

static const char *err(long r)
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

static long reg(int fd, const char *args, volatile void *addr, int bit,
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

static long unreg(int fd, volatile void *addr, int bit)
{
	struct user_unreg u = { .size = sizeof(u), .disable_bit = (uint8_t)bit,
				.disable_addr = (uint64_t)(uintptr_t)addr };

	return ioctl(fd, DIAG_IOCSUNREG, &u);
}

static long emit(int fd, uint32_t index, uint32_t v)
{
	struct iovec io[2] = { { &index, 4 }, { &v, 4 } };

	return writev(fd, io, 2);
}

/* the new image: fd is the file the old one registered ek_a, ek_b on */
static int after_exec(int fd, const char *old_addr)
{
	uint32_t ic = 99;
	int fd2 = open(DATA, O_RDWR);

	printf("exec_write_b=%s\n", err(emit(fd, 1, 42)));
	printf("exec_write_a=%s\n", err(emit(fd, 0, 41)));
	printf("exec_write_unknown_index=%s\n", err(emit(fd, 2, 40)));
	/* the old image's enabler went with its mm (old_addr: where the
	   old image had its bit) */
	printf("exec_unreg_old_enabler=%s\n",
	       err(unreg(fd, (void *)(uintptr_t)strtoull(old_addr, 0, 16),
			 0)));
	printf("exec_reg_c_next_index=%s", err(reg(fd, "ek_c u32 v", &wc, 0,
						   &ic)));
	printf(" index=%u\n", ic);
	printf("exec_write_c=%s\n", err(emit(fd, ic, 43)));
	unreg(fd, &wc, 0);
	printf("exec_del_d_cloexec_file_released=%s\n",
	       err(ioctl(fd2, DIAG_IOCSDEL, "ek_d")));
	printf("exec_del_a_file_open=%s\n",
	       err(ioctl(fd2, DIAG_IOCSDEL, "ek_a")));
	close(fd);
	printf("exec_del_a_after_close=%s\n",
	       err(ioctl(fd2, DIAG_IOCSDEL, "ek_a")));
	return 0;
}

int main(int argc, char **argv)
{
	uint32_t i = 99;
	char fds[16], addr[32];
	int fd, fd2;

	setvbuf(stdout, 0, _IONBF, 0);
	if (argc == 4 && !strcmp(argv[1], "exec"))
		return after_exec(atoi(argv[2]), argv[3]);
	fd = open(DATA, O_RDWR);
	if (fd < 0) {
		printf("open=%s\n", err(-1));
		return 0;
	}
	printf("reg_a=%s", err(reg(fd, "ek_a u32 v", &wa, 0, &i)));
	printf(" index=%u\n", i);
	printf("reg_b=%s", err(reg(fd, "ek_b u32 v", &wb, 0, &i)));
	printf(" index=%u\n", i);
	fd2 = open(DATA, O_RDWR | O_CLOEXEC);
	printf("reg_d_cloexec=%s", err(reg(fd2, "ek_d u32 v", &wd, 0, &i)));
	printf(" index=%u\n", i);
	snprintf(fds, sizeof(fds), "%d", fd);
	snprintf(addr, sizeof(addr), "%llx",
		 (unsigned long long)(uintptr_t)&wa);
	execl("/proc/self/exe", argv[0], "exec", fds, addr, (char *)0);
	printf("exec=%s\n", err(-1));
	return 1;
}
