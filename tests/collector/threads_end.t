#!/usr/bin/env bash
# How threads end, as strace -f shows it: exit_group ends every thread of
# the process, each gets its "+++ exited with N +++" (after the call it was
# in returns "?"); a thread's own exit gets one too. And ended threads and
# processes leave the collector's tables.
. "$(dirname "$0")/../lib.sh"
need_limen
plan 10

t=$tmp/ge
limen_trace "$t" -- "$(testbin groupexit)" </dev/null >/dev/null 2>&1
is "$?" 3 "groupexit: exit status 3 under limen"
tids=$(awk '$2 ~ /^pause\(/ {print $1}' "$t" | sort -u | tr '\n' ' ')
main=$(awk '$2 ~ /^exit_group\(/ {print $1}' "$t")
is "$(grep -c -E '^[0-9]+ +\+\+\+ exited with 3 \+\+\+$' "$t")" 3 \
	"exit_group_gives_every_thread_its_exited_line"
ok=yes
for tid in $tids $main; do
	grep -q -E "^$tid +\+\+\+ exited with 3 \+\+\+$" "$t" || ok="no ($tid)"
done
is "$ok" yes "exit_group: the exited lines name each thread ($tids$main)"
is "$(grep -c -E '^[0-9]+ +<\.\.\. pause resumed>\) += \?$' "$t")" 2 \
	"exit_group: the calls the threads were in return ?"
is "$(tail -n 1 "$t" | sed -E 's/^([0-9]+) .*/\1/')" "$main" \
	"exit_group: the caller's exited line comes last"

t=$tmp/th
limen_trace "$t" -- "$(testbin threads)" </dev/null >/dev/null 2>&1
is "$(grep -c -E '^[0-9]+ +\+\+\+ exited with 0 \+\+\+$' "$t")" 9 \
	"thread_exit_gets_its_exited_line (8 threads and the process)"

# 2000 short processes, then 8 threads: what ended is forgotten
LIMEN_TABLE_STATS=1 run_limen trace -o /dev/null -- "$(testbin manyprocs)" 2000 \
	</dev/null >/dev/null 2>"$tmp/stats"
is "$(grep '^limen: tables:' "$tmp/stats")" "limen: tables: 0 threads, 0 processes" \
	"ended_processes_leave_the_tables (2000 short processes)"
LIMEN_TABLE_STATS=1 run_limen trace -o /dev/null -- "$(testbin threads)" \
	</dev/null >/dev/null 2>"$tmp/stats"
is "$(grep '^limen: tables:' "$tmp/stats")" "limen: tables: 0 threads, 0 processes" \
	"ended_threads_leave_the_tables (8 threads)"

# execve ends the other threads of the process, there and then
t=$tmp/ex
limen_trace "$t" -- "$(testbin execthreads)" </dev/null >/dev/null 2>&1
other=$(awk '$2 ~ /^pause\(/ {print $1; exit}' "$t")
ex_at=$(grep -n -E "^$other +\+\+\+ exited with 0 \+\+\+$" "$t" | cut -d: -f1)
eg_at=$(grep -n -E '^[0-9]+ +exit_group\(' "$t" | cut -d: -f1)
ok_if "execve_ends_the_other_threads_at_the_exec (exited line $ex_at, new image's exit_group $eg_at)" \
	test -n "$ex_at" -a -n "$eg_at" -a "${ex_at:-0}" -lt "${eg_at:-0}"
is "$(grep -c -E '^[0-9]+ +\+\+\+ exited with 0 \+\+\+$' "$t")" 2 \
	"execve: one exited line per thread"
