/* SPDX-License-Identifier: MIT */
/*
 * User events through include/limen/uevent.h (tests/uevent/api.t).
 *   uevent_api basic     every field type, a run-time event, marks
 *   uevent_api threads   4 threads x 50 events, and one from a handler
 *   uevent_api procs     this program and a copy of it (fork + exec)
 *   uevent_api conflict  the same name with another format
 * Prints what the API answered, so that a run without limen can be
 * compared with one under it.
 */
#include <limen/uevent.h>

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

LIMEN_UEVENT_DEFINE(ev_hello, "hello u32 count; char[20] msg; __rel_loc char[] path");
LIMEN_UEVENT_DEFINE(ev_all, "allt s8 a; u8 b; s16 c; u16 d; s32 e; u32 f; "
			    "s64 g; u64 h; char[8] i; u8[2] j; unsigned int k; "
			    "long l; __data_loc char[] m; struct pt n 4");

struct __attribute__((packed)) hello {
	uint32_t count;
	char msg[20];
	uint32_t path; /* __rel_loc */
	char data[16];
};

static void hello(uint32_t count, const char *msg, const char *path)
{
	struct hello h;

	memset(&h, 0, sizeof(h));
	h.count = count;
	strncpy(h.msg, msg, sizeof(h.msg));
	/* the data right after the field: offset 0 from its end */
	h.path = (uint32_t)(strlen(path) + 1) << 16;
	strcpy(h.data, path);
	limen_uevent_write(&ev_hello, &h, offsetof(struct hello, data) +
					     strlen(path) + 1);
}

static void all_types(void)
{
	struct __attribute__((packed)) {
		int8_t a;
		uint8_t b;
		int16_t c;
		uint16_t d;
		int32_t e;
		uint32_t f;
		int64_t g;
		uint64_t h;
		char i[8];
		uint8_t j[2];
		unsigned int k;
		long l;
		uint32_t m; /* __data_loc */
		uint8_t n[4];
		char mdata[4];
	} p = { -1, 255, -300, 65535, -70000, 4000000000u, -5000000000ll,
		18446744073709551615ull, "eightch", { 1, 0xab }, 7, -9,
		0, { 0xde, 0xad, 0xbe, 0xef }, "abc" };

	/* from the kernel's entry: 8 bytes of common fields, then this */
	p.m = 4u << 16 | (uint32_t)(8 + offsetof(__typeof__(p), mdata));
	if (limen_uevent_on(&ev_all))
		limen_uevent_write(&ev_all, &p, sizeof(p));
}

static void mark(const char *s)
{
	/* a system call between events: the order in the trace */
	if (write(1, s, strlen(s)) < 0)
		exit(3);
}

static void *worker(void *arg)
{
	for (uint32_t i = 0; i < 50; i++)
		hello(i, "thread", "t");
	return arg;
}

static void on_usr1(int sig)
{
	(void)sig;
	hello(99, "handler", "h");
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "basic";

	if (!strcmp(mode, "basic")) {
		struct limen_uevent dyn =
			LIMEN_UEVENT_INIT("dyn u64 big; char[4] tag");
		struct __attribute__((packed)) { uint64_t big; char tag[4]; }
			d = { 42, "xyz" };

		printf("init=%d on=%d\n", limen_uevent_init(&dyn),
		       limen_uevent_on(&ev_hello));
		fflush(stdout);
		hello(3, "hello", "/tmp/x");
		mark("between\n");
		all_types();
		limen_uevent_write(&dyn, &d, sizeof(d));
		hello(4, "bye", "");
	} else if (!strcmp(mode, "threads")) {
		pthread_t t[4];

		signal(SIGUSR1, on_usr1);
		for (int i = 0; i < 4; i++)
			pthread_create(&t[i], 0, worker, 0);
		for (int i = 0; i < 4; i++)
			pthread_join(t[i], 0);
		raise(SIGUSR1);
	} else if (!strcmp(mode, "procs")) {
		pid_t pid;
		int st;

		hello(1, "parent", "p");
		fflush(stdout);
		pid = fork();
		if (pid == 0) {
			execl("/proc/self/exe", argv[0], "child", (char *)0);
			_exit(127);
		}
		waitpid(pid, &st, 0);
		hello(3, "parent", "p");
		return WIFEXITED(st) ? WEXITSTATUS(st) : 1;
	} else if (!strcmp(mode, "child")) {
		hello(2, "child", "c");
	} else if (!strcmp(mode, "live")) {
		/* enabled and disabled while running, through tracefs; a
		   child process follows at its next system call */
		struct limen_uevent ev = LIMEN_UEVENT_INIT("live u32 n");
		int go[2], done[2];
		char c;
		int fd;
		pid_t pid;

		limen_uevent_init(&ev);
		fd = open("/sys/kernel/tracing/events/user_events/live/enable",
			  O_WRONLY);
		if (fd < 0) {
			printf("no enable file: %s\n", strerror(errno));
			return 0;
		}
		if (pipe(go) || pipe(done))
			return 4;
		pid = fork();
		if (pid == 0) {
			uint32_t n = 10;

			if (read(go[0], &c, 1) != 1) /* a system call */
				_exit(5);
			limen_uevent_write(&ev, &n, 4);
			printf("child on=%d\n", limen_uevent_on(&ev));
			fflush(stdout);
			if (write(done[1], "x", 1) != 1)
				_exit(6);
			_exit(0);
		}
		for (uint32_t n = 1; n <= 3; n++) {
			if (n == 2 && write(fd, "1\n", 2) != 2)
				return 7;
			if (n == 3 && write(fd, "0", 1) != 1)
				return 8;
			printf("n=%u on=%d\n", n, limen_uevent_on(&ev));
			limen_uevent_write(&ev, &n, 4);
			if (n == 2) {
				fflush(stdout);
				if (write(go[1], "x", 1) != 1 ||
				    read(done[0], &c, 1) != 1)
					return 9;
			}
		}
		printf("bad value: %d\n", write(fd, "2", 1) < 0 ? errno : 0);
		waitpid(pid, 0, 0);
		limen_uevent_fini(&ev);
		printf("after fini on=%d\n", limen_uevent_on(&ev));
	} else if (!strcmp(mode, "conflict")) {
		struct limen_uevent a = LIMEN_UEVENT_INIT("hello u64 count");
		struct limen_uevent b = LIMEN_UEVENT_INIT("hello u64 count");
		struct limen_uevent same = LIMEN_UEVENT_INIT(
			"hello  u32 count ;char[20] msg;__rel_loc char[] path");
		struct limen_uevent bad = LIMEN_UEVENT_INIT("bad u33 x");

		int ra, rb, rs, rbad;

		b.flags = LIMEN_UEVENT_MULTI_FORMAT;
		ra = limen_uevent_init(&a);
		rb = limen_uevent_init(&b);
		rs = limen_uevent_init(&same);
		rbad = limen_uevent_init(&bad);
		printf("conflict=%d multi=%d same=%d/%d other=%d bad=%d\n", ra,
		       rb, rs, same.id == ev_hello.id, b.id != ev_hello.id,
		       rbad);
	} else {
		return 2;
	}
	return 0;
}
