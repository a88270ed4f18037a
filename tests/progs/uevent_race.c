/* SPDX-License-Identifier: MIT */
/*
 * Processes registering the same names at the same moment
 * (tests/uevent/race.t): N children, released together, each register
 * race0..race{K-1}; the even children with "u32 x", the odd ones with
 * "u64 x" for the names from K/2 on. Each prints its results: an id, or
 * the error. The same name and format must get one id in every process;
 * of two formats for one name, exactly one may win. The children stay
 * until all have registered: an event goes with its last holder (the
 * kernel's user_event_put, 6.5 on), and one that went and came back
 * would be another event, maybe of the other format.
 */
#include <limen/uevent.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define K 24

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 8, go[2], done[2], hold[2];
	char b;

	if (pipe(go) < 0 || pipe(done) < 0 || pipe(hold) < 0)
		return 1;
	for (int c = 0; c < n; c++) {
		if (fork() == 0) {
			static struct limen_uevent ev[K];
			static char fmt[K][64];
			char line[2048];
			size_t o = 0;

			close(go[1]);
			if (read(go[0], &b, 1) < 0) /* EOF: all go at once */
				return 1;
			for (int i = 0; i < K; i++) {
				snprintf(fmt[i], sizeof(fmt[i]), "race%d %s x", i,
					 i >= K / 2 && (c & 1) ? "u64" : "u32");
				ev[i] = (struct limen_uevent)LIMEN_UEVENT_INIT(fmt[i]);
				int r = limen_uevent_init(&ev[i]);

				/* NAMEINDEX, a or b (u32 or u64), ":", id or -errno */
				o += (size_t)snprintf(line + o, sizeof(line) - o,
						      " %d%c:%d", i,
						      strstr(fmt[i], "u64") ? 'b' : 'a',
						      r < 0 ? r : ev[i].id);
			}
			printf("child%d%s\n", c & 1, line);
			fflush(stdout);
			close(hold[1]);
			if (write(done[1], "", 1) != 1)
				return 1;
			/* registered until every child is: EOF on hold */
			while (read(hold[0], &b, 1) > 0)
				;
			return 0;
		}
	}
	close(go[0]);
	close(go[1]);
	close(done[1]);
	for (int c = 0; c < n; c++)
		if (read(done[0], &b, 1) != 1)
			break;
	close(hold[1]);
	while (wait(0) > 0)
		;
	return 0;
}
