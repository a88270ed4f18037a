#!/bin/bash
# SPDX-License-Identifier: MIT
#
# The when= note an execve carries (limen_when_note_write), on counters
# the program wrote: nothing past its room, counts folded (test_when_note).
. "$(dirname "$0")/../lib.sh"
bin="$LIMEN_TESTBIN/unit/test_when_note"
[ -x "$bin" ] || skip_all "test_when_note not built"
if "$bin" >"$tmp/cases" 2>&1; then
	pass "when_note_stays_in_its_room_counts_folded"
else
	fail "when_note_stays_in_its_room_counts_folded" "$(grep '^not ok' "$tmp/cases")"
fi
done_testing
