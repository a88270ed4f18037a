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

#include "uevent_calls.h"

#define DATA "/sys/kernel/tracing/user_events_data"

static volatile uint32_t wa, wb, wc, wd;

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
