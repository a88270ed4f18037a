/* SPDX-License-Identifier: MIT */
/*
 * Records of different threads and processes whose order is fixed by the
 * program itself (tests/lone/order.t): each step writes a one-letter mark
 * to /dev/null (fd 3), and the steps of another thread or process are
 * waited for through a pipe, whose writes and reads carry no mark.
 *
 *   lone_order thread      A, a thread: 5 x (B and its signal s, M and
 *                          go g: the thread still lives), join, C, D
 *   lone_order fork        the same with a fork child
 *   lone_order forkexec    the child execs `lone_order child FD`
 *   lone_order vfork       vfork, then exec `lone_order child FD`
 *   lone_order exitfirst   a thread writes B and ends, main joins, C
 *   lone_order twice       two threads in turn, each after the other ended
 *   lone_order waitpark    a child X, s; another child B and its end
 *                          waited for; M, g; the first child N
 *   lone_order child FD G  (the exec'd child) B, signals on FD, waits
 *                          on G
 *   lone_order lag         400 ms of getppid, then nanosleep 100 ms
 *   lone_order sleep       nanosleep 20 ms between two marks (times)
 */
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int marks = 3;
static int sig[2], go[2];

static void mark(const char *m)
{
	if (write(marks, m, strlen(m)) < 0)
		exit(2);
}

static void signal_done(void)
{
	if (write(sig[1], "s", 1) != 1)
		exit(2);
}

static void wait_signal(void)
{
	char c;

	if (read(sig[0], &c, 1) != 1)
		exit(2);
}

/* ROUNDS times: the other side's B and signal, then our M and go while
   it still lives; then it ends */
#define ROUNDS 5

static void side_steps(const char *m)
{
	char c;

	for (int i = 0; i < ROUNDS; i++) {
		mark(m);
		signal_done();
		if (read(go[0], &c, 1) != 1)
			exit(2);
	}
}

static void main_steps(void)
{
	for (int i = 0; i < ROUNDS; i++) {
		wait_signal();
		mark("M");
		if (write(go[1], "g", 1) != 1)
			exit(2);
	}
}

static void *side(void *arg)
{
	side_steps(arg);
	return NULL;
}

static void *ends(void *arg)
{
	mark(arg);
	return NULL;
}

static void exec_child(void)
{
	char fd[16], gfd[16], self[4096];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);

	if (n < 0)
		_exit(3);
	self[n] = 0;
	snprintf(fd, sizeof(fd), "%d", sig[1]);
	snprintf(gfd, sizeof(gfd), "%d", go[0]);
	execl(self, self, "child", fd, gfd, (char *)NULL);
	_exit(4);
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "";
	pthread_t t;
	pid_t pid;

	if (!strcmp(mode, "child") && argc > 3) {
		sig[1] = atoi(argv[2]);
		go[0] = atoi(argv[3]);
		marks = open("/dev/null", O_WRONLY);
		side_steps("B");
		return 0;
	}
	if (open("/dev/null", O_WRONLY) != marks || pipe(sig) < 0 ||
	    pipe(go) < 0)
		return 2;
	mark("A");
	if (!strcmp(mode, "thread")) {
		pthread_create(&t, NULL, side, "B");
		main_steps();
		pthread_join(t, NULL);
	} else if (!strcmp(mode, "fork")) {
		pid = fork();
		if (pid == 0) {
			side_steps("B");
			_exit(0);
		}
		main_steps();
		waitpid(pid, NULL, 0);
	} else if (!strcmp(mode, "forkexec") || !strcmp(mode, "vfork")) {
		pid = !strcmp(mode, "vfork") ? vfork() : fork();
		if (pid == 0)
			exec_child();
		main_steps();
		waitpid(pid, NULL, 0);
	} else if (!strcmp(mode, "exitfirst")) {
		pthread_create(&t, NULL, ends, "B");
		pthread_join(t, NULL);
	} else if (!strcmp(mode, "twice")) {
		pthread_create(&t, NULL, ends, "B");
		pthread_join(t, NULL);
		mark("M");
		pthread_create(&t, NULL, ends, "N");
		pthread_join(t, NULL);
	} else if (!strcmp(mode, "waitpark")) {
		/* a child that lives on while its parent waits for another */
		pid_t other;
		char c;

		pid = fork();
		if (pid == 0) {
			mark("X");
			signal_done();
			if (read(go[0], &c, 1) != 1)
				_exit(2);
			mark("N");
			_exit(0);
		}
		wait_signal();
		other = fork();
		if (other == 0) {
			mark("B");
			_exit(0);
		}
		waitpid(other, NULL, 0);
		mark("M");
		if (write(go[1], "g", 1) != 1)
			return 2;
		waitpid(pid, NULL, 0);
	} else if (!strcmp(mode, "lag")) {
		/* 400 ms of calls alone, then a call that blocks 100 ms */
		struct timespec t0, t1, ts = { 0, 100 * 1000 * 1000 };

		clock_gettime(CLOCK_MONOTONIC, &t0);
		do {
			for (int i = 0; i < 1000; i++)
				getppid();
			clock_gettime(CLOCK_MONOTONIC, &t1);
		} while ((t1.tv_sec - t0.tv_sec) * 1000000000L +
				 (t1.tv_nsec - t0.tv_nsec) < 400000000L);
		nanosleep(&ts, NULL);
	} else if (!strcmp(mode, "sleep")) {
		struct timespec ts = { 0, 20 * 1000 * 1000 };

		nanosleep(&ts, NULL);
	} else {
		return 2;
	}
	mark("C");
	mark("D");
	return 0;
}
