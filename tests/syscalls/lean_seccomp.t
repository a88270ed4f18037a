#!/bin/bash
# SPDX-License-Identifier: MIT
#
# A seccomp filter's SECCOMP_RET_TRAP for a call a rewritten site makes on
# the lean path (src/runtime/lean.c: the `syscall` the kernel sees is
# limen's, in limen_fast_entry): the program's SIGSYS handler must find the
# call where the program made it, as bare (si_call_addr, rip after the
# site's `syscall`, rax the number, rsp the program's: limen_lean_call_addr
# and limen_lean_settle), and the result it writes is the call's; the same
# selected (the full path) and with --no-lean. tests/progs/lean_seccomp.c.
. "$(dirname "$0")/../lib.sh"
need_limen
prog=$(testbin lean_seccomp)
[ -x "$prog" ] || skip_all "tests/progs/lean_seccomp not built ($prog)"

# both runtimes: limen's loader (%gs) and liblimen.so preloaded (%fs)
for L in loader preload; do
	export LIMEN_LOADER=$L
	bare_and_traced lean -e trace=none --
	as_bare lean "a_seccomp_trap_of_a_lean_call_finds_the_program_at_its_site ($L)"
	is "$(site lean getppid)" e9 "the trapped call's site is rewritten ($L)"
	bare_and_traced sel -e trace=getppid --
	as_bare sel "the same call selected: the handler sees it as bare ($L)"
	bare_and_traced nolean --no-lean -e trace=none --
	as_bare nolean "the same with --no-lean: as bare ($L)"
done
done_testing
