/* SPDX-License-Identifier: MIT */
/*
 * fatal MODE: die of a signal at its default action, as a program does
 * (tests/syscalls/fatal_signal_line.t): segv (a store to address 8), trap
 * (int3), ill (ud2), bus (a load past the end of a file's mapping),
 * abort, pipe (a write to a pipe nobody reads), alarm (SIGALRM in a
 * pause), sleep-CALL (asleep in CALL when a child sends it SIGPIPE: poll,
 * polltimeout, ppoll, futex with a timeout, msgrcv, nanosleep, pause).
 * Core dumps off.
 */
#include <fcntl.h>
#include <linux/futex.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/msg.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	const char *m = argc > 1 ? argv[1] : "";
	struct rlimit no = { 0, 0 };

	setrlimit(RLIMIT_CORE, &no);
	if (!strcmp(m, "segv")) {
		*(volatile int *)8 = 1;
	} else if (!strcmp(m, "trap")) {
		__asm__ volatile("int3");
	} else if (!strcmp(m, "ill")) {
		__asm__ volatile("ud2");
	} else if (!strcmp(m, "bus")) {
		char path[] = "/tmp/limen-fatal-XXXXXX";
		int fd = mkstemp(path);
		volatile char *p;

		if (fd < 0)
			return 2;
		unlink(path);
		p = mmap(NULL, 8192, PROT_READ, MAP_SHARED, fd, 0);
		if (p == MAP_FAILED)
			return 2;
		return p[0]; /* the file is empty: SIGBUS */
	} else if (!strcmp(m, "abort")) {
		abort();
	} else if (!strncmp(m, "sleep-", 6)) {
		/* asleep in a call when a SIGPIPE sent from elsewhere kills */
		struct timespec ts = { 5, 0 };
		int f = 0;

		if (fork() == 0) {
			usleep(200000);
			kill(getppid(), SIGPIPE);
			_exit(0);
		}
		m += 6;
		if (!strcmp(m, "poll"))
			poll(NULL, 0, -1);
		else if (!strcmp(m, "polltimeout"))
			poll(NULL, 0, 5000);
		else if (!strcmp(m, "ppoll"))
			ppoll(NULL, 0, NULL, NULL);
		else if (!strcmp(m, "futex"))
			syscall(SYS_futex, &f, FUTEX_WAIT, 0, &ts, 0, 0);
		else if (!strcmp(m, "msgrcv")) {
			struct { long t; char x[8]; } msg;
			int q = msgget(IPC_PRIVATE, 0600);

			msgrcv(q, &msg, 8, 0, 0);
		} else if (!strcmp(m, "nanosleep"))
			nanosleep(&ts, NULL);
		else if (!strcmp(m, "pause"))
			pause();
	} else if (!strcmp(m, "alarm")) {
		alarm(1);
		pause();
	} else if (!strcmp(m, "pipe")) {
		int fd[2];

		if (pipe(fd))
			return 2;
		close(fd[0]);
		if (write(fd[1], "x", 1) < 0)
			return 3;
	}
	return 1;
}
