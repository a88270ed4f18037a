#!/bin/bash
# SPDX-License-Identifier: MIT
#
# User events through include/limen/uevent.h (tests/progs/uevent_api.c):
# each field type decoded by name, in time order with the calls; only the
# events asked for; a program without limen runs with its events off;
# threads, a signal handler and two processes; a conflicting format
# refused; the header from C++; the README's example as printed there.
. "$(dirname "$0")/../lib.sh"
need_limen
prog=$(testbin uevent_api)

# has_lines FILE EXPECTED DESC: the trace's body is exactly EXPECTED
same_body() {
	local got
	got=$(trace_body "$1")
	is "$got" "$2" "$3"
}

limen_trace "$tmp/t1" -e uevent=hello,allt,dyn -e trace=write -- \
	"$prog" basic >"$tmp/o1" 2>&1 </dev/null
same_body "$tmp/t1" 'write(1, "init=0 on=1\n", 12) = 12
hello(count=3, msg="hello", path="/tmp/x")
write(1, "between\n", 8) = 8
allt(a=-1, b=255, c=-300, d=65535, e=-70000, f=4000000000, g=-5000000000, h=18446744073709551615, i="eightch", j=[0x01, 0xab], k=7, l=-9, m="abc", n=[0xde, 0xad, 0xbe, 0xef])
dyn(big=42, tag="xyz")
hello(count=4, msg="bye", path="")
+++ exited with 0 +++' "every field type decoded by name, in time order with the calls"

limen_trace "$tmp/t2" -e uevent=dyn -e trace=none -- \
	"$prog" basic >"$tmp/o2" 2>&1 </dev/null
same_body "$tmp/t2" 'dyn(big=42, tag="xyz")
+++ exited with 0 +++' "only the events named with -e uevent= are recorded"
is "$(cat "$tmp/o2")" "init=0 on=0
between" "an event not asked for is off in the program"

"$prog" basic >"$tmp/o3" 2>&1 </dev/null
is "$?:$(cat "$tmp/o3")" "0:init=0 on=0
between" "without limen: registration succeeds and the events stay off"
same_as_bare "traced without -e uevent: the program behaves as bare" \
	"$prog" basic

limen_trace "$tmp/t4" -e uevent=all -e trace=none -- \
	"$prog" threads >/dev/null 2>&1 </dev/null
n=$(trace_body "$tmp/t4" | grep -c '^hello(count=[0-9]*, msg="thread", path="t")$')
is "$n" 200 "4 threads x 50 events, none lost"
bad=0
for tid in $(sed -n -E 's/^\[pid +([0-9]+)\] hello.*"thread".*/\1/p' "$tmp/t4" | sort -u); do
	seq_got=$(sed -n -E "s/^\[pid +$tid\] hello\(count=([0-9]+).*/\1/p" "$tmp/t4" | tr '\n' ' ')
	[ "$seq_got" = "$(seq -s ' ' 0 49) " ] || bad=1
done
is "$bad" 0 "each thread's events in its order"
ok_if "an event emitted from a signal handler" \
	grep -q 'hello(count=99, msg="handler", path="h")' "$tmp/t4"

limen_trace "$tmp/t5" -e uevent=hello -e trace=none -- \
	"$prog" procs >/dev/null 2>&1 </dev/null
is "$(trace_body "$tmp/t5" | sed -n -E 's/^hello\(count=([0-9]), msg="([a-z]+)".*/\2\1/p' | tr '\n' ' ')" \
	"parent1 child2 parent3 " "the same event from two processes, one timeline"

"$LIMEN" trace -o /dev/null -e uevent=all -- "$prog" conflict >"$tmp/o6" 2>&1 </dev/null
is "$(cat "$tmp/o6")" "conflict=-98 multi=0 same=0/1 other=1 bad=-22" \
	"another format refused (EADDRINUSE) unless multi-format; the same one written differently is the same event; a bad format is EINVAL"

if command -v g++ >/dev/null; then
	cat >"$tmp/cxx.cc" <<'CXX'
