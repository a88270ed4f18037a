/* SPDX-License-Identifier: MIT */
/*
 * Process family, end to end: ids, uname, resource limits, fork + wait4
 * (exit status and killed-by-signal status), waitid's siginfo, kill, execve
 * failure, prctl, scheduling and priority. Each call is made with raw
 * syscall() and the exact line `limen trace` must print for it is written to
 * argv[2]. See tests/syscalls/fam_process.t.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/times.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "fam.h"

/* a resource limit value as strace prints it */
static const char *rl(unsigned long long v, int is64)
{
	char *o = scratch();
	if (v == (unsigned long long)RLIM_INFINITY)
		return "RLIM64_INFINITY";	/* x86_64: both are 64-bit */
	if (v && v % 1024 == 0)
		sprintf(o, "%llu*1024", v / 1024);
	else
		sprintf(o, "%llu", v);
	return o;
}

static const char *rlim(const struct rlimit *r, int is64)
{
	char *o = scratch();
	sprintf(o, "{rlim_cur=%s, rlim_max=%s}", rl(r->rlim_cur, is64), rl(r->rlim_max, is64));
	return o;
}

/* a clock_t count of ticks as strace prints it: the seconds in a
   comment when it is not 0 (USER_HZ: 100) */
static const char *clk(unsigned long long v)
{
	char *o = scratch();
	if (v)
		sprintf(o, "%llu /* %llu.%02llu s */", v, v / 100, v % 100);
	else
		sprintf(o, "0");
	return o;
}

