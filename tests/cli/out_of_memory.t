#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# limen out of memory (a tight ulimit -v) says so and ends with a status,
# never abort()'s SIGABRT with no word (src/decode/oom.c): from 9500 to
# 10500 KiB here limen died of SIGABRT (134) and the command never ran.
# Each limit from 8000 to 14000 KiB: a status of the command's (3), or 1
# with limen's word on stderr.
. "$(dirname "$0")/../lib.sh"
need_limen
cat >"$tmp/hello.c" <<'C'
#include <stdio.h>
int main(void) { puts("hi"); return 3; }
C
cc -O2 -o "$tmp/hello" "$tmp/hello.c" || skip_all "cc cannot build"
# limits PROG OUT FROM STEP TO: the limits (KiB) at which PROG under
# limen ended otherwise, as limit:status
limits() {
	local bad="" n st
	for n in $(seq "$3" "$4" "$5"); do
		(ulimit -v "$n"; timeout 60 "$LIMEN" trace -o "$tmp/t" -- "$1" \
			>"$tmp/out" 2>"$tmp/err")
		st=$?
		if [ "$st" = 3 ] && [ "$(cat "$tmp/out")" = "$2" ]; then
			continue
		fi
		if [ "$st" = 1 ] && [ -s "$tmp/err" ]; then
			continue
		fi
		bad="$bad $n:$st"
	done
	echo "$bad"
}
is "$(limits "$tmp/hello" hi 8000 250 14000)" "" \
	"out_of_memory_says_so_and_never_aborts (limit:status)"

# Two busy threads under a limit where the collector finds no room to map
# one's ring while that thread waits for room in it: the ring is read
# through the session's descriptor (session.c, drain_unmapped). Before,
# both waited for ever (16000-18000 KiB here, every time): 124 is the
# timeout's status.
cat >"$tmp/busy2.c" <<'C'
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>
#include <sys/syscall.h>
static void *work(void *a)
{
	for (int i = 0; i < 50000; i++)
		syscall(SYS_getppid);
	return a;
}
int main(void)
{
	pthread_t t[2];
	pthread_attr_t at;

	pthread_attr_init(&at);
	pthread_attr_setstacksize(&at, 65536);
	for (int i = 0; i < 2; i++)
		if (pthread_create(&t[i], &at, work, 0))
			return 2;
	for (int i = 0; i < 2; i++)
		pthread_join(t[i], 0);
	puts("done");
	return 3;
}
C
cc -O2 -pthread -o "$tmp/busy2" "$tmp/busy2.c" || skip_all "cc cannot build"
is "$(limits "$tmp/busy2" done 12000 1000 30000)" "" \
	"no_room_to_map_a_busy_ring_never_hangs (limit:status)"
done_testing
