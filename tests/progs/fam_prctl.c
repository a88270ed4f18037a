/* SPDX-License-Identifier: MIT */
/*
 * prctl and seccomp family: each prctl option's arguments as strace 6.1
 * names them (signals, capabilities, enums, flags, the int or pointer an
 * option writes back, a thread or VMA name, a seccomp filter's struct
 * sock_fprog), and seccomp(2)'s operations. The filters and strict mode are
 * installed in forked children, which report through their exit status;
 * the parent writes their lines. Each call is made with raw syscall() and
 * the exact line `limen trace` must print for it is written to argv[2].
 * See tests/syscalls/families.t and tests/oracle/rendering.t.
 */
#include <errno.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/capability.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <linux/securebits.h>

#include "fam.h"

/* the flags of PR_GET_SPECULATION_CTRL's result, "PR_SPEC_PRCTL|..." */
static const char *spec_flags(long v)
{
	static const char *const names[] = { "PR_SPEC_PRCTL", "PR_SPEC_ENABLE",
		"PR_SPEC_DISABLE", "PR_SPEC_FORCE_DISABLE",
		"PR_SPEC_DISABLE_NOEXEC" };
	char *o = scratch(), *q = o;
	unsigned k;

	for (k = 0; k < 5; k++)
		if (v & (1L << k))
			q += sprintf(q, "%s%s", q == o ? "" : "|", names[k]);
	if (v & ~31L)
		sprintf(q, "%s%#lx", q == o ? "" : "|", v & ~31L);
	return o;
}

/* run fn in a child; 1 if it exited 0 */
static int in_child(int (*fn)(void))
{
	int status;
	pid_t c = fork();

	if (c == 0)
		syscall(SYS_exit, fn());	/* exit: allowed in strict mode */
	if (c < 0 || waitpid(c, &status, 0) != c)
		return 0;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

/* a filter that fails getppid with EPERM and allows the rest */
static struct sock_filter filter[] = {
	BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_getppid, 0, 1),
	BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM),
	BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
};
static struct sock_fprog prog = { 4, filter };

static int filter_child(void)
{
	if (syscall(SYS_prctl, PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) ||
	    syscall(SYS_prctl, PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog, 0, 0) ||
	    syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER,
		    SECCOMP_FILTER_FLAG_LOG, &prog) ||
	    syscall(SYS_prctl, PR_GET_SECCOMP, 0, 0, 0, 0) != 2)
		return 1;
	return syscall(SYS_getppid) == -1 && errno == EPERM ? 0 : 1;
}

static int strict_prctl_child(void)
{
	return syscall(SYS_prctl, PR_SET_SECCOMP, SECCOMP_MODE_STRICT, 0, 0, 0)
		? 1 : 0;
}

static int strict_seccomp_child(void)
{
	return syscall(SYS_seccomp, SECCOMP_SET_MODE_STRICT, 0, NULL) ? 1 : 0;
}

