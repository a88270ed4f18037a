/* SPDX-License-Identifier: MIT */
/*
 * pathonce N PATH: N open+close pairs of PATH with SIGSEGV and SIGBUS
 * blocked, so that each read limen makes of the program's memory is a
 * process_vm_readv (src/runtime/safe.c) that tests/syscalls/pathonce.t
 * counts with strace.
 */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 1000;
	const char *path = argc > 2 ? argv[2] : "/etc/hostname";
	sigset_t s;
	long ok = 0;

	sigemptyset(&s);
	sigaddset(&s, SIGSEGV);
	sigaddset(&s, SIGBUS);
	sigprocmask(SIG_BLOCK, &s, 0);
	for (long i = 0; i < n; i++) {
		int fd = open(path, O_RDONLY);

		if (fd >= 0) {
			ok++;
			close(fd);
		}
	}
	printf("%ld of %ld opened\n", ok, n);
	return 0;
}
