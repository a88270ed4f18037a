/* SPDX-License-Identifier: MIT */
/*
 * Children that end by a signal, reaped in the ways a trace must tell them
 * by (tests/collector/killed_unselected.t). Prints "child PID SIGNAL" for
 * each, then the parent exits 0.
 *
 *   wait4: raise(SIGTERM), reaped by wait4 while a SIGCHLD handler runs;
 *   waitid: raise(SIGUSR1), looked at by waitid(WNOWAIT), then reaped by
 *	waitid;
 *   early: SIGKILLed by the parent as soon as fork returns, most often
 *	before the child ran an instruction of its own;
 *   stopped4, stoppedid: SIGSTOPped as soon as fork returns, seen
 *	stopped by a wait4(WUNTRACED) or waitid(WSTOPPED), SIGCONTinued and
 *	seen so (WCONTINUED), then SIGKILLed and reaped: the stop and the
 *	continue that a wait reports are no end;
 *   wait4null, waitidnull: raise(SIGTERM), reaped by a wait that throws
 *	the status away (wait4's NULL status, waitid's NULL infop), as
 *	waitpid(pid, NULL, 0) does, while a SIGCHLD handler runs;
 *   wait4ro, wait4bad, waitidro, waitidbad: raise(SIGTERM), reaped by a
 *	wait whose status or infop points into a read-only page or at no
 *	memory: the kernel reaps the child, then its copy faults (EFAULT);
 *	the wait must fail so, the child be gone, the page be untouched;
 *   waitidsplit: the same, the infop across the end of a writable page
 *	into a read-only one: the kernel writes si_signo, si_errno and
 *	si_code, then faults; prints the writable page's last 16 bytes
 *	(on a line of their own after the child's, as the two below);
 *   wait4ru, waitidru: the same, the status or infop good and the
 *	struct rusage in a read-only page: wait4 writes the status, then
 *	faults; waitid faults before it writes the infop; prints the status
 *	word, or whether the infop was written;
 *   untouched: what the waits leave in memory where the kernel writes
 *	nothing (wait4's status after WNOHANG found none, or ECHILD; the
 *	bytes of waitid's siginfo it does not write, after ECHILD and after
 *	a reap), printed: the same bare and traced.
 */
#include <signal.h>
#include <stdio.h>
#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static void on_chld(int sig)
{
	(void)sig;
}

static int fail(const char *what)
{
	perror(what);
	return 1;
}

