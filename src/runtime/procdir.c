/* SPDX-License-Identifier: MIT */
/*
 * Reading /proc without libc, callable from a signal handler: the numbered
 * entries of a directory (/proc/self/fd, /proc/self/task), listed with
 * getdents64 into a small buffer on the stack, and the numbers and fields
 * of its text files (maps, status).
 */
#include <fcntl.h>
#include <sys/syscall.h>

#include "raw.h"
#include "rt.h"

#define DENTS_BUF 1024u
#define NUM_DIGITS 10   /* a descriptor or a thread id: below 2^31 */

struct numbers {
	const char *path;
	int (*fn)(void *ctx, long n, const char *name, long dir);
	void *ctx;
};

static long numbers(void *arg, int helper)
{
	const struct numbers *nb = arg;
	char dents[DENTS_BUF];
	long dir, got;
	int stop = 0;

	(void)helper;
	dir = limen_sys4(SYS_openat, AT_FDCWD, nb->path,
			 O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);
	if (dir < 0)
		return -1;
	while (!stop &&
	       (got = limen_sys3(SYS_getdents64, dir, dents, sizeof(dents))) > 0) {
		for (long off = 0; off + 19 < got && !stop;) {
			/* struct linux_dirent64: ino, off, reclen, type, name */
			const char *name = dents + off + 19;
			uint16_t reclen;
			long n = 0;
			int i;

			memcpy(&reclen, dents + off + 16, sizeof(reclen));
			if (reclen < 20 || off + reclen > got)
				break;
			off += reclen;
			for (i = 0; i < NUM_DIGITS && name[i] >= '0' &&
				    name[i] <= '9'; i++)
				n = n * 10 + (name[i] - '0');
			if (i && !name[i])
				stop = nb->fn(nb->ctx, n, name, dir);
		}
	}
	limen_sys1(SYS_close, dir);
	return stop;
}

/* rt.h; aside where other threads share the descriptors (aside.c): fn
   then runs in the helper, whose gettid is its own */
int limen_proc_numbers(const char *path,
		       int (*fn)(void *ctx, long n, const char *name, long dir),
		       void *ctx)
{
	struct numbers nb = { path, fn, ctx };
	long r;

	limen_aside(numbers, &nb, &r);
	return (int)r;
}

uint64_t limen_proc_num(const char **p, unsigned base)
{
	uint64_t v = 0;

	for (;; (*p)++) {
		char c = **p;

		if (c >= '0' && c <= '9')
			v = v * base + (uint64_t)(c - '0');
		else if (base == 16 && c >= 'a' && c <= 'f')
			v = v * 16 + (uint64_t)(c - 'a' + 10);
		else
			return v;
	}
}

const char *limen_proc_field(const char *p)
{
	while (*p && *p != ' ')
		p++;
	while (*p == ' ')
		p++;
	return p;
}

/* rt.h */
void limen_task_path(char *buf, size_t size, const char *name,
		     const char *leaf)
{
	size_t n = 0;

	for (const char *s = "/proc/self/task/"; *s && n + 1 < size; s++)
		buf[n++] = *s;
	for (const char *s = name; *s && n + 1 < size; s++)
		buf[n++] = *s;
	for (const char *s = leaf; *s && n + 1 < size; s++)
		buf[n++] = *s;
	buf[n] = 0;
}
