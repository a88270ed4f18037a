#!/bin/bash
# SPDX-License-Identifier: MIT
#
# strace's command line as strace 6.1 parses it: bundled short options,
# attached arguments, long options, the narrower stat sets, regexes and
# ?optional names in trace=, -q/-qq, -A, -E, -o to a pipe; every strace
# option limen cannot honour refused (or accepted with a note) in one line
# and status 1; bad values refused in one line and status 1.
. "$(dirname "$0")/../lib.sh"
need_limen
tmp=$(mktemp -d)
at_exit "rm -rf '$tmp'"

status_is() { is "$1" "$2" "$3"; }
# lacks_re FILE REGEX DESC: no line of the trace matches REGEX.
lacks_re() {
	local hits
	hits=$(trace_body "$1" | grep -E -- "$2")
	if [ -z "$hits" ]; then
		pass "$3"
	else
		fail "$3" "unexpected lines:" "$(printf '%s\n' "$hits" | head -n 10)"
	fi
}

# --- bundles and attached arguments ----------------------------------------
t=$tmp/b.trace
run_limen trace -fttT -s5 -o"$t" -e trace=openat,write -- echo hello-world >/dev/null
ok_if "-fttT -s5 -oFILE: -tt time of day with microseconds" \
	grep -qE '^[0-9]+ +[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{6} openat' "$t"
ok_if "-fttT: -T's <seconds> after the result" \
	grep -qE 'openat\(.*\) += 3 <[0-9]+\.[0-9]{6}>$' "$t"
ok_if "-s5 attached: strings cut at 5 bytes" grep -qF 'write(1, "hello"..., 12)' "$t"

t=$tmp/l.trace
run_limen trace --output="$t" --string-limit=5 --trace=write \
	--follow-forks --timestamps=unix,us --syscall-times -- \
	echo hello-world >/dev/null
ok_if "--output= --string-limit= --trace= --timestamps=unix,us" \
	grep -qE '^[0-9]+ +[0-9]{9,}\.[0-9]{6} write\(1, "hello"\.\.\., 12\) += 12 <[0-9.]+>$' "$t"

t=$tmp/r.trace
run_limen trace -r -o "$t" -e trace=openat,close -- cat /etc/hostname >/dev/null
ok_if "-r: the first line at 0.000000" grep -qE '^[0-9]+ +0\.000000 openat' "$t"
bad=$(grep -vE '^[0-9]+ +[ 0-9]{6}\.[0-9]{6} [a-z+]' "$t")
is "$bad" "" "-r: every line has strace's %6ld.%06ld delta"
run_limen trace -tr -o "$t" -e trace=close -- cat /etc/hostname >/dev/null
ok_if "-t -r: HH:MM:SS (+ delta)" grep -qE '^[0-9]+ +[0-9]{2}:[0-9]{2}:[0-9]{2} \(\+ +[0-9]+\.[0-9]{6}\) close' "$t"

out=$(run_limen -V); is "$out" "limen -- version $(run_limen --version | sed 's/.* //')" "-V: strace's version line"

# --- trace= sets as strace defines them ------------------------------------
t=$tmp/s.trace
run_limen trace -o "$t" -e trace=%stat -- stat /etc/hostname >/dev/null
is "$(trace_names "$t" | sort -u | tr '\n' ' ')" "" "%stat is stat() alone (x86_64 stat(1) uses statx: none)"
run_limen trace -o "$t" -e trace=%%stat -- stat /etc/hostname >/dev/null
ok_if "%%stat: every stat variant (statx)" grep -q '^[0-9]* *statx(' "$t"
run_limen trace -o "$t" -e trace=%fstat -- stat /etc/hostname >/dev/null
ok_if "%fstat: statx, newfstatat, fstat" grep -q '^[0-9]* *statx(' "$t"
run_limen trace -o "$t" -e trace=%lstat -- stat /etc/hostname >/dev/null
is "$(grep -c 'statx\|newfstatat' "$t")" 0 "%lstat: not the fstat variants"
run_limen trace -o "$t" -e 'trace=/^(.*_)?statv?fs' -- stat -f / >/dev/null
ok_if "trace=/REGEX: statfs" grep -q '^[0-9]* *statfs("/"' "$t"
run_limen trace -o "$t" -e trace=%statfs -- stat -f / >/dev/null
ok_if "%statfs: statfs" grep -q '^[0-9]* *statfs("/"' "$t"
run_limen trace -o "$t" -e 'trace=?nosuchcall,%%statfs' -- stat -f / >/dev/null
status_is "$?" 0 "trace=?name: an unknown name with ? is no error"
ok_if "%%statfs: statfs" grep -q '^[0-9]* *statfs("/"' "$t"

