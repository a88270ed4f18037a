#!/bin/bash
# SPDX-License-Identifier: MIT
#
# A program under a seccomp filter that denies process_vm_readv and
# process_vm_writev (systemd's @system-service without @debug, other
# sandboxes: tests/progs/vm_denied.c). The results limen's hooks write
# for the program (rt_sigaction's old action, rt_sigprocmask's old mask,
# sigaltstack's, rt_sigpending's set) go into its memory with plain
# stores whose faults limen recovers (src/runtime/safe.c), as its reads
# do: through process_vm_writev they failed, and each call returned
# EFAULT where bare it succeeds (dash, which then died of SIGSEGV).
. "$(dirname "$0")/../lib.sh"
need_limen
prog=$(testbin vm_denied)
[ -x "$prog" ] || skip_all "tests/progs/vm_denied not built ($prog)"

for L in loader preload; do
	export LIMEN_LOADER=$L
	bare_and_traced rw --
	as_bare rw "hooks_write_results_where_process_vm_writev_is_denied ($L)"
	bare_and_traced sud --no-rewrite --
	as_bare sud "hooks_write_results_where_process_vm_writev_is_denied_through_SUD ($L)"
done
done_testing
