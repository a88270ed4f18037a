// SPDX-License-Identifier: MIT
/*
 * A wait's status or siginfo written where the program asked, as the
 * kernel writes it (tests/syscalls/wait_out_bytes.t):
 *   pk4, pki: wait4 / waitid into a page of a protection key the program
 *     allows, a SIGCHLD handler (the signal may end the call, and the
 *     copy be made from limen's signal way);
 *   pkint: waitid into such a page, ended by SIGALRM (no SA_RESTART);
 *   edgeS: wait4's status runs into an unmapped page (2 bytes left);
 *   edgeI: waitid's infop 10 bytes before an unmapped page (si_code
 *     crosses it): the kernel writes whole fields or none;
 *   rsA: waitid into read-only memory, SIGALRM (SA_RESTART) at 0.2 s,
 *     the child lives 1 s: the kernel writes infop before its restart,
 *     so the call fails with EFAULT then, the child not reaped;
 *   rsC: the same into the program's memory: its handler sees the
 *     zeroed infop the kernel wrote before the restart.
 *   rsN: as rsA, the handler without SA_RESTART: the kernel's fault on
 *     infop, after the handler ended the wait, makes it EFAULT, not EINTR;
 *   rs4: wait4 with a read-only status and rusage, no SA_RESTART: EINTR
 *     (the kernel copies neither when no child was reaped).
 * Prints what the call returned and the bytes, never a pid.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static siginfo_t *seen_si;
static volatile int seen_signo = -1, seen_pid = -1;

static void h(int s)
{
	(void)s;
	if (seen_si) {
		seen_signo = seen_si->si_signo;
		seen_pid = seen_si->si_pid;
	}
}

static void dump(const unsigned char *p, int n)
{
	for (int i = 0; i < n; i++)
		printf(" %02x", p[i]);
	printf("\n");
}

static void said(const char *m, long r, pid_t c)
{
	printf("%s: ret %s %s;", m, r == c ? "child" : r < 0 ? "-1" : "0",
	       r < 0 ? strerror(errno) : "");
}

int main(int argc, char **argv)
{
	const char *m = argc > 1 ? argv[1] : "pk4";
	struct sigaction sa = { .sa_handler = h };
	unsigned char *pg;
	pid_t c;
	long r;

	if (!strncmp(m, "rs", 2)) {
		siginfo_t valid, *si = &valid;

		sa.sa_flags = m[2] == 'N' || m[2] == '4' ? 0 : SA_RESTART;
		sigaction(SIGALRM, &sa, 0);
		memset(&valid, 0x55, sizeof(valid));
		if (m[2] != 'C')
			si = mmap(0, 4096, PROT_READ,
				  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		else
			seen_si = si;
		c = fork();
		if (!c) {
			usleep(1000000);
			_exit(7);
		}
		ualarm(200000, 0);
		if (m[2] == '4')
			r = syscall(SYS_wait4, c, si, 0, si);
		else
			r = syscall(SYS_waitid, P_PID, c, si, WEXITED, 0);
		said(m, r, c);
		r = waitpid(c, 0, WNOHANG);
		printf(" handler saw si_signo %d si_pid %d; child %s\n",
		       seen_signo, seen_pid,
		       r == 0 ? "still running" :
		       r == c ? "ended, not reaped" : "reaped");
		return 0;
	}
	if (!strncmp(m, "pk", 2)) {
		int key = pkey_alloc(0, 0);

		if (key < 0) {
			printf("no pkeys\n");
			return 0;
		}
		pg = mmap(0, 4096, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (pg == MAP_FAILED ||
		    pkey_mprotect(pg, 4096, PROT_READ | PROT_WRITE, key))
			return 1;
		memset(pg, 0x55, 64);
		sigaction(!strcmp(m, "pkint") ? SIGALRM : SIGCHLD, &sa, 0);
		c = fork();
		if (!c) {
			usleep(!strcmp(m, "pkint") ? 1000000 : 200000);
			_exit(7);
		}
		if (!strcmp(m, "pkint"))
			ualarm(200000, 0);
		if (!strcmp(m, "pk4"))
			r = syscall(SYS_wait4, c, (int *)pg, 0, 0);
		else
			r = syscall(SYS_waitid, P_PID, c, pg, WEXITED, 0);
		said(m, r, c);
		dump(pg, 12);
		waitpid(c, 0, 0);
		return 0;
	}
	pg = mmap(0, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		  -1, 0);
	if (pg == MAP_FAILED)
		return 1;
	munmap(pg + 4096, 4096);
	memset(pg, 0xaa, 4096);
	c = fork();
	if (!c)
		_exit(0x42);
	usleep(100000);
	if (!strcmp(m, "edgeS"))
		r = syscall(SYS_wait4, c, pg + 4094, 0, 0);
	else
		r = syscall(SYS_waitid, P_PID, c, pg + 4096 - 10, WEXITED, 0);
	said(m, r, c);
	dump(pg + 4086, 10);
	return 0;
}
