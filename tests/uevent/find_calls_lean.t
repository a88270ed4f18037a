#!/bin/bash
# SPDX-License-Identifier: MIT
#
# find's calls on the lean path (src/runtime/quickpath.c, limen_lean_path;
# uevent_tfs_path.c, limen_tfs_lean_inert): glibc's fstat
# (newfstatat(fd, "", AT_EMPTY_PATH)) of a descriptor that is no emulated
# file, newfstatat of a name relative to a directory descriptor, openat of
# one with O_DIRECTORY, while the name is none of the emulated tracefs's,
# no event is registered and no kernel tracefs directory is followed. A
# call made from a hot site is stopped in the kernel by a seccomp filter
# of the program's own: its stack pointer says where it was made. And the
# emulated tracefs still answers the same calls from those hot sites:
# relative names in the kernel's tracefs directories (an event's once it
# is registered, here or in another process), the kernel's tracefs top
# and events/ opened by a relative name (their listings get the emulated
# entries), AT_EMPTY_PATH of an emulated file's descriptor and of an
# emulated working directory (tests/progs/fdlean.c).
. "$(dirname "$0")/../lib.sh"
need_limen
prog=$(testbin fdlean)
[ -x "$prog" ] || skip_all "tests/progs/fdlean not built ($prog)"
"$prog" where fstatempty >"$tmp/probe" 2>&1
grep -q "no seccomp listener" "$tmp/probe" &&
	skip_all "no seccomp user notification here: $(head -1 "$tmp/probe")"

# the results, but for the kernel's tracefs files where it is not mounted
# (a machine that boots without it): limen's emulated tracefs answers
# for them there, bare the kernel says ENOENT
mounted_only() {
	if [ -e /sys/kernel/tracing/trace ]; then
		cat
	else
		awk '/^path sys\/kernel\/tracing\// { skip = 2 }
		     skip { skip--; next } { print }'
	fi
}

for L in loader preload; do
	export LIMEN_LOADER=$L
	for c in fstatempty fstatat opendir; do
		bare_and_traced w$c -e trace=none -- where $c
		is "$(head -1 "$tmp/w$c.out")" "blocked near" \
			"an_unselected_${c}_of_an_ordinary_directory_on_a_hot_site_is_lean ($L)"
		as_bare w$c "the lean $c: result as bare ($L)"
		is "$(site w$c "$c")" e9 "the $c site is rewritten ($L)"
	done
	bare_and_traced wenable -e trace=none -- where fstatat_enable
	is "$(head -1 "$tmp/wenable.out")" "blocked far" \
		"a_relative_name_of_an_emulated_tracefs_file_is_not_lean ($L)"
	is "$(sed -n 2p "$tmp/wenable.out")" "$(sed -n 2p "$tmp/wenable.bare.out")" \
		"its result as bare ($L)"
done
unset LIMEN_LOADER

