#!/bin/bash
# SPDX-License-Identifier: MIT
#
# Unregister while another thread emits is safe (issue 10, seed 004's
# review): threads emit an event through limen's API with the id they
# read before the main thread unregisters it; the event goes with its
# last reference and another event, of another format, takes its id at
# once, 500 times over (tests/progs/uevent_idreuse.c). An id carries its
# table entry's generation (LIMEN_UEV_TAG), the collector decodes a
# record by the definition of that generation: no emit is ever shown
# under the other event's name, and every emit that returned 0 is shown
# as its own.
. "$(dirname "$0")/../lib.sh"
need_limen
prog=$(testbin uevent_idreuse)

limen_trace "$tmp/t" -e trace=none -- "$prog" >"$tmp/out" 2>"$tmp/err" \
	</dev/null
read -r emitted reused < <(sed -n 's/^emitted=\([0-9]*\) reused=\([0-9]*\)$/\1 \2/p' "$tmp/out")
diag "$(cat "$tmp/out")"
is "$reused" 500 "the unregistered event's id is taken by the next event registered, each round"
ok_if "the threads emitted during the rounds" [ "${emitted:-0}" -gt 0 ]
is "$(grep -c ' idb(' "$tmp/t")" 0 \
	"an emit racing the unregister of its event is never recorded under the event that took over its id"
is "$(grep -c ' ida(v=' "$tmp/t")" "$emitted" \
	"every emit that returned 0 is recorded, under its own event's name"
done_testing
