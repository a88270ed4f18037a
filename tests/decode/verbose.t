#!/bin/bash
# SPDX-License-Identifier: MIT
#
# -v: the structures strace shows abbreviated ("...") by default and whole
# with -v, against strace on the same program (tests/progs/vstructs.c):
# execve's environment (0x... /* 3 vars */ or the list), termios (c_line
# and c_cc), uname (every field), getrusage (every field). Fields that
# differ between two runs (times, fault counts) are replaced.
. "$(dirname "$0")/../lib.sh"
need_limen
command -v strace >/dev/null || skip_all "strace is not installed"
strace -o /dev/null true 2>/dev/null || skip_all "strace cannot trace here (no ptrace)"
prog=$(testbin vstructs)
[ -x "$prog" ] || skip_all "tests/progs/vstructs.c not built"
[ -e /dev/ptmx ] || skip_all "no /dev/ptmx"

norm() {
	grep -E '^(ioctl\([0-9]+, (TCGETS|SNDCTL_TMR_START or TCSETS)|uname|getrusage|execve\("/bin/true)' |
		sed -E 's/ +=/ =/; s/\{tv_sec=[0-9]+, tv_usec=[0-9]+\}/T/g;
			s/(ru_maxrss|ru_minflt|ru_majflt|ru_nvcsw|ru_nivcsw|ru_inblock|ru_oublock)=[0-9]+/\1=N/g;
			s/0x[0-9a-f]+ \/\*/0xADDR \/*/'
}

for v in "" -v; do
	strace $v -e trace=ioctl,uname,getrusage,execve "$prog" 2>&1 >/dev/null | norm >"$tmp/s"
	run_limen trace $v -e trace=ioctl,uname,getrusage,execve "$prog" 2>&1 >/dev/null | norm >"$tmp/l"
	if [ "$(wc -l <"$tmp/s")" -ge 5 ] && cmp -s "$tmp/s" "$tmp/l"; then
		pass "${v:-without -v}: termios, uname, getrusage, execve's environment as strace ${v:-without -v}"
	else
		fail "${v:-without -v}: as strace" "strace (-) and limen (+) differ:" \
			"$(diff -u "$tmp/s" "$tmp/l")"
	fi
done
ok_if "-v lists execve's environment" \
	grep -q 'execve("/bin/true", \["true"\], \["A=1", "B=two words", "C=\\"quoted\\""\])' "$tmp/l"
done_testing
