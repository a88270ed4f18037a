/* SPDX-License-Identifier: MIT */
/*
 * Which thread takes a signal sent to the whole process. For a kill() the
 * kernel tries the thread group's leader first and takes it if the signal
 * is not blocked there and the leader is asleep (or running): so the main
 * thread, asleep in a call, is the one whose handler runs, whichever
 * thread sent it (python's faulthandler relies on it to print the main
 * thread's stack). For tests/syscalls/groupsig_target.t.
 *   groupsig_target join|read|sleep SIG
 *       the main thread waits in pthread_join, a read of a pipe or
 *       nanosleep; a second thread sees it asleep there
 *       (/proc/self/task/TID/syscall), then kill()s the process with SIG,
 *       which neither thread blocks
 *   groupsig_target zombie SIG
 *       the main thread has ended (pthread_exit: the leader is a zombie,
 *       passed over); of the two threads left, the first blocks SIG, the
 *       second handles it; another process (a child) kill()s the process
 *       once both wait in read(): the kernel gives SIG to the second
 * It prints which thread's handler ran; alarm(5) ends a lost signal.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

static int sig, done[2], wake[2];
static pid_t main_tid;
static volatile sig_atomic_t taken_by, woken;

static void on_sig(int s)
{
	(void)s;
	taken_by = gettid();
	if (write(done[1], "d", 1) != 1)
		_exit(3);
}

/* Is the main thread asleep in call nr? (/proc's syscall file: the number
 * first while the thread is blocked in a call, "running" otherwise) */
static int main_asleep_in(long nr)
{
	char path[64], buf[256];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/self/task/%d/syscall", main_tid);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = 0;
	return strtol(buf, NULL, 10) == nr && buf[0] >= '0' && buf[0] <= '9';
}

static void *sender(void *arg)
{
	long nr = (long)arg;
	struct timespec tick = { 0, 1000000 };
	char c;
	int r;

	/* polled, not timed: the main thread's call blocks until we end it */
	while ((r = main_asleep_in(nr)) == 0)
		nanosleep(&tick, NULL);
	if (r < 0)
		exit(2);
	kill(getpid(), sig);
	while (read(done[0], &c, 1) < 0 && errno == EINTR)
		;
	/* end the main thread's wait */
	woken = 1;
	if (write(wake[1], "w", 1) != 1)
		exit(3);
	return NULL;
}

static pid_t blocker_tid, handler_tid;
static int ready[2];

static void *blocker(void *arg)
{
	sigset_t set;
	char c;

	(void)arg;
	sigemptyset(&set);
	sigaddset(&set, sig);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	blocker_tid = gettid();
	if (write(ready[1], "r", 1) != 1)
		exit(3);
	while (read(wake[0], &c, 1) < 0)
		;
	return NULL;
}

static void *handler(void *arg)
{
	char c;

	(void)arg;
	handler_tid = gettid();
	if (write(ready[1], "r", 1) != 1)
		exit(3);
	while (read(done[0], &c, 1) < 0)
		;
	printf("zombie: signal %d taken by the %s\n", sig,
	       taken_by == handler_tid ? "thread that does not block it" :
					 "thread that blocks it");
	fflush(stdout);
	if (write(wake[1], "w", 1) != 1)
		exit(3);
	exit(0);
}

/* Is thread tid of process pid asleep in a read? */
static int asleep_in_read(pid_t pid, pid_t tid)
{
	char path[64], buf[256];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/task/%d/syscall", pid, tid);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	return n > 2 && buf[0] == '0' && buf[1] == ' ';
}

static int leader_zombie(pid_t pid)
{
	char path[64], buf[512], *st;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = 0;
	st = strstr(buf, "State:\t");
	return st && st[7] == 'Z';
}

/* The main thread ends; a child sends SIG when the leader is a zombie and
 * both threads wait in read. */
static int zombie(void)
{
	struct timespec tick = { 0, 1000000 };
	pthread_t a, b;
	pid_t pid = getpid();
	char c;

	if (pipe(ready) || pthread_create(&a, NULL, blocker, NULL) ||
	    read(ready[0], &c, 1) != 1 ||
	    pthread_create(&b, NULL, handler, NULL) ||
	    read(ready[0], &c, 1) != 1)
		return 2;
	switch (fork()) {
	case -1:
		return 2;
	case 0:
		while (!leader_zombie(pid) || !asleep_in_read(pid, blocker_tid) ||
		       !asleep_in_read(pid, handler_tid))
			nanosleep(&tick, NULL);
		kill(pid, sig);
		_exit(0);
	}
	pthread_exit(NULL);
}

int main(int argc, char **argv)
{
	struct timespec nap = { 0, 20000000 };
	struct sigaction sa;
	pthread_t t;
	long nr;
	char c;

	if (argc < 3)
		return 2;
	sig = atoi(argv[2]);
	if (!strcmp(argv[1], "zombie"))
		nr = -1;
	else if (!strcmp(argv[1], "join"))
		nr = SYS_futex;
	else if (!strcmp(argv[1], "read"))
		nr = SYS_read;
	else if (!strcmp(argv[1], "sleep"))
		nr = SYS_clock_nanosleep;
	else
		return 2;
	alarm(5);
	main_tid = gettid();
	if (pipe(done) || pipe(wake))
		return 2;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_sig;
	sa.sa_flags = SA_RESTART;
	sigaction(sig, &sa, NULL);
	if (nr < 0)
		return zombie();
	if (pthread_create(&t, NULL, sender, (void *)nr))
		return 2;
	if (nr == SYS_futex) {
		pthread_join(t, NULL);
	} else if (nr == SYS_read) {
		while (read(wake[0], &c, 1) < 0 && errno == EINTR)
			;
		pthread_join(t, NULL);
	} else {
		while (!woken)
			syscall(SYS_clock_nanosleep, CLOCK_MONOTONIC, 0,
				&nap, NULL);
		pthread_join(t, NULL);
	}
	printf("%s: signal %d taken by the %s\n", argv[1], sig,
	       taken_by == main_tid ? "main thread" : "sending thread");
	return 0;
}