#include <limen/uevent.h>
#include <cstring>
LIMEN_UEVENT_DEFINE(ev_cxx, "cxx u32 n; char[6] s");
int main()
{
	struct __attribute__((packed)) { uint32_t n; char s[6]; } p = { 7, "plus" };
	struct limen_uevent rt = LIMEN_UEVENT_INIT("cxx2 u8 v");
	uint8_t v = 5;

	if (limen_uevent_init(&rt))
		return 1;
	if (limen_uevent_on(&ev_cxx))
		limen_uevent_write(&ev_cxx, &p, sizeof(p));
	limen_uevent_write(&rt, &v, 1);
	return 0;
}
CXX
	if g++ -std=c++11 -Wall -Wextra -Werror -I"$_repo_dir/include" \
		-o "$tmp/cxx" "$tmp/cxx.cc" 2>"$tmp/cxx.err"; then
		limen_trace "$tmp/t7" -e uevent=all -e trace=none -- "$tmp/cxx" \
			>/dev/null 2>&1 </dev/null
		same_body "$tmp/t7" 'cxx(n=7, s="plus")
cxx2(v=5)
+++ exited with 0 +++' "the header from C++: static and run-time events"
	else
		fail "the header compiles as C++" "$(cat "$tmp/cxx.err")"
	fi
else
	skip "the header from C++" "no g++"
fi

limen_trace "$tmp/t9" -e trace=none -- "$prog" live >"$tmp/o9" 2>&1 </dev/null
is "$(cat "$tmp/o9")" "n=1 on=0
n=2 on=1
child on=1
n=3 on=0
bad value: 22
after fini on=0" "enabled and disabled while running through tracefs enable; another process follows; fini clears"
is "$(trace_body "$tmp/t9")" "live(n=2)
live(n=10)
+++ exited with 0 +++
+++ exited with 0 +++" "only what was emitted while enabled is recorded"

# a recording keeps the events; the report prints them in their place
"$LIMEN" record -o "$tmp/rec" -e uevent=hello,allt,dyn -e trace=write -- \
	"$prog" basic >/dev/null 2>&1 </dev/null
"$LIMEN" report "$tmp/rec" >"$tmp/rep" 2>&1 </dev/null
is "$(trace_body "$tmp/rep")" "$(trace_body "$tmp/t1")" \
	"limen record keeps the events, limen report prints them as trace does"

# --json: one object per event
"$LIMEN" trace -o /dev/null --json "$tmp/j.json" -e uevent=dyn -e trace=none \
	-- "$prog" basic >/dev/null 2>&1 </dev/null
ok_if "--json: the event as an object of type uevent" \
	grep -q '"type":"uevent",.*"text":"dyn(big=42, tag=\\"xyz\\")"}$' "$tmp/j.json"

# --perfetto: an instant event on its thread
"$LIMEN" trace -o /dev/null --perfetto "$tmp/p.json" -e uevent=dyn -e trace=none \
	-- "$prog" basic >/dev/null 2>&1 </dev/null
ok_if "--perfetto: the event as an instant named by its line" \
	grep -q '"name":"dyn(big=42, tag=\\"xyz\\")","cat":"limen","ph":"i"' "$tmp/p.json"

# The README's example, extracted from README.md so that it cannot rot.
sed -n '/^<!-- uevent-example -->/,/^```$/p' "$_repo_dir/README.md" |
	sed '1,2d;$d' >"$tmp/readme.c"
if [ -s "$tmp/readme.c" ] &&
	cc -std=gnu11 -Wall -Wextra -Werror -I"$_repo_dir/include" \
		-o "$tmp/readme" "$tmp/readme.c" 2>"$tmp/readme.err"; then
	limen_trace "$tmp/t8" -e uevent=myevent -e trace=none -- \
		"$tmp/readme" >/dev/null 2>&1 </dev/null
	same_body "$tmp/t8" 'myevent(count=3, msg="hello", path="/tmp/x")
+++ exited with 0 +++' "the README's example compiles and prints as shown"
else
	fail "the README's example compiles" "$(cat "$tmp/readme.err" 2>/dev/null)"
fi
done_testing
