/* SPDX-License-Identifier: MIT */
/*
 * 8 pthreads, each 100 x open/read/close of /etc/hostname, all at once.
 * Prints a deterministic per-thread summary (in thread order, after join).
 */
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define NTHREADS 8
#define ITER 100

static char reference[4096];
static ssize_t reflen;

struct res {
	int id, opens, same;
	long bytes;
};

static pthread_barrier_t start;

static void *worker(void *arg)
{
	struct res *r = arg;
	char buf[4096];

	pthread_barrier_wait(&start);
	for (int i = 0; i < ITER; i++) {
		int fd = open("/etc/hostname", O_RDONLY | O_CLOEXEC);
		ssize_t n;
		if (fd < 0)
			continue;
		r->opens++;
		n = read(fd, buf, sizeof buf);
		if (n > 0)
			r->bytes += n;
		if (n == reflen && memcmp(buf, reference, n) == 0)
			r->same++;
		close(fd);
	}
	return NULL;
}

int main(void)
{
	pthread_t t[NTHREADS];
	struct res res[NTHREADS];
	int fd, bad = 0;

	fd = open("/etc/hostname", O_RDONLY);
	if (fd < 0 || (reflen = read(fd, reference, sizeof reference)) < 0)
		return 1;
	close(fd);
	pthread_barrier_init(&start, NULL, NTHREADS);
	for (int i = 0; i < NTHREADS; i++) {
		memset(&res[i], 0, sizeof res[i]);
		res[i].id = i;
		if (pthread_create(&t[i], NULL, worker, &res[i]))
			return 1;
	}
	for (int i = 0; i < NTHREADS; i++)
		pthread_join(t[i], NULL);
	for (int i = 0; i < NTHREADS; i++) {
		printf("thread %d: %d opens, %d identical reads, %ld bytes "
		       "(= %d x file size: %s)\n", res[i].id, res[i].opens,
		       res[i].same, res[i].bytes, ITER,
		       res[i].bytes == ITER * reflen ? "yes" : "no");
		bad |= res[i].opens != ITER || res[i].same != ITER ||
		       res[i].bytes != ITER * reflen;
	}
	printf(bad ? "FAIL\n" : "ok\n");
	return bad;
}
