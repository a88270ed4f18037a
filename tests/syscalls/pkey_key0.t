#!/bin/bash
# SPDX-License-Identifier: MIT
#
# Protection keys that deny what limen itself reads and writes
# (tests/progs/pkey_key0.c). A program that write- or access-disables
# key 0 (all ordinary memory: its own and limen's stack, TLS and
# session) around its system calls: bare, the calls work and the
# kernel's accesses to key-0 memory for them fail with EFAULT; limen's
# SIGSYS handler faulted on its own memory (src/runtime/pkru.h). And
# what limen writes for a call (rt_sigaction's old action, the old mask
# and stack) into a page of a key the program write-disabled: bare
# EFAULT, as the kernel's copy_to_user honours PKRU; limen's
# process_vm_writev, which ignores keys, wrote it (src/runtime/safe.c,
# limen_put_user). Also: the same calls from a site rewritten before,
# whose stub's pushes fault (src/runtime/rewrite.c, limen_rewrite_stub_fault); a
# handler that interrupts such a call, and the program after it; the
# uaccess log's pages write-disabled with wrpkru (src/runtime/uaccess.c).
#
# Without glibc's rseq: the kernel writes the thread's struct rseq (key-0
# memory) with the program's PKRU when it delivers a signal, SIGSYS
# included, or returns to a thread it preempted or moved, and a failed
# write is a SIGSEGV: bare, at random; through Syscall User Dispatch, at
# every call (README, "protection keys" under the signals).
. "$(dirname "$0")/../lib.sh"
export GLIBC_TUNABLES=glibc.pthread.rseq=0
need_limen
prog=$(testbin pkey_key0)
[ -x "$prog" ] || skip_all "tests/progs/pkey_key0 not built ($prog)"
[ "$("$prog" key0-wd | head -1)" != "no pkeys" ] ||
	skip_all "no protection keys here (CPU or kernel)"

for L in loader preload; do
	export LIMEN_LOADER=$L
	for mode in "sud --no-rewrite" "rw"; do
		set -- $mode
		name=$1
		shift
		bare_and_traced wd$name "$@" -- key0-wd
		as_bare wd$name "calls_with_key0_write_disabled_work_and_fault_as_bare ($L, $name)"
		bare_and_traced ad$name "$@" -- key0-ad
		as_bare ad$name "calls_with_key0_access_disabled_work_and_fault_as_bare ($L, $name)"
		bare_and_traced wwarm$name "$@" -- key0-wd-warm
		as_bare wwarm$name "calls_with_key0_write_disabled_from_a_site_used_before_work_as_bare ($L, $name)"
		bare_and_traced awarm$name "$@" -- key0-ad-warm
		as_bare awarm$name "calls_with_key0_access_disabled_from_a_site_used_before_work_as_bare ($L, $name)"
		bare_and_traced sig$name "$@" -- key0-ad-signal
		as_bare sig$name "a_handler_interrupting_a_call_with_key0_denied_and_the_program_after_it_call_as_bare ($L, $name)"
		bare_and_traced old$name "$@" -- oldact-wd
		as_bare old$name "old_action_into_a_write_disabled_key_is_EFAULT ($L, $name)"
	done
done

# uaccess logging: no bare reference (a stock kernel has no log)
prog_run() { timeout 30 "$LIMEN" run -- "$prog" "$@"; }
out=$(prog_run uaccess-wd 2>&1)
st=$?
is "$st:$out" "0:getcwd logged: ok, entries written
getcwd with the log's key write-disabled: ok, no entries" \
	"uaccess_log_pages_write_disabled_by_wrpkru_leave_the_call_unlogged_not_crashed"
done_testing
