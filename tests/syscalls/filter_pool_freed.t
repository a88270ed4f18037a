#!/bin/bash
# SPDX-License-Identifier: MIT
#
# The slots a process claims for its pool when it installs a seccomp
# filter (runtime/ring.c: 16 rings mapped before the filter can refuse
# mmap) are freed once the process ends: they were claimed for
# good, so after 32768 / 16 = 2048 such processes (a failing probe,
# seccomp(SECCOMP_SET_MODE_FILTER, 0, NULL), too) nothing more of the
# session was traced. Here the session has 64 slots (ulimit -f sizes its
# memfd: 64 rings of 4 MiB): 12 processes in a row, each pooling 16, then
# the shell's last command must still be traced. Not at an exec (README:
# the next image cannot tell its pool from a sibling pid namespace's
# process with its local pid). tests/progs/filter_exits.c.
. "$(dirname "$0")/../lib.sh"
need_limen
prog=$(testbin filter_exits)
[ -x "$prog" ] || skip_all "tests/progs/filter_exits not built ($prog)"

for mode in allow probe; do
	cat >"$tmp/loop.sh" <<SH
#!/bin/sh
i=0
while [ \$i -lt 12 ]; do $prog $mode; i=\$((i+1)); done
/bin/echo last-one
SH
	chmod +x "$tmp/loop.sh"
	(ulimit -f 300000; run_limen trace -f -e trace=execve \
		-o "$tmp/t.trace" -- "$tmp/loop.sh" >"$tmp/out" 2>"$tmp/err")
	is "$(grep -c "execve(\"$prog\"" "$tmp/t.trace")" 12 \
		"${mode%% *}: the 12 processes that filtered are all traced"
	is "$(grep -c 'execve("/bin/echo"' "$tmp/t.trace")" 1 \
		"${mode%% *}: the command after them too (the pools' slots freed)"
	is "$(grep -c 'threads untraced' "$tmp/t.trace" "$tmp/err" | awk -F: '{ s += $2 } END { print s }')" 0 \
		"${mode%% *}: no thread said untraced"
done
done_testing
