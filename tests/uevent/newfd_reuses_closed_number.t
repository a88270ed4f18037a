#!/bin/bash
# SPDX-License-Identifier: MIT
#
# The emulated user_events_data follows its descriptors by number
# (src/runtime/uevent_abi.c). A descriptor of it closed where the runtime
# does not see it (by a CLONE_FILES child: another process, its own copy
# of the runtime) leaves the number taken for the emulated file until the
# kernel gives it out again; then the new descriptor is the kernel's. Not
# only for an open (open_done; tests/syscalls/quick_path.t, reuse): any
# call that makes descriptors (LIMEN_UEV_NEWFD_CALLS in rt.h: pipe2,
# socketpair, socket, eventfd, memfd_create, creat, openat2,
# epoll_create1, inotify_init1, timerfd_create here), and a clone or
# clone3 with CLONE_PIDFD (limen_uev_clone_done), forgets the number,
# so that writes to the new descriptor get the kernel's answers.
# tests/progs/uev_newfd_reuse.c, against itself bare with /dev/null in
# place of user_events_data (the same numbers, the kernel's answers), both
# loaders, quick way and --no-rewrite.
. "$(dirname "$0")/../lib.sh"
need_limen
prog=$(testbin uev_newfd_reuse)
[ -x "$prog" ] || skip_all "tests/progs/uev_newfd_reuse not built ($prog)"
need_emulated_user_events

mkdir "$tmp/bare.d" "$tmp/lim.d"
_run_to "$tmp/bare" "$prog" /dev/null "$tmp/bare.d"
is "$(grep -c ' same=1 write=' "$tmp/bare.out")" 12 "bare: every number came back"
for L in loader preload; do
	for way in quick full; do
		opts=()
		[ $way = full ] && opts=(--no-rewrite)
		rm -f "$tmp/lim.d"/*
		LIMEN_LOADER=$L _run_to "$tmp/lim" "$LIMEN" trace \
			"${opts[@]+"${opts[@]}"}" -o "$tmp/trace" -- \
			"$prog" /sys/kernel/tracing/user_events_data "$tmp/lim.d"
		same_file "$tmp/lim.out" "$tmp/bare.out" \
			"a_new_descriptor_on_a_number_closed_elsewhere_is_the_kernel_s_not_the_emulated_file ($L, $way)"
		is "$(cat "$tmp/lim.st")" 0 "exit status ($L, $way)"
	done
done
done_testing
