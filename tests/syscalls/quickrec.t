#!/bin/bash
# SPDX-License-Identifier: MIT
#
# The quick way of a recorded call (src/runtime/quickrec.c): a call of a
# number no hook looks at, in a session asking for nothing but records,
# skips limen_dispatch's hooks and, with nothing to capture, is written as
# a fixed-size record. Its trace must be the full way's: the same lines as
# under --no-rewrite (no site rewritten: the quick way is never taken),
# every argument and result, -y's paths, a call ended by a signal handler.
# tests/progs/quickrec.c.
. "$(dirname "$0")/../lib.sh"
need_limen
prog=$(testbin quickrec)
[ -x "$prog" ] || skip_all "tests/progs/quickrec not built ($prog)"

sel=trace=getppid,close,openat,kcmp,read,pause,rt_sigreturn
# the trace, the program's pid and its parent's written as PID and PPID,
# a pipe's inode as N
body() {
	local pid ppid
	read -r _ pid _ ppid < <(grep '^pid ' "$tmp/$1.err")
	trace_body "$tmp/$1.trace" | sed -e "s/\b$pid\b/PID/g" -e "s/\b$ppid\b/PPID/g" \
		-e 's/pipe:\[[0-9]*\]/pipe:[N]/g'
}

# want [FD3 PIPE CWD]: the calls of the program, with -y's paths
want() {
	local f=${1-} p=${2-} c=${3-}
	cat <<EOT
getppid() = PPID
getppid() = PPID
close(-1) = -1 EBADF (Bad file descriptor)
openat(AT_FDCWD$c, "/dev/null", O_RDONLY) = 3$f
kcmp(PID, PID, KCMP_FILE, 0x3, 0x3) = 0
read(4$p, "hello", 16) = 5
close(4$p) = 0
close(5$p) = 0
close(3$f) = 0
EOT
}

# both runtimes: limen's loader (%gs) and liblimen.so preloaded (%fs)
for L in loader preload; do
	export LIMEN_LOADER=$L
	bare_and_traced quick -e $sel --
	as_bare quick "calls on the quick way: output and status as bare ($L)"
	is "$(site quick sys)" e9 "the site is rewritten: its calls take the quick way ($L)"
	bare_and_traced full --no-rewrite -e $sel --
	is "$(site full sys)" 4c "--no-rewrite: the site as built, every call the full way ($L)"
	is "$(body quick)" "$(body full)" \
		"a_call_on_the_quick_way_is_traced_as_on_the_full_way ($L)"
	is "$(body quick | sed 's/  *= / = /' | sed -n '/^getppid/,/^pause/p' | head -9)" \
		"$(want '')" "the_quick_record_keeps_every_argument_and_the_result ($L)"
	is "$(body quick | grep -c -e '^pause()' -e '^--- SIGALRM' -e '^rt_sigreturn')" 3 \
		"a_call_on_the_quick_way_ended_by_a_handler_is_recorded_with_its_signal ($L)"
	# (the last line before the exited lines: the main thread's and
	# that of the thread that arms the timer, quickrec.c)
	is "$(body quick | grep -v '^+++ ' | tail -1 | sed 's/  *= / = /')" "getppid() = PPID" \
		"the_call_after_the_handler_takes_the_quick_way_again ($L)"

	# -y: descriptors' paths, which the fixed-size record has no room for
	bare_and_traced quicky -y -e $sel --
	bare_and_traced fully -y --no-rewrite -e $sel --
	is "$(body quicky)" "$(body fully)" "-y: the quick way traced as the full way ($L)"
	is "$(body quicky | sed 's/  *= / = /' | sed -n '/^getppid/,/^pause/p' | head -9)" \
		"$(want '</dev/null>' '<pipe:[N]>' "<$(pwd -P)>")" "-y_shows_a_descriptor_s_path_on_the_quick_way ($L)"
done
done_testing
