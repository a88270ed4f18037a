#!/bin/bash
# SPDX-License-Identifier: MIT
#
# The emulated user_events_data named as the kernel would resolve it, not
# only as "/sys/kernel/tracing/...": with an empty, "." or ".." name
# ("//sys/...", "/./sys/...", "/tmp/../sys/...", one past the path's
# first 64 bytes), and relative to /,
# /sys, /sys/kernel or /tmp (working directory or descriptor). Those paths
# are plain (src/runtime/tfs_plain.h): the kernel answers first (ENOENT
# here) and the hooks' tail (limen_tfs_after_enoent) must find the file,
# on the quick way (rewritten sites, quickpath.c) as on the full way
# (--no-rewrite). tests/progs/tfs_spellings.c opens, stats and accesses
# each; the kernel with user_events answers ok to every one.
. "$(dirname "$0")/../lib.sh"
need_limen
prog=$(testbin tfs_spellings)
[ -x "$prog" ] || skip_all "tests/progs/tfs_spellings not built ($prog)"

need_emulated_user_events
if [ -e /sys/kernel/tracing ] && ! [ -x /sys/kernel/tracing ]; then
	skip_all "the tracefs mounted here is not this user's (EACCES, as with user_events)"
fi

for way in quick full; do
	opts=()
	[ $way = full ] && opts=(--no-rewrite)
	for sel in all none; do
		e=()
		[ $sel = none ] && e=(-e trace=none)
		limen_trace "$tmp/t" "${opts[@]+"${opts[@]}"}" "${e[@]+"${e[@]}"}" \
			-- "$prog" >"$tmp/out" 2>"$tmp/err" </dev/null
		is "$(grep -c . "$tmp/out")" 124 "every call answered ($way, $sel)"
		is "$(grep -v '=ok$' "$tmp/out" | sort -u)" "" \
			"a_tracefs_path_spelled_with_empty_dot_or_dotdot_names_or_relative_to_its_ancestors_is_the_emulation_s ($way, $sel)"
	done
done
done_testing
