#!/bin/bash
# SPDX-License-Identifier: MIT
#
# The init of a pid namespace (its pid 1) with a signal at SIG_DFL never
# gets it, but SIGKILL and SIGSTOP from an ancestor namespace and the
# faults the kernel forces on it (kernel/signal.c: sig_task_ignored, and
# get_signal for one queued blocked, SIGNAL_UNKILLABLE): sent from inside
# the namespace or from an ancestor, by kill, tgkill or sigqueue, it is
# dropped, and a call the init was blocked in goes on. limen's handlers
# stand in for SIG_DFL (the core-dumping signals and SIGPIPE,
# core_signal.c; SIGSEGV, SIGBUS, SIGTRAP, SIGSYS, its own), so the
# kernel handed those to limen, which took the default action: the init
# was killed (kill -SYS 1: status 159), or the call got the restart code
# (waitpid = -1, errno 512), or EINTR. Now limen drops them as the kernel
# does (src/runtime/signals.c, init_drops) and the call is made again. A
# fault of the init's own still kills it (its int3 did not). tests/progs/init_default_signals.c
# prints what its init saw in each round; traced, it must print the same.
. "$(dirname "$0")/../lib.sh"
need_limen
command -v unshare >/dev/null || skip_all "no unshare"
prog=$(testbin init_default_signals)
[ -x "$prog" ] || skip_all "tests/progs/init_default_signals not built ($prog)"
"$prog" none >/dev/null 2>&1
[ $? = 77 ] && skip_all "no new pid namespace here"

LIMEN_TEST_TIMEOUT=60
for mode in default no-rewrite preload; do
	opts=()
	unset LIMEN_LOADER
	case $mode in
	no-rewrite) opts=(--no-rewrite --) ;;
	preload) export LIMEN_LOADER=preload ;;
	esac
	for group in wait calls ancestor; do
		bare_and_traced "$mode-$group" "${opts[@]+"${opts[@]}"}" "$group"
		n=$(grep -c -e 'reaped, status 5$' -e ': 1 $' -e ': 0 $' \
			-e 'went on$' -e 'init lives$' "$tmp/$mode-$group.bare.out")
		[ "$n" -ge 8 ] && grep -q -x 'init exited 0' "$tmp/$mode-$group.bare.out" ||
			fail "bare ($group): the init gets none of them" \
				"$(cat "$tmp/$mode-$group.bare.out")"
		as_bare "$mode-$group" \
			"init_drops_default_signals ($group, $mode): as bare"
	done
done
unset LIMEN_LOADER

# its own faults kill it, with the signal of the fault; an int3 too, which
# limen's handler took at SIG_DFL and queued again, dropped as a sent one
# (the init went on after it), and does not trap again by itself
# (src/runtime/safe.c, trap_again); a seccomp filter's trap of a call
# limen made for it, whose SIGSYS queued again was dropped the same way
# (the init went on, and died at its next call, of Syscall User
# Dispatch's SIGSYS: src/runtime/signals.c, seccomp_again)
for fault in segv ill trap sys; do
	bare_and_traced "fault-$fault" none "$fault"
	as_bare "fault-$fault" "init_killed_by_its_own_fault ($fault): as bare"
done

# the torture run's cases: the init a shell that signals itself, a python
# whose child signals it while it waits
same_as_bare "init_drops_default_signals (sh: kill -SYS 1): as bare" \
	unshare -pf --mount-proc sh -c 'kill -SYS 1; echo alive'
if command -v python3 >/dev/null; then
	same_as_bare "init_drops_default_signals (python: kill -QUIT 1 from a child): as bare" \
		unshare -pf --mount-proc python3 -c \
		'import subprocess; subprocess.run(["kill","-QUIT","1"]); print("alive")'
else
	skip "init_drops_default_signals (python: kill -QUIT 1 from a child)" "no python3"
fi
done_testing
