/* SPDX-License-Identifier: MIT */
/*
 * A user_events_data file shared by a fork child and its parent, written
 * against the uapi only (tests/uevent/fork_shared_file.t). On Linux the
 * open file description is one struct file for both processes
 * (kernel/trace/trace_events_user.c): its user_event_file_info, whose
 * refs array gives the write_index of each event registered through it
 * (user_events_ref_add), is the same whichever process registers, before
 * or after the fork; what is per process is the enablers (the enable bit
 * lives in the registering process's memory; the child has copies of
 * the parent's, user_event_mm_dup). The file goes when its last
 * descriptor, in either process, is closed (user_events_release), or
 * the last process that has one ends.
 *
 * Run with -e uevent=fs_b,fs_c. One line per step: its result (the
 * number, or errno's name); the child's lines are ordered by pipes.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "uevent_calls.h"

#define DATA "/sys/kernel/tracing/user_events_data"

static volatile uint32_t wa, wb, wc, we, wf;
static int up[2], down[2];

static void tell(int fd)
{
	if (write(fd, "x", 1) != 1)
		_exit(3);
}

static void await(int fd)
{
	char c;

	if (read(fd, &c, 1) != 1)
		_exit(4);
}

int main(void)
{
	uint32_t ia = 99, ib = 99, ic = 99, ie = 99;
	int fd, fd2;
	pid_t pid;

	setvbuf(stdout, 0, _IONBF, 0);
	fd = open(DATA, O_RDWR);
	if (fd < 0) {
		printf("open=%s\n", err(-1));
		return 0;
	}
	if (pipe(up) || pipe(down))
		return 1;
	/* fs_a, fs_e: no tracer (a write of theirs is EBADF once its
	   index is found, ENOENT if not); fs_b, fs_c: traced */
	printf("reg_a_before_fork=%s", err(reg(fd, "fs_a u32 v", &wa, 0, &ia)));
	printf(" index=%u\n", ia);
	pid = fork();
	if (pid == 0) {
		printf("child_write_a_before_fork=%s\n", err(emit(fd, ia, 1)));
		printf("child_reg_b=%s", err(reg(fd, "fs_b u32 v", &wb, 0, &ib)));
		printf(" index=%u bit=%u\n", ib, wb);
		tell(up[1]);
		await(down[0]); /* the parent registered fs_c, fs_e */
		printf("child_write_c_of_parent=%s\n", err(emit(fd, 2, 3)));
		printf("child_bit_c_not_its_own=%u\n", wc);
		printf("child_write_e_of_parent=%s\n", err(emit(fd, 3, 4)));
		tell(up[1]);
		await(down[0]); /* the parent closed its descriptor */
		printf("child_write_b_after_parent_close=%s\n",
		       err(emit(fd, ib, 5)));
		unreg(fd, &wb, 0);
		unreg(fd, &wa, 0);
		tell(up[1]);
		await(down[0]);
		close(fd);
		tell(up[1]);
		await(down[0]);
		_exit(0);
	}
	await(up[0]); /* the child registered fs_b */
	printf("parent_write_b_of_child=%s\n", err(emit(fd, 1, 2)));
	printf("parent_bit_b_not_its_own=%u\n", wb);
	printf("parent_reg_c=%s", err(reg(fd, "fs_c u32 v", &wc, 0, &ic)));
	printf(" index=%u\n", ic);
	printf("parent_reg_b_child_index=%s", err(reg(fd, "fs_b u32 v", &wb, 1,
						      &ib)));
	printf(" index=%u\n", ib);
	printf("parent_reg_e=%s", err(reg(fd, "fs_e u32 v", &we, 0, &ie)));
	printf(" index=%u\n", ie);
	tell(down[1]);
	await(up[0]);
	unreg(fd, &we, 0);
	unreg(fd, &wb, 1);
	unreg(fd, &wc, 0);
	unreg(fd, &wa, 0);
	fd2 = open(DATA, O_RDWR);
	close(fd);
	tell(down[1]);
	await(up[0]); /* the child wrote, and let its enablers go */
	printf("del_e_child_has_file=%s\n",
	       err(ioctl(fd2, DIAG_IOCSDEL, "fs_e")));
	printf("del_a_child_has_file=%s\n",
	       err(ioctl(fd2, DIAG_IOCSDEL, "fs_a")));
	tell(down[1]);
	await(up[0]); /* the child closed the last descriptor */
	printf("del_e_after_last_close=%s\n",
	       err(ioctl(fd2, DIAG_IOCSDEL, "fs_e")));
	printf("del_a_after_last_close=%s\n",
	       err(ioctl(fd2, DIAG_IOCSDEL, "fs_a")));
	tell(down[1]);
	waitpid(pid, 0, 0);

	/* a child the parent leaves the file to right after the fork, and
	   that ends without closing it: the kernel closes it at the exit */
	fd = open(DATA, O_RDWR);
	printf("reg_f=%s", err(reg(fd, "fs_f u32 v", &wf, 0, &ia)));
	printf(" index=%u\n", ia);
	printf("reg_b_new_file=%s", err(reg(fd, "fs_b u32 v", &wb, 2, &ib)));
	printf(" index=%u\n", ib);
	unreg(fd, &wf, 0);
	unreg(fd, &wb, 2);
	pid = fork();
	if (pid == 0) {
		await(down[0]);
		printf("child_write_parent_closed_at_once=%s\n",
		       err(emit(fd, ib, 6)));
		tell(up[1]);
		await(down[0]);
		_exit(0);
	}
	close(fd);
	printf("del_f_child_has_file=%s\n",
	       err(ioctl(fd2, DIAG_IOCSDEL, "fs_f")));
	tell(down[1]);
	await(up[0]);
	tell(down[1]);
	waitpid(pid, 0, 0);
	printf("del_f_child_ended_without_close=%s\n",
	       err(ioctl(fd2, DIAG_IOCSDEL, "fs_f")));
	return 0;
}
