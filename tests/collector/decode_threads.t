#!/usr/bin/env bash
# Formatting spread over decode threads (LIMEN_DECODE_THREADS) writes the
# same bytes in the same order as formatting inline: batches are formatted
# in parallel and written in the order they were made.
. "$(dirname "$0")/../lib.sh"
need_limen
command -v setarch >/dev/null || skip_all "setarch is not installed (util-linux)"
plan 4

# the same run twice: no address randomisation, and the pids that differ
# from run to run (the thread column, getppid's result: limen's pid,
# set_tid_address's: the program's own, which ld.so's call shows when the
# loader traces from the first instruction, getrandom's bytes) blanked
run() {
	local n=$1 out=$2
	shift 2
	LIMEN_DECODE_THREADS=$n setarch -R "$LIMEN" trace -o "$out" -- "$@" \
		</dev/null >/dev/null 2>&1
	sed -i 's/^[0-9]* *//; s/^getppid()  *= [0-9]*$/getppid() = P/; s/^getrandom("[^"]*"/getrandom(R/; s/^\(set_tid_address(.*)\)  *= [0-9]*$/\1 = T/' "$out"
}

run 0 "$tmp/loop0" "$(testbin sysloop)" 20000 5000
run 3 "$tmp/loop3" "$(testbin sysloop)" 20000 5000
ok_if "the loop's trace has its 30,000 calls" \
	test "$(grep -c -E '^(getppid|openat|close)\(' "$tmp/loop3")" -ge 30000
same_file "$tmp/loop3" "$tmp/loop0" \
	"decode_threads_write_the_same_bytes_in_the_same_order (30,000 calls)"
run 1 "$tmp/loop1" "$(testbin sysloop)" 20000 5000
same_file "$tmp/loop1" "$tmp/loop0" "one decode thread: the same bytes"

run 0 "$tmp/cat0" cat /etc/hostname /nonexistent-limen-decode
run 2 "$tmp/cat2" cat /etc/hostname /nonexistent-limen-decode
same_file "$tmp/cat2" "$tmp/cat0" \
	"decode threads: cat's trace (failures, exit) the same as inline"
