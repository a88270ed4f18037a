/* SPDX-License-Identifier: MIT */
/*
 * A detached child's id given to a later child (tests/cli/detach_reuse.t):
 * with SIGCHLD ignored the kernel reaps children itself, so no wait says
 * the first one ended. reuse_detached makes a child that execs /bin/true
 * (-b execve detaches it; with "spawn", through posix_spawn: clone3 with
 * CLONE_VFORK, whose return tells limen the exec succeeded), waits until
 * it is gone, then makes a second
 * child with the same id (clone3's set_tid: needs CAP_CHECKPOINT_RESTORE
 * in the PID namespace's owner, as in `unshare -Urpf`), which calls
 * getppid and exits 7. Prints "reused PID" or why it could not, exits 0;
 * 2 when the id could not be had (the test skips).
 */
#include <errno.h>
#include <linux/sched.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

int main(int argc, char **argv)
{
	char *av[] = { "true", NULL };
	pid_t a, b;
	struct clone_args ca;

	signal(SIGCHLD, SIG_IGN);
	if (argc > 1 && !strcmp(argv[1], "spawn")) {
		if (posix_spawn(&a, "/bin/true", NULL, NULL, av, environ))
			return 1;
	} else if ((a = fork()) < 0) {
		return 1;
	} else if (a == 0) {
		execl("/bin/true", "true", (char *)NULL);
		_exit(127);
	}
	/* with SIGCHLD ignored, wait returns ECHILD once every child has
	   ended and been reaped by the kernel */
	while (wait(NULL) >= 0 || errno == EINTR)
		;
	memset(&ca, 0, sizeof(ca));
	ca.set_tid = (unsigned long)&a;
	ca.set_tid_size = 1;
	ca.exit_signal = SIGCHLD;
	/* the kernel frees the id a moment after the wait has seen the
	   child gone */
	for (int i = 0; i < 1000; i++) {
		b = (pid_t)syscall(SYS_clone3, &ca, sizeof(ca));
		if (b >= 0 || errno != EEXIST)
			break;
		usleep(1000);
	}
	if (b < 0) {
		printf("no set_tid: %s\n", strerror(errno));
		return 2;
	}
	if (b == 0) {
		syscall(SYS_getppid);
		_exit(7);
	}
	while (wait(NULL) >= 0 || errno == EINTR)
		;
	printf("reused %d\n", (int)b);
	return 0;
}
