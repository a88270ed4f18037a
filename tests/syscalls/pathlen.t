#!/bin/bash
# SPDX-License-Identifier: MIT
#
# A path is captured whole whatever its length, or cut as strace cuts it:
# limen reads a string in steps (64 bytes, then 256, 1024, 4096:
# src/runtime/capture.c, cap_string), and a path of any length around a
# step, in the middle of memory or ending against an unmapped page (its
# NUL the page's last byte, or no NUL: EFAULT, shown by its address),
# gives strace's line. tests/progs/pathlen.c.
. "$(dirname "$0")/../lib.sh"
need_limen
prog=$(testbin pathlen)
[ -x "$prog" ] || skip_all "tests/progs/pathlen not built ($prog)"
command -v strace >/dev/null || skip_all "strace not installed"
plan 2

only_paths() {
	grep -F 'openat(AT_FDCWD, ' | grep -v -e '"/[ul]' -e '"/etc/ld\.so' |
		sed -e 's/^[0-9]* *//' -e 's/  *= / = /' \
			-e 's/(AT_FDCWD, 0x[0-9a-f]*,/(AT_FDCWD, ADDR,/'
}
run_limen trace -e trace=openat -o "$tmp/limen" -- "$prog" >/dev/null 2>&1
strace -qq -e trace=openat -o "$tmp/strace" "$prog" >/dev/null 2>&1
only_paths <"$tmp/limen" >"$tmp/l"
only_paths <"$tmp/strace" >"$tmp/s"
is "$(wc -l <"$tmp/l")" "$(wc -l <"$tmp/s")" "every_path_length_is_traced ($(wc -l <"$tmp/s") opens)"
same_file "$tmp/l" "$tmp/s" \
	"paths_of_every_length_around_a_read_step_show_as_strace_shows"
done_testing
