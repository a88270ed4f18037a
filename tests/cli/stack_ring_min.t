#!/bin/bash
# SPDX-License-Identifier: MIT
#
# -k and the ring's size: a record larger than half the ring is dropped,
# not waited for, and -k's records are the process's maps (up to 64 KiB)
# and 16 KiB of stack each call. With --ring-size 128K or less, no-loss
# mode lost the maps (128K, 64K: "+++ limen: 1 event lost +++" and frames
# without modules) or every stack (16K, 32K): such rings are refused with
# -k, saying why; at the smallest ring -k takes, nothing is lost.
. "$(dirname "$0")/../lib.sh"
need_limen
if run_limen trace -k -- true 2>&1 | grep -q 'built without'; then
	skip_all "limen was built without libdw (Debian: libdw-dev, libelf-dev)"
fi
prog=$(testbin stacksig)

for size in 16K 32K 64K 128K; do
	out=$(run_limen trace --ring-size $size -k -e trace=getpid -o "$tmp/t" -- "$prog" 2>&1)
	is "$?" 1 "--ring-size $size -k: refused"
	ok_if "--ring-size $size -k: the message says the ring is too small ($out)" \
		grep -q -- "-k: --ring-size $size is too small.*256K or more" <<<"$out"
done
out=$(run_limen trace --ring-size 128K -e trace=getpid -o "$tmp/t" -- "$prog" 2>&1)
is "$?" 0 "--ring-size 128K without -k: taken"

# 256K: every call with its frames, nothing lost, in one thread and in
# many (hammer: 4 threads of 2000 getppid)
run_limen trace --ring-size 256K -k -e trace=getpid -o "$tmp/t" -- "$prog"
is "$?" 0 "--ring-size 256K -k: taken"
ok_if "--ring-size 256K -k: nothing lost" sh -c "! grep -q lost '$tmp/t'"
is "$(grep -c 'getpid()' "$tmp/t")" 3 "--ring-size 256K -k: the three getpids"
is "$(grep -c 'stacksig(main+0x' "$tmp/t")" 4 \
	"--ring-size 256K -k: the three getpids and the signal unwind to main, named (the maps came)"
run_limen trace --ring-size 256K -k -e trace=getppid -o "$tmp/h" -- \
	"$(testbin stackhammer)" 4 2000
ok_if "--ring-size 256K -k, 4 threads: nothing lost" sh -c "! grep -q lost '$tmp/h'"
is "$(grep -c 'getppid(' "$tmp/h")" 8000 "--ring-size 256K -k, 4 threads: every getppid"
is "$(grep -c 'stackhammer(worker+0x' "$tmp/h")" 8000 \
	"--ring-size 256K -k, 4 threads: every getppid's stack"
done_testing
