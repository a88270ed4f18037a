/* SPDX-License-Identifier: MIT */
/*
 * What the program sees of membarrier's SYNC_CORE registration, which
 * limen makes for its own live patching (tests/syscalls/membarrier_early.t):
 * with a second thread, before and after the program's own registration,
 * each asked several times (a site that is trapped, then rewritten).
 * Prints each answer; an errno as its name's number.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>

#define CMD_QUERY 0
#define CMD_PRIVATE_EXPEDITED_SYNC_CORE (1 << 5)
#define CMD_REGISTER_PRIVATE_EXPEDITED_SYNC_CORE (1 << 6)
#define CMD_PRIVATE_EXPEDITED (1 << 3)
#define CMD_REGISTER_PRIVATE_EXPEDITED (1 << 4)
#define CMD_REGISTER_PRIVATE_EXPEDITED_RSEQ (1 << 8)
#define CMD_GET_REGISTRATIONS (1 << 9) /* Linux 6.3 */

static long mb(int cmd, unsigned flags)
{
	long r = syscall(SYS_membarrier, cmd, flags, 0);

	return r < 0 ? -errno : r;
}

static void *spin(void *arg)
{
	for (int i = 0; i < 200; i++)
		getppid(); /* a site to rewrite while both threads live */
	return arg;
}

static void ask(const char *when)
{
	for (int i = 0; i < 4; i++)
		printf("%s: private %ld sync_core %ld registrations %ld bad_flags %ld\n",
		       when, mb(CMD_PRIVATE_EXPEDITED, 0),
		       mb(CMD_PRIVATE_EXPEDITED_SYNC_CORE, 0),
		       mb(CMD_GET_REGISTRATIONS, 0),
		       mb(CMD_PRIVATE_EXPEDITED_SYNC_CORE, 1));
}

int main(void)
{
	pthread_t t;

	if (mb(CMD_QUERY, 0) < 0 ||
	    !(mb(CMD_QUERY, 0) & CMD_PRIVATE_EXPEDITED_SYNC_CORE)) {
		puts("no SYNC_CORE here");
		return 0;
	}
	ask("alone");
	pthread_create(&t, 0, spin, 0);
	for (int i = 0; i < 200; i++)
		getppid();
	pthread_join(t, 0);
	ask("threaded");
	/* RSEQ's registration readies PRIVATE_EXPEDITED too */
	printf("register rseq %ld\n", mb(CMD_REGISTER_PRIVATE_EXPEDITED_RSEQ, 0));
	ask("rseq");
	printf("register sync_core %ld\n",
	       mb(CMD_REGISTER_PRIVATE_EXPEDITED_SYNC_CORE, 0));
	ask("registered");
	printf("register private %ld\n", mb(CMD_REGISTER_PRIVATE_EXPEDITED, 0));
	ask("private");
	return 0;
}
