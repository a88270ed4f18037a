/* SPDX-License-Identifier: MIT */
/*
 * Protection keys across the program's calls (tests/syscalls/
 * pkey_rights.t): the rights pkey_alloc() gives a new key stay in PKRU
 * after the call; the kernel reads and writes a page of the key for a
 * call with the program's rights (a read() into a page whose key allows
 * it succeeds, into one whose key denies writes fails with EFAULT); a
 * thread and a fork child inherit the rights; a signal handler starts
 * with the kernel's default PKRU and the interrupted rights come back
 * after it; a handler on an alternate stack in a page of a key the
 * kernel's default PKRU denies gets its frame (the kernel writes it with
 * every key allowed: Linux 6.12) and allows the key itself before it
 * touches the stack. Prints "no pkeys" where the CPU or kernel has none.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

static char *rw_page, *ro_page;
static volatile uint32_t in_handler;

static uint32_t pkru(void)
{
	uint32_t a, d;

	__asm__ volatile(".byte 0x0f, 0x01, 0xee" : "=a"(a), "=d"(d) : "c"(0));
	return a;
}

static void on_usr1(int sig)
{
	(void)sig;
	in_handler = pkru();
}

/* on_usr2's PKRU: set before anything touches its stack */
uint32_t usr2_pkru;
static volatile int usr2_got;
void on_usr2_c(int sig);
void on_usr2_c(int sig)
{
	usr2_got = sig;
}
void on_usr2(int sig);
__asm__(".globl on_usr2\n"
	"on_usr2:\n"
	"	mov usr2_pkru(%rip), %eax\n"
	"	xor %ecx, %ecx\n"
	"	xor %edx, %edx\n"
	"	wrpkru\n"
	"	jmp on_usr2_c\n");

static char *page_of(int key)
{
	char *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED || pkey_mprotect(p, 4096, PROT_READ | PROT_WRITE,
					     key)) {
		perror("pkey_mprotect");
		_exit(2);
	}
	return p;
}

/* a read() of a pipe into buf: its result, or -errno */
static long pipe_read(char *buf)
{
	int fd[2];
	long r;

	if (pipe(fd))
		return -1000;
	if (write(fd[1], "abc", 3) != 3)
		return -1001;
	r = read(fd[0], buf, 3);
	if (r < 0)
		r = -errno;
	close(fd[0]);
	close(fd[1]);
	return r;
}

static void *thread(void *arg)
{
	(void)arg;
	rw_page[100] = 'y';
	printf("thread: pkru %#x, read into the allowed page %ld, "
	       "into the write-denied one %ld\n", pkru(),
	       pipe_read(rw_page), pipe_read(ro_page));
	return NULL;
}

int main(void)
{
	int rw, ro, st;
	pid_t c;
	pthread_t t;

	rw = pkey_alloc(0, 0);
	if (rw < 0) {
		printf("no pkeys\n");
		return 0;
	}
	/* the new key's rights are in PKRU after the call */
	printf("after pkey_alloc: pkru %#x\n", pkru());
	rw_page = page_of(rw);
	rw_page[0] = 'x'; /* SIGSEGV if the rights were lost */
	printf("store to the new key's page: ok\n");
	ro = pkey_alloc(0, PKEY_DISABLE_WRITE);
	ro_page = page_of(ro);
	printf("after the second: pkru %#x\n", pkru());
	printf("read into the allowed page %ld, into the write-denied one %ld\n",
	       pipe_read(rw_page), pipe_read(ro_page));
	printf("write from the write-denied page %ld\n",
	       (long)write(1, ro_page, 0));
	fflush(stdout);

	signal(SIGUSR1, on_usr1);
	raise(SIGUSR1);
	printf("in a handler: pkru %#x; after it %#x\n", in_handler, pkru());

	pthread_create(&t, NULL, thread, NULL);
	pthread_join(t, NULL);
	fflush(stdout);

	c = fork();
	if (c == 0) {
		rw_page[200] = 'z';
		printf("child: pkru %#x, read into the allowed page %ld\n",
		       pkru(), pipe_read(rw_page));
		fflush(stdout);
		_exit(0);
	}
	waitpid(c, &st, 0);
	printf("child status %#x\n", st);

	{
		stack_t ss = { 0 };
		struct sigaction sa;

		ss.ss_sp = mmap(NULL, 65536, PROT_READ | PROT_WRITE,
				MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		ss.ss_size = 65536;
		pkey_mprotect(ss.ss_sp, ss.ss_size, PROT_READ | PROT_WRITE, rw);
		usr2_pkru = pkru();
		sigaltstack(&ss, NULL);
		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = on_usr2;
		sa.sa_flags = SA_ONSTACK;
		sigaction(SIGUSR2, &sa, NULL);
		raise(SIGUSR2);
		printf("handler on a stack of the key: %d\n", usr2_got);
	}
	return 0;
}
