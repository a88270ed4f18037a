/* SPDX-License-Identifier: MIT */
/*
 * The uaccess logging ABI (include/limen/uaccess.h), point by point as the
 * series documents it. One line per case: "pass NAME" or "FAIL NAME: why".
 * Run under `limen run`; `uaccess_abi bare` checks what a stock kernel
 * answers (EINVAL), `uaccess_abi afterexec` is the image execve starts.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <linux/sched.h>

#include "limen/uaccess.h"

static __thread uint64_t slot;
static struct uaccess_buffer_entry ents[64];
static struct uaccess_descriptor desc;
static int failures;

#define CHECK(name, cond, ...)                                          \
	do {                                                            \
		if (cond) {                                             \
			printf("pass %s\n", name);                      \
		} else {                                                \
			printf("FAIL %s: ", name);                      \
			printf(__VA_ARGS__);                            \
			printf("\n");                                   \
			failures++;                                     \
		}                                                       \
		fflush(stdout);                                         \
	} while (0)

static void arm(uint64_t n)
{
	memset(ents, 0xa5, sizeof(ents));
	desc.addr = (uint64_t)(uintptr_t)ents;
	desc.size = n;
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
	slot = (uint64_t)(uintptr_t)&desc;
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
}

static uint64_t logged(void)
{
	return (desc.addr - (uint64_t)(uintptr_t)ents) / sizeof(ents[0]);
}

static int is(int i, const void *p, uint64_t size, uint64_t flags)
{
	return ents[i].addr == (uint64_t)(uintptr_t)p && ents[i].size == size &&
	       ents[i].flags == flags;
}

static volatile uint64_t slot_in_handler = 1;

/* A fault's handler with the slot armed: its calls must not consume the
   descriptor of the code it interrupted. */
static char *fault_page;
static volatile uint64_t slot_in_fault = 1;

static void on_segv(int sig)
{
	(void)sig;
	slot_in_fault = slot;
	getppid(); /* must not consume the interrupted code's descriptor */
	mprotect(fault_page, 4096, PROT_READ | PROT_WRITE);
}

/* A new thread inherits the slot's address (the kernel copies the task):
   storing into the creator's slot arms its own calls. */
static uint64_t *creator_slot;
static struct uaccess_buffer_entry tents[8];
static struct uaccess_descriptor tdesc;

static volatile uint64_t slot_after_thread_call = 1;
static volatile int thread_done;

static void *thread_main(void *arg)
{
	(void)arg;
	tdesc.addr = (uint64_t)(uintptr_t)tents;
	tdesc.size = 8;
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
	*creator_slot = (uint64_t)(uintptr_t)&tdesc;
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
	syscall(SYS_getppid);
	slot_after_thread_call = *creator_slot;
	*creator_slot = 0;
	thread_done = 1;
	return NULL;
}

/* a handler with a logged-looking call of its own: a write */
static int hp[2];
static volatile sig_atomic_t ticks;

static void on_alarm3(int sig)
{
	(void)sig;
	if (!ticks)
		slot_in_handler = slot;
	ticks++;
	if (write(hp[1], "h", 1) != 1)
		ticks = 100;
}

/* a fault's handler that jumps away the first time, and makes the page
   writable (so that the store goes on) the second */
static sigjmp_buf jump_back;
static char *jump_page;
static volatile sig_atomic_t jumps;

static void on_segv_jump(int sig)
{
	(void)sig;
	if (!jumps++)
		siglongjmp(jump_back, 1);
	mprotect(jump_page, 4096, PROT_READ | PROT_WRITE);
}

static void __attribute__((noinline)) poke(char *p)
{
	*(volatile char *)p = 1;
}

static volatile uint64_t logged_in_handler = ~0ull;

static uint64_t logged(void);

