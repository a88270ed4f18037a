#!/usr/bin/env bash
# The first write to each page of a thread's ring costs the program a page
# fault that allocates and zeroes the page; ahead of a busy thread the
# collector makes the pages of the ring's first lap present itself
# (session.c, populate_ahead: MADV_POPULATE_WRITE through its own mapping),
# so that the program's fault only maps them. Seen from the collector's
# side with strace (the program is not traced by it): a busy thread's lap
# is populated ahead, never more than one lap of a ring, and a thread that
# writes little gets little.
. "$(dirname "$0")/../lib.sh"
need_limen
command -v strace >/dev/null || skip_all "strace not installed"
loop=$(testbin sysloop)
[ -x "$loop" ] || skip_all "tests/progs/sysloop not built"
plan 3
_timeout=(timeout -k 5 60)

# bytes the collector populated, from its strace log
populated() {
	sed -n -E 's/^madvise\(0x[0-9a-f]+, ([0-9]+), MADV_POPULATE_WRITE\) = 0$/\1/p' "$1" |
		awk '{s += $1} END {print s + 0}'
}

# 200000 getppid: some 30 MiB of records, within the first lap of a
# 64 MiB ring (the collector drains during it, however busy the machine)
strace -o "$tmp/busy" -e trace=madvise "$LIMEN" trace --ring-size 64M -o /dev/null -- \
	"$loop" 200000 0 </dev/null >/dev/null 2>&1
if grep -q 'MADV_POPULATE_WRITE) = -1 EINVAL' "$tmp/busy"; then
	skip_all "this kernel has no MADV_POPULATE_WRITE (Linux 5.14)"
fi
busy=$(populated "$tmp/busy")
ok_if "a_busy_thread's_first_lap_is_made_present_ahead_by_the_collector ($busy bytes)" \
	test "$busy" -gt 0
ok_if "never more than the ring's first lap ($busy of 67108864 bytes)" \
	test "$busy" -le 67108864

strace -o "$tmp/idle" -e trace=madvise "$LIMEN" trace -o /dev/null -- \
	sh -c 'sleep 0.3' </dev/null >/dev/null 2>&1
idle=$(populated "$tmp/idle")
ok_if "a_thread_that_writes_little_gets_little_populated ($idle bytes, rings of 4 MiB)" \
	test "$idle" -le 262144
