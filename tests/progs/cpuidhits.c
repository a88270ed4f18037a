/* SPDX-License-Identifier: MIT */
/*
 * cpuidhits LOADER OFFSET... -- CMD...: runs CMD (limen trace ... -- X)
 * under ptrace, with every process it forks, and prints how many times
 * the `cpuid` instructions at OFFSET... (hex, in LOADER's file: what
 * objdump lists) ran in processes that exec'd LOADER. CPUID exits a VM
 * (several us each), so limen's runtime should run none at an image's
 * start. A breakpoint (int3) at each, put in at the exec; a hit is
 * counted, the byte put back for one step and the int3 again after.
 * The command's first image is exec'd by the collector, not by a traced
 * process, so limen does not step aside for this tracer.
 */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_BP 32
#define MAX_PROCS 64

struct proc {
	pid_t pid;
	int nbp;
	uint64_t at[MAX_BP];
	long orig[MAX_BP];
};

static struct proc procs[MAX_PROCS];
static uint64_t offs[MAX_BP];
static int noffs;
static char loader[PATH_MAX];
static long hits;

static struct proc *proc_of(pid_t pid, int make)
{
	for (int i = 0; i < MAX_PROCS; i++)
		if (procs[i].pid == pid)
			return &procs[i];
	if (!make)
		return NULL;
	for (int i = 0; i < MAX_PROCS; i++)
		if (!procs[i].pid) {
			memset(&procs[i], 0, sizeof(procs[i]));
			procs[i].pid = pid;
			return &procs[i];
		}
	return NULL;
}

/* The load address of LOADER in pid: its mapping of offset 0 */
static uint64_t base_of(pid_t pid)
{
	char path[64], line[PATH_MAX + 128];
	uint64_t base = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/maps", (int)pid);
	f = fopen(path, "r");
	if (!f)
		return 0;
	while (!base && fgets(line, sizeof(line), f)) {
		unsigned long lo, off;
		char *p = strchr(line, '/');

		line[strcspn(line, "\n")] = 0;
		if (p && !strcmp(p, loader) &&
		    sscanf(line, "%lx-%*x %*s %lx", &lo, &off) == 2 && !off)
			base = lo;
	}
	fclose(f);
	return base;
}

static void arm(pid_t pid, struct proc *p)
{
	uint64_t base = base_of(pid);

	p->nbp = 0;
	if (!base)
		return;
	for (int i = 0; i < noffs; i++) {
		uint64_t at = base + offs[i];
		long w;

		errno = 0;
		w = ptrace(PTRACE_PEEKTEXT, pid, (void *)at, 0);
		if (errno)
			continue;
		p->at[p->nbp] = at;
		p->orig[p->nbp] = w;
		p->nbp++;
		ptrace(PTRACE_POKETEXT, pid, (void *)at,
		       (void *)((w & ~0xffL) | 0xcc));
	}
}

/* A SIGTRAP at one of p's int3s: counted, stepped over; 1 if it was one */
static int hit(pid_t pid, struct proc *p)
{
	struct user_regs_struct r;
	int status;

	if (ptrace(PTRACE_GETREGS, pid, 0, &r))
		return 0;
	for (int i = 0; i < p->nbp; i++) {
		if (r.rip - 1 != p->at[i])
			continue;
		hits++;
		r.rip--;
		ptrace(PTRACE_SETREGS, pid, 0, &r);
		ptrace(PTRACE_POKETEXT, pid, (void *)p->at[i],
		       (void *)p->orig[i]);
		if (ptrace(PTRACE_SINGLESTEP, pid, 0, 0) ||
		    waitpid(pid, &status, __WALL) != pid)
			return 1;
		ptrace(PTRACE_POKETEXT, pid, (void *)p->at[i],
		       (void *)((p->orig[i] & ~0xffL) | 0xcc));
		return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	int i = 3, status;
	pid_t child;

	if (argc < 5 || !realpath(argv[1], loader)) {
		fprintf(stderr, "usage: cpuidhits LOADER OFFSET... -- CMD...\n");
		return 2;
	}
	for (i = 2; i < argc && strcmp(argv[i], "--"); i++)
		if (noffs < MAX_BP)
			offs[noffs++] = strtoull(argv[i], NULL, 16);
	if (i + 1 >= argc)
		return 2;
	child = fork();
	if (child == 0) {
		ptrace(PTRACE_TRACEME, 0, 0, 0);
		raise(SIGSTOP);
		execvp(argv[i + 1], argv + i + 1);
		_exit(127);
	}
	if (waitpid(child, &status, 0) != child)
		return 1;
	ptrace(PTRACE_SETOPTIONS, child, 0,
	       (void *)(long)(PTRACE_O_TRACEFORK | PTRACE_O_TRACEVFORK |
			      PTRACE_O_TRACECLONE | PTRACE_O_TRACEEXEC |
			      PTRACE_O_EXITKILL));
	ptrace(PTRACE_CONT, child, 0, 0);
	for (;;) {
		pid_t pid = waitpid(-1, &status, __WALL);
		int sig = 0, ev;
		struct proc *p;

		if (pid < 0)
			break;
		if (WIFEXITED(status) || WIFSIGNALED(status)) {
			if ((p = proc_of(pid, 0)))
				p->pid = 0;
			continue;
		}
		if (!WIFSTOPPED(status))
			continue;
		ev = status >> 16;
		if (ev == PTRACE_EVENT_EXEC) {
			if ((p = proc_of(pid, 1)))
				arm(pid, p);
		} else if (ev == PTRACE_EVENT_FORK || ev == PTRACE_EVENT_VFORK ||
			   ev == PTRACE_EVENT_CLONE) {
			unsigned long nid = 0;
			struct proc *parent = proc_of(pid, 0), *kid;

			/* its memory holds the parent's int3s */
			ptrace(PTRACE_GETEVENTMSG, pid, 0, &nid);
			if (parent && (kid = proc_of((pid_t)nid, 1))) {
				pid_t keep = kid->pid;

				*kid = *parent;
				kid->pid = keep;
			}
		} else if (ev == PTRACE_EVENT_STOP) {
			/* a new child's first stop */
		} else if (WSTOPSIG(status) == SIGTRAP && (p = proc_of(pid, 0)) &&
			   hit(pid, p)) {
			/* ours */
		} else if (WSTOPSIG(status) != SIGSTOP) {
			/* (a new child's first stop is a SIGSTOP: the
			   commands this runs send none of their own) */
			sig = WSTOPSIG(status);
			if (sig == SIGTRAP)
				sig = 0;
		}
		ptrace(PTRACE_CONT, pid, 0, (void *)(long)sig);
	}
	printf("%ld\n", hits);
	return 0;
}
