#!/bin/bash
# SPDX-License-Identifier: MIT
#
# The runtime's one decimal formatter (limen_fmt_dec: the loader's exe
# link, fdinfo's descriptor links, the user events' tracefs paths and
# filter errors), on literal values (test_fmt_dec).
. "$(dirname "$0")/../lib.sh"
bin="$LIMEN_TESTBIN/unit/test_fmt_dec"
[ -x "$bin" ] || skip_all "test_fmt_dec not built"
if "$bin" >"$tmp/cases" 2>&1; then
	pass "decimal_text_as_written_by_hand_NUL_terminated"
else
	fail "decimal_text_as_written_by_hand_NUL_terminated" "$(grep '^not ok' "$tmp/cases")"
fi
done_testing