int main(int argc, char **argv)
{
	struct utsname u;
	struct rlimit lim, old;
	siginfo_t si;
	int status;
	long r, pid, me, child;
	unsigned uid, gid, ids[3];
	char name[16];

	if (argc < 3) {
		fprintf(stderr, "usage: %s WORKDIR EXPECTED\n", argv[0]);
		return 2;
	}

	me = S(SYS_getpid);
	E("getpid() = %ld", me);
	r = S(SYS_gettid);
	CHECK(r == me);
	E("gettid() = %ld", r);
	r = S(SYS_getppid);
	E("getppid() = %ld", r);
	uid = S(SYS_getuid);
	E("getuid() = %u", uid);
	r = S(SYS_geteuid);
	E("geteuid() = %ld", r);
	gid = S(SYS_getgid);
	E("getgid() = %u", gid);
	r = S(SYS_getegid);
	E("getegid() = %ld", r);
	r = S(SYS_getresuid, &ids[0], &ids[1], &ids[2]);
	CHECK(r == 0);
	E("getresuid([%u], [%u], [%u]) = %s", ids[0], ids[1], ids[2], R(r));
	r = S(SYS_getpgid, 0);
	E("getpgid(0) = %ld", r);
	r = S(SYS_getsid, 0);
	E("getsid(0) = %ld", r);
	r = S(SYS_getpgid, 0x7ffffff0);
	CHECK(r == -1 && last_errno == ESRCH);
	E("getpgid(2147483632) = %s", R(r));

	r = S(SYS_uname, &u);
	CHECK(r == 0);
	E("uname({sysname=\"%s\", nodename=\"%s\", ...}) = %s", u.sysname, u.nodename, R(r));
	r = S(SYS_uname, (void *)0x1);
	CHECK(r == -1 && last_errno == EFAULT);
	E("uname(0x1) = %s", R(r));

	/* resource limits */
	r = S(SYS_getrlimit, RLIMIT_NOFILE, &lim);
	CHECK(r == 0);
	E("getrlimit(RLIMIT_NOFILE, %s) = %s", rlim(&lim, 0), R(r));
	r = S(SYS_getrlimit, RLIMIT_STACK, &lim);
	CHECK(r == 0);
	E("getrlimit(RLIMIT_STACK, %s) = %s", rlim(&lim, 0), R(r));
	r = S(SYS_prlimit64, 0, RLIMIT_CORE, NULL, &old);
	CHECK(r == 0);
	E("prlimit64(0, RLIMIT_CORE, NULL, %s) = %s", rlim(&old, 1), R(r));
	lim.rlim_cur = 0;
	lim.rlim_max = old.rlim_max;
	r = S(SYS_prlimit64, 0, RLIMIT_CORE, &lim, &old);
	CHECK(r == 0);
	E("prlimit64(0, RLIMIT_CORE, %s, %s) = %s", rlim(&lim, 1), rlim(&old, 1), R(r));
	lim.rlim_cur = 4096;
	r = S(SYS_setrlimit, RLIMIT_CORE, &lim);
	CHECK(r == 0);
	E("setrlimit(RLIMIT_CORE, %s) = %s", rlim(&lim, 0), R(r));
	r = S(SYS_getrlimit, 9999, &lim);
	CHECK(r == -1 && last_errno == EINVAL);
	E("getrlimit(0x270f /* RLIMIT_??? */, %s) = %s", P(&lim), R(r));

	/* fork, exit 7, wait4 */
	child = S(SYS_fork);
	if (child == 0)
		syscall(SYS_exit_group, 7);
	CHECK(child > 0);
	E("fork() = %ld", child);
	pid = S(SYS_wait4, child, &status, 0, NULL);
	CHECK(pid == child && WIFEXITED(status) && WEXITSTATUS(status) == 7);
	E("wait4(%ld, [{WIFEXITED(s) && WEXITSTATUS(s) == 7}], 0, NULL) = %ld", child, pid);

	/* clone's flags as strace 6.1: CLONE_DETACHED (0x400000, which
	   musl's pthread_create passes and the kernel ignores) unnamed,
	   before the exit signal */
	{
		int ptid = 0;

		child = S(SYS_clone, 0x400000 | SIGCHLD, NULL, NULL, NULL, 0);
		if (child == 0)
			syscall(SYS_exit_group, 0);
		CHECK(child > 0);
		E("clone(child_stack=NULL, flags=0x400000 /* CLONE_??? */|SIGCHLD) = %ld",
		  child);
		pid = S(SYS_wait4, child, &status, 0, NULL);
		CHECK(pid == child);
		E("wait4(%ld, [{WIFEXITED(s) && WEXITSTATUS(s) == 0}], 0, NULL) = %ld",
		  child, pid);
		child = S(SYS_clone, CLONE_PARENT_SETTID | 0x400000 | SIGCHLD,
			  NULL, &ptid, NULL, 0);
		if (child == 0)
			syscall(SYS_exit_group, 0);
		CHECK(child > 0);
		E("clone(child_stack=NULL, flags=CLONE_PARENT_SETTID|0x400000|SIGCHLD, "
		  "parent_tid=[%ld]) = %ld", child, child);
		pid = S(SYS_wait4, child, &status, 0, NULL);
		CHECK(pid == child);
		E("wait4(%ld, [{WIFEXITED(s) && WEXITSTATUS(s) == 0}], 0, NULL) = %ld",
		  child, pid);
	}

	/* namespace flags in strace's order: clone3 names CLONE_NEWTIME
	   after the clone(2) flags, unshare and setns before the others
	   (every call refused: an unknown bit, a bad descriptor) */
	{
		uint64_t ca[11] = { 0 };

		ca[0] = 0x80 /* CLONE_NEWTIME */ | CLONE_VM | CLONE_FS | CLONE_NEWNS |
			0x800000000000ull;
		ca[4] = SIGCHLD;	/* exit_signal */
		r = S(SYS_clone3, ca, sizeof ca);
		CHECK(r == -1 && last_errno == EINVAL);
		E("clone3({flags=CLONE_VM|CLONE_FS|CLONE_NEWNS|CLONE_NEWTIME|0x800000000000, "
		  "exit_signal=SIGCHLD, stack=NULL, stack_size=0}, 88) = %s", R(r));
		r = S(SYS_unshare, CLONE_NEWNS | 0x80 | 0x4);
		CHECK(r == -1 && last_errno == EINVAL);
		E("unshare(CLONE_NEWTIME|CLONE_NEWNS|0x4) = %s", R(r));
		r = S(SYS_setns, -1, CLONE_NEWNET | CLONE_NEWNS | 0x80);
		CHECK(r == -1 && last_errno == EBADF);
		E("setns(-1, CLONE_NEWTIME|CLONE_NEWNS|CLONE_NEWNET) = %s", R(r));
	}

	/* fork, killed by SIGKILL */
	child = S(SYS_fork);
	if (child == 0) {
		for (;;)
			syscall(SYS_pause);
	}
	CHECK(child > 0);
	E("fork() = %ld", child);
	/* no child ended yet: the status and the usage are not written,
	   shown as addresses whatever they hold */
	{
		struct rusage ru;

		status = 0x5555;
		r = S(SYS_wait4, child, &status, WNOHANG, &ru);
		CHECK(r == 0);
		E("wait4(%ld, %s, WNOHANG, %s) = %s", child, P(&status), P(&ru), R(r));
		/* waitid's siginfo, written with nothing in it: "{}" */
		memset(&si, 0x55, sizeof si);
		r = S(SYS_waitid, P_PID, child, &si, WEXITED | WNOHANG, NULL);
		CHECK(r == 0 && si.si_signo == 0);
		E("waitid(P_PID, %ld, {}, WNOHANG|WEXITED, NULL) = %s", child, R(r));
	}
	r = S(SYS_kill, child, SIGKILL);
	CHECK(r == 0);
	E("kill(%ld, SIGKILL) = %s", child, R(r));
	pid = S(SYS_wait4, child, &status, 0, NULL);
	CHECK(pid == child && WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	E("wait4(%ld, [{WIFSIGNALED(s) && WTERMSIG(s) == SIGKILL}], 0, NULL) = %ld", child, pid);

	/* fork, exit 3, waitid */
	child = S(SYS_fork);
	if (child == 0)
		syscall(SYS_exit_group, 3);
	CHECK(child > 0);
	E("fork() = %ld", child);
	memset(&si, 0, sizeof si);
	r = S(SYS_waitid, P_PID, child, &si, WEXITED, NULL);
	CHECK(r == 0 && si.si_pid == child && si.si_status == 3);
	E("waitid(P_PID, %ld, {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=%ld, si_uid=%u, "
	  "si_status=3, si_utime=%ld, si_stime=%ld}, WEXITED, NULL) = %s", child, child, uid,
	  (long)si.si_utime, (long)si.si_stime, R(r));

	/* a child that spends CPU time: wait4 with WUNTRACED (strace:
	   WSTOPPED, its name after WEXITED), then times() counts its ticks */
	child = S(SYS_fork);
	if (child == 0) {
		struct timespec t0, t1;

		clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t0);
		do {
			clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t1);
		} while ((t1.tv_sec - t0.tv_sec) * 1000000000L +
			 (t1.tv_nsec - t0.tv_nsec) < 30000000L);
		syscall(SYS_exit_group, 0);
	}
	CHECK(child > 0);
	E("fork() = %ld", child);
	pid = S(SYS_wait4, child, &status, WUNTRACED | WCONTINUED, NULL);
	CHECK(pid == child && WIFEXITED(status));
	E("wait4(%ld, [{WIFEXITED(s) && WEXITSTATUS(s) == 0}], WSTOPPED|WCONTINUED, NULL) = %ld",
	  child, pid);
	{
		struct tms t;

		r = S(SYS_times, &t);
		CHECK(r != -1 && t.tms_cutime + t.tms_cstime > 0);
		E("times({tms_utime=%s, tms_stime=%s, tms_cutime=%s, tms_cstime=%s}) = %ld",
		  clk(t.tms_utime), clk(t.tms_stime), clk(t.tms_cutime),
		  clk(t.tms_cstime), r);
	}

	r = S(SYS_wait4, -1, &status, WNOHANG, NULL);
	CHECK(r == -1 && last_errno == ECHILD);
	E("wait4(-1, %s, WNOHANG, NULL) = %s", P(&status), R(r));

	/* signals to processes */
	r = S(SYS_kill, me, 0);
	CHECK(r == 0);
	E("kill(%ld, 0) = %s", me, R(r));
	r = S(SYS_kill, 0x7ffffff0, SIGTERM);
	CHECK(r == -1 && last_errno == ESRCH);
	E("kill(2147483632, SIGTERM) = %s", R(r));

	/* execve that fails */
	{
		char *av[] = { "prog", "arg one", NULL };
		char *ev[] = { "A=1", NULL };
		r = S(SYS_execve, "/nonexistent/limen/prog", av, ev);
		CHECK(r == -1 && last_errno == ENOENT);
		E("execve(\"/nonexistent/limen/prog\", [\"prog\", \"arg one\"], %p /* 1 var */) = %s",
		  (void *)ev, R(r));
	}

	/* prctl */
	r = S(SYS_prctl, PR_SET_NAME, "famproc", 0, 0, 0);
	CHECK(r == 0);
	E("prctl(PR_SET_NAME, \"famproc\") = %s", R(r));
	r = S(SYS_prctl, PR_GET_NAME, name, 0, 0, 0);
	CHECK(r == 0 && strcmp(name, "famproc") == 0);
	E("prctl(PR_GET_NAME, \"famproc\") = %s", R(r));
	r = S(SYS_prctl, PR_GET_DUMPABLE, 0, 0, 0, 0);
	CHECK(r == 1);
	E("prctl(PR_GET_DUMPABLE) = 1 (SUID_DUMP_USER)");

	/* scheduling */
	r = S(SYS_sched_getscheduler, 0);
	CHECK(r == SCHED_OTHER);
	E("sched_getscheduler(0) = 0 (SCHED_OTHER)");
	r = S(SYS_sched_yield);
	E("sched_yield() = %s", R(r));
	r = S(SYS_setpriority, PRIO_PROCESS, 0, 5);
	CHECK(r == 0);
	E("setpriority(PRIO_PROCESS, 0, 5) = %s", R(r));
	r = S(SYS_getpriority, PRIO_PROCESS, 0);
	CHECK(r == 15);
	E("getpriority(PRIO_PROCESS, 0) = 15");
	/* I/O priorities: IOPRIO_PRIO_VALUE(class, data), the result too */
	r = S(SYS_ioprio_set, 1 /* IOPRIO_WHO_PROCESS */, 0, (2 << 13) | 4);
	CHECK(r == 0);
	E("ioprio_set(IOPRIO_WHO_PROCESS, 0, IOPRIO_PRIO_VALUE(IOPRIO_CLASS_BE, "
	  "4)) = %s", R(r));
	r = S(SYS_ioprio_get, 1, 0);
	CHECK(r == ((2 << 13) | 4));
	E("ioprio_get(IOPRIO_WHO_PROCESS, 0) = %ld (IOPRIO_PRIO_VALUE("
	  "IOPRIO_CLASS_BE, 4))", r);
	r = S(SYS_ioprio_set, 7, 0, (5 << 13) | 3);
	CHECK(r == -1);
	E("ioprio_set(0x7 /* IOPRIO_WHO_??? */, 0, IOPRIO_PRIO_VALUE(0x5 /* "
	  "IOPRIO_CLASS_??? */, 3)) = %s", R(r));

	E("exit_group(%d) = ?", failures ? 1 : 0);
	write_expected(argv[2]);
	return failures ? 1 : 0;
}
