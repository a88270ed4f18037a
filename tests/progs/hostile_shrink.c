/* SPDX-License-Identifier: MIT */
/*
 * A traced program that reopens the session's memfd through the collector's
 * /proc/PID/fd (its parent is the collector) and tries to shrink and grow
 * it. Prints the errno names it got, then makes 1000 getppid calls: the
 * collector must survive (a shrunk memfd would kill it with SIGBUS).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

static const char *err(int r)
{
	return r == 0 ? "0" : errno == EPERM ? "EPERM" : strerror(errno);
}

int main(void)
{
	char dir[64], path[384], target[256];
	struct dirent *d;
	struct stat sb;
	DIR *dp;
	int fd = -1;

	snprintf(dir, sizeof(dir), "/proc/%d/fd", (int)getppid());
	dp = opendir(dir);
	while (dp && fd < 0 && (d = readdir(dp))) {
		ssize_t n;

		snprintf(path, sizeof(path), "%s/%s", dir, d->d_name);
		n = readlink(path, target, sizeof(target) - 1);
		if (n <= 0)
			continue;
		target[n] = 0;
		if (strstr(target, "memfd:limen-session"))
			fd = open(path, O_RDWR | O_CLOEXEC);
	}
	if (dp)
		closedir(dp);
	if (fd < 0 || fstat(fd, &sb) < 0) {
		printf("no session\n");
		return 2;
	}
	printf("shrink: %s\n", err(ftruncate(fd, 0)));
	printf("grow: %s\n", err(ftruncate(fd, sb.st_size + (1 << 20))));
	for (int i = 0; i < 1000; i++)
		syscall(SYS_getppid);
	return 0;
}
