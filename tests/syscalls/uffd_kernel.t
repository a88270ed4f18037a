#!/bin/bash
# SPDX-License-Identifier: MIT
#
# What limen reads and writes of the program's memory in place of the
# kernel, or before it (a call's buffer and path for the trace, a wait's
# status it writes out), acts on a userfaultfd registration as the
# kernel's own access would (tests/progs/uffd_kernel.c). A uffd made with
# UFFD_USER_MODE_ONLY (userfaultfd(2), or /dev/userfaultfd's
# USERFAULTFD_IOC_NEW) handles user-mode faults only: the kernel's access
# to a missing or write-protected page fails with EFAULT. limen's plain
# loads and stores faulted the page in through the program's handler, and
# the call succeeded (write() of 16 bytes, open() of the path, wait4's
# status). A uffd that handles the kernel's faults too: the handler
# resolves limen's access as it does the kernel's, with no deadlock.
. "$(dirname "$0")/../lib.sh"
need_limen
prog=$(testbin uffd_kernel)
[ -x "$prog" ] || skip_all "tests/progs/uffd_kernel not built ($prog)"
_timeout=(timeout 20)

for L in loader preload; do
	export LIMEN_LOADER=$L
	for kind in um dev all; do
		for what in read path wait wp; do
			"$prog" "$what" "$kind" >"$tmp/probe" 2>&1
			if [ $? = 77 ]; then
				# vm.unprivileged_userfaultfd=0 leaves a user only
				# UFFD_USER_MODE_ONLY; /dev/userfaultfd is root's
				skip "$L $what $kind" "$(cat "$tmp/probe") (vm.unprivileged_userfaultfd=$(cat /proc/sys/vm/unprivileged_userfaultfd 2>/dev/null))"
				continue
			fi
			for mode in default --no-rewrite -etrace=none; do
				mode_opts "$mode"
				bare_and_traced uf "${opts[@]}" -- "$what" "$kind"
				as_bare uf "$L $mode: $what, $kind uffd: limen's access of the page as the kernel's"
			done
			[ "$kind" = um ] || continue
			# a filter that kills at process_vm_readv/writev: the
			# plain loads and stores stay (README, "userfaultfd")
			bare_and_traced uk -- "$what" "$kind" kill
			if [ "$(cat "$tmp/uk.st")" = 0 ] &&
				grep -q "^$what $kind: ret" "$tmp/uk.out"; then
				pass "$L: $what, $kind uffd, process_vm_readv kills: not killed"
			else
				fail "$L: $what, $kind uffd, process_vm_readv kills: not killed" \
					"status $(cat "$tmp/uk.st")" "$(head -3 "$tmp/uk.err")"
			fi
		done
	done
done
done_testing
