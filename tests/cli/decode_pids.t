#!/bin/bash
# SPDX-License-Identifier: MIT
#
# -Y, --decode-pids=comm: after each pid (the line's prefix, pid arguments,
# getpid/gettid/getppid/clone results) the name its process had at the
# call, as strace 6.1 prints it on the same program: a child's name
# inherited at the fork, renamed by prctl(PR_SET_NAME) from its next line
# on, execve's file name after the exec, none for a child wait4 reaped nor
# for a process group (-PGID). The lines compared per process (how the
# processes' lines interleave is the scheduler's), pids named P, K1, K2,
# the process group G.
. "$(dirname "$0")/../lib.sh"
need_limen
command -v strace >/dev/null || skip_all "strace is not installed"
strace -o /dev/null true 2>/dev/null || skip_all "strace cannot trace here (no ptrace)"
prog=$(testbin pidnames)
set_=getpid,getppid,gettid,clone,wait4,kill,tgkill,prctl,execve,exit_group

# norm TRACE IDS: the lines per process, pids named, addresses and
# padding out, an unfinished call joined to its resumption, strace's own
# execve of the program and signal lines (limen's runtime sees no SIGCHLD
# the program does not handle) left out
norm() {
	"$_py" -S - "$1" "$2" <<'PY'
import re, sys
ids = open(sys.argv[2]).read().split()
names = dict(zip(ids, ["P", "K1", "K2", "G"]))
per = {}
for line in open(sys.argv[1]):
	line = line.rstrip("\n")
	m = re.match(r"^([0-9]+)((?:<[^>]*>)?) +(.*)$", line)
	if not m or m.group(3).startswith("---"):
		continue
	body = re.sub(r"\) +(= [^\"]*)$", r") \1", m.group(3))
	if body.startswith("execve(\"" + "build") or "pidnames\"" in body:
		continue
	body = re.sub(r"0x[0-9a-f]+", "0xADDR", body)
	body = re.sub(r"\b[0-9]+\b", lambda n: names.get(n.group(0), n.group(0)), body)
	# the exec'd child's name in its parent's wait4: strace reads it
	# at the kernel's exec, limen learns it when the runtime starts in
	# the new image, which may come after the parent's call (README)
	body = re.sub(r"^wait4\(K2<[^>]*>", "wait4(K2<*>", body)
	who = names.get(m.group(1), m.group(1))
	lines = per.setdefault(who, [])
	r = re.match(r"^<\.\.\. ([a-z0-9_]+) resumed>(.*)$", body)
	if r and lines and lines[-1][1].endswith(" <unfinished ...>"):
		head = lines[-1][1][:-len(" <unfinished ...>")].rstrip()
		rest = r.group(2)
		# "f(a, <unfinished ...>" + "<... f resumed>b)": "f(a, b)"
		if head.endswith(",") and not rest.startswith(" "):
			head += " "
		lines[-1] = (lines[-1][0], head + rest)
		continue
	lines.append((m.group(2), body))
for who in ["P", "K1", "K2"]:
	for comm, body in per.get(who, []):
		print("%s%s %s" % (who, comm, body))
PY
}

# strace under the same timeout as run_limen: timeout makes its own
# process group, and the program's group must be alike in both runs (in a
# pid namespace entered from a shell, the shell's group is 0)
"${_timeout[@]+"${_timeout[@]}"}" strace -f -Y -o "$tmp/s" -e trace=$set_ "$prog" >"$tmp/s.ids"
run_limen trace -f -Y -o "$tmp/l" -e trace=$set_ -- "$prog" >"$tmp/l.ids"
norm "$tmp/s" "$tmp/s.ids" >"$tmp/s.n"
norm "$tmp/l" "$tmp/l.ids" >"$tmp/l.n"
if [ -s "$tmp/s.n" ] && cmp -s "$tmp/s.n" "$tmp/l.n"; then
	pass "-f -Y: pids named as strace names them"
else
	fail "-f -Y: pids named as strace names them" "strace (-) and limen (+) differ:" \
		"$(diff -u "$tmp/s.n" "$tmp/l.n" | head -n 40)"
fi
ok_if "-Y: the renamed child's lines say <kid>" grep -q '^K1<kid> getpid() = K1<kid>$' "$tmp/l.n"
ok_if "-Y: the exec'd child is <true>" grep -q '^K2<true> exit_group(0) = ?$' "$tmp/l.n"

# the long forms, and the prefix without -o: "[pid N<comm>]"
run_limen trace -f --decode-pids=comm -e trace=getppid -- "$prog" >/dev/null 2>"$tmp/e"
ok_if "--decode-pids=comm: [pid N<kid>] getppid() = P<pidnames>" \
	grep -qE '^\[pid +[0-9]+<kid>\] getppid\(\) += [0-9]+<pidnames>$' "$tmp/e"
ok_if "-Y -e trace=getppid: the calls followed for names are not shown" \
	sh -c "! grep -qE 'prctl|clone|wait4' '$tmp/e'"
run_limen trace -f -Y -c -e trace=getppid -- "$prog" >/dev/null 2>"$tmp/c"
ok_if "-Y -c -e trace=getppid: nor counted" \
	sh -c "grep -q getppid '$tmp/c' && ! grep -qE 'prctl|clone|wait4' '$tmp/c'"
run_limen trace -e decode-pids=comm -e trace=getpid -- "$prog" >/dev/null 2>"$tmp/e"
ok_if "-e decode-pids=comm: getpid() = N<pidnames>" \
	grep -qE '\] getpid\(\) += [0-9]+<pidnames>$' "$tmp/e"
run_limen trace --decode-pids=none -e trace=getpid -- "$prog" >/dev/null 2>"$tmp/e"
ok_if "--decode-pids=none: no names" grep -qE '\] getpid\(\) += [0-9]+$' "$tmp/e"
out=$(run_limen trace --decode-pids=bogus -- true 2>&1)
is "$?:$out" "1:limen: invalid decode-pids 'bogus'" "--decode-pids=bogus: strace's message, status 1"
out=$(run_limen trace --decode-pids=pidns -- true 2>&1)
is "$?:$(printf '%s\n' "$out" | wc -l)" "1:1" "--decode-pids=pidns: refused in one line (no namespace translation)"
done_testing
