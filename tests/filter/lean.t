#!/bin/bash
# SPDX-License-Identifier: MIT
#
# Filters and the lean path (src/runtime/lean.c, filter.c's
# limen_filter_needs): under any filter of the runtime (-e inject=,
# -e status=, -z, -Z, -P, --filter, -e signal=), a call on a rewritten site
# that -e trace= does not select and the filter does not need is made on
# the lean path; the numbers the filter acts on unselected (an injection's,
# -P's descriptor calls) still go the full way, and the filter does
# exactly what it did: when= counts per thread, -P following a descriptor
# through dup, dup2, fcntl and close, -e status=, -z, -Z.
# tests/progs/lean.c (where a blocked call is made), tests/progs/filtlean.c.
. "$(dirname "$0")/../lib.sh"
need_limen
prog=$(testbin lean)
fl=$(testbin filtlean)
[ -x "$prog" ] || skip_all "tests/progs/lean not built ($prog)"
[ -x "$fl" ] || skip_all "tests/progs/filtlean not built ($fl)"

printf 'hello\n' >"$tmp/P"

# near NAME MODE DESC OPTIONS...: lean MODE's blocked call seen by the kernel
# on the thread's own stack (the lean path), and its output as bare
near() {
	local name=$1 mode=$2 desc=$3
	shift 3
	bare_and_traced "$name" "$@" -- "$mode"
	is "$(head -1 "$tmp/$name.out")" "blocked near" "$desc"
	as_bare "$name" "$desc: the program's output as bare"
}

# both runtimes: limen's loader (%gs) and liblimen.so preloaded (%fs)
for L in loader preload; do
	export LIMEN_LOADER=$L
	near inj where "an_unselected_call_not_injected_is_lean_under_-e_inject ($L)" \
		-e trace=openat -e inject=openat:error=ENOENT:when=3
	near injr readwhere "an_unselected_read_not_injected_is_lean_under_-e_inject ($L)" \
		-e trace=openat -e inject=lseek:error=EBADF:when=3
	near st where "an_unselected_call_is_lean_under_-e_status=failed ($L)" \
		-e trace=openat -e status=failed
	near z where "an_unselected_call_is_lean_under_-z ($L)" -e trace=openat -z
	near Z where "an_unselected_call_is_lean_under_-Z ($L)" -e trace=openat -Z
	near P readwhere "an_unselected_read_is_lean_under_-P (no descriptor call) ($L)" \
		-e trace=openat -P "$tmp/P"
	near filt where "an_unselected_call_is_lean_under_--filter ($L)" \
		-e trace=openat --filter 'fd == 3'
	near sig where "an_unselected_call_is_lean_under_-e_signal= ($L)" \
		-e trace=openat -e signal=none

	# the injected number itself, unselected: the full way (the rule
	# counts it), though its when= never comes
	bare_and_traced far -e trace=openat \
		-e inject=futex:error=ENOENT:when=65535 -- where
	is "$(head -1 "$tmp/far.out")" "blocked far" \
		"an_injected_number_goes_the_full_way_even_unselected ($L)"
	bare_and_traced farr -e trace=openat \
		-e inject=read:error=EIO:when=65535 -- readwhere
	is "$(head -1 "$tmp/farr.out")" "blocked far" \
		"an_injected_read_goes_the_full_way_even_unselected ($L)"

	# when= per thread and per process through hot sites, lseek not
	# selected (lean but for the rule), a lean getppid between: what
	# strace's injection gives (the main thread's first lseek is libc's)
	_run_to "$tmp/inj$L" "$LIMEN" trace -o "$tmp/inj$L.trace" -e trace=getpid \
		-e inject=lseek:error=EBADF:when=3+2 -- "$fl" inject
	is "$(cat "$tmp/inj$L.out")" "main: 5 EBADF 5 EBADF 5 EBADF 5
