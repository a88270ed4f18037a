/* SPDX-License-Identifier: MIT */
/*
 * fatal MODE: die of a signal at its default action, as a program does
 * (tests/syscalls/fatal_signal_line.t): segv (a store to address 8), trap
 * (int3), ill (ud2), bus (a load past the end of a file's mapping),
 * abort, pipe (a write to a pipe nobody reads), alarm (SIGALRM in a
 * pause). Core dumps off.
 */
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
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
