#!/bin/bash
# SPDX-License-Identifier: MIT
#
# User events' C API (include/limen/uevent.h) in a program limen's loader
# runs (LIMEN_LOADER=all): no liblimen.so is loaded to resolve the
# header's weak references; the header finds the runtime inside the loader
# through the auxv entry LIMEN_UEVENT_AT (src/loader/uevent_api.c). The
# events are recorded as under LD_PRELOAD, and the program's errno is not
# touched by the look-up.
. "$(dirname "$0")/../lib.sh"
need_limen
prog=$(testbin uevent_api)
[ -x "$prog" ] || skip_all "tests/progs/uevent_api not built"
plan 3
export LIMEN_LOADER=all

limen_trace "$tmp/t1" -e uevent=hello,allt,dyn -e trace=write -- \
	"$prog" basic >"$tmp/o1" 2>&1 </dev/null
is "$(trace_body "$tmp/t1")" 'write(1, "init=0 on=1\n", 12) = 12
hello(count=3, msg="hello", path="/tmp/x")
write(1, "between\n", 8) = 8
allt(a=-1, b=255, c=-300, d=65535, e=-70000, f=4000000000, g=-5000000000, h=18446744073709551615, i="eightch", j=[0x01, 0xab], k=7, l=-9, m="abc", n=[0xde, 0xad, 0xbe, 0xef])
dyn(big=42, tag="xyz")
hello(count=4, msg="bye", path="")
+++ exited with 0 +++' "loader_runs_the_uevent_api: every event recorded, in order with the calls"

limen_trace "$tmp/t2" -e uevent=dyn -e trace=none -- \
	"$prog" basic >"$tmp/o2" 2>&1 </dev/null
is "$(cat "$tmp/o2")" "init=0 on=0
between" "loader: an event not asked for is off in the program"

"$prog" basic >"$tmp/o3" 2>&1 </dev/null
is "$?:$(cat "$tmp/o3")" "0:init=0 on=0
between" "without limen: registration succeeds and the events stay off"