thread: 5 5 EBADF 5 EBADF 5 EBADF
child: 5 5 EBADF 5 EBADF 5 EBADF" \
		"injection_when=3+2_counts_per_thread_on_a_hot_site_with_the_number_unselected ($L)"
	is "$(sed -n 's/^site lseek //p' "$tmp/inj$L.err")" "e9" \
		"the lseek site is rewritten before its injected calls ($L)"
	# the same in an image an execve made (env's): its runtime loads the
	# filter and works out its lean numbers afresh
	_run_to "$tmp/inje$L" "$LIMEN" trace -o "$tmp/inje$L.trace" -e trace=getpid \
		-e inject=lseek:error=EBADF:when=3+2 -- env "$fl" inject
	is "$(cat "$tmp/inje$L.out")" "$(cat "$tmp/inj$L.out")" \
		"injection_counts_on_hot_sites_after_an_execve ($L)"
	_run_to "$tmp/injs$L" "$LIMEN" trace -f -o "$tmp/injs$L.trace" -e trace=lseek \
		-e inject=lseek:error=EBADF:when=3+2 -- "$fl" inject
	is "$(cat "$tmp/injs$L.out")" "$(cat "$tmp/inj$L.out")" \
		"the same injections with lseek selected ($L)"
	is "$(grep -c 'EBADF (Bad file descriptor) (INJECTED)' "$tmp/injs$L.trace")" 9 \
		"nine lseek calls traced as injected ($L)"

	# -P: a descriptor of P followed through hot dup, dup2, fcntl and
	# close sites, none of them selected; reads are, read(fd, buf, N)
	# names the read
	_run_to "$tmp/pf$L" "$LIMEN" trace -o "$tmp/pf$L.trace" -P "$tmp/P" \
		-e trace=read -- "$fl" pfollow "$tmp/P"
	is "$(trace_body "$tmp/pf$L.trace" | sed -n 's/^read([0-9]*, .*, \([0-9]*\)) *= .*/\1/p' | tr '\n' ' ')" \
		"$(sed -n 's/^expect //p' "$tmp/pf$L.out" | tr '\n' ' ')" \
		"-P_follows_a_descriptor_dup_ed_and_closed_through_hot_sites ($L)"
	is "$(sed -n 's/^expect //p' "$tmp/pf$L.out" | tr '\n' ' ')" "1 2 3 4 " \
		"the program expects the reads of P's descriptors ($L)"
	is "$(sed -n 's/^site \(dup\|dup2\|fcntl\|close\|read\) //p' "$tmp/pf$L.err" | sort -u)" e9 \
		"the dup, dup2, fcntl, close and read sites are rewritten first ($L)"

	# -e status=, -z, -Z on a hot site
	for o in "-e status=failed" -Z -z "-e status=successful"; do
		_run_to "$tmp/st$L" "$LIMEN" trace -o "$tmp/st$L.trace" -e trace=openat $o -- "$fl" status
		case $o in
		*failed|-Z) want='openat(AT_FDCWD, "/nonexistent-limen", O_RDONLY) = -1 ENOENT (No such file or directory)' ;;
		*) want='openat(AT_FDCWD, "/dev/null", O_RDONLY) = 3' ;;
		esac
		is "$(trace_body "$tmp/st$L.trace" | grep 'openat(AT_FDCWD, "/\(dev/null\|nonexistent-limen\)"' |
			sed 's/ = [0-9][0-9]*$/ = 3/' | sort | uniq -c | sed 's/^ *//')" "3 $want" \
			"${o}_on_a_hot_openat_site_keeps_exactly_its_calls ($L)"
	done
done
unset LIMEN_LOADER

# strace's injections, the oracle for the counts (strace injects only
# into the calls it traces)
if command -v strace >/dev/null &&
	strace -f -qq -o /dev/null -e trace=lseek -e inject=lseek:error=EBADF:when=3+2 \
		"$fl" inject >"$tmp/strace.out" 2>/dev/null; then
	is "$(cat "$tmp/injpreload.out")" "$(cat "$tmp/strace.out")" \
		"injection_counts_as_strace_s (when=3+2, threads and a fork child)"
else
	skip "injection_counts_as_strace_s" "strace cannot run here (apt-get install strace)"
fi
done_testing
