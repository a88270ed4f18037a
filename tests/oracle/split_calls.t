#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# A call split by another thread's or process's lines is shown as strace
# shows it: "name(what is known at entry <unfinished ...>", then "<...
# name resumed>the rest) = ret". Where strace's decoder prints an
# argument at exit, limen does too, with the comma on the same side:
# clone's parent_tid, tls and child_tidptr ("<... clone resumed>,
# parent_tid=[N]) = N"), clone3's written-back fields and size ("<...
# clone3 resumed> => {parent_tid=[N]}, 88) = N") (tests/progs/split_clone.c:
# CLONE_VFORK makes the split certain), and a clone3 that writes nothing
# back with its size at entry; sendfile's moved offset.
. "$(dirname "$0")/../lib.sh"
need_limen
command -v strace >/dev/null || skip_all "strace is not installed"
strace -f -o /dev/null true 2>/dev/null || skip_all "strace cannot trace here"
prog=$(testbin split_clone)
[ -x "$prog" ] || skip_all "tests/progs/split_clone not built ($prog)"

# the clone and clone3 halves of a trace, pids and addresses normalized
halves() {
	sed -E -e 's/^[0-9]+ +//' -e 's/ +(= )/ \1/' "$1" |
		grep -E '^(clone3?\(|<\.\.\. clone3? resumed>)' |
		sed -E -e 's/0x[0-9a-f]+/ADDR/g' -e 's/[0-9]{2,}/N/g'
}

for L in loader preload; do
	LIMEN_LOADER=$L run_limen trace -o "$tmp/l.$L" -- "$prog" >"$tmp/out" 2>&1
	is "$(cat "$tmp/out")" "split_clone: ok" "the program runs as bare ($L)"
	strace -f -o "$tmp/s" -- "$prog" >/dev/null 2>&1
	halves "$tmp/s" >"$tmp/s.h"
	halves "$tmp/l.$L" >"$tmp/l.h"
	ok_if "strace splits both calls" test "$(grep -c 'resumed>' "$tmp/s.h")" = 2
	same_file "$tmp/l.h" "$tmp/s.h" \
		"a_split_clone_and_clone3_show_at_exit_what_strace_shows_there ($L)"
done

# a vfork-style clone3 with nothing written back (glibc's posix_spawn):
# strace shows its size before <unfinished ...> (limen showed it after
# "resumed>"); tests/progs/spawn's child execs, which splits the call
spawn=$(testbin spawn)
run_limen trace -e trace=clone3,execve -o "$tmp/l" -- "$spawn" >/dev/null 2>&1
strace -f -e trace=clone3,execve -o "$tmp/s" -- "$spawn" >/dev/null 2>&1
halves "$tmp/s" >"$tmp/s.h"
halves "$tmp/l" >"$tmp/l.h"
if grep -q 'clone3(' "$tmp/s.h"; then
	same_file "$tmp/l.h" "$tmp/s.h" \
		"a_split_clone3_that_writes_nothing_back_shows_its_size_at_entry"
else
	skip "posix_spawn does not use clone3 here (glibc before 2.34)"
fi

# sendfile's offset: "[0] => [50]" once the call moved it (strace 6.1)
py='import os; i = os.open("/etc/passwd", os.O_RDONLY); o = os.open("/dev/null", os.O_WRONLY)
os.sendfile(o, i, 0, 50); os.sendfile(o, i, 10, 5); os.sendfile(o, i, 1 << 40, 5)'
run_limen trace -e trace=sendfile -o "$tmp/l" -- python3 -c "$py"
strace -e trace=sendfile -o "$tmp/s" python3 -c "$py"
for f in s l; do
	sed -E -e 's/^[0-9]+ +//' -e 's/ +(= )/ \1/' "$tmp/$f" | grep '^sendfile' >"$tmp/$f.sf"
done
ok_if "sendfile lines there" grep -qF 'sendfile(' "$tmp/l.sf"
same_file "$tmp/l.sf" "$tmp/s.sf" "sendfile_shows_the_offset_it_moved_as_strace"
done_testing