# The lean path's quick looks at a path (limen_tfs_lean_inert: a word at
# a time; limen_tfs_may_name: a name's length and first byte) let
# through only what the emulation's own looks would: from one hot site
# each (fdlean names), relative to a descriptor of /, no event
# registered. Not lean: a last name the emulated tracefs has (whatever
# its directory, slashes after it, or names before it across words), an
# absolute path with an empty name, "." or ".." in it (a '/' at a
# word's end, '.' or '/' at the next one's start), and for an
# O_DIRECTORY open the names of the directories whose listings get
# entries, or a relative path of 64 bytes or more (63: lean). Lean: ordinary names,
# those that only look like an emulated one (longer, shorter, more
# before it, a byte 0x2f | 0x80 that is no '/'), a name of 32 bytes or
# more (no emulated file's is: looked at the slow way), an empty path.
far_stat=(user_events_data user_events_status dynamic_events tracing_on
	trace trace_pipe available_events set_event events user_events enable
	format id filter . .. enable/ id// x/enable etc/trace_pipe
	a/bb/ccc/dddd/eeeee/ffffff/user_events_status sys/kernel/tracing/trace
	//etc /./etc /etc/../etc /abcdef/./x /abcdef//x /abcdefghijklmn/.
	/etc/. /usr/include/.. /etc//passwd)
near_stat=(etc etc/passwd etc/ /etc/passwd /etc/ enables xenable enabl
	x.enable a.b/c /usr/include/stdio.h /abcdef.x/y /a.b/c..d/e.
	$'x\xafenable' $'caf\xc3\xa9/trac' abcdefghijklmnopqrstuvwxyz0123456789abcd
	"")
far_dir=(tracing events . .. x/tracing tracing/ usr/../events enable
	usr/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa)
near_dir=(etc usr/include /etc /usr/include/ traces event
	usr/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa)
# blocked NAME PATH: where the call of PATH was stopped in NAME's run
blocked() {
	awk -v p="path $2" '$0 == p { getline; print $2; exit }' "$tmp/$1.out"
}
for L in loader preload; do
	export LIMEN_LOADER=$L
	for c in fstatat opendir; do
		if [ $c = fstatat ]; then
			far=("${far_stat[@]}") near=("${near_stat[@]}")
		else
			far=("${far_dir[@]}") near=("${near_dir[@]}")
		fi
		bare_and_traced n$c -e trace=none -- names $c "${far[@]}" "${near[@]}"
		for p in "${far[@]}"; do
			is "$(blocked n$c "$p")" far \
				"an_unselected_${c}_the_emulation_may_answer_is_not_lean: '$p' ($L)"
		done
		for p in "${near[@]}"; do
			is "$(blocked n$c "$p")" near \
				"an_unselected_${c}_of_an_ordinary_path_is_lean: '$p' ($L)"
		done
		is "$(grep -av '^blocked' "$tmp/n$c.out" | mounted_only)" \
			"$(grep -av '^blocked' "$tmp/n$c.bare.out" | mounted_only)" \
			"each $c's result as bare ($L)"
	done
done
unset LIMEN_LOADER

need_emulated_user_events
if [ -e /sys/kernel/tracing ] && ! [ -x /sys/kernel/tracing ]; then
	skip_all "the tracefs mounted here is not this user's (EACCES, as with user_events)"
fi
ok="ok, on its tracefs's device: 1"
for L in loader preload; do
	export LIMEN_LOADER=$L
	for sel in none openat; do
		_run_to "$tmp/p" "$LIMEN" trace -e trace=$sel -o "$tmp/p.trace" -- "$prog" paths
		out=$tmp/p.out
		line() { sed -n "$1p" "$out"; }
		if [ "$(line 1)" = "no /sys/kernel/tracing" ]; then
			skip "emulated tracefs from find's hot sites ($L, $sel)" "no kernel tracefs here"
			continue
		fi
		is "$(line 1)" "fstatat user_events_data in the kernel's tracefs: $ok, a directory: 0" \
			"fstatat_on_a_hot_site_of_an_emulated_file_s_name_relative_to_the_kernel_s_tracefs ($L, $sel)"
		is "$(line 2)" "open tracing in /sys/kernel, its listing has user_events_data: 1" \
			"an_O_DIRECTORY_open_of_tracing_by_a_relative_name_on_a_hot_site_lists_the_emulated_files ($L, $sel)"
		is "$(line 3)" "fstatat user_events/fdlean_other before it is registered: No such file or directory" \
			"an_event_s_name_before_it_is_registered_ENOENT ($L, $sel)"
		is "$(line 4)" "fstatat user_events/fdlean_other registered by another process: $ok, a directory: 1" \
			"fstatat_on_a_hot_site_of_an_event_s_name_once_another_process_registered_it ($L, $sel)"
		is "$(line 5)" "fstatat user_events/fdlean_rel before it is registered: No such file or directory" \
			"the other process's event gone with it ($L, $sel)"
		is "$(line 6)" "fstatat user_events/fdlean_rel registered here: $ok, a directory: 1" \
			"fstatat_on_a_hot_site_of_an_event_s_name_once_this_process_registered_it ($L, $sel)"
		is "$(line 7)" "open events in /sys/kernel/tracing, its listing has user_events: 1" \
			"an_O_DIRECTORY_open_of_events_by_a_relative_name_on_a_hot_site_lists_user_events ($L, $sel)"
		is "$(line 8)" "open .. in /sys/kernel/tracing/events, its listing has user_events_data: 1" \
			"an_O_DIRECTORY_open_of_dotdot_on_a_hot_site_lists_the_emulated_files ($L, $sel)"
		is "$(line 9)" "open events/user_events in /sys/kernel/tracing, its listing has fdlean_rel: 1" \
			"an_O_DIRECTORY_open_of_the_emulated_events_directory_by_a_relative_name_on_a_hot_site ($L, $sel)"
		is "$(line 10)" "fstatat(fd, \"\", AT_EMPTY_PATH) of an emulated enable file: $ok, a directory: 0" \
			"fstat_AT_EMPTY_PATH_on_a_hot_site_of_an_emulated_file_s_descriptor ($L, $sel)"
		is "$(line 11)" "fstatat(AT_FDCWD, \"\", AT_EMPTY_PATH) in an emulated working directory: $ok, a directory: 1" \
			"fstatat_AT_FDCWD_AT_EMPTY_PATH_on_a_hot_site_in_an_emulated_working_directory ($L, $sel)"
		is "$(line 12)" "fstatat enable in it: $ok, a directory: 0" \
			"fstatat_on_a_hot_site_of_a_name_relative_to_an_emulated_working_directory ($L, $sel)"
		is "$(grep -c '^site [a-z]* e9$' "$tmp/p.err")" 3 "every site of it rewritten ($L, $sel)"
	done
done
done_testing
