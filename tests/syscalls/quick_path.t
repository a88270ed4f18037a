#!/bin/bash
# SPDX-License-Identifier: MIT
#
# The quick way of a call that takes a path (src/runtime/quickpath.c):
# open, openat, stat, lstat, access, newfstatat, statx, faccessat,
# faccessat2, readlink, readlinkat and the xattr calls of a path none of
# the runtime's hooks wants before the kernel (the user_events
# emulation's, limen's loader's /proc/self/exe) record the
# path straight into the ENTER record and make the call, and any other
# path takes the full way. Whatever way a call took, its trace and its
# result must be the full way's: the same lines as under --no-rewrite
# (nothing rewritten: every call takes the full way), the program's output
# as bare. tests/progs/quick_path.c: ordinary paths, absolute and relative
# and to a directory descriptor, a missing file, /dev/ and /proc/ paths,
# faulting pointers, a path ending at the end of a readable page and one
# running into an unreadable page (shown by its address, as strace shows it), lengths around the quick way's reads
# (8, 64 and 256 bytes) and an over-long path; an open blocked on a FIFO
# ended by a signal handler; then, under the user_events emulation,
# tracefs paths, relative paths in the kernel's tracefs directory (the
# kernel's ENOENT, the emulation's answer) and in an emulated directory
# entered by chdir, AT_EMPTY_PATH of an emulated descriptor, and the
# kernel's tracefs directory opened by a relative path (O_DIRECTORY: its
# listing gets the emulated entries), also as the first thing a process
# does, and a descriptor of an emulated file closed where the runtime did
# not see it, its number reused by an open on the quick way.
. "$(dirname "$0")/../lib.sh"
need_limen
prog=$(testbin quick_path)
[ -x "$prog" ] || skip_all "tests/progs/quick_path not built ($prog)"

d=$tmp/d
mkdir "$d" && echo hi >"$d/f" && ln -s f "$d/l"

# the trace without what differs from run to run (pids, addresses,
# getrandom's bytes) and the site's byte
norm() {
	trace_body "$1" | sed -e '/^getrandom(/d' -e 's/0x[0-9a-f]\{6,\}/ADDR/g' \
		-e 's/^\(set_tid_address\|getppid\)(\(.*\)) = [0-9]*$/\1(\2) = N/' \
		-e 's/site sys [0-9a-f]*/site sys XX/'
}

# run NAME [LIMEN OPTIONS] -- ARGS: the program in $d, traced
run() {
	local name=$1 opts=()
	shift
	while [ "$1" != -- ]; do
		opts+=("$1")
		shift
	done
	shift
	(cd "$d" && _run_to "$tmp/$name" "$LIMEN" trace "${opts[@]+"${opts[@]}"}" \
		-o "$tmp/$name.trace" -- "$prog" "$@")
}

paths=trace=open,openat,stat,lstat,access,newfstatat,statx,faccessat,faccessat2
paths=$paths,readlink,readlinkat,getxattr,lgetxattr,listxattr,llistxattr
(cd "$d" && _run_to "$tmp/bare" "$prog" plain "$d")

for L in loader preload; do
	export LIMEN_LOADER=$L
	for sel in all paths openat none; do
		case $sel in
		all) e=() ;;
		paths) e=(-e "$paths") ;;
		*) e=(-e "trace=$sel") ;;
		esac
		run q$sel "${e[@]+"${e[@]}"}" -- plain "$d"
		run f$sel --no-rewrite "${e[@]+"${e[@]}"}" -- plain "$d"
		is "$(site q$sel sys)" e9 "the site is rewritten: its calls take the quick way ($L, $sel)"
		is "$(site f$sel sys)" 4c "--no-rewrite: every call the full way ($L, $sel)"
		same_file "$tmp/q$sel.out" "$tmp/bare.out" \
			"path_calls_on_the_quick_way_return_what_they_return_bare ($L, $sel)"
		is "$(cat "$tmp/q$sel.st")" 0 "exit status ($L, $sel)"
		norm "$tmp/q$sel.trace" >"$tmp/q$sel.norm"
		norm "$tmp/f$sel.trace" >"$tmp/f$sel.norm"
		same_file "$tmp/q$sel.norm" "$tmp/f$sel.norm" \
			"a_path_call_on_the_quick_way_is_traced_as_on_the_full_way ($L, $sel)"
	done
	# what the lines say, not only that both ways say the same
	t=$tmp/qpaths.norm
	is "$(grep -c '^openat(AT_FDCWD, "\(\./\)*/\?f", O_RDONLY) = [0-9]' "$t")" 14 \
		"relative paths of 7 to 300 bytes, recorded whole ($L)"
	is "$(grep -c "^openat(AT_FDCWD, \"$d/\?\(/\.\)*/f\", O_RDONLY) = [0-9]" "$t")" 11 \
		"absolute paths of up to 300 bytes, recorded whole ($L)"
	# two paths running into an unreadable page: EFAULT, and shown
	# by their address as strace shows them (path_unreadable.t)
	is "$(grep -c '^openat(AT_FDCWD, "[^"]*"\.\.\., O_RDONLY) = -1 EFAULT' "$t")" 0 \
		"a_path_running_into_an_unreadable_page_is_not_shown_cut ($L)"
	is "$(grep -c '^openat(AT_FDCWD, \(0x1\|NULL\|ADDR\), O_RDONLY) = -1 EFAULT' "$t")" 5 \
		"a_faulting_path_pointer_fails_with_EFAULT_as_bare ($L)"
	is "$(grep -c '^openat(AT_FDCWD, "a\{4095\}"\.\.\., O_RDONLY) = -1 ENAMETOOLONG' "$t")" 1 \
		"an_over_long_path_is_cut_at_4095_bytes ($L)"
	is "$(grep -c '^openat(AT_FDCWD, "f", O_RDONLY) = [0-9]' "$t")" 2 \
		"a_path_ending_at_a_page_s_last_byte_is_recorded_whole ($L)"
	is "$(grep -c "^\(stat\|lstat\|newfstatat\|statx\|access\|faccessat\|faccessat2\)(\(AT_FDCWD, \|4, \)\?\"\($d/f\|f\|\)\", .*) = 0$" "$t")" 9 \
		"the stat and access calls, their paths and results ($L)"
