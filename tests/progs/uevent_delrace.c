/* SPDX-License-Identifier: MIT */
/*
 * Deleting an event while another process registers it, many times over
 * (tests/uevent/delrace.t), written for Linux's user_events ABI only.
 * The kernel finds (or creates) the event and takes its reference under
 * one lock, event_mutex, which its delete takes too
 * (kernel/trace/trace_events_user.c: find_user_event, delete_user_event):
 * a delete succeeds only when no registration exists, else it is EBUSY.
 *
 * Each round: the child opens user_events_data and registers "delrace"
 * while the parent deletes it again and again, DIAG_IOCSDEL in even
 * rounds, "!u:delrace" written to dynamic_events in odd ones, until the
 * child has answered. With "api", the child registers through limen's
 * own API (include/limen/uevent.h) instead, the same event. Counted
 * against the invariant:
 *   slipped  a delete succeeded although the child ended up registered,
 *            or the event is gone while the child holds it (ENOENT);
 *   leaked   once the child unregistered and closed, the delete is not
 *            ENOENT: the event, registered without
 *            USER_EVENT_REG_PERSIST, went with its last reference
 *            (user_event_put -> delayed_destroy_user_event, 6.5 on).
 * A delete of such an event never succeeds: it is EBUSY or not there.
 * Rounds are bounded in number and in time; nothing is timed.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <limen/uevent.h>

#include "user_events_uapi.h"

#define T "/sys/kernel/tracing/"
#define ROUNDS 3000
#define SPINS 100000

static volatile uint32_t word;

static int del(int fd, int round)
{
	if (round & 1) {
		int d = open(T "dynamic_events", O_WRONLY | O_APPEND);
		int r;

		if (d < 0)
			return errno;
		r = write(d, "!u:delrace", 10) == 10 ? 0 : errno;
		close(d);
		return r;
	}
	return ioctl(fd, DIAG_IOCSDEL, "delrace") ? errno : 0;
}

static void child(int go, int res, int api)
{
	static struct limen_uevent ev = LIMEN_UEVENT_INIT("delrace u32 v");
	struct user_reg r = { .size = sizeof(r), .enable_size = 4,
			      .enable_addr = (uint64_t)(uintptr_t)&word,
			      .name_args = (uint64_t)(uintptr_t)
				      "delrace u32 v" };
	struct user_unreg u = { .size = sizeof(u),
				.disable_addr = (uint64_t)(uintptr_t)&word };
	int fd = -1, n = 0;
	char c;

	while (read(go, &c, 1) == 1) {
		int e = 0;

		if (c == 'r') {
			/* a different phase against the deleter each round */
			for (volatile int k = 0; k < (n++ * 97) % 4096; k++)
				;
			if (api) {
				e = -limen_uevent_init(&ev);
			} else {
				fd = open(T "user_events_data", O_RDWR);
				if (fd < 0 || ioctl(fd, DIAG_IOCSREG, &r))
					e = errno;
			}
		} else if (c == 'u' && api) {
			limen_uevent_fini(&ev);
		} else if (c == 'u') {
			ioctl(fd, DIAG_IOCSUNREG, &u);
			close(fd);
		} else {
			break;
		}
		if (write(res, &e, sizeof(e)) != sizeof(e))
			break;
	}
	_exit(0);
}

int main(int argc, char **argv)
{
	int api = argc > 1 && !strcmp(argv[1], "api");
	int go[2], res[2], fd, e, slipped = 0, leaked = 0, busy = 0;
	int round, failed = 0;
	struct timespec t0, t;
	pid_t pid;

	setvbuf(stdout, 0, _IONBF, 0);
	fd = open(T "user_events_data", O_RDWR);
	if (fd < 0) {
		/* no user_events here (bare): dynamic_events is not touched */
		printf("open=%s\n", errno == ENOENT ? "ENOENT" : strerror(errno));
		return 0;
	}
	if (pipe(go) || pipe(res))
		return 1;
	pid = fork();
	if (pid == 0) {
		close(go[1]);
		close(res[0]);
		child(go[0], res[1], api);
	}
	close(go[0]);
	close(res[1]);
	del(fd, 0); /* from an earlier run: none */
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (round = 0; round < ROUNDS; round++) {
		struct pollfd p = { .fd = res[0], .events = POLLIN };
		int d = ENOENT, got_ok = 0;

		if (write(go[1], "r", 1) != 1)
			return 1;
		/* delete until the event is there: before the child's
		   registration it is not (ENOENT), from it on it is held
		   (EBUSY); or until the child answered */
		for (int i = 0; i < SPINS && d == ENOENT; i++) {
			d = del(fd, round);
			if (d == 0)
				got_ok = 1;
			if (d == EBUSY)
				busy++;
			if (d == 0 || (i % 64 == 63 && poll(&p, 1, 0) == 1))
				break;
		}
		if (read(res[0], &e, sizeof(e)) != sizeof(e))
			return 1;
		if (e) {
			failed++;
			if (write(go[1], "u", 1) != 1 ||
			    read(res[0], &e, sizeof(e)) != sizeof(e))
				return 1;
			del(fd, round);
			continue;
		}
		/* the child is registered: the event is there and held */
		d = del(fd, round);
		if (got_ok || d != EBUSY)
			slipped++;
		if (write(go[1], "u", 1) != 1 ||
		    read(res[0], &e, sizeof(e)) != sizeof(e))
			return 1;
		/* unregistered, file closed: nothing holds it any more */
		d = del(fd, round);
		if (d != ENOENT)
			leaked++;
		clock_gettime(CLOCK_MONOTONIC, &t);
		if (t.tv_sec - t0.tv_sec > 3)
			break; /* enough rounds for a busy machine */
	}
	if (write(go[1], "q", 1) != 1)
		return 1;
	waitpid(pid, 0, 0);
	printf("slipped=%d\nleaked=%d\nreg_failed=%d\n", slipped, leaked,
	       failed);
	fprintf(stderr, "rounds=%d busy_seen=%d\n", round, busy);
	return 0;
}
