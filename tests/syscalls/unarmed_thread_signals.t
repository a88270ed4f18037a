#!/bin/bash
# SPDX-License-Identifier: MIT
#
# Threads limen gives no signal stack of its own: started after a seccomp
# filter of the program's refused their arming (prctl: EPERM), or after
# one refusing something else with the pool of rings empty (ring.c). Its
# wrapper of the program's handlers then ran on the program's stack, the
# kernel's frame for it right where the program's frame goes: written
# there, the handler's return went back into the handler for ever
# (signals.c, deliver). And the thread's own rt_sigprocmask never reached
# limen: glibc's unblock at a thread's start went unseen, limen took
# SIGSEGV for blocked and a fault the program's handler recovers from
# killed (owned.c, clone.c). Its own sigaltstack never reached limen
# either: an SA_ONSTACK handler ran on the stack that had overflowed,
# and the thread died (stack.c, limen_vstack_unarmed). A handler ran with
# the signals limen keeps for itself (SIGSEGV, SIGBUS, SIGTRAP, SIGSYS)
# unblocked where the thread blocked them, and so a fault in it went to
# the program's SIGSEGV handler where bare the kernel forces it and kills
# (signals.c, deliver: the view of them is the real mask). Each mode must run
# as bare, in both loaders.
# tests/progs/unarmed_thread_signals.c.
. "$(dirname "$0")/../lib.sh"
need_limen
prog=$(testbin unarmed_thread_signals)
[ -x "$prog" ] || skip_all "tests/progs/unarmed_thread_signals not built ($prog)"
ulimit -c 0 # maskfault dies of SIGSEGV

for L in loader preload; do
	export LIMEN_LOADER=$L
	for m in usr1 alrm segv intr fork exit altstack masked maskfault; do
		bare_and_traced $m -- $m
		as_bare $m "$L: an_unarmed_thread_takes_signals ($m): as bare"
	done
	bare_and_traced trnone -e trace=none -- usr1
	as_bare trnone "$L: an unarmed thread's signals with -e trace=none: as bare"
	for m in usr1 segv masked; do
		bare_and_traced pool$m -- $m pool
		as_bare pool$m "$L: a thread the pool had no ring for takes signals ($m): as bare"
	done
done
done_testing
