/* SPDX-License-Identifier: MIT */
/*
 * sigaltstack with a 64 KiB stack and an SA_ONSTACK handler that makes
 * system calls; checks the handler really ran on the alternate stack (the
 * address of one of its locals is inside it) and that sigaltstack() queried
 * from inside reports SS_ONSTACK. A handler without SA_ONSTACK runs on the
 * normal stack. The same again in a second thread with its own alt stack.
 */
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define ALT_SIZE 65536

struct result {
	uintptr_t local;
	int onstack_flag;
	int pid_ok;
	int ran;
};

static __thread struct result res_onstack, res_normal;
static pid_t mypid;

static void fill(struct result *r)
{
	volatile char local;
	stack_t cur;
	static const char m[] = "handler\n";

	r->local = (uintptr_t)&local;
	if (write(1, m, sizeof m - 1) < 0)
		_exit(2);
	r->pid_ok = getpid() == mypid;
	if (sigaltstack(NULL, &cur) == 0)
		r->onstack_flag = !!(cur.ss_flags & SS_ONSTACK);
	r->ran++;
}

static __attribute__((noinline)) void on_usr1(int sig) { fill(&res_onstack); }
static __attribute__((noinline)) void on_usr2(int sig) { fill(&res_normal); }

static int check(const char *who)
{
	char *alt;
	stack_t ss, cur;
	int bad = 0;

	alt = mmap(NULL, ALT_SIZE, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (alt == MAP_FAILED)
		return 1;
	ss.ss_sp = alt;
	ss.ss_size = ALT_SIZE;
	ss.ss_flags = 0;
	if (sigaltstack(&ss, NULL)) {
		perror("sigaltstack");
		return 1;
	}
	pthread_kill(pthread_self(), SIGUSR1);
	pthread_kill(pthread_self(), SIGUSR2);

	int in_alt = res_onstack.local >= (uintptr_t)alt &&
		     res_onstack.local < (uintptr_t)alt + ALT_SIZE;
	int normal_in_alt = res_normal.local >= (uintptr_t)alt &&
			    res_normal.local < (uintptr_t)alt + ALT_SIZE;
	printf("%s: SA_ONSTACK handler ran %d time(s), on alt stack: %s, "
	       "SS_ONSTACK inside: %s, getpid: %s\n", who, res_onstack.ran,
	       in_alt ? "yes" : "no", res_onstack.onstack_flag ? "yes" : "no",
	       res_onstack.pid_ok ? "right" : "wrong");
	printf("%s: plain handler ran %d time(s), on alt stack: %s, "
	       "SS_ONSTACK inside: %s\n", who, res_normal.ran,
	       normal_in_alt ? "yes" : "no",
	       res_normal.onstack_flag ? "yes" : "no");
	bad |= res_onstack.ran != 1 || !in_alt || !res_onstack.onstack_flag ||
	       !res_onstack.pid_ok;
	bad |= res_normal.ran != 1 || normal_in_alt || res_normal.onstack_flag;

	if (sigaltstack(NULL, &cur) == 0) {
		printf("%s: after: sp is the alt stack: %s, size %zu, flags %d\n",
		       who, cur.ss_sp == alt ? "yes" : "no", cur.ss_size,
		       cur.ss_flags);
		bad |= cur.ss_sp != alt || cur.ss_size != ALT_SIZE ||
		       cur.ss_flags != 0;
	} else {
		bad = 1;
	}
	ss.ss_flags = SS_DISABLE;
	sigaltstack(&ss, NULL);
	munmap(alt, ALT_SIZE);
	return bad;
}

static void *thread_main(void *arg)
{
	*(int *)arg = check("thread");
	return NULL;
}

int main(void)
{
	struct sigaction sa;
	pthread_t t;
	int bad, tbad = 1;

	mypid = getpid();
	setvbuf(stdout, NULL, _IONBF, 0);
	memset(&sa, 0, sizeof sa);
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = on_usr1;
	sa.sa_flags = SA_ONSTACK;
	sigaction(SIGUSR1, &sa, NULL);
	sa.sa_handler = on_usr2;
	sa.sa_flags = 0;
	sigaction(SIGUSR2, &sa, NULL);

	bad = check("main");
	if (pthread_create(&t, NULL, thread_main, &tbad))
		return 1;
	pthread_join(t, NULL);
	bad |= tbad;
	printf(bad ? "FAIL\n" : "ok\n");
	return bad;
}
