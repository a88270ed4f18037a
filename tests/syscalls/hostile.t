#!/usr/bin/env bash
# The session is shared memory every traced process can write to, and its
# memfd can be reopened through the collector's /proc/PID/fd: a program that
# scribbles over it or tries to resize it must not bring the collector down
# nor make it lose the other threads' records.
. "$(dirname "$0")/../lib.sh"
need_limen
plan 6

out=$tmp/geom
run_limen trace -o "$out" -- "$(testbin hostile_geom)" >"$tmp/geom.out" 2>&1
is "$?" 0 "geometry overwritten: limen exits with the program's status"
is "$(grep -c 'scribbled, then 2000 calls' "$tmp/geom.out")" 1 \
	"geometry overwritten: the program ran to its end"
is "$(count_calls "$out" getppid)" 2000 \
	"geometry overwritten: the thread's and the fork child's 2000 getppid are shown"

out=$tmp/shrink
run_limen trace -o "$out" -- "$(testbin hostile_shrink)" >"$tmp/shrink.out" 2>&1
is "$?" 0 "memfd reopened and resized: limen exits with the program's status"
is "$(tr '\n' ' ' <"$tmp/shrink.out")" "shrink: EPERM grow: EPERM " \
	"the session memfd cannot be shrunk or grown (sealed)"
is "$(count_calls "$out" getppid)" 1001 \
	"memfd reopened: the program's getppid (1 to find limen, 1000 after) are shown"
