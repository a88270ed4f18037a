#!/bin/bash
# SPDX-License-Identifier: MIT
#
# uaccess logging of mount's data: the kernel copies a page's worth,
# whatever the string in it (copy_mount_options), up to the first byte it
# cannot read; the table shows it as a string, whose length is not what
# was read (tests/progs/mount_data.c).
. "$(dirname "$0")/../lib.sh"
need_limen
prog=$(testbin mount_data)

run_limen trace --uaccess -e trace=mount -o "$tmp/t" -- "$prog" >"$tmp/out" ||
	fail "the program ran: $?"
whole=$(sed -n 's/^whole //p' "$tmp/out")
near=$(sed -n 's/^near //p' "$tmp/out")
is "$(sed -n 3p "$tmp/out")" "-1 -1" "both mounts fail, after the copy"
grep -A4 -F "\"size=1m\"" "$tmp/t" >"$tmp/lines"
ok_if "data followed by a readable page: a page read (4096 bytes)" \
	grep -qE "^([0-9]+ +)?  uaccess R $whole\\+4096\$" "$tmp/lines"
ok_if "data before a PROT_NONE page: read up to it (8 bytes)" \
	grep -qE "^([0-9]+ +)?  uaccess R $near\\+8\$" "$tmp/lines"
ok_if "the type is read as a string, with its NUL" \
	grep -qE '^([0-9]+ +)?  uaccess R 0x[0-9a-f]+\+6$' "$tmp/lines"
done_testing
