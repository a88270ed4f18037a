/* SPDX-License-Identifier: MIT */
/*
 * A user_events_data descriptor and posix_spawn (a vfork child: it shares
 * the parent's memory until it execs, not its descriptors), written
 * against the uapi only (tests/uevent/spawn_keeps_file.t). On Linux a
 * child that closes its copy of the descriptor before its exec leaves the
 * parent's file as it is; a child that keeps it has the same file after
 * its exec (the refs array, the write_index), and holds the file's
 * events until it ends, the parent's descriptor closed or not; a file the
 * child's file action opens is the child's, gone when it ends.
 *
 * Run with -f -e uevent=sp_b (sp_a has no tracer: a write of it is EBADF
 * once its index is found). One line per step.
 */
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "uevent_calls.h"

#define DATA "/sys/kernel/tracing/user_events_data"

extern char **environ;
static volatile uint32_t wa, wb;

/* the spawned image: fd is its parent's file; ready: the pipe to say it
   wrote; wait: the pipe whose end says it may go */
static int spawned(int fd, int ready, int wait)
{
	char c;

	printf("spawned_write_b=%s\n", err(emit(fd, 1, 51)));
	printf("spawned_write_a=%s\n", err(emit(fd, 0, 52)));
	if (write(ready, "x", 1) != 1)
		return 3;
	while (read(wait, &c, 1) > 0)
		;
	return 0;
}

/* the spawned image whose user_events_data the spawn's file action
   opened (as descriptor OPENED) in the vfork child */
#define OPENED 20
static int opened(void)
{
	uint32_t i = 99;

	printf("opened_reg_c=%s", err(reg(OPENED, "sp_c u32 v", &wa, 0, &i)));
	printf(" index=%u\n", i);
	printf("opened_reg_b=%s", err(reg(OPENED, "sp_b u32 v", &wb, 0, &i)));
	printf(" index=%u\n", i);
	printf("opened_write_b=%s\n", err(emit(OPENED, i, 53)));
	return 0;
}

int main(int argc, char **argv)
{
	posix_spawn_file_actions_t fa;
	char a1[16], a2[16], a3[16];
	int fd, fd2, ready[2], go[2];
	uint32_t i = 99;
	pid_t pid;
	char c;

	setvbuf(stdout, 0, _IONBF, 0);
	if (argc == 2 && !strcmp(argv[1], "opened"))
		return opened();
	if (argc == 5 && !strcmp(argv[1], "spawned"))
		return spawned(atoi(argv[2]), atoi(argv[3]), atoi(argv[4]));
	fd = open(DATA, O_RDWR);
	if (fd < 0) {
		printf("open=%s\n", err(-1));
		return 0;
	}
	printf("reg_a=%s", err(reg(fd, "sp_a u32 v", &wa, 0, &i)));
	printf(" index=%u\n", i);
	printf("reg_b=%s", err(reg(fd, "sp_b u32 v", &wb, 0, &i)));
	printf(" index=%u\n", i);

	/* a child that closes its copy before its exec */
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addclose(&fa, fd);
	char *t[] = { "true", 0 };
	if (posix_spawnp(&pid, "true", &fa, 0, t, environ))
		return 1;
	posix_spawn_file_actions_destroy(&fa);
	waitpid(pid, 0, 0);
	printf("write_after_child_closed_its_copy=%s\n", err(emit(fd, 1, 50)));

	/* a child that keeps it across its exec */
	if (pipe(ready) || pipe(go))
		return 1;
	snprintf(a1, sizeof(a1), "%d", fd);
	snprintf(a2, sizeof(a2), "%d", ready[1]);
	snprintf(a3, sizeof(a3), "%d", go[0]);
	char *s[] = { argv[0], "spawned", a1, a2, a3, 0 };
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addclose(&fa, go[1]);
	if (posix_spawn(&pid, "/proc/self/exe", &fa, 0, s, environ))
		return 1;
	posix_spawn_file_actions_destroy(&fa);
	close(go[0]);
	close(ready[1]);
	if (read(ready[0], &c, 1) != 1)
		return 1;
	unreg(fd, &wa, 0);
	unreg(fd, &wb, 0);
	fd2 = open(DATA, O_RDWR);
	close(fd);
	printf("del_a_spawned_child_has_file=%s\n",
	       err(ioctl(fd2, DIAG_IOCSDEL, "sp_a")));
	close(go[1]);
	waitpid(pid, 0, 0);
	printf("del_a_after_spawned_child_ended=%s\n",
	       err(ioctl(fd2, DIAG_IOCSDEL, "sp_a")));

	/* a child whose file action opens a user_events_data: its own
	   file, gone with it */
	char *o[] = { argv[0], "opened", 0 };
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, OPENED, DATA, O_RDWR, 0);
	if (posix_spawn(&pid, "/proc/self/exe", &fa, 0, o, environ))
		return 1;
	posix_spawn_file_actions_destroy(&fa);
	waitpid(pid, 0, 0);
	printf("del_c_after_opening_child_ended=%s\n",
	       err(ioctl(fd2, DIAG_IOCSDEL, "sp_c")));
	return 0;
}
