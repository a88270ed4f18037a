/* SPDX-License-Identifier: MIT */
/*
 * An event goes with its last reference, as on Linux 6.5 and later
 * (tests/uevent/autodelete.t), written against the uapi (and, for the
 * last step, limen's own API). From kernel/trace/trace_events_user.c:
 *
 *  - user_event_put: the last reference of an event registered without
 *    USER_EVENT_REG_PERSIST going (an enabler unregistered, a file
 *    released, a process ended, a tracer disabling it: user_event_reg's
 *    TRACE_REG_UNREGISTER) schedules delayed_destroy_user_event, which
 *    deletes the event: its tracefs files go, DIAG_IOCSDEL finds nothing
 *    (ENOENT), and the name may be registered with another format;
 *  - while it exists such an event always has a reference, so
 *    DIAG_IOCSDEL and "!u:NAME" of it are EBUSY (user_event_last_ref);
 *  - an event made through dynamic_events persists (user_event_create
 *    passes USER_EVENT_REG_PERSIST); deleting one needs CAP_PERFMON
 *    (user_event_capable), which the emulation does not grant to
 *    DIAG_IOCSDEL, as it answers USER_EVENT_REG_PERSIST with EPERM.
 *
 * The kernel deletes from a work queue, a moment after the last put (its
 * selftests wait for it); limen at once. One line per step.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <limen/uevent.h>

#include "user_events_uapi.h"

#define T "/sys/kernel/tracing/"
#define EV T "events/user_events/"

static volatile uint32_t wa, wk, wt, wp;

static const char *err(long r)
{
	static char b[8][32];
	static int n;
	char *s = b[n++ % 8];

	if (r >= 0) {
		snprintf(s, 32, "%ld", r);
		return s;
	}
	switch (errno) {
	case EINVAL: return "EINVAL";
	case ENOENT: return "ENOENT";
	case EADDRINUSE: return "EADDRINUSE";
	case EBUSY: return "EBUSY";
	case EPERM: return "EPERM";
	}
	snprintf(s, 32, "errno%d", errno);
	return s;
}

static long reg(int fd, const char *args, volatile void *addr, int flags)
{
	struct user_reg r = { .size = sizeof(r), .enable_size = 4,
			      .flags = (uint16_t)flags,
			      .enable_addr = (uint64_t)(uintptr_t)addr,
			      .name_args = (uint64_t)(uintptr_t)args };

	return ioctl(fd, DIAG_IOCSREG, &r);
}

static long unreg(int fd, volatile void *addr)
{
	struct user_unreg u = { .size = sizeof(u),
				.disable_addr = (uint64_t)(uintptr_t)addr };

	return ioctl(fd, DIAG_IOCSUNREG, &u);
}

static const char *del(const char *name)
{
	int fd = open(T "user_events_data", O_RDWR);
	const char *s = err(ioctl(fd, DIAG_IOCSDEL, name));

	close(fd);
	return s;
}

/* the event's format file opens: "ok", or the error */
static const char *there(const char *name)
{
	char p[256];
	int fd;

	snprintf(p, sizeof(p), EV "%s/format", name);
	fd = open(p, O_RDONLY);
	if (fd < 0)
		return err(-1);
	close(fd);
	return "ok";
}

static const char *put(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_APPEND);
	long n;

	if (fd < 0)
		return err(-1);
	n = write(fd, s, strlen(s));
	close(fd);
	return n < 0 ? err(-1) : "ok";
}

/* the file lists name (user_events_status, dynamic_events) */
static const char *lists(const char *path, const char *name)
{
	static char b[8192];
	int fd = open(path, O_RDONLY);
	long n;

	if (fd < 0)
		return err(-1);
	n = read(fd, b, sizeof(b) - 1);
	close(fd);
	b[n > 0 ? n : 0] = 0;
	return strstr(b, name) ? "yes" : "no";
}

