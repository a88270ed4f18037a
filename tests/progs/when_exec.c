/* SPDX-License-Identifier: MIT */
/*
 * when_exec [IMAGES]: three getppid calls in each of IMAGES images of one
 * process (execve of itself, IMAGES-1 times), then, in the last, a fork
 * child doing three more: prints which calls returned 42 (the value
 * tests/filter/when_exec.t injects) and any LIMEN_ variable the last image
 * sees in its environment.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

static void three(const char *who, int image)
{
	for (int i = 0; i < 3; i++)
		printf("%s image %d call %d: %s\n", who, image, i,
		       getppid() == 42 ? "injected" : "real");
	fflush(stdout);
}

int main(int argc, char **argv)
{
	int images = argc > 1 ? atoi(argv[1]) : 2;
	int image = argc > 2 ? atoi(argv[2]) : 1;
	char left[16], now[16];
	pid_t c;
	int st;

	three("process", image);
	if (image < images) {
		snprintf(left, sizeof(left), "%d", images);
		snprintf(now, sizeof(now), "%d", image + 1);
		execl("/proc/self/exe", argv[0], left, now, (char *)0);
		perror("execl");
		return 1;
	}
	c = fork();
	if (c == 0) {
		three("child", image);
		_exit(0);
	}
	waitpid(c, &st, 0);
	for (char **e = environ; *e; e++)
		if (!strncmp(*e, "LIMEN_", 6))
			printf("environment: %s\n", *e);
	return 0;
}
