/* SPDX-License-Identifier: MIT */
/*
 * The registers a thread blocked in a call shows to a tool that stops it
 * with ptrace (LeakSanitizer, gdb, a profiler): rbx, rbp and r12-r15, which
 * the `syscall` ABI leaves alone, are the program's, as bare. A worker
 * puts known values in them and reads a pipe from one call site: the
 * first reads find a byte (the site is then rewritten, unless
 * --no-rewrite), the last blocks. A child attaches to the worker
 * (PTRACE_SEIZE, PTRACE_INTERRUPT), reads its registers and prints each
 * as "ok" or as the value it found. tests/syscalls/blocked_regs.t.
 *   blocked_regs
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define QUICK 3 /* reads that find a byte before the one that blocks */
#define V(n) (0x5eed000000000000L + (n))

static int pfd[2];
static volatile pid_t worker_tid;
static volatile int blocking;

static long read_one(int fd, char *c)
{
	register long r12 asm("r12") = V(12);
	register long r13 asm("r13") = V(13);
	register long r14 asm("r14") = V(14);
	register long r15 asm("r15") = V(15);
	long ret;

	/* mov $0,%eax right before the syscall: a form limen rewrites */
	asm volatile("sub $128, %%rsp\n\t"
		     "push %%rbx\n\t"
		     "push %%rbp\n\t"
		     "movabs $0x5eed000000000003, %%rbx\n\t"
		     "movabs $0x5eed000000000005, %%rbp\n\t"
		     "mov $0, %%eax\n\t"
		     "syscall\n\t"
		     "pop %%rbp\n\t"
		     "pop %%rbx\n\t"
		     "add $128, %%rsp"
		     : "=a"(ret)
		     : "D"((long)fd), "S"(c), "d"(1L), "r"(r12), "r"(r13),
		       "r"(r14), "r"(r15)
		     : "rcx", "r11", "memory");
	return ret;
}

static void *worker(void *arg)
{
	char c;

	(void)arg;
	worker_tid = (pid_t)syscall(SYS_gettid);
	for (int i = 0; i <= QUICK; i++) {
		if (i == QUICK)
			blocking = 1;
		if (read_one(pfd[0], &c) != 1)
			exit(3);
	}
	return 0;
}

static char task_state(pid_t tid)
{
	char path[64], buf[256], *p;
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "/proc/self/task/%d/stat", (int)tid);
	f = fopen(path, "r");
	if (!f)
		return 0;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = 0;
	p = strrchr(buf, ')');
	return p && p[1] == ' ' ? p[2] : 0;
}

static void show(const char *name, unsigned long long got, long want)
{
	if (got == (unsigned long long)want)
		printf("%s ok\n", name);
	else
		printf("%s %#llx\n", name, got);
}

static int inspect(pid_t tid)
{
	struct user_regs_struct r;
	int st;

	if (ptrace(PTRACE_SEIZE, tid, 0, 0) || ptrace(PTRACE_INTERRUPT, tid, 0, 0)) {
		perror("ptrace");
		return 1;
	}
	if (waitpid(tid, &st, __WALL) != tid || ptrace(PTRACE_GETREGS, tid, 0, &r)) {
		perror("waitpid/GETREGS");
		return 1;
	}
	show("rbx", r.rbx, V(3));
	show("rbp", r.rbp, V(5));
	show("r12", r.r12, V(12));
	show("r13", r.r13, V(13));
	show("r14", r.r14, V(14));
	show("r15", r.r15, V(15));
	fflush(stdout);
	ptrace(PTRACE_DETACH, tid, 0, 0);
	return 0;
}

int main(void)
{
	struct timespec ms = { 0, 1000000 };
	pthread_t t;
	pid_t child;
	int st, tries = 0;

	if (pipe(pfd) || write(pfd[1], "abc", QUICK) != QUICK)
		return 2;
	prctl(PR_SET_PTRACER, PR_SET_PTRACER_ANY, 0, 0, 0);
	if (pthread_create(&t, 0, worker, 0))
		return 2;
	/* blocked in the read: asleep a while after saying it blocks */
	while (!(blocking && task_state(worker_tid) == 'S' && tries > 50)) {
		if (blocking)
			tries++;
		nanosleep(&ms, 0);
	}
	child = fork();
	if (child == 0)
		_exit(inspect(worker_tid));
	if (child < 0 || waitpid(child, &st, 0) != child)
		return 2;
	if (write(pfd[1], "d", 1) != 1 || pthread_join(t, 0))
		return 2;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 2;
}
