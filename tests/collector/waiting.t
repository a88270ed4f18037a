#!/usr/bin/env bash
# A full ring makes its thread wait for limen (the default), and that wait
# is safe: signal handlers landing inside the runtime's own record
# reservation lose nothing and never deadlock, a path still fits a 16 KiB
# ring, and a program whose collector died goes on (dropping) instead of
# waiting forever.
. "$(dirname "$0")/../lib.sh"
need_limen
plan 9
_timeout=(timeout -k 5 60)

t=$tmp/storm
limen_trace "$t" --ring-size 16K -- "$(testbin timerstorm)" 50000 </dev/null >"$tmp/storm.out" 2>&1
is "$?" 0 "timerstorm: exit status 0 with 16 KiB rings"
read -r n handled <"$tmp/storm.out"
is "$(grep -c -E '^[0-9]+ +getppid\(' "$t")" "$n" \
	"handlers_inside_reservations_lose_no_call_of_the_loop"
is "$(grep -c -E '^[0-9]+ +getpid\(' "$t")" "$handled" \
	"handlers_inside_reservations_lose_none_of_their_own_calls ($handled)"
ok_if "timerstorm: no loss line" bash -c "! grep -q 'lost on thread' '$t'"

t=$tmp/path
limen_trace "$t" --ring-size 16K -- cat /etc/hostname </dev/null >/dev/null 2>&1
ok_if "a_path_fits_a_16K_ring" grep -q -E '^[0-9]+ +openat\(AT_FDCWD, "/etc/hostname", O_RDONLY\) = 3$' "$t"

# the collector killed while the program fills a tiny ring: the program
# still ends (the kernel marks the collector's lock when it dies, and a
# waiting ring then drops). A limen killed by SIGKILL leaves its pathname
# socket behind: in the test's directory, not in /tmp
TMPDIR=$tmp "$LIMEN" trace -o "$tmp/dead" --ring-size 16K -- sh -c 'echo $$ >"$1"; exec "$2" 100000' sh \
	"$tmp/pid" "$(testbin lossmark)" </dev/null >/dev/null 2>&1 &
lpid=$!
for _ in $(seq 100); do [ -s "$tmp/pid" ] && break; sleep 0.1; done
prog=$(cat "$tmp/pid" 2>/dev/null)
sleep 0.3
{ kill -KILL $lpid; wait $lpid; } 2>/dev/null
ended=no
for _ in $(seq 300); do
	if [ -z "$prog" ] || ! kill -0 "$prog" 2>/dev/null ||
		grep -q '^State:.*Z' "/proc/$prog/status" 2>/dev/null; then
		ended=yes
		break
	fi
	sleep 0.1
done
is "$ended" yes "a_dead_collector_never_makes_the_program_wait_forever"
[ "$ended" = yes ] || kill -KILL "$prog" 2>/dev/null
ok_if "the program's pid was known ($prog)" test -n "$prog"

# a collector that is only slow (stopped for 2.5 s: a paused pager, a busy
# machine) is waited for: nothing is lost
"$LIMEN" trace -o "$tmp/stopped" --ring-size 16K -- "$(testbin lossmark)" 100000 \
	</dev/null >/dev/null 2>&1 &
lpid=$!
sleep 0.4
kill -STOP $lpid
sleep 2.5
kill -CONT $lpid
wait $lpid
is "$?" 0 "stopped collector: the program exits 0"
ok_if "a_stopped_collector_is_waited_for_not_dropped ($(count_calls "$tmp/stopped" getppid) getppid calls)" \
	test "$(count_calls "$tmp/stopped" getppid)" = 100000 -a "$(grep -c 'lost on thread' "$tmp/stopped")" = 0
