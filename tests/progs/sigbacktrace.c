/* SPDX-License-Identifier: MIT */
/*
 * backtrace() inside a signal handler, in two situations: the signal
 * interrupts the program in its own code (a spinning loop) and in a
 * blocking call (read). The program's own frames are printed by name
 * (built with -rdynamic so backtrace_symbols_fd names them), with the
 * number of frames; unwinding must go from the handler through the
 * restorer's signal frame into the interrupted function and up to main,
 * exactly as it does without limen.
 */
#include <execinfo.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static pthread_t main_thread;
static pid_t main_tid;
static volatile int spinning, handled;
static int p[2];
static int out_fd;

void on_usr1(int), spin_here(void), own_code(void), read_here(void),
	blocking_call(void);

/* Only the names of this program's functions: "prog(name+0x12) [0x...]". */
static void print_frames(void)
{
	void *pcs[64];
	int n = backtrace(pcs, 64), fd, len;
	char buf[8192], *s, *e, line[256];
	FILE *f;

	fd = fileno(f = tmpfile());
	backtrace_symbols_fd(pcs, n, fd);
	len = pread(fd, buf, sizeof buf - 1, 0);
	fclose(f);
	buf[len > 0 ? len : 0] = 0;
	snprintf(line, sizeof line, "  %d frames\n", n);
	write(out_fd, line, strlen(line));
	for (s = buf; (e = strchr(s, '\n')); s = e + 1) {
		char *o, *plus;

		*e = 0;
		o = strchr(s, '(');

		if (!o || !strstr(s, "sigbacktrace") || o[1] == '+' || o[1] == ')')
			continue;
		plus = memchr(o, '+', e - o);
		if (!plus)
			continue;
		snprintf(line, sizeof line, "  %.*s\n", (int)(plus - o - 1), o + 1);
		write(out_fd, line, strlen(line));
	}
}

__attribute__((noinline)) void on_usr1(int sig)
{
	print_frames();
	handled = 1;
}

__attribute__((noinline)) void spin_here(void)
{
	spinning = 1;
	while (!handled)
		;
	__asm__ volatile("" ::: "memory");
}

__attribute__((noinline)) void own_code(void)
{
	spin_here();
	__asm__ volatile("" ::: "memory");
}

__attribute__((noinline)) void read_here(void)
{
	char c;

	if (read(p[0], &c, 1) >= 0)
		write(out_fd, "read returned data\n", 19);
	__asm__ volatile("" ::: "memory");
}

__attribute__((noinline)) void blocking_call(void)
{
	read_here();
	__asm__ volatile("" ::: "memory");
}

static void *killer(void *arg)
{
	char path[64], buf[64];

	while (!spinning)
		usleep(1000);
	pthread_kill(main_thread, SIGUSR1);
	while (handled != 2)
		usleep(1000);
	/* then wait until main blocks in read (syscall 0) */
	snprintf(path, sizeof path, "/proc/self/task/%d/syscall", main_tid);
	for (int i = 0; i < 5000; i++) {
		FILE *f = fopen(path, "r");
		int n = 0;

		if (f) {
			n = fread(buf, 1, sizeof buf - 1, f);
			fclose(f);
		}
		buf[n > 0 ? n : 0] = 0;
		if (!strncmp(buf, "0 ", 2))
			break;
		usleep(1000);
	}
	pthread_kill(main_thread, SIGUSR1);
	return NULL;
}

int main(void)
{
	struct sigaction sa;
	pthread_t t;

	out_fd = 1;
	main_thread = pthread_self();
	main_tid = gettid();
	if (pipe(p))
		return 1;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_usr1;
	sigaction(SIGUSR1, &sa, NULL);
	{
		/* load the unwinder before the first signal */
		void *pcs[4];
		backtrace(pcs, 4);
	}
	pthread_create(&t, NULL, killer, NULL);
	write(1, "signal in the program's own code:\n", 34);
	own_code();
	handled = 2;
	write(1, "signal in a blocking read:\n", 27);
	blocking_call();
	pthread_join(t, NULL);
	write(1, "done\n", 5);
	return 0;
}
