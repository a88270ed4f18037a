#!/bin/bash
# SPDX-License-Identifier: MIT
#
# Under limen's loader the kernel's /proc/self/exe names the loader, and
# the runtime answers for the link (src/loader/exe_view.c): readlink gives
# the program's path, open and stat reach its file. Not only for
# "/proc/self/exe": for every path the kernel resolves to it ("//proc/...",
# "/proc/self/./exe", "self/exe" in /proc, "exe" in /proc/self or relative
# to a descriptor of it), and every thread's link ("/proc/TID/exe",
# "/proc/PID/task/TID/exe", "/proc/self/task/TID/exe"), on the quick way of a path call (rewritten
# sites, quickpath.c: such a path is not plain) as on the full way
# (--no-rewrite). tests/progs/exe_spellings.c prints, for each, readlink's
# answer and the inode open and stat reach: as bare.
. "$(dirname "$0")/../lib.sh"
need_limen
prog=$(testbin exe_spellings)
[ -x "$prog" ] || skip_all "tests/progs/exe_spellings not built ($prog)"
export LIMEN_LOADER=loader

_run_to "$tmp/bare" "$prog"
is "$(grep -c "readlink=$prog open=[1-9][0-9]* stat=[1-9]" "$tmp/bare.out")" 34 \
	"bare: every spelling names the program"
for opts in "" "-e trace=none" "-e trace=openat" "--no-rewrite"; do
	# shellcheck disable=SC2086
	_run_to "$tmp/l" "$LIMEN" trace $opts -o "$tmp/trace" -- "$prog"
	same_file "$tmp/l.out" "$tmp/bare.out" \
		"every_path_the_kernel_resolves_to_proc_self_exe_names_the_program_under_the_loader (${opts:-full trace})"
	is "$(cat "$tmp/l.st")" 0 "exit status (${opts:-full trace})"
done

# the link names the file as the kernel does when it is read, not as it
# was at the start (exe_view.c asks then): its directory renamed, or the
# file removed (" (deleted)")
for how in mv rm; do
	rm -rf "$tmp/d1" "$tmp/d2"
	mkdir "$tmp/d1"
	cp "$prog" "$tmp/d1/p"
	if [ $how = mv ]; then set -- mv "$tmp/d1" "$tmp/d2"; else set -- rm "$tmp/d1/p"; fi
	_run_to "$tmp/bare" "$tmp/d1/p" "$@"
	rm -rf "$tmp/d1" "$tmp/d2"
	mkdir "$tmp/d1"
	cp "$prog" "$tmp/d1/p"
	_run_to "$tmp/l" "$LIMEN" trace -o "$tmp/trace" -- "$tmp/d1/p" "$@"
	same_file "$tmp/l.out" "$tmp/bare.out" \
		"proc_self_exe_names_the_file_as_it_is_when_read ($how: $(cat "$tmp/bare.out"))"
done
done_testing
