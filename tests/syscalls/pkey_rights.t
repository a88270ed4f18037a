#!/bin/bash
# SPDX-License-Identifier: MIT
#
# Protection keys (tests/progs/pkey_rights.c): the kernel starts a signal
# handler with its default PKRU and loads the interrupted one back from
# the frame at rt_sigreturn, so a call limen makes from its SIGSYS
# handler must run with the program's PKRU and leave its changes in the
# frame (src/runtime/pkru.h). Without that, pkey_alloc's rights for the
# new key were lost (the program's first store to the key's page:
# SIGSEGV), a read() into a page of a key the program allows failed with
# EFAULT, and a handler of the program started with PKRU 0 (every key
# allowed) instead of the kernel's default. Through Syscall User Dispatch
# only (--no-rewrite) and with rewritten sites (their first call traps).
# A handler on an alternate stack of a key the kernel's default PKRU
# denies gets its frame, which the kernel writes with every key allowed
# (Linux 6.12): limen's plain stores fault there, process_vm_writev
# (which ignores keys) writes it (src/runtime/safe.c).
. "$(dirname "$0")/../lib.sh"
need_limen
prog=$(testbin pkey_rights)
[ -x "$prog" ] || skip_all "tests/progs/pkey_rights not built ($prog)"
[ "$("$prog" | head -1)" != "no pkeys" ] ||
	skip_all "no protection keys here (CPU or kernel)"

for L in loader preload; do
	export LIMEN_LOADER=$L
	bare_and_traced sud --no-rewrite --
	as_bare sud "pkey_rights_kept_and_in_force_for_calls_through_SUD ($L)"
	bare_and_traced rw --
	as_bare rw "pkey_rights_kept_and_in_force_for_calls_of_rewritten_sites ($L)"
	bare_and_traced none -e trace=none --
	as_bare none "pkey_rights_kept_and_in_force_under_trace_none ($L)"
done
done_testing
