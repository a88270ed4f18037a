#!/bin/bash
# SPDX-License-Identifier: MIT
#
# limen reads the program's memory (paths, buffers) with plain loads whose
# faults its SIGSEGV/SIGBUS handler recovers (src/runtime/safe.c), instead
# of a process_vm_readv per read. The program must see nothing of it: bad
# pointers give the EFAULT and the trace line they gave through
# process_vm_readv, the program's own SIGSEGV handler gets its own faults
# and only those, SIG_DFL, SIG_IGN and SA_RESETHAND end as bare, sigaction
# shows the program's dispositions. tests/progs/safecopy.c.
. "$(dirname "$0")/../lib.sh"
need_limen
prog=$(testbin safecopy)
[ -x "$prog" ] || skip_all "tests/progs/safecopy not built ($prog)"
plan 13

same_as_bare "bad_pointers_give_EFAULT_as_bare" "$prog" paths
# the same eight open()s, first with SIGSEGV and SIGBUS blocked (limen then
# reads through process_vm_readv), then not (plain loads): same lines
opens=$(grep -F 'openat(AT_FDCWD, ' "$tmp/trace" | grep -v -e '"/[ul]' -e '"/etc/ld\.so' |
	sed 's/^[0-9]* //')
n=$(printf '%s\n' "$opens" | wc -l)
if [ "$n" = 16 ] &&
	[ "$(printf '%s\n' "$opens" | head -8)" = "$(printf '%s\n' "$opens" | tail -8)" ]; then
	pass "a_capture_from_a_bad_pointer_shows_as_through_process_vm_readv"
else
	fail "a_capture_from_a_bad_pointer_shows_as_through_process_vm_readv" \
		"$n lines:" "$opens"
fi
# strace's read of it fails: it shows the address (path_unreadable.t)
ok_if "a_capture_running_into_an_unmapped_page_shows_its_address" \
	grep -q '^[0-9]* *openat(AT_FDCWD, 0x[0-9a-f]*ff6, O_RDONLY) = -1 EFAULT' "$tmp/trace"

same_as_bare "the_programs_own_SIGSEGV_handler_gets_only_its_faults" "$prog" handler
is "$(grep -c -- '--- SIGSEGV' "$tmp/trace")" 2 "the trace shows the program's two faults, no other"
same_as_bare "SA_RESETHAND_handles_one_fault_the_next_kills" "$prog" resethand
same_as_bare "a_fault_with_SIG_DFL_kills_as_bare" "$prog" dfl
same_as_bare "a_fault_with_SIG_IGN_kills_as_bare" "$prog" ign
same_as_bare "a_SIGSEGV_sent_while_SIG_IGN_is_ignored" "$prog" ignkill
same_as_bare "a_SIGBUS_sent_while_SIG_DFL_kills_as_bare" "$prog" dflkill
same_as_bare "SIGBUS_past_the_end_of_a_file_kills_as_bare" "$prog" bus
same_as_bare "sigaction_shows_the_programs_SIGSEGV_and_SIGBUS" "$prog" view

# the point of it: an open()'s path no longer costs a process_vm_readv
if command -v strace >/dev/null; then
	strace -f -qq -e trace=process_vm_readv -o "$tmp/st" \
		"$LIMEN" trace -e trace=openat -o /dev/null -- "$prog" loop 200 \
		>/dev/null 2>&1
	n=$(grep -c 'process_vm_readv(' "$tmp/st")
	ok_if "reading_a_path_needs_no_process_vm_readv ($n calls for 200 opens)" \
		[ "$n" -lt 50 ]
else
	skip "reading_a_path_needs_no_process_vm_readv" "strace not installed"
fi
done_testing
