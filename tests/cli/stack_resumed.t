#!/bin/bash
# SPDX-License-Identifier: MIT
#
# -k and a call split across lines: strace prints a call's stack at its
# exit, under "<... resumed>", nothing under "<unfinished ...>". limen
# printed it under "<unfinished ...>", and lost it when the call was told
# unfinished before its stack came (another thread's event stamped
# between the call's entry and its capture). tests/progs/stackhammer.c:
# 4 threads of 2000 getppid, many of them split.
. "$(dirname "$0")/../lib.sh"
need_limen
if run_limen trace -k -- true 2>&1 | grep -q 'built without'; then
	skip_all "limen was built without libdw (Debian: libdw-dev, libelf-dev)"
fi
run_limen trace -k -e trace=getppid -o "$tmp/h" -- "$(testbin stackhammer)" 4 2000
is "$(grep -c 'getppid(' "$tmp/h")" 8000 "every getppid"
split=$(grep -c 'resumed>' "$tmp/h")
diag "$split calls split"
is "$(grep -A1 'unfinished \.\.\.>$' "$tmp/h" | grep -c '^ > ')" 0 \
	"no stack under <unfinished ...>"
is "$(grep -A1 'resumed>' "$tmp/h" | grep -c '^ > .*getppid+0x')" "$split" \
	"every <... resumed> line has its call's stack under it"
is "$(grep -c 'stackhammer(worker+0x' "$tmp/h")" 8000 "every getppid's stack, once"
done_testing
