/* SPDX-License-Identifier: MIT */
/*
 * DIAG_IOCSDEL's EBUSY across processes, written for Linux's user_events
 * ABI only (include/uapi/linux/user_events.h): the kernel refuses to
 * delete an event while any process has it registered, and a
 * registration goes with an unregister, with its process's exit (killed
 * or not), and with an exec; a fork child's copy holds the event too
 * (tests/uevent/refs.t). One line per step: its result or errno's name.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "user_events_uapi.h"

static const char data[] = "/sys/kernel/tracing/user_events_data";
static volatile uint32_t word;
static int up[2], down[2]; /* child to parent, parent to child */

static const char *err(long r)
{
	static char b[32];

	if (r >= 0) {
		snprintf(b, sizeof(b), "%ld", r);
		return b;
	}
	switch (errno) {
	case ENOENT: return "ENOENT";
	case EBUSY: return "EBUSY";
	}
	snprintf(b, sizeof(b), "errno%d", errno);
	return b;
}

static int open_data(void)
{
	return open(data, O_RDWR | O_CLOEXEC);
}

static long reg(int fd, const char *args)
{
	struct user_reg r = { .size = sizeof(r), .enable_size = 4,
			      .enable_addr = (uint64_t)(uintptr_t)&word,
			      .name_args = (uint64_t)(uintptr_t)args };

	return ioctl(fd, DIAG_IOCSREG, &r);
}

static long unreg(int fd)
{
	struct user_unreg u = { .size = sizeof(u),
				.disable_addr = (uint64_t)(uintptr_t)&word };

	return ioctl(fd, DIAG_IOCSUNREG, &u);
}

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

/* DIAG_IOCSDEL from a data file of our own, opened for it */
static const char *del(const char *name)
{
	int fd = open_data();
	const char *s = err(ioctl(fd, DIAG_IOCSDEL, name));

	close(fd);
	return s;
}

int main(int argc, char **argv)
{
	int fd;
	pid_t pid;

	if (argc == 4 && !strcmp(argv[1], "exec")) {
		/* the exec'd image: say it runs, wait to be let go */
		tell(atoi(argv[2]));
		await(atoi(argv[3]));
		return 0;
	}
	setvbuf(stdout, 0, _IONBF, 0);
	fd = open_data();
	if (fd < 0) {
		printf("open=%s\n", err(-1));
		return 0;
	}
	close(fd);
	if (pipe(up) || pipe(down))
		return 1;

	/* another process holds the event, then lets it go */
	pid = fork();
	if (pid == 0) {
		fd = open_data();
		if (reg(fd, "refs_other u32 v"))
			_exit(2);
		tell(up[1]);
		await(down[0]);
		unreg(fd);
		close(fd);
		tell(up[1]);
		await(down[0]);
		_exit(0);
	}
	await(up[0]);
	printf("del_while_other_process_holds=%s\n", del("refs_other"));
	tell(down[1]);
	await(up[0]);
	printf("del_after_other_unregisters=%s\n", del("refs_other"));
	tell(down[1]);
	waitpid(pid, 0, 0);

	/* the holder is killed without unregistering */
	pid = fork();
	if (pid == 0) {
		fd = open_data();
		if (reg(fd, "refs_killed u32 v"))
			_exit(2);
		tell(up[1]);
		await(down[0]);
		_exit(0);
	}
	await(up[0]);
	printf("del_while_held=%s\n", del("refs_killed"));
	kill(pid, SIGKILL);
	waitpid(pid, 0, 0);
	printf("del_after_holder_killed=%s\n", del("refs_killed"));

	/* the holder exits without unregistering */
	pid = fork();
	if (pid == 0) {
		fd = open_data();
		if (reg(fd, "refs_exited u32 v"))
			_exit(2);
		_exit(0);
	}
	waitpid(pid, 0, 0);
	printf("del_after_holder_exited=%s\n", del("refs_exited"));

	/* a fork child's copy of our registration */
	fd = open_data();
	printf("reg_before_fork=%s\n", err(reg(fd, "refs_fork u32 v")));
	pid = fork();
	if (pid == 0) {
		tell(up[1]);
		await(down[0]);
		_exit(0);
	}
	await(up[0]);
	unreg(fd);
	close(fd);
	printf("del_while_fork_child_has_copy=%s\n", del("refs_fork"));
	tell(down[1]);
	waitpid(pid, 0, 0);
	printf("del_after_fork_child_exits=%s\n", del("refs_fork"));

	/* an exec drops the copy */
	fd = open_data();
	printf("reg_before_exec=%s\n", err(reg(fd, "refs_exec u32 v")));
	pid = fork();
	if (pid == 0) {
		char a[16], b[16];

		snprintf(a, sizeof(a), "%d", up[1]);
		snprintf(b, sizeof(b), "%d", down[0]);
		execl("/proc/self/exe", argv[0], "exec", a, b, (char *)0);
		_exit(5);
	}
	await(up[0]);
	unreg(fd);
	close(fd);
	printf("del_after_child_exec=%s\n", del("refs_exec"));
	tell(down[1]);
	waitpid(pid, 0, 0);

	/* two holders, one ends (exit, then exec): the other still holds */
	fd = open_data();
	printf("reg_two_holders=%s\n", err(reg(fd, "refs_two u32 v")));
	pid = fork(); /* its copy: a second holder, which exits */
	if (pid == 0)
		_exit(0);
	waitpid(pid, 0, 0);
	printf("del_after_one_of_two_exits=%s\n", del("refs_two"));
	pid = fork(); /* a second holder, which execs */
	if (pid == 0) {
		char a[16], b[16];

		snprintf(a, sizeof(a), "%d", up[1]);
		snprintf(b, sizeof(b), "%d", down[0]);
		execl("/proc/self/exe", argv[0], "exec", a, b, (char *)0);
		_exit(5);
	}
	await(up[0]);
	printf("del_after_one_of_two_execs=%s\n", del("refs_two"));
	tell(down[1]);
	waitpid(pid, 0, 0);
	unreg(fd);
	close(fd);
	printf("del_after_last_holder_lets_go=%s\n", del("refs_two"));
	return 0;
}