int main(int argc, char **argv)
{
	const char *m = argc > 1 ? argv[1] : "";
	siginfo_t si;
	pid_t c;
	int st;

	fflush(stdout);
	if (!strcmp(m, "wait4")) {
		signal(SIGCHLD, on_chld);
		c = fork();
		if (c == 0) {
			raise(SIGTERM);
			_exit(0);
		}
		if (c < 0 || syscall(SYS_wait4, c, &st, 0, NULL) != c ||
		    !WIFSIGNALED(st))
			return fail("wait4");
		printf("child %d SIGTERM\n", (int)c);
	} else if (!strcmp(m, "waitid")) {
		c = fork();
		if (c == 0) {
			raise(SIGUSR1);
			_exit(0);
		}
		if (c < 0 ||
		    syscall(SYS_waitid, P_PID, c, &si, WEXITED | WNOWAIT, NULL) ||
		    syscall(SYS_waitid, P_PID, c, &si, WEXITED, NULL) ||
		    si.si_code != CLD_KILLED)
			return fail("waitid");
		printf("child %d SIGUSR1\n", (int)c);
	} else if (!strcmp(m, "early")) {
		c = fork();
		if (c == 0) {
			pause();
			_exit(0);
		}
		if (c < 0 || kill(c, SIGKILL) ||
		    syscall(SYS_wait4, c, &st, 0, NULL) != c)
			return fail("early");
		printf("child %d SIGKILL\n", (int)c);
	} else if (!strcmp(m, "stopped4") || !strcmp(m, "stoppedid")) {
		int id = m[7] == 'i';

		c = fork();
		if (c == 0) {
			pause();
			_exit(0);
		}
		if (c < 0 || kill(c, SIGSTOP))
			return fail(m);
		if (id ? syscall(SYS_waitid, P_PID, c, &si, WSTOPPED, NULL) ||
				 si.si_code != CLD_STOPPED :
			 syscall(SYS_wait4, c, &st, WUNTRACED, NULL) != c ||
				 !WIFSTOPPED(st))
			return fail(m);
		if (kill(c, SIGCONT))
			return fail(m);
		if (id ? syscall(SYS_waitid, P_PID, c, &si, WCONTINUED, NULL) ||
				 si.si_code != CLD_CONTINUED :
			 syscall(SYS_wait4, c, &st, WCONTINUED, NULL) != c ||
				 !WIFCONTINUED(st))
			return fail(m);
		if (kill(c, SIGKILL) ||
		    syscall(SYS_wait4, c, &st, 0, NULL) != c)
			return fail(m);
		printf("child %d SIGKILL\n", (int)c);
	} else if (!strcmp(m, "wait4null") || !strcmp(m, "waitidnull")) {
		signal(SIGCHLD, on_chld);
		c = fork();
		if (c == 0) {
			raise(SIGTERM);
			_exit(0);
		}
		if (c < 0 ||
		    (m[4] == '4' ? syscall(SYS_wait4, c, NULL, 0, NULL) != c
				 : syscall(SYS_waitid, P_PID, c, NULL, WEXITED,
					   NULL) != 0))
			return fail(m);
		printf("child %d SIGTERM\n", (int)c);
	} else if (!strcmp(m, "untouched")) {
		unsigned char b[sizeof(si)];
		long r;

		c = fork();
		if (c == 0) {
			pause();
			_exit(0);
		}
		st = 0x55555555;
		r = syscall(SYS_wait4, c, &st, WNOHANG, NULL);
		printf("wait4 WNOHANG %ld %#x\n", r, st);
		kill(c, SIGKILL);
		syscall(SYS_wait4, c, &st, 0, NULL);
		st = 0x55555555;
		r = syscall(SYS_wait4, -1, &st, 0, NULL);
		printf("wait4 ECHILD %ld %#x\n", r, st);
		for (int k = 0; k < 2; k++) {
			memset(&si, 0xab, sizeof(si));
			if (k) {
				c = fork();
				if (c == 0)
					_exit(3);
			}
			r = syscall(SYS_waitid, k ? P_PID : P_ALL, k ? c : 0, &si,
				    WEXITED, NULL);
			memcpy(b, &si, sizeof(b));
			printf("waitid %ld pid %d:", r, si.si_pid == c);
			for (size_t i = 0; i < sizeof(b); i++)
				if (i < 16 || i >= 20)
					printf("%02x", b[i]);
			printf("\n");
		}
		c = 0;
		(void)c;
	} else if (!strncmp(m, "wait4", 5) || !strncmp(m, "waitid", 6)) {
		unsigned char *pg = mmap(NULL, 8192, PROT_READ | PROT_WRITE,
					 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		int id = m[4] == 'i', split = !strcmp(m, "waitidsplit");
		void *p;
		long r;

		if (pg == MAP_FAILED || mprotect(pg + 4096, 4096, PROT_READ))
			return fail("mmap");
		int ru = strstr(m, "ru") != NULL;

		p = split ? (void *)(pg + 4096 - 12) :
		    strstr(m, "bad") ? (void *)16 :
		    ru ? (void *)pg : (void *)(pg + 4096);
		memset(pg, 0xab, sizeof(si));
		signal(SIGCHLD, on_chld);
		c = fork();
		if (c == 0) {
			raise(SIGTERM);
			_exit(0);
		}
		if (c < 0)
			return fail("fork");
		r = id ? syscall(SYS_waitid, P_PID, c, p, WEXITED,
				 ru ? pg + 4096 : NULL) :
			 syscall(SYS_wait4, c, p, 0, ru ? pg + 4096 : NULL);
		if (r != -1 || errno != EFAULT)
			return fail(m);
		/* reaped all the same */
		if (syscall(SYS_wait4, c, &st, WNOHANG, NULL) != -1 ||
		    errno != ECHILD)
			return fail("reaped");
		for (int i = 4096; i < 8192; i++)
			if (pg[i])
				return fail("read-only page written");
		printf("child %d SIGTERM\n", (int)c);
		if (ru && !id)
			printf("status %#x\n", *(int *)pg);
		else if (ru)
			printf("infop %s\n", pg[0] == 0xab ? "untouched" :
							      "written");
		/* the 12 bytes before the read-only page: si_signo,
		   si_errno, si_code; si_pid (at 16) is past them, so
		   nothing here depends on the child's id (replacing its
		   low byte, as this did, also replaced every 0, 0x11 or
		   2 byte whenever the id ended so: 3 runs in 256) */
		if (split) {
			for (int i = 4096 - 16; i < 4096; i++)
				printf("%02x", pg[i]);
			printf("\n");
		}
	} else {
		return 2;
	}
	return 0;
}
