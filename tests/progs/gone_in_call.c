/* SPDX-License-Identifier: MIT */
/*
 * A thread that ends inside a call, nothing printed between its entry and
 * its end (tests/collector/gone_whole.t):
 *   gone_in_call exit|kill: a second thread blocks in read() of a pipe
 *	nothing writes, the main thread then calls exit(0) or raise(SIGKILL)
 *	(it makes no call in between that the test selects);
 *   gone_in_call poll: as exit, the second thread blocked in poll() of
 *	the pipe (its arguments all shown at entry, its revents at exit);
 *   gone_in_call self: kill(getpid(), SIGKILL), single-threaded.
 */
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

static int p[2];

static void *reader(void *arg)
{
	struct pollfd f = { .fd = p[0], .events = POLLIN };
	char c;

	if (arg)
		return (void *)(long)poll(&f, 1, -1);
	return (void *)(long)read(p[0], &c, 1);
}

int main(int argc, char **argv)
{
	const char *m = argc > 1 ? argv[1] : "";
	pthread_t t;

	if (!strcmp(m, "self"))
		return (int)syscall(SYS_kill, (long)getpid(), SIGKILL);
	if (pipe(p) ||
	    pthread_create(&t, NULL, reader, (void *)(long)!strcmp(m, "poll")))
		return 1;
	usleep(30000); /* the reader is in its read by then, and limen has
			  not yet shown it as blocked (200 ms) */
	if (!strcmp(m, "kill"))
		raise(SIGKILL);
	exit(0);
}
