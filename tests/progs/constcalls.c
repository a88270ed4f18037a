/* SPDX-License-Identifier: MIT */
/*
 * Calls whose arguments are named constants (flags, enums, AT_FDCWD, a
 * st_mode), for -X raw/abbrev/verbose (tests/cli/xstyle.t). The first
 * call opens argv[1]; the loader never makes these calls after it.
 */
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct stat st;
	int one = 1, fd, s;
	void *p;

	if (argc < 2)
		return 2;
	fd = openat(AT_FDCWD, argv[1], O_RDONLY | O_CLOEXEC);
	fcntl(fd, F_GETFD);
	fcntl(fd, F_SETFD, FD_CLOEXEC);
	lseek(fd, 0, SEEK_CUR);
	fstatat(AT_FDCWD, argv[1], &st, 0);
	s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		 -1, 0);
	munmap(p, 4096);
	close(s);
	close(fd);
	return 0;
}