# --- -q, -qq, --quiet= ----------------------------------------------------------
run_limen trace -q -o "$t" -- true
ok_if "-q: +++ exited kept (strace -q only drops attach messages)" grep -q '+++ exited with 0 +++' "$t"
run_limen trace -e quiet=exit -o "$t" -- true
lacks_re "$t" '^[0-9]* *\+\+\+ exited' "-e quiet=exit: no +++ exited"
run_limen trace --quiet=attach,personality,exit -o "$t" -- true
lacks_re "$t" '^[0-9]* *\+\+\+ exited' "--quiet=...,exit: no +++ exited"

# --- -A, -E, pipes ------------------------------------------------------------
a=$tmp/a.trace
run_limen trace -e trace=none -o "$a" -- true
run_limen trace -A -e trace=none -o "$a" -- true
is "$(grep -c '+++ exited' "$a")" 2 "-A: the second trace appended"
out=$(FOO=old run_limen trace -qq -e trace=none -E FOO=bar -E BAZ=1 -- sh -c 'echo $FOO$BAZ' 2>/dev/null)
is "$out" "bar1" "-E VAR=VAL sets the command's environment"
out=$(FOO=old run_limen trace -qq -e trace=none -E FOO -- sh -c 'echo "x${FOO-unset}"' 2>/dev/null)
is "$out" "xunset" "-E VAR removes it"
out=$(cd "$tmp" && run_limen trace -o "|grep -c exited" -- true 2>/dev/null)
is "$out" "1" "-o '|cmd': the trace piped to cmd, waited for"
out=$(cd "$tmp" && run_limen trace -o "!wc -l" -e trace=none -- true 2>/dev/null)
is "$(echo $out)" "1" "-o '!cmd': likewise"
ok_if "-o '|cmd' creates no file named |cmd" test ! -e "$tmp/|grep -c exited"
# a reader that goes away early: the command goes on to its end and limen
# exits with its status, saying once that the trace ended there (it ended
# with status 1 and "Input/output error" about once in three runs)
bad=0
for i in 1 2 3 4 5 6; do
	err=$(run_limen trace -o '|head -n 1 >/dev/null' -- \
		sh -c 'for i in $(seq 1 60); do ls / >/dev/null; done; echo end; exit 3' 2>&1)
	st=$?
	[ "$st:$err" = "3:end
limen: |head -n 1 >/dev/null: the reader went away (Broken pipe): the trace ends there" ] ||
		{ bad=1; diag "run $i: status $st, output: $err"; }
done
is "$bad" 0 "-o '|cmd' whose reader ends early: the command's status, one note"

# --- refused, one line, status 1 ---------------------------------------------
one_line_1() {
	local desc=$1 err
	shift
	err=$(run_limen "$@" 2>&1 >/dev/null)
	local st=$?
	if [ "$st" = 1 ] && [ "$(printf '%s\n' "$err" | wc -l)" = 1 ] &&
	   [ -n "$err" ]; then
		pass "$desc"
	else
		fail "$desc" "status $st, stderr:" "$err"
	fi
}
one_line_1 "record -A refused (not silently ignored)" record -A -o "$tmp/rec" -- true
one_line_1 "-s -1 refused" trace -s -1 -- true
one_line_1 "--ring-size 3 refused" trace --ring-size 3 -- true
one_line_1 "-e trace=nosuchcall refused" trace -e trace=nosuchcall -- true
one_line_1 "-o /nonexistent/dir/f refused" trace -o /nonexistent/dir/f -- true
one_line_1 "unknown -j refused" trace -j -- true
one_line_1 "unknown --bogus refused" trace --bogus -- true
one_line_1 "-s without its argument" trace -s
one_line_1 "-p refused with the reason" trace -p 1
one_line_1 "-e read=x refused (not a descriptor)" trace -e read=x -- true
one_line_1 "--decode-fds=bogus refused" trace --decode-fds=bogus -- true
for o in --kvm=vcpu --kill-on-exit -ff/-o/'|cat' \
	-ff/-c -b/open -S/bogus -U/bogus -O/5x -X/bogus --syscall-limit=0; do
	one_line_1 "${o//\// }: refused with a reason" trace ${o//\// } -- true
done
one_line_1 "--timestamps=time,fs refused" trace --timestamps=time,fs -- true
one_line_1 "--syscall-times=precision:ns refused (as strace)" trace --syscall-times=precision:ns -- true
one_line_1 "-U without -c or -C refused (as strace)" trace -U name -- true
one_line_1 "-w without -c or -C refused (as strace)" trace -w -- true
err=$(run_limen trace -S calls -o "$tmp/x.trace" -- true 2>&1)
is "$?:$err" "0:limen: -S/--summary-sort-by has no effect without -c (--summary-only) or -C (--summary)" \
	"-S without -c or -C: a warning, as strace"

# --- the precisions and formats of -t, -r and -T, as strace 6.1 prints them
# (the digits made 9: the times differ, their shape must not)
if command -v strace >/dev/null; then
	shape() { sed -E -e 's/^[0-9]+ +//' -e 's/[0-9]/9/g' -e 's/ +(= )/ \1/' "$1" | grep 'close(3)' | head -n 1; }
	for o in -t -tt -ttt --timestamps --timestamps=none --timestamps=unix \
		--timestamps=ms --timestamps=time,ns --timestamps=unix,ms \
		--timestamps=format:unix,precision:ns --timestamps=precision:us,format:time \
		-r --relative-timestamps=s --relative-timestamps=ms --relative-timestamps=ns \
		-t/-r -tt/--relative-timestamps=ns --syscall-times=s --syscall-times=ms \
		--syscall-times=ns -T; do
		run_limen trace ${o//\// } -e trace=close -o "$tmp/tl" -- cat /etc/hostname >/dev/null
		strace ${o//\// } -e trace=close -o "$tmp/ts" cat /etc/hostname >/dev/null
		is "$(shape "$tmp/tl")" "$(shape "$tmp/ts")" "${o//\// }: as strace prints it"
	done
fi

# --- -x, -xx and --strings-in-hex=non-ascii-chars, as strace prints them -----
if command -v strace >/dev/null; then
	printf 'a\tb\303\251\001z\n\001a\0011\000b\377' >"$tmp/hexin"
	for o in -x -xx --strings-in-hex=non-ascii-chars --strings-in-hex=non-ascii \
		--strings-in-hex=all --strings-in-hex=none; do
		run_limen trace $o -e trace=write -o "$tmp/hl" -- cat "$tmp/hexin" >/dev/null
		strace $o -e trace=write -o "$tmp/hs" cat "$tmp/hexin" >/dev/null
		is "$(trace_body "$tmp/hl" | grep '^write')" \
			"$(trace_body "$tmp/hs" | grep '^write')" "$o: as strace prints it"
	done
fi

# --- strace's long forms of -e NAME=SET, and trace= personalities ------------
t=$tmp/lf.trace
run_limen trace --inject=openat:error=ENOENT:when=1 --signal=none --status=failed \
	-e trace=openat@64 -o "$t" -- cat /etc/hostname >/dev/null 2>&1
ok_if "--inject= --signal= --status= and trace=NAME@64" \
	grep -qE '^[0-9]+ +openat\(.*\) += -1 ENOENT \(No such file or directory\) \(INJECTED\)$' "$t"
run_limen trace --fault=openat:when=1 -o "$t" -- cat /etc/hostname >/dev/null 2>&1
ok_if "--fault=: ENOSYS by default" grep -qE 'openat\(.*\) += -1 ENOSYS .*\(INJECTED\)$' "$t"
run_limen trace --write=1 -e trace=write -o "$t" -- echo hi >/dev/null
ok_if "--write=1: the dump under the call" grep -qE '^ \| 00000  68 69 0a' "$t"
err=$(run_limen trace -e trace=openat@32 -o "$t" -- cat /etc/hostname 2>&1 >/dev/null)
ok_if "trace=NAME@32: a note, and nothing selected" \
	test -n "$err" -a -z "$(trace_names "$t")"

# --- exec errors as strace reports them, a shell's exit status ----------------
printf 'x\n' >"$tmp/noexec"
chmod -x "$tmp/noexec"
printf '#!/nonexistent/interp\n' >"$tmp/nointerp"
chmod +x "$tmp/nointerp"
exec_err() {
	local desc=$1 want_st=$2 want=$3 err st
	shift 3
	err=$(run_limen trace -o "$tmp/x.trace" -- "$@" 2>&1 >/dev/null)
	st=$?
	is "$st:$err" "$want_st:$want" "$desc"
}
exec_err "not executable: exec: Permission denied, 126" 126 "limen: exec: Permission denied" "$tmp/noexec"
exec_err "a directory: exec: Permission denied, 126" 126 "limen: exec: Permission denied" "$tmp"
exec_err "#!/nonexistent: exec: No such file or directory, 127" 127 "limen: exec: No such file or directory" "$tmp/nointerp"
exec_err "not found: Can't stat, 127" 127 "limen: Can't stat 'limen-nonesuch': No such file or directory" limen-nonesuch
if command -v strace >/dev/null; then
	for c in "$tmp/noexec" "$tmp" "$tmp/nointerp" limen-nonesuch; do
		s=$(strace -o /dev/null "$c" 2>&1 | sed 's/^strace: //')
		l=$(run_limen trace -o /dev/null "$c" 2>&1 | sed 's/^limen: //')
		is "$l" "$s" "'$(basename "$c")': the message strace gives"
	done
else
	skip "strace is not installed: messages not compared"
fi

# --- -u USER ----------------------------------------------------------------
one_line_1 "-u with an unknown user refused" trace -u limen-no-such-user -- true
if [ "$(id -u)" = 0 ] && id nobody >/dev/null 2>&1; then
	out=$(run_limen trace -qq -e trace=geteuid -u nobody -- id -u 2>"$tmp/u.err")
	is "$out:$(sort -u "$tmp/u.err")" "$(id -u nobody):geteuid()$(printf "%30s" "") = $(id -u nobody)" \
		"-u nobody: the command runs as nobody, traced"
	out=$(run_limen trace -qq -e trace=none -u nobody -- id -G 2>/dev/null)
	is "$out" "$(id -G nobody)" "-u nobody: with nobody's groups"
else
	skip "-u" "needs root and a user nobody"
	skip "-u" "needs root and a user nobody"
fi

# --- accepted with a note -----------------------------------------------------
for o in -D -DD --daemonize=grandchild --seccomp-bpf -I1 --interruptible=2 --tips; do
	err=$(run_limen trace $o -e trace=none -o "$t" -- true 2>&1)
	st=$?
	if [ "$st" = 0 ] && [ "$(printf '%s\n' "$err" | wc -l)" = 1 ] &&
	   grep -q '+++ exited with 0' "$t"; then
		pass "$o: accepted, a one-line note, the trace made"
	else
		fail "$o: accepted, a one-line note, the trace made" "status $st: $err"
	fi
done

done_testing
