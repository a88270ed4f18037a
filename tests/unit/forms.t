#!/bin/bash
# SPDX-License-Identifier: MIT
#
# The forms rewrite_forms.c accepts, on bytes built by hand (test_forms),
# and on this machine's libc.so.6: its `syscall`s (objdump's) that fit a
# form must be more than those with the 5-byte instruction right before
# the `syscall` (the forms that copy instructions).
. "$(dirname "$0")/../lib.sh"
bin="$LIMEN_TESTBIN/unit/test_forms"
[ -x "$bin" ] || skip_all "test_forms not built"
if "$bin" >"$tmp/cases" 2>&1; then
	pass "hand-built_forms_decode_as_expected"
else
	fail "hand-built_forms_decode_as_expected" "$(grep -A1 '^not ok' "$tmp/cases")"
fi
libc=$(ldd "$bin" 2>/dev/null | sed -n 's/.*libc\.so\.6 => \([^ ]*\).*/\1/p')
if ! command -v objdump >/dev/null || [ -z "$libc" ]; then
	skip "libc_sites_with_copied_instructions_fit_a_form" "no objdump or no libc.so.6"
else
	objdump -d "$libc" | awk '/\tsyscall *$/ { sub(":", "", $1); print $1 }' |
		"$bin" --count "$libc" >"$tmp/count"
	fit=$(sed -n 's/ of .*//p' "$tmp/count")
	plain=$(sed -n 's/^copied 0: //p' "$tmp/count")
	diag "libc.so.6: $(head -1 "$tmp/count") syscall sites fit a form, $plain with nothing copied"
	if [ "${fit:-0}" -gt "${plain:-0}" ]; then
		pass "libc_sites_with_copied_instructions_fit_a_form"
	else
		fail "libc_sites_with_copied_instructions_fit_a_form" "$(cat "$tmp/count")"
	fi
	# glibc 2.36's read (cmpb $0,__libc_single_threaded(%rip); je;
	# xor %eax,%eax; syscall): proved from its FDE's start
	entry=$(sed -n 's/^entry: //p' "$tmp/count")
	diag "libc.so.6: $entry more proved from their function's entry"
	if ! objdump -d "$libc" | grep -A3 '^[0-9a-f]* <__read@@' |
		grep -q 'cmpb *$0x0,.*(%rip)'; then
		skip "libc_read_proved_from_its_functions_entry" "this libc's read does not start with a rip-relative cmpb"
	elif [ "${entry:-0}" -ge 1 ]; then
		pass "libc_read_proved_from_its_functions_entry"
	else
		fail "libc_read_proved_from_its_functions_entry" "$(cat "$tmp/count")"
	fi
fi
done_testing
