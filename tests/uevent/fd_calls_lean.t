#!/bin/bash
# SPDX-License-Identifier: MIT
#
# The tracefs hooks' descriptor calls (getdents64, fstat, fchdir, getcwd,
# fgetxattr, flistxattr, ioctl: rt.h's LIMEN_UEV_FD_CALLS) stay on the
# lean path while the process has nothing they look at: no emulated file's
# descriptor, no kernel tracefs directory whose listing gets entries, no
# emulated working directory (src/runtime/lean.c, limen_lean_fd_off). A
# call made from a hot site is stopped in the kernel by a seccomp filter
# of the program's own: its stack pointer says where it was made. And each
# emulated answer still comes from a hot site once one of those exists
# (tests/progs/fdlean.c).
. "$(dirname "$0")/../lib.sh"
need_limen
prog=$(testbin fdlean)
[ -x "$prog" ] || skip_all "tests/progs/fdlean not built ($prog)"
"$prog" where fstat >"$tmp/probe" 2>&1
grep -q "no seccomp listener" "$tmp/probe" &&
	skip_all "no seccomp user notification here: $(head -1 "$tmp/probe")"

# ioctl is never lean (uaccess.c: a userfaultfd ioctl changes the maps)
for L in loader preload; do
	export LIMEN_LOADER=$L
	for c in getdents fstat fchdir getcwd fgetxattr flistxattr; do
		bare_and_traced w$c -e trace=none -- where $c
		is "$(head -1 "$tmp/w$c.out")" "blocked near" \
			"an_unselected_${c}_of_an_ordinary_descriptor_on_a_hot_site_is_lean ($L)"
		as_bare w$c "the lean $c: result as bare ($L)"
		is "$(site w$c "$c")" e9 "the $c site is rewritten ($L)"
	done
	bare_and_traced far --no-lean -e trace=none -- where fstat
	is "$(head -1 "$tmp/far.out")" "blocked far" \
		"--no-lean: the fstat goes through limen's stack, the test tells them apart ($L)"
done
unset LIMEN_LOADER

if [ -e /sys/kernel/tracing/user_events_data ] ||
	[ -e /sys/kernel/debug/tracing/user_events_data ]; then
	skip "emulated_tracefs_answers_from_hot_sites" "the kernel has user_events: the calls are its own"
	done_testing
	exit 0
fi
for L in loader preload; do
	export LIMEN_LOADER=$L
	_run_to "$tmp/tfs" "$LIMEN" trace -e trace=none -o "$tmp/tfs.trace" -- "$prog" tracefs
	out=$tmp/tfs.out
	T=/sys/kernel/tracing
	is "$(sed -n 1p "$out")" "getdents64 of $T lists user_events_data: 1" \
		"a_kernel_tracefs_directory_opened_makes_getdents64_of_a_hot_site_list_the_emulated_files ($L)"
	is "$(sed -n 3p "$out")" "getcwd: $T/events/user_events/fdlean_ev" \
		"getcwd_on_a_hot_site_names_an_emulated_working_directory_entered_by_chdir ($L)"
	is "$(sed -n 4p "$out")" "fchdir /, getcwd: /, stat format: No such file or directory" \
		"fchdir_on_a_hot_site_leaves_an_emulated_working_directory ($L)"
	is "$(sed -n 5p "$out")" "stat format in $T/events/user_events/fdlean_ev: ok" \
		"stat_on_a_hot_site_of_a_path_relative_to_an_emulated_working_directory ($L)"
	is "$(sed -n 6p "$out")" "stat $T/user_events_data: ok, its tracefs's device: 1" \
		"stat_on_a_hot_site_of_an_emulated_file ($L)"
	is "$(sed -n 7p "$out")" "open $T/user_events_data: ok" "open on a hot site of an emulated file ($L)"
	is "$(sed -n 8p "$out")" "fstat: ok, its tracefs's device: 1" \
		"fstat_on_a_hot_site_of_an_emulated_file_s_descriptor ($L)"
	is "$(sed -n 9p "$out")" "ioctl DIAG_IOCSDEL of no event: No such file or directory" \
		"ioctl_on_a_hot_site_of_user_events_data_is_emulated ($L)"
	is "$(sed -n 10p "$out")" "readlink /proc/self/fd/N: $T/user_events_data" \
		"readlink_on_a_hot_site_of_an_emulated_file_s_proc_link ($L)"
	is "$(sed -n 11p "$out")" "stat /proc/self/fd/N: ok, its tracefs's device: 1" \
		"stat_on_a_hot_site_through_an_emulated_file_s_proc_link ($L)"
	is "$(sed -n 12p "$out")" "getdents64 of it: Not a directory" \
		"getdents64_on_a_hot_site_of_an_emulated_file_ENOTDIR ($L)"
	is "$(grep -c '^site [a-z]* e9$' "$tmp/tfs.err")" 8 "every site of it rewritten ($L)"
done
done_testing
