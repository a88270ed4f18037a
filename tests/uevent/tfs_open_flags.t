#!/bin/bash
# SPDX-License-Identifier: MIT
#
# An open of an emulated tracefs file or directory answers the flags as
# the kernel answers them for a file that exists (fs/namei.c, do_open),
# before anything of it is opened: O_CREAT|O_EXCL is EEXIST, O_CREAT of a
# directory EISDIR, O_CREAT of a file opens it (user_events_data: the
# emulated file, its DIAG_IOCSREG answers), O_DIRECTORY of a file
# ENOTDIR (user_events_data too), O_PATH drops O_CREAT and O_EXCL. The
# kernel without user_events says EACCES to O_CREAT where a tracefs is
# mounted (it creates nothing) and ENOENT where none is: both are the
# emulation's to answer (src/runtime/uevent_abi.c, open_exists and
# kernel_has_none), for the hooks' absolute paths and for the plain
# spellings ("//sys/...", relative in the kernel's tracefs directory)
# that take the quick way (quickpath.h, limen_qpath_after), under both
# loaders, the trace the same as on the full way (--no-rewrite). A user
# who may not search the tracefs gets the kernel's EACCES, as bare.
# tests/progs/tfs_open_flags.c.
. "$(dirname "$0")/../lib.sh"
need_limen
prog=$(testbin tfs_open_flags)
[ -x "$prog" ] || skip_all "tests/progs/tfs_open_flags not built ($prog)"
need_emulated_user_events

want=
for s in abs respelled rel; do
	want="$want
data_creat_$s=ok
data_creat_${s}_reg=ok
data_creat_excl_$s=EEXIST
data_directory_$s=ENOTDIR
data_path_creat_excl_$s=ok
status_creat_$s=ok
status_creat_excl_$s=EEXIST
status_directory_$s=ENOTDIR
dir_creat_$s=EISDIR
dir_creat_excl_$s=EEXIST
dir_directory_$s=ok"
done
want=${want#?}

# the trace without what differs from run to run
norm() {
	trace_body "$1" | sed -e '/^getrandom(/d' -e 's/0x[0-9a-f]\{6,\}/ADDR/g' \
		-e 's/^\(set_tid_address\|getppid\)(\(.*\)) = [0-9]*$/\1(\2) = N/'
}

# check WHERE [WRAPPER...]: the program under each loader, way and
# selection, through WRAPPER (a mount namespace)
check() {
	local where=$1 L way sel opts e
	shift
	for L in loader preload; do
		for sel in all none; do
			e=()
			[ $sel = none ] && e=(-e trace=none)
			for way in quick full; do
				opts=()
				[ $way = full ] && opts=(--no-rewrite)
				LIMEN_LOADER=$L _run_to "$tmp/$way" "$@" "$LIMEN" trace \
					"${opts[@]+"${opts[@]}"}" "${e[@]+"${e[@]}"}" \
					-o "$tmp/$way.trace" -- "$prog"
				is "$(cat "$tmp/$way.out")" "$want" \
					"an_emulated_tracefs_open_answers_o_creat_o_excl_and_o_directory_as_the_kernel_s ($where, $L, $sel, $way)"
				is "$(cat "$tmp/$way.st")" 0 "exit status ($where, $L, $sel, $way)"
			done
			norm "$tmp/quick.trace" >"$tmp/quick.norm"
			norm "$tmp/full.trace" >"$tmp/full.norm"
			same_file "$tmp/quick.norm" "$tmp/full.norm" \
				"traced on the quick way as on the full way ($where, $L, $sel)"
		done
	done
}

if [ -e /sys/kernel/tracing ] && ! [ -x /sys/kernel/tracing ]; then
	skip "a tracefs mounted" "the tracefs mounted here is not this user's (EACCES, as with user_events)"
else
	check "as mounted here"
fi

# where no tracefs is mounted (a mount namespace of the test's own: the
# machine's tracefs is left alone)
if [ "$(id -u)" = 0 ] && command -v unshare >/dev/null &&
	unshare -m --propagation private true 2>/dev/null; then
	cat >"$tmp/nomount" <<'EOF'
#!/bin/sh
umount -l /sys/kernel/tracing 2>/dev/null
umount -l /sys/kernel/debug/tracing 2>/dev/null
umount -l /sys/kernel/debug 2>/dev/null
exec "$@"
EOF
	chmod +x "$tmp/nomount"
	check "no tracefs" unshare -m --propagation private "$tmp/nomount"
else
	skip "no tracefs mounted" "needs root and unshare -m"
fi

# a user who may not search the kernel's tracefs: its EACCES, as bare
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null &&
	[ -e /sys/kernel/tracing ] && [ "$(stat -c %a /sys/kernel/tracing)" = 700 ]; then
	nobody=(setpriv --reuid=65534 --regid=65534 --clear-groups)
	_run_to "$tmp/bare" "${nobody[@]}" "$prog"
	for L in loader preload; do
		LIMEN_LOADER=$L _run_to "$tmp/nob" "${nobody[@]}" "$LIMEN" trace \
			-o /dev/null -- "$prog"
		same_file "$tmp/nob.out" "$tmp/bare.out" \
			"an_o_creat_open_of_a_tracefs_this_user_may_not_search_is_EACCES_as_bare ($L)"
		is "$(cat "$tmp/nob.st")" "$(cat "$tmp/bare.st")" "exit status as bare, a user who may not search the tracefs ($L)"
	done
else
	skip "a user who may not search the tracefs" "needs root, setpriv and a tracefs of mode 700"
fi
done_testing
