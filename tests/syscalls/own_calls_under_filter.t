#!/bin/bash
# SPDX-License-Identifier: MIT
#
# A program with a seccomp filter of its own (an allowlist as sandboxes
# install: read, write, lseek, close, exit, exit_group, rt_sigreturn;
# anything else kills the process) runs under limen as without it: on
# the paths every recorded call takes the runtime makes no call of its
# own that the filter could refuse or kill. The full ring's wait naps in
# pauses, not nanosleep (a small ring and a slow reader); -k takes the
# pid the ring's start asked, not getpid; -y and -yy leave the
# descriptor unnamed (readlinkat, fstat, getsockopt would be killed). And a filter
# that kills at one call the program never makes (nanosleep, getpid,
# readlinkat, newfstatat, fstat, getsockopt; open, openat, ioctl, which
# limen's loader would make for /proc/self/exe's name had it not asked
# before the filter went on: exe_view.c, limen_exe_settle): as bare. In each mode: the
# default, --no-rewrite, -y, -yy, -k, a small ring; under limen's loader
# and under LD_PRELOAD. A thread started after the filter went on
# (filters killing gettid, getpid, getppid; one refusing mmap) takes its
# ids from its parent (clone.c), in the default, --no-rewrite and -k;
# and 80 threads started after a kill-by-default allowlist with no
# memory call get rings, signal stacks and %gs blocks mapped before it
# (ring.c);
# a thread whose prctl arming Syscall User Dispatch is refused is counted
# untraced, where its calls silently went missing.
# tests/progs/own_filter.c.
. "$(dirname "$0")/../lib.sh"
need_limen
prog=$(testbin own_filter)
[ -x "$prog" ] || skip_all "tests/progs/own_filter not built ($prog)"

nok=$(no_stacks)
for L in loader preload; do
	export LIMEN_LOADER=$L
	for mode in default --no-rewrite -y -yy -k --ring-size=16K; do
		if [ "$mode" = -k ] && [ -n "$nok" ]; then
			skip "$L $mode: filters over the program's calls" "$nok"
			continue
		fi
		mode_opts "$mode"
		bare_and_traced al "${opts[@]}" -- allow 2000
		as_bare al "$L $mode: an allowlist filter's program runs to its end"
		is "$(count_calls "$tmp/al.trace" lseek)" 2000 \
			"$L $mode: its 2000 lseek calls in the trace"
		for nr in 35 39 267 262 5 55 2 257 16; do
			bare_and_traced k "${opts[@]}" -- kill $nr
			as_bare k "$L $mode: a filter that kills at call $nr alone: as bare"
		done
		case $mode in default | --no-rewrite | -k) ;; *) continue ;; esac
		# a thread started after the filter went on asks none of
		# its ids of the kernel; its ring comes from an mremap
		for f in "186 kill" "39 kill" "110 kill" "9 errno"; do
			bare_and_traced th "${opts[@]}" -- thread $f
			as_bare th "$L $mode: a thread started after a filter on call ${f% *} (${f#* }): as bare"
			pid=$(awk 'NR == 1 { print $1 }' "$tmp/th.trace")
			tid=$(tids_of "$tmp/th.trace" write | grep -v -x "$pid")
			ok_if "$L $mode ${f% *}: the thread's id in the trace is the clone's result" \
				grep -q -E "clone3(\\(| resumed>).* = $tid\$" "$tmp/th.trace"
			# under limen's loader, with mmap refused, the thread
			# has no %gs block of its own and shares its parent's
			# as a raw thread shares the TLS (clone.c)
			ok_if "$L $mode ${f% *}: the parent's calls after the clone traced" \
				grep -q 'write(1, "joined\\n", 7) *= 7$' "$tmp/th.trace"
		done
		# the prctl arming Syscall User Dispatch for a new thread
		# (not inherited) refused: untraced, and said so
		bare_and_traced pr "${opts[@]}" -- thread 157 errno
		as_bare pr "$L $mode: a thread whose prctl arming Syscall User Dispatch a filter refuses: as bare"
		ok_if "$L $mode: a_thread_a_filter_leaves_unarmed_is_counted_untraced" \
			grep -q '^+++ limen: 1 threads untraced: .*, or Syscall User Dispatch refused by such a filter +++$' "$tmp/pr.trace"
		# 10 rounds of 8 threads under a kill-by-default allowlist
		# that leaves out every memory call (mmap, mremap, munmap,
		# mprotect, madvise): rings, signal stacks and %gs blocks
		# mapped before the filter, taken again once their threads
		# are gone (ring.c, pool)
		bare_and_traced ths "${opts[@]}" -- threads 10 8
		as_bare ths "$L $mode: 80 threads started under a kill-by-default allowlist: as bare"
		n=$(grep -c 'write(1, "thread ran' "$tmp/ths.trace")
		u=$(sed -n 's/^+++ limen: \([0-9]*\) threads untraced.*/\1/p' "$tmp/ths.trace")
		is "$((n + ${u:-0}))" 80 \
			"$L $mode: each of the 80 threads started under the allowlist traced or counted untraced ($n traced)"

	done
	# a small ring and a reader slower than the program: the wait for
	# room, many times
	_run_to "$tmp/slow.bare" "$prog" allow 100000
	_run_to "$tmp/slow" "$LIMEN" trace --ring-size 16K \
		-o '|sleep 0.5; cat >/dev/null' -- "$prog" allow 100000
	as_bare slow "$L: a full small ring's waits under the allowlist"
done
# -y: a call made before the filter went on has its descriptor named, as
# the runtime named it at the call
LIMEN_LOADER=loader
bare_and_traced y -y -- allow 3
ok_if "-y: the descriptor opened before the filter named in the trace" \
	grep -q '"/etc/hostname", O_RDONLY) = 3</etc/hostname>$' "$tmp/y.trace"
# -y under the filter: a descriptor opened after it shows no name, never
# a wrong one (read from /proc when the line was printed, it named the
# other file half the time: the program had closed and reopened it)
"$LIMEN" trace -y -e trace=openat,write -o "$tmp/alt.trace" -- \
	"$prog" alternate "$tmp" 200 >/dev/null
is "$(grep -c '^[0-9]* *write([0-9<>/A-Za-z._-]*, "x"' "$tmp/alt.trace")" 200 "-y: the 200 writes traced"
is "$(awk '/openat\(.*"[^"]*\/A"/ { want = "/A>" } /openat\(.*"[^"]*\/B"/ { want = "/B>" }
	/^[0-9]* *write\([0-9]+</ { if (index($0, want) == 0) bad++ } END { print bad + 0 }' "$tmp/alt.trace")" 0 \
	"a_descriptor_opened_under_the_filter_is_never_named_as_another_file (-y)"
done_testing
