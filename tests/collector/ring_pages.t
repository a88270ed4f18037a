#!/usr/bin/env bash
# The first write to each page of a thread's ring costs the program a page
# fault that allocates and zeroes the page; ahead of a thread that writes
# the collector makes the pages it is about to write present itself
# (session.c, populate_ahead: MADV_POPULATE_WRITE through its own mapping),
# so that the program's fault only maps them. Seen from the collector's
# side with strace (the program is not traced by it): a thread that pauses
# below its ring's hot start (the writer goes on there, ring.c, pad_for)
# gets the pages after it made present, a busy thread never more than one
# lap of its ring, and a thread that writes little gets little. Which
# pages, exactly: tests/unit/test_populate_ahead.c.
. "$(dirname "$0")/../lib.sh"
need_limen
command -v strace >/dev/null || skip_all "strace not installed"
loop=$(testbin sysloop)
[ -x "$loop" ] || skip_all "tests/progs/sysloop not built"
bursts=$(testbin ring_window)
[ -x "$bursts" ] || skip_all "tests/progs/ring_window not built"
plan 3
_timeout=(timeout -k 5 60)

# bytes the collector populated, from its strace log
populated() {
	sed -n -E 's/^madvise\(0x[0-9a-f]+, ([0-9]+), MADV_POPULATE_WRITE\) = 0$/\1/p' "$1" |
		awk '{s += $1} END {print s + 0}'
}

# 300 getppid, a pause of 300 ms the collector drains in (the program
# asleep, so that what it does is seen before it writes on), 300 more:
# some 30 KiB of records, far below the 256 KiB after which a writer the
# collector keeps up with goes back to its ring's start
"${_timeout[@]}" strace -o "$tmp/paused" -e trace=madvise "$LIMEN" trace \
	--ring-size 64M -o /dev/null -- "$bursts" 1 300 300000 </dev/null >/dev/null 2>&1
if grep -q 'MADV_POPULATE_WRITE) = -1 EINVAL' "$tmp/paused"; then
	skip_all "this kernel has no MADV_POPULATE_WRITE (Linux 5.14)"
fi
paused=$(populated "$tmp/paused")
ok_if "a_thread_that_pauses_below_its_ring's_hot_start_gets_the_pages_after_it_made_present ($paused bytes)" \
	test "$paused" -gt 0

# 200000 getppid: some 30 MiB of records, within the first lap of a
# 64 MiB ring however late the collector drains
"${_timeout[@]}" strace -o "$tmp/busy" -e trace=madvise "$LIMEN" trace \
	--ring-size 64M -o /dev/null -- "$loop" 200000 0 </dev/null >/dev/null 2>&1
busy=$(populated "$tmp/busy")
ok_if "never_more_than_the_ring's_first_lap ($busy of 67108864 bytes)" \
	test "$busy" -le 67108864

strace -o "$tmp/idle" -e trace=madvise "$LIMEN" trace -o /dev/null -- \
	sh -c 'sleep 0.3' </dev/null >/dev/null 2>&1
idle=$(populated "$tmp/idle")
ok_if "a_thread_that_writes_little_gets_little_populated ($idle bytes, rings of 4 MiB)" \
	test "$idle" -le 262144
