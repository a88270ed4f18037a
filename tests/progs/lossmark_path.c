/* SPDX-License-Identifier: MIT */
/*
 * lossmark_path N PATH: as lossmark (getpid() as a start marker, a pause,
 * getpid() as the end marker), the loop N pairs of path calls on PATH
 * through libc's sites, which limen rewrites: access (its EXIT captures
 * nothing: the ENTER keeps its room) and stat (its EXIT captures the
 * struct: the ENTER alone). Between the markers a trace holds exactly
 * 4N + 2 events, shown or lost: tests/syscalls/lost_path.t counts them.
 */
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 20000;
	const char *path = argc > 2 ? argv[2] : "/etc/passwd";
	struct timespec settle = { 0, 200000000 };
	struct stat st;

	/* rewritten before the start marker: the loop's calls are the
	   quick way's from the first */
	for (int i = 0; i < 3; i++) {
		access(path, F_OK);
		stat(path, &st);
	}
	nanosleep(&settle, NULL);
	syscall(SYS_getpid);
	for (long i = 0; i < n; i++) {
		access(path, F_OK);
		stat(path, &st);
	}
	syscall(SYS_clock_nanosleep, CLOCK_REALTIME, 0, &settle, NULL);
	syscall(SYS_getpid);
	return 0;
}
