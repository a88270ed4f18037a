#!/bin/bash
# SPDX-License-Identifier: MIT
#
# A vfork child has its own signal dispositions though it shares memory
# with its parent: limen keeps the child's view in a private copy
# (src/runtime/clone.c, vsig_for_child; limen_vsig in rt.h). Saving the
# process-wide view before the vfork and writing it back after lost
# another thread's sigaction made meanwhile (the program then died of
# SIGUSR1), and showed the child's SIG_DFL to the parent's other threads
# while the child ran (limen then hung). tests/progs/vfork_sigtable.c.
. "$(dirname "$0")/../lib.sh"
need_limen
prog=$(testbin vfork_sigtable)
[ -x "$prog" ] || skip_all "tests/progs/vfork_sigtable not built ($prog)"
plan 4

same_as_bare "a_handler_installed_by_another_thread_during_a_vfork_survives_it" \
	"$prog" installed
LIMEN_LOADER=preload same_as_bare \
	"a_handler_installed_by_another_thread_during_a_vfork_survives_it_with_LD_PRELOAD" \
	"$prog" installed
same_as_bare "other_threads_keep_their_handlers_while_a_vfork_child_resets_its_own" \
	"$prog" reset
LIMEN_LOADER=preload same_as_bare \
	"other_threads_keep_their_handlers_while_a_vfork_child_resets_its_own_with_LD_PRELOAD" \
	"$prog" reset
done_testing