done

# a call blocked on the quick way, ended by the program's signal handler
for L in loader preload; do
	export LIMEN_LOADER=$L
	run qfifo -- fifo "$d"
	run ffifo --no-rewrite -- fifo "$d"
	is "$(cat "$tmp/qfifo.out")" "open_fifo_interrupted=EINTR" \
		"a_blocked_open_on_the_quick_way_ended_by_a_handler_fails_with_EINTR ($L)"
	# the open and what follows it (the timer repeats: an alarm that
	# came before the open on a busy machine is none of the test's)
	for w in qfifo ffifo; do
		norm "$tmp/$w.trace" | grep -A1 '^openat(AT_FDCWD, ".*/fifo"' >"$tmp/$w.norm"
	done
	is "$(cat "$tmp/qfifo.norm")" "openat(AT_FDCWD, \"$d/fifo\", O_RDONLY) = -1 EINTR (Interrupted system call)
--- SIGALRM {si_signo=SIGALRM, si_code=SI_KERNEL} ---" \
		"the interrupted open is recorded once, then its signal ($L)"
	same_file "$tmp/qfifo.norm" "$tmp/ffifo.norm" \
		"an_interrupted_path_call_is_traced_as_on_the_full_way ($L)"
done

# the user_events emulation (never run bare: it writes to tracefs files)
need_tfs() {
	[ -e /sys/kernel/tracing/user_events_data ] ||
		[ -e /sys/kernel/debug/tracing/user_events_data ] &&
		return 1
	[ -e /sys/kernel/tracing ] && ! [ -x /sys/kernel/tracing ] && return 1
	return 0
}
want_tfs="open_data=0
add_event=12
chdir_tracefs=0
open_data_rel=0
stat_data_rel=0
chdir_event=0
open_enable_rel=0
fstatat_enable_empty=0
fstatat_format_dirfd=ENOTDIR
stat_format_rel=0
access_id_rel=0
open_id_rel=0
chdir_kernel=0
open_tracing_dir_rel=0
listing_has_user_events_data=1
chdir_root=0
open_rel_after_leaving=0"
for L in loader preload; do
	export LIMEN_LOADER=$L
	if ! need_tfs; then
		skip "tracefs paths ($L)" "the kernel has user_events, or its tracefs is not this user's"
		continue
	fi
	for sel in all none; do
		case $sel in
		all) e=() ;;
		*) e=(-e "trace=$sel") ;;
		esac
		run qt$sel "${e[@]+"${e[@]}"}" -- tfs
		run ft$sel --no-rewrite "${e[@]+"${e[@]}"}" -- tfs
		is "$(site qt$sel sys)" e9 "tfs: the site is rewritten ($L, $sel)"
		is "$(cat "$tmp/qt$sel.out")" "$want_tfs" \
			"tracefs_paths_and_emulated_directories_are_the_emulation_s_on_the_quick_way ($L, $sel)"
		same_file "$tmp/qt$sel.out" "$tmp/ft$sel.out" "tfs: as on the full way ($L, $sel)"
		norm "$tmp/qt$sel.trace" >"$tmp/qt$sel.norm"
		norm "$tmp/ft$sel.trace" >"$tmp/ft$sel.norm"
		same_file "$tmp/qt$sel.norm" "$tmp/ft$sel.norm" \
			"tfs: traced as on the full way ($L, $sel)"
	done
	# what follows an open on the quick way is told without a call to
	# the hooks for most answers (quickpath.h, limen_qpath_after): not
	# for a directory opened before any user_events file was, nor for a
	# descriptor number the emulation still takes for its file (closed
	# by a child sharing the descriptor table)
	for sel in all none; do
		case $sel in
		all) e=() ;;
		*) e=(-e "trace=$sel") ;;
		esac
		run qd$sel "${e[@]+"${e[@]}"}" -- dirfirst
		is "$(cat "$tmp/qd$sel.out")" "chdir_kernel=0
open_tracing_dir_rel=0
listing_has_user_events_data=1" \
			"a_tracefs_directory_opened_first_on_the_quick_way_lists_the_emulated_entries ($L, $sel)"
		run qr$sel "${e[@]+"${e[@]}"}" -- reuse "$d"
		is "$(cat "$tmp/qr$sel.out")" "open_data=0
child_closed=0
same_number=1
write_reused=5
file=hello" \
			"a_descriptor_number_reused_by_an_open_on_the_quick_way_is_the_kernel_s_file ($L, $sel)"
	done
done
done_testing
