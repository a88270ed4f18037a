#!/bin/bash
# SPDX-License-Identifier: MIT
#
# A thread's open gets the lowest free descriptor, as bare, while another
# thread makes limen's runtime work behind the program's back: call sites
# rewritten (/proc/self/mem, /proc/self/maps and /proc/self/stat opened
# for a moment), new threads' rings mapped (the session's memfd), a
# signal. Those descriptors used to take the number the opening thread
# gets bare (thousands of opens shifted in one run; a perl thread's
# open("/etc/passwd") returned 4 for 3 in tests/oracle/strace_seq.t):
# with other threads sharing the table the runtime now takes none there
# (src/runtime/aside.c). tests/progs/fd_lowest.c.
. "$(dirname "$0")/../lib.sh"
need_limen
prog=$(testbin fd_lowest)
[ -x "$prog" ] || skip_all "tests/progs/fd_lowest not built ($prog)"

for L in loader preload; do
	export LIMEN_LOADER=$L
	bare_and_traced rw -- 4
	as_bare rw "a_thread_gets_the_lowest_descriptor_while_sites_are_rewritten ($L)"
	is "$(sed -n 's/^sites rewritten: //p' "$tmp/rw.err")" 256 \
		"the 256 sites are rewritten, with the opening thread running ($L)"
	bare_and_traced sud --no-rewrite -- 24
	as_bare sud "a_thread_gets_the_lowest_descriptor_while_threads_map_their_rings ($L)"
	# -k: the mappings are read into the trace when they changed
	if [ -n "$(no_stacks)" ]; then
		skip "a_thread_gets_the_lowest_descriptor_while_-k_reads_the_mappings ($L)" \
			"$(no_stacks)"
		continue
	fi
	bare_and_traced stack -k --no-rewrite -- 8
	as_bare stack "a_thread_gets_the_lowest_descriptor_while_-k_reads_the_mappings ($L)"
done
done_testing