int main(void)
{
	int fd, p[2];
	pid_t pid;
	char c;

	setvbuf(stdout, 0, _IONBF, 0);
	fd = open(T "user_events_data", O_RDWR);
	if (fd < 0) {
		printf("open=%s\n", errno == ENOENT ? "ENOENT" : strerror(errno));
		return 0;
	}

	/* one process: the enabler and the file's reference */
	printf("reg=%s\n", err(reg(fd, "ad_a u32 v", &wa, 0)));
	printf("del_while_registered=%s\n", del("ad_a"));
	printf("there_while_registered=%s\n", there("ad_a"));
	printf("unreg=%s\n", err(unreg(fd, &wa)));
	printf("del_while_file_holds=%s\n", del("ad_a"));
	close(fd);
	printf("gone_after_last_reference=%s\n", there("ad_a"));
	printf("del_after_last_reference=%s\n", del("ad_a"));
	printf("status_lists_it=%s\n", lists(T "user_events_status", "ad_a"));
	printf("dynamic_events_lists_it=%s\n",
	       lists(T "dynamic_events", "ad_a"));
	fd = open(T "user_events_data", O_RDWR);
	printf("reg_other_format_after=%s\n",
	       err(reg(fd, "ad_a u64 v", &wa, 0)));
	unreg(fd, &wa);
	close(fd);

	/* another process holds it, and is killed */
	if (pipe(p))
		return 1;
	pid = fork();
	if (pid == 0) {
		int cfd = open(T "user_events_data", O_RDWR);

		reg(cfd, "ad_k u32 v", &wk, 0);
		if (write(p[1], "x", 1) != 1)
			_exit(1);
		pause();
		_exit(0);
	}
	if (read(p[0], &c, 1) != 1)
		return 1;
	printf("del_while_other_process_holds=%s\n", del("ad_k"));
	kill(pid, SIGKILL);
	waitpid(pid, 0, 0);
	printf("gone_after_holder_killed=%s\n", there("ad_k"));
	fd = open(T "user_events_data", O_RDWR);
	printf("reg_other_format_after_holder_killed=%s\n",
	       err(reg(fd, "ad_k u64 v", &wk, 0)));
	unreg(fd, &wk);
	close(fd);

	/* a tracer holds it: the enable file */
	fd = open(T "user_events_data", O_RDWR);
	reg(fd, "ad_t u32 v", &wt, 0);
	printf("enable=%s\n", put(EV "ad_t/enable", "1"));
	unreg(fd, &wt);
	close(fd);
	printf("del_while_enable_file_has_it=%s\n", del("ad_t"));
	printf("disable=%s\n", put(EV "ad_t/enable", "0"));
	printf("gone_after_tracer_lets_go=%s\n", there("ad_t"));

	/* made through dynamic_events: persists */
	printf("dyn_add=%s\n", put(T "dynamic_events", "u:ad_p u32 v"));
	printf("dyn_persists=%s\n", there("ad_p"));
	fd = open(T "user_events_data", O_RDWR);
	reg(fd, "ad_p u32 v", &wp, 0);
	printf("dyn_del_while_registered=%s\n", del("ad_p"));
	unreg(fd, &wp);
	close(fd);
	printf("dyn_persists_after_last_reference=%s\n", there("ad_p"));
	printf("dyn_ioctl_del=%s\n", del("ad_p"));
	printf("dyn_del=%s\n", put(T "dynamic_events", "!u:ad_p"));
	printf("dyn_gone=%s\n", there("ad_p"));

	/* the flag: CAP_PERFMON's, not granted */
	fd = open(T "user_events_data", O_RDWR);
	printf("reg_persist=%s\n",
	       err(reg(fd, "ad_q u32 v", &wp, USER_EVENT_REG_PERSIST)));
	close(fd);

	/* limen's own API: the same rule */
	{
		static struct limen_uevent ev = LIMEN_UEVENT_INIT("ad_c u32 v");

		printf("api_init=%d\n", limen_uevent_init(&ev));
		printf("api_there=%s\n", there("ad_c"));
		limen_uevent_fini(&ev);
		printf("api_gone_after_fini=%s\n", there("ad_c"));
	}
	return 0;
}
