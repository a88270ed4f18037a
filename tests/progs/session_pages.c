/* SPDX-License-Identifier: MIT */
/*
 * How many pages of the session's user-event holds and user_events_data
 * files this process has mapped (present in its page table:
 * /proc/self/pagemap's bit 63), as "holds N files M"; "no session" when
 * not under limen. An image's start in a session where no process ever
 * took a hold or a file reads neither (tests/collector/exec_cost.t).
 */
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "../../src/session/uevent_area.h"

/* pages of [lo, hi) present in this process's page table; -1: unknown */
static long present(int pm, uintptr_t lo, uintptr_t hi)
{
	long n = 0;

	for (uintptr_t p = lo & ~4095ul; p < hi; p += 4096) {
		uint64_t e;

		if (pread(pm, &e, 8, (off_t)(p / 4096 * 8)) != 8)
			return -1;
		n += (long)(e >> 63);
	}
	return n;
}

int main(void)
{
	FILE *f = fopen("/proc/self/maps", "r");
	int pm = open("/proc/self/pagemap", O_RDONLY);
	char line[512];
	uintptr_t ctl = 0;

	while (f && fgets(line, sizeof(line), f)) {
		unsigned long lo, hi, off;
		char perm[8];

		if (strstr(line, "limen-session") &&
		    sscanf(line, "%lx-%lx %7s %lx", &lo, &hi, perm, &off) == 4 &&
		    off == 0) {
			ctl = lo;
			break;
		}
	}
	if (!ctl || pm < 0) {
		puts("no session");
		return 0;
	}
	uintptr_t a = (uintptr_t)limen_uev_area((void *)ctl);
	uintptr_t holds = a + offsetof(struct limen_uev_area, holds);
	uintptr_t files = a + offsetof(struct limen_uev_area, files);
	printf("holds %ld files %ld\n",
	       present(pm, holds, holds + sizeof(((struct limen_uev_area *)0)->holds)),
	       present(pm, files, files + sizeof(((struct limen_uev_area *)0)->files)));
	return 0;
}