static void on_alarm2(int sig)
{
	(void)sig;
	logged_in_handler = logged();
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts); /* vDSO: no system call */
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	int p[2];
	char buf[4096];
	long r;
	int e;

	if (argc > 1 && !strcmp(argv[1], "bare")) {
		r = prctl(PR_SET_UACCESS_DESCRIPTOR_ADDR_ADDR, &slot, 0, 0, 0);
		CHECK("stock_kernel_einval", r == -1 && errno == EINVAL,
		      "prctl(63) = %ld errno %d", r, errno);
		return failures != 0;
	}
	if (argc > 1 && !strcmp(argv[1], "afterexec")) {
		/* the slot is the new image's: an address stored in the same
		   variable without prctl logs nothing */
		arm(8);
		getppid();
		r = write(1, "", 0);
		CHECK("execve_resets_slot", logged() == 0 && slot != 0,
		      "%llu entries after execve", (unsigned long long)logged());
		return failures != 0;
	}

	r = prctl(PR_SET_UACCESS_DESCRIPTOR_ADDR_ADDR, &slot, 1, 0, 0);
	CHECK("prctl_arg3_einval", r == -1 && errno == EINVAL, "r=%ld", r);
	r = prctl(PR_SET_UACCESS_DESCRIPTOR_ADDR_ADDR, &slot, 0, 1, 0);
	CHECK("prctl_arg4_einval", r == -1 && errno == EINVAL, "r=%ld", r);
	r = prctl(PR_SET_UACCESS_DESCRIPTOR_ADDR_ADDR, &slot, 0, 0, 1);
	CHECK("prctl_arg5_einval", r == -1 && errno == EINVAL, "r=%ld", r);
	r = prctl(PR_SET_UACCESS_DESCRIPTOR_ADDR_ADDR, 0xffffffff81000000ul,
		  0, 0, 0);
	CHECK("prctl_kernel_slot_efault", r == -1 && errno == EFAULT,
	      "r=%ld errno %d", r, errno);
	r = limen_uaccess_register(&slot);
	CHECK("prctl_registers", r == 0, "errno %d", errno);
	if (r)
		return 1;

	/* read: one write range of the bytes read, descriptor advanced */
	if (pipe(p) || write(p[1], "vm\n", 3) != 3)
		return 1;
	arm(64);
	r = read(p[0], buf, sizeof(buf));
	CHECK("read_logs_bytes_written", r == 3 && logged() == 1 &&
	      is(0, buf, 3, UACCESS_BUFFER_FLAG_WRITE) && desc.size == 63,
	      "r=%ld n=%llu e0={%llx,%llu,%llu} size=%llu", r,
	      (unsigned long long)logged(), (unsigned long long)ents[0].addr,
	      (unsigned long long)ents[0].size,
	      (unsigned long long)ents[0].flags, (unsigned long long)desc.size);
	CHECK("slot_cleared_at_entry", slot == 0, "slot=%llx",
	      (unsigned long long)slot);

	/* one descriptor, one system call */
	arm(64);
	getppid();
	r = write(p[1], "ab", 2);
	CHECK("one_descriptor_one_call", r == 2 && logged() == 0 &&
	      desc.size == 64, "n=%llu", (unsigned long long)logged());
	r = read(p[0], buf, 2);

	/* write: a read range */
	arm(64);
	r = write(p[1], "hello", 5);
	CHECK("write_logs_bytes_read", r == 5 && logged() == 1 &&
	      is(0, "hello", 5, 0), "n=%llu", (unsigned long long)logged());
	r = read(p[0], buf, 5);

	/* a path (with its NUL) read, a struct written */
	{
		struct stat st;
		static const char path[] = "/dev/null";

		arm(64);
		r = stat(path, &st);
		CHECK("stat_logs_path_and_struct", r == 0 && logged() == 2 &&
		      is(0, path, sizeof(path), 0) &&
		      is(1, &st, sizeof(st), UACCESS_BUFFER_FLAG_WRITE),
		      "n=%llu e0 size %llu e1 size %llu",
		      (unsigned long long)logged(),
		      (unsigned long long)ents[0].size,
		      (unsigned long long)ents[1].size);
	}

	/* entries past the buffer are dropped */
	{
		struct iovec v[3] = { { "a", 1 }, { "bc", 2 }, { "def", 3 } };
		struct uaccess_buffer_entry canary;

		arm(2);
		memcpy(&canary, &ents[2], sizeof(canary));
		r = writev(p[1], v, 3);
		CHECK("entries_past_buffer_dropped", r == 6 && logged() == 2 &&
		      desc.size == 0 && is(0, v, sizeof(v), 0) &&
		      is(1, "a", 1, 0) &&
		      !memcmp(&canary, &ents[2], sizeof(canary)),
		      "n=%llu size=%llu", (unsigned long long)logged(),
		      (unsigned long long)desc.size);
		r = read(p[0], buf, 6);
		arm(64);
		r = writev(p[1], v, 3);
		CHECK("writev_logs_array_and_each_iovec", r == 6 &&
		      logged() == 4 && is(0, v, sizeof(v), 0) &&
		      is(1, "a", 1, 0) && is(2, "bc", 2, 0) &&
		      is(3, "def", 3, 0), "n=%llu",
		      (unsigned long long)logged());
		r = read(p[0], buf, 6);
	}

	/* an asynchronous signal arriving while the slot is armed: its
	   handler runs with the slot cleared (its own calls consume
	   nothing), the slot is back when it returns, and the interrupted
	   code's call is the one logged */
	{
		struct sigaction sa;
		struct itimerval it = { { 0, 0 }, { 0, 20000 } };
		double t;

		if (pipe(hp))
			return 1;
		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = on_alarm3;
		sigaction(SIGALRM, &sa, NULL);
		r = write(p[1], "xyz", 3);
		ticks = 0;
		slot_in_handler = 1;
		setitimer(ITIMER_REAL, &it, NULL);
		arm(64);
		t = now();
		while (now() - t < 2 && !ticks)
			;
		r = read(p[0], buf, 3);
		CHECK("signal_handler_keeps_slot", ticks == 1 &&
		      slot_in_handler == 0 && r == 3 && logged() == 1 &&
		      is(0, buf, 3, UACCESS_BUFFER_FLAG_WRITE),
		      "ticks=%d slot in handler %llx r=%ld n=%llu", (int)ticks,
		      (unsigned long long)slot_in_handler, r,
		      (unsigned long long)logged());
	}

	/* a blocking logged call is still cut short by a signal, as bare:
	   the first tick comes while the slot is armed, before the call;
	   the call (a read of an empty pipe) is logged and ends with EINTR
	   at the next one; no handler's write is in its log */
	{
		struct sigaction sa;
		struct itimerval it = { { 0, 20000 }, { 0, 20000 } };
		struct itimerval off = { { 0, 0 }, { 0, 0 } };
		int q[2];
		double t;

		if (pipe(q))
			return 1;
		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = on_alarm3; /* no SA_RESTART */
		sigaction(SIGALRM, &sa, NULL);
		ticks = 0;
		slot_in_handler = 1;
		setitimer(ITIMER_REAL, &it, NULL);
		arm(64);
		t = now();
		while (now() - t < 2 && !ticks)
			;
		r = read(q[0], buf, 8);
		e = errno;
		setitimer(ITIMER_REAL, &off, NULL);
		CHECK("blocking_logged_call_interrupted", r == -1 &&
		      e == EINTR && ticks >= 2 && slot_in_handler == 0 &&
		      slot == 0 && logged() == 0,
		      "r=%ld errno=%d ticks=%d slot in handler %llx slot %llx "
		      "n=%llu", r, e, (int)ticks,
		      (unsigned long long)slot_in_handler,
		      (unsigned long long)slot, (unsigned long long)logged());
		close(q[0]);
		close(q[1]);
	}

	/* a storm of signals landing anywhere around logged calls (in the
	   program with the slot armed, in limen before the call is made,
	   during it, after it): every call logs its own range, no handler's
	   write ever lands in a log */
	{
		struct sigaction sa;
		struct itimerval it = { { 0, 100 }, { 0, 100 } };
		struct itimerval off = { { 0, 0 }, { 0, 0 } };
		int bad = 0, n;
		double t = now();

		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = on_alarm3;
		sa.sa_flags = SA_RESTART;
		sigaction(SIGALRM, &sa, NULL);
		ticks = 1; /* the handler only writes */
		setitimer(ITIMER_REAL, &it, NULL);
		for (n = 0; n < 20000 && now() - t < 1; n++) {
			if (write(p[1], "s", 1) != 1)
				bad++;
			arm(64);
			r = read(p[0], buf, 1);
			if (r != 1 || logged() != 1 ||
			    !is(0, buf, 1, UACCESS_BUFFER_FLAG_WRITE))
				bad++;
		}
		setitimer(ITIMER_REAL, &off, NULL);
		CHECK("signal_storm_logs_exact", !bad && ticks > 1,
		      "%d of %d calls wrong, %d signals", bad, n, (int)ticks - 1);
	}

	/* a handler that jumped away (siglongjmp) took the slot with it:
	   the interrupted call never comes; a later handler whose frame
	   lands where the first one's was, found with the slot not armed,
	   must not put that old descriptor back. The same faulting store
	   from the same call site twice: the first handler jumps out, the
	   second makes the page writable and returns */
	{
		struct sigaction sa;
		uint64_t after = 1;
		volatile int round;

		jump_page = mmap(NULL, 4096, PROT_NONE,
				 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = on_segv_jump;
		sa.sa_flags = SA_NODEFER;
		sigaction(SIGSEGV, &sa, NULL);
		for (round = 0; round < 2; round++) {
			if (sigsetjmp(jump_back, 1))
				continue; /* the first handler jumped here */
			if (!round)
				arm(64);
			else
				slot = 0;
			poke(jump_page); /* faults */
		}
		after = slot;
		signal(SIGSEGV, SIG_DFL);
		CHECK("jumped_handler_slot_not_restored", jumps == 2 &&
		      after == 0, "jumps=%d slot after %llx", (int)jumps,
		      (unsigned long long)after);
	}

	/* a logged call a signal handler interrupts has its log written
	   at its exit, before the handler runs */
	{
		struct sigaction sa;
		struct itimerval it = { { 0, 0 }, { 0, 20000 } };
		struct pollfd pf = { p[0], POLLIN, 0 };
		struct timespec ts = { 5, 0 };
		char drain[64];

		while (poll(&pf, 1, 0) == 1 && read(p[0], drain, sizeof(drain)) > 0)
			;
		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = on_alarm2;
		sigaction(SIGALRM, &sa, NULL);
		setitimer(ITIMER_REAL, &it, NULL);
		arm(64);
		r = ppoll(&pf, 1, &ts, NULL);
		CHECK("interrupted_call_logged_before_handler",
		      r == -1 && errno == EINTR && logged() >= 2 &&
		      logged_in_handler == logged() && is(0, &pf, sizeof(pf), 0),
		      "r=%ld errno=%d n=%llu in handler %llu", r, errno,
		      (unsigned long long)logged(),
		      (unsigned long long)logged_in_handler);
	}

	/* a fault's handler does not consume the interrupted code's slot */
	{
		struct sigaction sa;

		fault_page = mmap(NULL, 4096, PROT_NONE,
				  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = on_segv;
		sigaction(SIGSEGV, &sa, NULL);
		r = write(p[1], "f", 1);
		arm(64);
		*(volatile char *)fault_page = 1; /* faults once */
		r = read(p[0], buf, 1);
		CHECK("fault_handler_keeps_slot", slot_in_fault == 0 &&
		      r == 1 && logged() == 1 &&
		      is(0, buf, 1, UACCESS_BUFFER_FLAG_WRITE),
		      "slot in handler %llx r=%ld n=%llu",
		      (unsigned long long)slot_in_fault, r,
		      (unsigned long long)logged());
		signal(SIGSEGV, SIG_DFL);
	}

	/* a thread inherits the slot's address */
	{
		pthread_t t;
		uint64_t n;

		creator_slot = &slot;
		slot = 0;
		pthread_create(&t, NULL, thread_main, NULL);
		while (!thread_done) /* no system call meanwhile */
			;
		n = (tdesc.addr - (uint64_t)(uintptr_t)tents) / sizeof(tents[0]);
		CHECK("thread_inherits_slot_address",
		      slot_after_thread_call == 0 && n == 0 && tdesc.size == 8,
		      "slot after the thread's call %llx, n %llu",
		      (unsigned long long)slot_after_thread_call,
		      (unsigned long long)n);
		pthread_join(t, NULL);
	}

	/* clone cancels the log in the child; the parent's is kept */
	{
		struct clone_args ca;
		int st;
		pid_t pid;

		memset(&ca, 0, sizeof(ca));
		ca.exit_signal = SIGCHLD;
		arm(64);
		pid = (pid_t)syscall(SYS_clone3, &ca, sizeof(ca));
		if (pid == 0)
			_exit(logged() == 0 && desc.size == 64 ? 0 : 1);
		CHECK("clone_parent_logs", pid > 0 && logged() == 1 &&
		      is(0, &ca, sizeof(ca), 0), "pid=%d n=%llu", pid,
		      (unsigned long long)logged());
		waitpid(pid, &st, 0);
		CHECK("clone_cancels_child_log", WIFEXITED(st) &&
		      WEXITSTATUS(st) == 0, "child status %x", st);
	}

	/* bad pointers: never a crash, the call behaves as without a log */
	{
		char *ro = mmap(NULL, 4096, PROT_READ,
				MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		r = write(p[1], "q", 1);
		slot = 0x10; /* a descriptor in unmapped memory */
		r = read(p[0], buf, 1);
		CHECK("unmapped_descriptor_ignored", r == 1 && slot == 0,
		      "r=%ld slot=%llx", r, (unsigned long long)slot);
		arm(64);
		desc.addr = (uint64_t)(uintptr_t)ro; /* entries: read-only */
		r = getppid() > 0 ? write(p[1], "q", 1) : -1;
		arm(64);
		desc.addr = (uint64_t)(uintptr_t)ro;
		r = read(p[0], buf, 1);
		CHECK("unwritable_entries_not_counted", r == 1 &&
		      desc.addr == (uint64_t)(uintptr_t)ro && desc.size == 64,
		      "r=%ld addr moved by %lld", r,
		      (long long)(desc.addr - (uint64_t)(uintptr_t)ro));
	}

	/* a slot that goes away: its calls go on */
	{
		uint64_t *s = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
				   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		r = prctl(PR_SET_UACCESS_DESCRIPTOR_ADDR_ADDR, s, 0, 0, 0);
		*s = (uint64_t)(uintptr_t)&desc;
		getppid();
		munmap(s, 4096);
		r = write(p[1], "z", 1);
		CHECK("unmapped_slot_no_crash", r == 1, "r=%ld", r);
		r = limen_uaccess_register(&slot);
	}

	/* execve resets the slot */
	fflush(stdout);
	arm(64);
	slot = 0;
	execl("/proc/self/exe", argv[0], "afterexec", (char *)NULL);
	printf("FAIL execve_resets_slot: execl: %s\n", strerror(errno));
	return 1;
}
