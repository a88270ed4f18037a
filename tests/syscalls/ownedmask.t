#!/bin/bash
# SPDX-License-Identifier: MIT
#
# SIGSYS, SIGSEGV, SIGBUS, SIGTRAP are limen's (src/runtime/owned.c): never
# really blocked, so that a fault of limen's own reads of the program's
# memory never kills and no read has to ask the kernel for the mask. The
# program must see its own blocking of them everywhere, as bare:
# sigprocmask's old set, its handlers' ucontext, sigsuspend, threads,
# fork, execve; a SIGSEGV or SIGBUS sent while it blocks them stays
# pending (sigpending, sigtimedwait, signalfd, across execve) and comes
# when it unblocks them; a fault while blocked kills; a call it sleeps in
# is not interrupted. tests/progs/ownedmask.c.
. "$(dirname "$0")/../lib.sh"
need_limen
prog=$(testbin ownedmask)
[ -x "$prog" ] || skip_all "tests/progs/ownedmask not built ($prog)"
plan 19

same_as_bare "bad_pointers_with_SIGSEGV_and_SIGBUS_blocked_give_EFAULT" "$prog" badptr
same_as_bare "sigprocmask_handlers_sigsuspend_threads_fork_execve_show_the_programs_mask" \
	"$prog" roundtrip
same_as_bare "a_blocked_SIGSEGV_sent_stays_pending_and_comes_on_unblock" "$prog" pending handler
same_as_bare "a_blocked_SIGSEGV_sent_with_SIG_DFL_kills_on_unblock" "$prog" pending dfl
same_as_bare "a_blocked_SIGSEGV_sent_with_SIG_IGN_is_pending_then_dropped" "$prog" pending ign
same_as_bare "sigtimedwait_takes_a_blocked_SIGSEGV_sent" "$prog" sigwait
same_as_bare "a_signalfd_reads_a_blocked_SIGBUS_sent" "$prog" signalfd
same_as_bare "a_fault_while_SIGSEGV_is_blocked_kills_as_the_kernel_forces_it" "$prog" fault
same_as_bare "a_pending_blocked_SIGSEGV_survives_execve" "$prog" execpending
same_as_bare "a_call_sleeping_with_SIGSEGV_blocked_is_not_interrupted_by_one_sent" \
	"$prog" inread
reads=$(trace_join "$tmp/trace" | grep -E '^[0-9]* *read\([0-9]+, ' | grep -v -e '"\\177ELF' -e ', 1024)')
is "$reads" "$(printf '%s\n' "$reads" | grep -E ' read\([0-9]+, "x", 1\) *= 1$')" \
	"the_trace_shows_the_read_once_uninterrupted"
ok_if "the_trace_has_the_read" [ -n "$reads" ]

# SIGTRAP is limen's too (a site being patched starts with an int3,
# src/runtime/rewrite.c): the program's own int3 and SIGTRAP as bare
same_as_bare "the_programs_int3_reaches_its_SIGTRAP_handler" "$prog" int3 handler
same_as_bare "the_programs_int3_with_SIG_DFL_kills_as_bare" "$prog" int3 dfl
same_as_bare "the_programs_int3_with_SIG_IGN_kills_as_bare" "$prog" int3 ign
same_as_bare "the_programs_int3_with_SIGTRAP_blocked_kills_as_bare" "$prog" int3 blocked
same_as_bare "a_blocked_SIGTRAP_sent_stays_pending_and_comes_on_unblock" "$prog" pendingtrap

# the point of it: a read of the program's memory (open's path) asks the
# kernel nothing about the mask
if ! command -v strace >/dev/null; then
	skip "reading_the_programs_memory_needs_no_rt_sigprocmask" "strace not installed"
	skip "the_reads_are_plain_loads_with_SIGSEGV_blocked" "strace not installed"
else
	strace -f -qq -e trace=rt_sigprocmask -o "$tmp/st" \
		"$LIMEN" trace -e trace=openat -o /dev/null -- "$prog" loop 200 \
		>/dev/null 2>&1
	n=$(grep -c 'rt_sigprocmask(' "$tmp/st")
	ok_if "reading_the_programs_memory_needs_no_rt_sigprocmask ($n calls for 200 opens)" \
		[ "$n" -lt 50 ]
	strace -f -qq -e trace=process_vm_readv -o "$tmp/st" \
		"$LIMEN" trace -e trace=openat -o /dev/null -- "$prog" loop 200 \
		>/dev/null 2>&1
	n=$(grep -c 'process_vm_readv(' "$tmp/st")
	ok_if "the_reads_are_plain_loads_with_SIGSEGV_blocked ($n process_vm_readv for 200 opens)" \
		[ "$n" -lt 50 ]
fi
done_testing
