/* SPDX-License-Identifier: MIT */
/*
 * A thread other than the leader calls execve while the leader and a
 * third thread wait in pause: the kernel ends the two and the exec'ing
 * thread goes on with the leader's id. The new image is this program
 * again with "done", which exits 4. With "lone", no third thread: the
 * leader alone waits. tests/collector/thread_execs.t.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char *self;

static void *waits(void *a)
{
	(void)a;
	for (;;)
		pause();
	return NULL;
}

static void *execs(void *a)
{
	(void)a;
	usleep(100000);
	execl(self, self, "done", (char *)NULL);
	exit(1);
}

int main(int argc, char **argv)
{
	pthread_t w, x;

	if (argc > 1 && !strcmp(argv[1], "done"))
		return 4;
	self = argv[0];
	if ((!(argc > 1 && !strcmp(argv[1], "lone")) &&
	     pthread_create(&w, NULL, waits, NULL)) ||
	    pthread_create(&x, NULL, execs, NULL))
		return 1;
	for (;;)
		pause();
}