int main(int argc, char **argv)
{
	struct seccomp_notif_sizes sz;
	unsigned act;
	void *tid = NULL, *page;
	long r;
	int v = -1;

	if (argc < 3) {
		fprintf(stderr, "usage: %s WORKDIR EXPECTED\n", argv[0]);
		return 2;
	}

	/* a signal, set and read back */
	r = S(SYS_prctl, PR_SET_PDEATHSIG, SIGTERM, 0, 0, 0);
	CHECK(r == 0);
	E("prctl(PR_SET_PDEATHSIG, SIGTERM) = %s", R(r));
	r = S(SYS_prctl, PR_GET_PDEATHSIG, &v, 0, 0, 0);
	CHECK(r == 0 && v == SIGTERM);
	E("prctl(PR_GET_PDEATHSIG, [SIGTERM]) = %s", R(r));
	r = S(SYS_prctl, PR_SET_PDEATHSIG, 0, 0, 0, 0);
	E("prctl(PR_SET_PDEATHSIG, 0) = %s", R(r));
	r = S(SYS_prctl, PR_GET_PDEATHSIG, 8, 0, 0, 0);
	CHECK(r == -1 && last_errno == EFAULT);
	E("prctl(PR_GET_PDEATHSIG, 0x8) = %s", R(r));

	/* numbers, enums and flags */
	r = S(SYS_prctl, PR_SET_DUMPABLE, 1, 0, 0, 0);
	E("prctl(PR_SET_DUMPABLE, SUID_DUMP_USER) = %s", R(r));
	r = S(SYS_prctl, PR_SET_TIMERSLACK, 50000, 0, 0, 0);
	CHECK(r == 0);
	E("prctl(PR_SET_TIMERSLACK, 50000) = %s", R(r));
	r = S(SYS_prctl, PR_GET_TIMERSLACK, 0, 0, 0, 0);
	CHECK(r == 50000);
	E("prctl(PR_GET_TIMERSLACK) = %s", R(r));
	r = S(SYS_prctl, PR_CAPBSET_READ, CAP_SYS_ADMIN, 0, 0, 0);
	E("prctl(PR_CAPBSET_READ, CAP_SYS_ADMIN) = %s", R(r));
	r = S(SYS_prctl, PR_CAPBSET_DROP, 0x40, 0, 0, 0);
	CHECK(r == -1);
	E("prctl(PR_CAPBSET_DROP, 0x40 /* CAP_??? */) = %s", R(r));
	r = S(SYS_prctl, PR_CAP_AMBIENT, PR_CAP_AMBIENT_IS_SET, CAP_NET_RAW, 0, 0);
	E("prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_IS_SET, CAP_NET_RAW, 0, 0) = %s", R(r));
	r = S(SYS_prctl, PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
	E("prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) = %s", R(r));
	r = S(SYS_prctl, PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
	CHECK(r == 0);
	E("prctl(PR_SET_CHILD_SUBREAPER, 1) = %s", R(r));
	v = -1;
	r = S(SYS_prctl, PR_GET_CHILD_SUBREAPER, &v, 0, 0, 0);
	CHECK(r == 0 && v == 1);
	E("prctl(PR_GET_CHILD_SUBREAPER, [1]) = %s", R(r));
	r = S(SYS_prctl, PR_SET_CHILD_SUBREAPER, 0, 0, 0, 0);
	E("prctl(PR_SET_CHILD_SUBREAPER, 0) = %s", R(r));
	r = S(SYS_prctl, PR_SET_THP_DISABLE, 1, 0, 0, 0);
	E("prctl(PR_SET_THP_DISABLE, 1, 0, 0, 0) = %s", R(r));
	r = S(SYS_prctl, PR_GET_THP_DISABLE, 0, 0, 0, 0);
	E("prctl(PR_GET_THP_DISABLE, 0, 0, 0, 0) = %s", R(r));
	r = S(SYS_prctl, PR_SET_THP_DISABLE, 0, 0, 0, 0);
	E("prctl(PR_SET_THP_DISABLE, 0, 0, 0, 0) = %s", R(r));
	r = S(SYS_prctl, PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0);
	E("prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) = %s", R(r));
	r = S(SYS_prctl, PR_GET_SECCOMP, 0, 0, 0, 0);
	CHECK(r == 0);
	E("prctl(PR_GET_SECCOMP) = %s", R(r));
	r = S(SYS_prctl, PR_SET_KEEPCAPS, 1, 0, 0, 0);
	CHECK(r == 0);
	E("prctl(PR_SET_KEEPCAPS, 1) = %s", R(r));
	r = S(SYS_prctl, PR_GET_KEEPCAPS, 0, 0, 0, 0);
	CHECK(r == 1);
	E("prctl(PR_GET_KEEPCAPS) = %s", R(r));
	r = S(SYS_prctl, PR_GET_SECUREBITS, 0, 0, 0, 0);
	CHECK(r == SECBIT_KEEP_CAPS);
	E("prctl(PR_GET_SECUREBITS) = 0x10 (SECBIT_KEEP_CAPS)");
	r = S(SYS_prctl, PR_SET_KEEPCAPS, 0, 0, 0, 0);
	E("prctl(PR_SET_KEEPCAPS, 0) = %s", R(r));
	r = S(SYS_prctl, PR_GET_SECUREBITS, 0, 0, 0, 0);
	CHECK(r == 0);
	E("prctl(PR_GET_SECUREBITS) = %s", R(r));
	r = S(SYS_prctl, PR_SET_PTRACER, PR_SET_PTRACER_ANY, 0, 0, 0);
	E("prctl(PR_SET_PTRACER, PR_SET_PTRACER_ANY) = %s", R(r));
	r = S(SYS_prctl, PR_SET_TSC, PR_TSC_ENABLE, 0, 0, 0);
	E("prctl(PR_SET_TSC, PR_TSC_ENABLE) = %s", R(r));
	v = -1;
	r = S(SYS_prctl, PR_GET_TSC, &v, 0, 0, 0);
	if (r == 0 && v == PR_TSC_ENABLE)
		E("prctl(PR_GET_TSC, [PR_TSC_ENABLE]) = 0");
	else
		E("prctl(PR_GET_TSC, %p) = %s", (void *)&v, R(r));
	r = S(SYS_prctl, PR_MCE_KILL, PR_MCE_KILL_SET, PR_MCE_KILL_EARLY, 0, 0);
	E("prctl(PR_MCE_KILL, PR_MCE_KILL_SET, PR_MCE_KILL_EARLY, 0, 0) = %s", R(r));
	r = S(SYS_prctl, PR_MCE_KILL_GET, 0, 0, 0, 0);
	if (r == PR_MCE_KILL_EARLY)
		E("prctl(PR_MCE_KILL_GET, 0, 0, 0, 0) = 1 (PR_MCE_KILL_EARLY)");
	else
		E("prctl(PR_MCE_KILL_GET, 0, 0, 0, 0) = %s", R(r));
	r = S(SYS_prctl, PR_MCE_KILL, PR_MCE_KILL_CLEAR, 0, 0, 0);
	E("prctl(PR_MCE_KILL, PR_MCE_KILL_CLEAR, 0, 0, 0) = %s", R(r));
	r = S(SYS_prctl, PR_GET_SPECULATION_CTRL, PR_SPEC_STORE_BYPASS, 0, 0, 0);
	if (r > 0)
		E("prctl(PR_GET_SPECULATION_CTRL, PR_SPEC_STORE_BYPASS) = %#lx (%s)",
		  r, spec_flags(r));
	else
		E("prctl(PR_GET_SPECULATION_CTRL, PR_SPEC_STORE_BYPASS) = %s", R(r));
	r = S(SYS_prctl, PR_SET_TIMING, 0, 0, 0, 0);
	E("prctl(PR_SET_TIMING, 0) = %s", R(r));
	r = S(SYS_prctl, PR_TASK_PERF_EVENTS_DISABLE, 0, 0, 0, 0);
	E("prctl(PR_TASK_PERF_EVENTS_DISABLE) = %s", R(r));
	r = S(SYS_prctl, PR_TASK_PERF_EVENTS_ENABLE, 0, 0, 0, 0);
	E("prctl(PR_TASK_PERF_EVENTS_ENABLE) = %s", R(r));
	r = S(SYS_prctl, PR_SET_MM, PR_SET_MM_START_CODE, 0x1000, 0, 0);
	CHECK(r == -1);
	E("prctl(PR_SET_MM, PR_SET_MM_START_CODE, 0x1000, 0, 0) = %s", R(r));
	r = S(SYS_prctl, PR_SET_SECCOMP, 5, 0x1234, 0, 0);
	CHECK(r == -1);
	E("prctl(PR_SET_SECCOMP, 0x5 /* SECCOMP_MODE_??? */, 0x1234, 0, 0) = %s",
	  R(r));
	r = S(SYS_prctl, 0x12345, 1, 2, 3, 4);
	CHECK(r == -1);
	E("prctl(0x12345 /* PR_??? */, 0x1, 0x2, 0x3, 0x4) = %s", R(r));

	/* what the kernel writes back: the clear_child_tid pointer */
	r = S(SYS_prctl, PR_GET_TID_ADDRESS, &tid, 0, 0, 0);
	if (r == 0)
		E("prctl(PR_GET_TID_ADDRESS, [%s]) = 0", P(tid));
	else
		E("prctl(PR_GET_TID_ADDRESS, %p) = %s", (void *)&tid, R(r));

	/* a name for an anonymous mapping (EINVAL without CONFIG_ANON_VMA_NAME) */
	page = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(page != MAP_FAILED);
	r = S(SYS_prctl, PR_SET_VMA, PR_SET_VMA_ANON_NAME, page, 4096,
	      "limen anon");
	E("prctl(PR_SET_VMA, PR_SET_VMA_ANON_NAME, %p, 4096, \"limen anon\") = %s",
	  page, R(r));

	/* seccomp(2)'s queries and failures */
	act = SECCOMP_RET_KILL_PROCESS;
	r = S(SYS_seccomp, SECCOMP_GET_ACTION_AVAIL, 0, &act);
	E("seccomp(SECCOMP_GET_ACTION_AVAIL, 0, [SECCOMP_RET_KILL_PROCESS]) = %s", R(r));
	act = SECCOMP_RET_LOG;
	r = S(SYS_seccomp, SECCOMP_GET_ACTION_AVAIL, 0, &act);
	E("seccomp(SECCOMP_GET_ACTION_AVAIL, 0, [SECCOMP_RET_LOG]) = %s", R(r));
	r = S(SYS_seccomp, SECCOMP_GET_NOTIF_SIZES, 0, &sz);
	if (r == 0)
		E("seccomp(SECCOMP_GET_NOTIF_SIZES, 0, {seccomp_notif=%u, "
		  "seccomp_notif_resp=%u, seccomp_data=%u}) = 0",
		  sz.seccomp_notif, sz.seccomp_notif_resp, sz.seccomp_data);
	else
		E("seccomp(SECCOMP_GET_NOTIF_SIZES, 0, %p) = %s", (void *)&sz, R(r));
	r = S(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, NULL);
	CHECK(r == -1 && last_errno == EFAULT);
	E("seccomp(SECCOMP_SET_MODE_FILTER, 0, NULL) = %s", R(r));
	r = S(SYS_seccomp, 99, 0, NULL);
	CHECK(r == -1);
	E("seccomp(0x63 /* SECCOMP_SET_MODE_??? */, 0, NULL) = %s", R(r));

	/* filters and strict mode, each in a child (they last its life) */
	CHECK(in_child(filter_child));
	E("prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) = 0");
	E("prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, {len=4, filter=%p}) = 0",
	  (void *)filter);
	E("seccomp(SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_LOG, "
	  "{len=4, filter=%p}) = 0", (void *)filter);
	E("prctl(PR_GET_SECCOMP) = 2");
	E("getppid() = %s", ERR(EPERM));
	CHECK(in_child(strict_prctl_child));
	E("prctl(PR_SET_SECCOMP, SECCOMP_MODE_STRICT) = 0");
	CHECK(in_child(strict_seccomp_child));
	E("seccomp(SECCOMP_SET_MODE_STRICT, 0, NULL) = 0");

	E("exit_group(%d) = ?", failures ? 1 : 0);
	write_expected(argv[2]);
	return failures ? 1 : 0;
}
