#!/bin/bash
# SPDX-License-Identifier: MIT
#
# -c's table with strace's -S (sort), -U (columns), -O (overhead) and -w,
# against strace -c on the same program (tests/progs/callmix.c: calls the
# dynamic loader never makes, so both count the same). Times differ from
# run to run: the tables are compared byte for byte where they have no
# time column, by their header and counts otherwise.
. "$(dirname "$0")/../lib.sh"
need_limen
command -v strace >/dev/null || skip_all "strace is not installed"
strace -o /dev/null true 2>/dev/null || skip_all "strace cannot trace here (no ptrace)"
prog=$(testbin callmix)
set4=trace=getppid,getgid,dup,getuid

# both: strace's and limen's table for the same options
both() {
	strace -c -e $set4 "$@" -- "$prog" 2>"$tmp/s" >/dev/null
	run_limen trace -c -e $set4 "$@" -- "$prog" 2>"$tmp/l" >/dev/null
}

for s in calls name errors nothing count syscall; do
	both -S $s -U name,calls,errors
	same_file "$tmp/l" "$tmp/s" "-S $s -U name,calls,errors: strace's table, byte for byte"
done
both --summary-sort-by=calls --summary-columns=calls,errors
same_file "$tmp/l" "$tmp/s" "--summary-columns=calls,errors: the name added at the end, as strace"

# every column: the same header and rules, the same counts in the same order
cols=time-percent,total-time,min-time,max-time,avg-time,calls,errors,name
both -S calls -U $cols
same_file <(sed -n '1,2p;7p' "$tmp/l") <(sed -n '1,2p;7p' "$tmp/s") \
	"-U $cols: strace's header and rules"
# (a row without errors has no errors field: 7 fields, not 8)
cme='{print $6, (NF == 8 ? $7 : "-"), $NF}'
same_file <(awk "$cme" "$tmp/l" | sed 1,2d) \
	<(awk "$cme" "$tmp/s" | sed 1,2d) \
	"-U $cols: the same calls, errors and order"
ok_if "-U: shortest <= longest on every row" \
	awk 'NR > 2 && $1 !~ /^-/ && $3 > $4 { exit 1 }' "$tmp/l"

# -O: a second of overhead leaves every call 0 s, the total still 100%
run_limen trace -c -O 1s -e $set4 -- "$prog" 2>"$tmp/l" >/dev/null
ok_if "-O 1s: every time 0, as strace" \
	awk 'NR > 2 && $1 !~ /^-/ && $2 != "0.000000" { exit 1 }' "$tmp/l"
is "$(tail -n 1 "$tmp/l" | awk '{print $1}')" 100.00 "-O 1s: the total is 100%"
# -w: limen's times are wall-clock times: the same table
both -w -S name -U name,calls
same_file "$tmp/l" "$tmp/s" "-w: accepted, the table as strace -w"

# a report's table takes them; a recording refuses them (it has no table)
run_limen record -o "$tmp/rec" -e $set4 -- "$prog" >/dev/null 2>&1
run_limen report -c -S calls -U name,calls,errors "$tmp/rec" >"$tmp/r" 2>&1
both -S calls -U name,calls,errors
same_file "$tmp/r" "$tmp/s" "report -c -S calls -U ...: strace's table from a recording"
out=$(run_limen record -o "$tmp/rec3" -S calls -- true 2>&1)
is "$?" 1 "record -S: refused, saying why ($out)"

# bad values: strace's messages, status 1
for a in "-S bogus" "-U bogus" "-U name,name" "-O 5x" "-O -1"; do
	s=$(strace -c $a true 2>&1 | head -n 1 | sed 's/^strace: //; s/ (-U option residual.*//')
	l=$(run_limen trace -c $a -- true 2>&1)
	st=$?
	is "$st:$l" "1:limen: $s" "$a: strace's message, status 1"
done
done_testing
