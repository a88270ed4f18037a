/* SPDX-License-Identifier: MIT */
/*
 * A program that writes garbage over the user_events_data files' state in
 * the limen session it maps (session/uevent_area.h: files, frefs, fholds),
 * as a buggy or hostile program may, then goes on using its user_events
 * files: writes with any index, registrations, dups and closes, a fork, an
 * exec (tests/uevent/scribble_files.t). The runtime must bound every slot,
 * index and event id it reads there: wrong answers (ENOENT, EBADF, 8) are
 * fine, a crash or a hang is not. Once the garbage is cleared, a new file
 * works again. Untraced (no emulation) it says the kernel's ENOENT.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "session/uevent_area.h"
#include "../progs/uevent_calls.h"

#define DATA "/sys/kernel/tracing/user_events_data"

static volatile uint32_t wa, wb;

/* the session's first mapping (the control page on), from /proc/self/maps */
static struct limen_uev_area *find_area(void)
{
	FILE *f = fopen("/proc/self/maps", "r");
	char line[512];
	unsigned long lo, hi;
	unsigned long long o;

	while (f && fgets(line, sizeof(line), f))
		if (strstr(line, "limen-session") &&
		    sscanf(line, "%lx-%lx %*s %llx", &lo, &hi, &o) == 3 &&
		    o == 0 && hi - lo >= LIMEN_CTL_BYTES) {
			fclose(f);
			return limen_uev_area((void *)lo);
		}
	if (f)
		fclose(f);
	return NULL;
}

static uint64_t seed = 88172645463325252ull;

static uint64_t rnd(void)
{
	seed ^= seed << 13;
	seed ^= seed >> 7;
	seed ^= seed << 17;
	return seed;
}

/* a process that ended: its pid */
static uint32_t gone_pid(void)
{
	pid_t pid = fork();

	if (pid == 0)
		_exit(0);
	waitpid(pid, 0, 0);
	return (uint32_t)pid;
}

/* garbage of kind k over the files' state */
static void scribble(struct limen_uev_area *a, int k)
{
	uint32_t gone = k == 3 ? gone_pid() : 0;

	uint8_t *p = (uint8_t *)a->files;
	size_t n = (size_t)((uint8_t *)(a->fholds + LIMEN_UEV_FHOLDS) - p);

	switch (k) {
	case 0:
		memset(p, 0xff, n);
		break;
	case 1:
	case 2:
		for (size_t i = 0; i < n; i++)
			p[i] = (uint8_t)rnd();
		break;
	case 3:
		/* plausible entries: open files, references of our slots
		   to event ids out of range or negative, holders of slots
		   out of range */
		for (uint32_t i = 0; i < LIMEN_UEV_FILES; i++)
			a->files[i].holders = (uint32_t)(i % 3);
		for (uint32_t i = 0; i < LIMEN_UEV_FREFS; i++) {
			a->frefs[i].file = (uint16_t)(1 + i % 70);
			a->frefs[i].index = i % 5;
			a->frefs[i].tag = i & 1 ? -1 : (int32_t)(0x7fff0000u | i);
			a->frefs[i].fixed = 0xffffffffu;
			a->frefs[i].has_loc = 1;
		}
		/* holders: this process, and one that ended (its files are
		   released by the next reap) of slots out of range */
		for (uint32_t i = 0; i < LIMEN_UEV_FHOLDS; i++) {
			a->fholds[i].tgid = i & 1 ? (uint32_t)getpid() : gone;
			a->fholds[i].file = (uint16_t)(i & 2 ? 0xffff - i : i % 80);
			a->fholds[i].start = rnd();
		}
		break;
	default:
		memset(p, 0, n);
	}
}

/* everything a program does with its files, whatever they answer */
static void use(int fd)
{
	int fd2;
	pid_t pid;

	for (uint32_t i = 0; i < 4; i++)
		emit(fd, i, i);
	emit(fd, 0xffffffffu, 0);
	reg(fd, "sc_b u32 v", &wb, 0, 0);
	unreg(fd, &wb, 0);
	close(dup(fd));
	pid = fork();
	if (pid == 0) {
		emit(fd, 0, 1);
		reg(fd, "sc_b u32 v", &wb, 1, 0);
		close(fd);
		_exit(0);
	}
	waitpid(pid, 0, 0);
	fd2 = open(DATA, O_RDWR);
	if (fd2 >= 0) {
		reg(fd2, "sc_a u32 v", &wa, 1, 0);
		emit(fd2, 0, 2);
		unreg(fd2, &wa, 1);
		close(fd2);
	}
	ioctl(fd, DIAG_IOCSDEL, "sc_b");
}

/* the garbage cleared: a new file registers and writes as on Linux */
static int clean_start(struct limen_uev_area *a)
{
	uint32_t i = 99;
	long r;
	int fd;

	scribble(a, 4);
	fd = open(DATA, O_RDWR);
	r = reg(fd, "sc_a u32 v", &wa, 2, &i);
	printf("after_clear_reg=%ld index=%u\n", r, i);
	printf("after_clear_write=%ld\n", emit(fd, i, 7));
	printf("survived\n");
	return 0;
}

int main(int argc, char **argv)
{
	struct limen_uev_area *a;
	char fds[16];
	int fd;

	setvbuf(stdout, 0, _IONBF, 0);
	if (argc == 3 && !strcmp(argv[1], "exec")) {
		/* the new image found its descriptors among garbage */
		a = find_area();
		if (!a)
			return 2;
		use(atoi(argv[2]));
		return clean_start(a);
	}
	fd = open(DATA, O_RDWR);
	if (fd < 0) {
		printf("open=%s\n", errno == ENOENT ? "ENOENT" : "other");
		return 0;
	}
	a = find_area();
	if (!a) {
		printf("no session mapping\n");
		return 2;
	}
	reg(fd, "sc_a u32 v", &wa, 0, 0);
	for (int k = 0; k < 5; k++) {
		scribble(a, k);
		use(fd);
	}
	scribble(a, 0);
	snprintf(fds, sizeof(fds), "%d", fd);
	execl("/proc/self/exe", argv[0], "exec", fds, (char *)0);
	return 3;
}
