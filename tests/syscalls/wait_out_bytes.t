#!/bin/bash
# SPDX-License-Identifier: MIT
#
# A wait's status or siginfo goes through limen's memory (the child's end
# must reach the collector even where the program's copy faults) and
# limen_wait_out writes it where the program asked, as the kernel does
# (tests/progs/wait_out_bytes.c, src/runtime/dispatch.c):
# * with the program's protection keys as they were at the call, also
#   when a signal ends the call and the copy is made from limen's signal
#   way, where the kernel's default PKRU (key 0 only) is in force: it
#   failed with EFAULT, the word untouched;
# * a field at a time, each whole or not at all, as the kernel's
#   put_user: a status or si_code running into an unmapped page had its
#   first bytes written;
# * a waitid that a signal ends for a restart (SA_RESTART) has its infop
#   written (zeros) by the kernel before, and a fault there ends the
#   call with EFAULT at once, the child not reaped: limen's own infop
#   never faulted, the call restarted and reaped the child, and the
#   handler saw the old bytes, not the zeros;
# * one that a handler without SA_RESTART ends, its infop unwritable:
#   the kernel's fault on infop makes it EFAULT; deliver put back the
#   -EINTR over limen_wait_out's EFAULT (a wait4 copies nothing then:
#   EINTR).
. "$(dirname "$0")/../lib.sh"
need_limen
prog=$(testbin wait_out_bytes)
[ -x "$prog" ] || skip_all "tests/progs/wait_out_bytes not built ($prog)"

if [ "$("$prog" pk4 | head -1)" != "no pkeys" ]; then
	for m in pk4 pki pkint; do
		bare_and_traced $m -- $m
		as_bare $m "wait_into_a_pkey_page_ended_by_a_signal_writes_as_bare ($m)"
	done
fi
for m in edgeS edgeI; do
	bare_and_traced $m -- $m
	as_bare $m "wait_field_crossing_into_a_faulting_page_is_not_written ($m)"
done
for m in rsA rsC; do
	bare_and_traced $m -- $m
	as_bare $m "waitid_restarted_by_a_signal_writes_its_infop_first ($m)"
done
bare_and_traced rsN -- rsN
as_bare rsN "waitid_ended_by_a_handler_into_unwritable_infop_fails_efault (rsN)"
bare_and_traced rs4 -- rs4
as_bare rs4 "wait4_ended_by_a_handler_with_unwritable_pointers_fails_eintr (rs4)"
done_testing
