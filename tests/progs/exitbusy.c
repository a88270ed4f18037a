/* SPDX-License-Identifier: MIT */
/*
 * exit_group while other threads are busy making calls: 4 threads loop on
 * getppid and nanosleep of 0 while the main thread, once each of them has
 * made calls, calls exit(6). Between that exit_group's entry and the
 * kernel ending them, the others go on and may make more calls: strace -f
 * shows those before each thread's "+++ exited with 6 +++", never after.
 *
 * How many they make in that window is the machine's timing; one more
 * thread makes it certain: the program's own seccomp filter hands
 * exit_group to it (SECCOMP_RET_USER_NOTIF), and it makes 10 getppid
 * calls after the call was entered, before letting it go on
 * (SECCOMP_USER_NOTIF_FLAG_CONTINUE). Exits 77 if the kernel cannot.
 */
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <pthread.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define NTHREADS 4

static int started, listener;

static void *busy(void *arg)
{
	struct timespec zero = { 0, 0 };

	for (long k = 0;; k++) {
		syscall(SYS_getppid);
		nanosleep(&zero, NULL);
		if (k == 100)
			__atomic_add_fetch(&started, 1, __ATOMIC_RELEASE);
	}
	return arg;
}

/* main's exit_group waits in the kernel for our answer */
static void *supervise(void *arg)
{
	struct seccomp_notif req;
	struct seccomp_notif_resp resp;

	memset(&req, 0, sizeof(req));
	if (ioctl(listener, SECCOMP_IOCTL_NOTIF_RECV, &req))
		_exit(3);
	for (int k = 0; k < 10; k++)
		syscall(SYS_getppid);
	memset(&resp, 0, sizeof(resp));
	resp.id = req.id;
	resp.flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
	if (ioctl(listener, SECCOMP_IOCTL_NOTIF_SEND, &resp))
		_exit(4);
	for (;;)
		pause();
	return arg;
}

int main(void)
{
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			 offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_exit_group, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_USER_NOTIF),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { .len = sizeof(f) / sizeof(f[0]),
				   .filter = f };
	pthread_t t;

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
		return 77;
	listener = (int)syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER,
				SECCOMP_FILTER_FLAG_NEW_LISTENER, &prog);
	if (listener < 0)
		return 77;
	pthread_create(&t, NULL, supervise, NULL);
	for (int k = 0; k < NTHREADS; k++)
		pthread_create(&t, NULL, busy, NULL);
	/* each thread is in its loop: they are making calls when we exit */
	while (__atomic_load_n(&started, __ATOMIC_ACQUIRE) < NTHREADS)
		sched_yield();
	exit(6);
}
