#!/bin/bash
# SPDX-License-Identifier: MIT
#
# The trace itself: exact strace-format lines for small commands, the CLI
# options (-o -e -s -T -tt -ttt -q), exit status passthrough, error cases,
# signals, path arguments in untouched pages, the program's own use of
# Syscall User Dispatch, and limen's own start-up never showing.
#
# Lines are compared after trace_body (tests/lib.sh): thread id and
# timestamp removed, strace's alignment padding before " = " collapsed.
# Where strace works here, buffer sizes and the %file set are taken from
# strace's own output for the same command ("expect what strace prints").
# Needs the CLI, decoder and runtime: fails until they work.
. "$(dirname "$0")/../lib.sh"
need_limen

have_strace=
if command -v strace >/dev/null &&
	strace -f -o "$tmp/probe" true >/dev/null 2>&1 && [ -s "$tmp/probe" ]; then
	have_strace=1
fi

# has_line FILE LINE DESC: the trace contains LINE exactly.
has_line() {
	if trace_body "$1" | grep -q -F -x -- "$2"; then
		pass "$3"
	else
		fail "$3" "no line: $2" "trace ($1):" "$(trace_body "$1" | tail -n 25)"
	fi
}
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
# status_is GOT WANT DESC
status_is() { is "$1" "$2" "$3"; }

# strace's escaping of a read buffer as printed with the default -s 32.
strace_str() {
	perl -e '
		local $/; my $s = <STDIN>; my $max = 32; my $more = length($s) > $max;
		$s = substr($s, 0, $max); my @c = split //, $s; my $o = "";
		my %e = ("\"" => "\\\"", "\\" => "\\\\", "\t" => "\\t", "\n" => "\\n",
			 "\r" => "\\r", "\f" => "\\f", chr(11) => "\\v");
		for my $i (0 .. $#c) {
			my $c = $c[$i]; my $n = ord $c;
			if (exists $e{$c}) { $o .= $e{$c} }
			elsif ($n >= 32 && $n < 127) { $o .= $c }
			elsif ($i < $#c && $c[$i + 1] =~ /[0-7]/) { $o .= sprintf "\\%03o", $n }
			else { $o .= sprintf "\\%o", $n }
		}
		print "\"$o\"", $more ? "..." : "";' <"$1"
}

# --- cat /etc/hostname (stdout a pipe: cat then uses read/write) ------------
t=$tmp/cat.trace
run_limen trace -o "$t" -- cat /etc/hostname 2>"$tmp/cat.err" | cat >"$tmp/cat.out"
st=${PIPESTATUS[0]}
status_is "$st" 0 "cat /etc/hostname: exit status 0"
same_file "$tmp/cat.out" /etc/hostname "cat /etc/hostname: output intact"
is "$(cat "$tmp/cat.err")" "" "cat /etc/hostname: nothing on stderr with -o"

bufsz=131072
if [ -n "$have_strace" ]; then
	strace -o "$tmp/cat.strace" cat /etc/hostname | cat >/dev/null
	b=$(sed -n -E '\|^openat\(AT_FDCWD, "/etc/hostname"|,$ s/^read\(3, .*, ([0-9]+)\) += [0-9]+$/\1/p' \
		"$tmp/cat.strace" | head -n 1)
	[ -n "$b" ] && bufsz=$b
fi
size=$(wc -c </etc/hostname)
str=$(strace_str /etc/hostname)
has_line "$t" 'openat(AT_FDCWD, "/etc/hostname", O_RDONLY) = 3' \
	"openat(AT_FDCWD, \"/etc/hostname\", O_RDONLY) = 3"
has_line "$t" "read(3, $str, $bufsz) = $size" "read(3, $str, $bufsz) = $size"
has_line "$t" "write(1, $str, $size) = $size" "write(1, $str, $size) = $size"
has_line "$t" "read(3, \"\", $bufsz) = 0" "read(3, \"\", $bufsz) = 0 at end of file"
has_line "$t" "close(3) = 0" "close(3) = 0"
has_line "$t" "exit_group(0) = ?" "exit_group(0) = ?"
has_line "$t" "+++ exited with 0 +++" "+++ exited with 0 +++"
ok_if "-o FILE: every line starts with a thread id and a space" \
	test -s "$t" -a -z "$(grep -v -E '^[0-9]+ ' "$t")"
# Only the program's own calls: no loader work before the runtime is armed
# shows up after the openat of ld.so.cache, and nothing of limen's own.
lacks_re "$t" '^(process_vm_readv|memfd_create|ptrace)\(|PR_SET_SYSCALL_USER_DISPATCH' \
	"cat trace shows none of limen's own calls"

# --- escaping and -s ----------------------------------------------------------
printf 'hello\tworld\n\001\033end"q\\\n' >"$tmp/esc.txt"
t=$tmp/esc.trace
run_limen trace -o "$t" -- cat "$tmp/esc.txt" | cat >/dev/null
has_line "$t" "read(3, \"hello\\tworld\\n\\1\\33end\\\"q\\\\\\n\", $bufsz) = 21" \
	'read of tab, newline, \1, \33, quote, backslash escaped as strace does'
t=$tmp/s4.trace
run_limen trace -s 4 -o "$t" -- cat "$tmp/esc.txt" | cat >/dev/null
has_line "$t" "read(3, \"hell\"..., $bufsz) = 21" '-s 4: read(3, "hell"..., N) = 21'
has_line "$t" "write(1, \"hell\"..., 21) = 21" '-s 4: write(1, "hell"..., 21) = 21'

# --- a failing call -------------------------------------------------------------
t=$tmp/enoent.trace
run_limen trace -o "$t" -- cat /nonexistent/limen-test >/dev/null 2>"$tmp/enoent.err"
st=$?
status_is "$st" 1 "cat of a missing file: exit status 1 passed through"
has_line "$t" 'openat(AT_FDCWD, "/nonexistent/limen-test", O_RDONLY) = -1 ENOENT (No such file or directory)' \
	"failing openat: = -1 ENOENT (No such file or directory)"
has_line "$t" "+++ exited with 1 +++" "+++ exited with 1 +++"
ok_if "the program's own error message still reaches stderr" \
	grep -q 'limen-test: No such file or directory' "$tmp/enoent.err"

# --- -e trace= ------------------------------------------------------------------
t=$tmp/e1.trace
run_limen trace -e trace=openat -o "$t" -- cat /etc/hostname >/dev/null
has_line "$t" 'openat(AT_FDCWD, "/etc/hostname", O_RDONLY) = 3' \
	"-e trace=openat: the openat line is there"
names=$(trace_names "$t" | sort -u | tr '\n' ' ')
is "${names% }" "openat" "-e trace=openat: only openat lines"

t=$tmp/e2.trace
run_limen trace -e trace=%file -o "$t" -- cat /etc/hostname >/dev/null
has_line "$t" 'openat(AT_FDCWD, "/etc/hostname", O_RDONLY) = 3' \
	"-e trace=%file: the openat line is there"
lacks_re "$t" '^(read|write|close|mmap|munmap|brk|fadvise64|exit_group)\(' \
	"-e trace=%file: no read/write/close/mmap/brk/fadvise64/exit_group"
if [ -n "$have_strace" ]; then
	strace -f -e trace=%file -o "$tmp/e2.strace" cat /etc/hostname >/dev/null
	extra=$(comm -23 <(trace_names "$t" | sort -u) <(trace_names "$tmp/e2.strace" | sort -u))
	is "$extra" "" "-e trace=%file: names are a subset of strace's %file names"
else
	skip "-e trace=%file: names are a subset of strace's %file names" "strace unusable"
fi

# --- output destination, -T, -tt, -ttt, -q -----------------------------------------
run_limen trace -- cat /etc/hostname >"$tmp/stderr.out" 2>"$tmp/stderr.trace"
same_file "$tmp/stderr.out" /etc/hostname "without -o: program output intact"
has_line "$tmp/stderr.trace" 'openat(AT_FDCWD, "/etc/hostname", O_RDONLY) = 3' \
	"without -o: the trace goes to stderr"

t=$tmp/T.trace
run_limen trace -T -o "$t" -- cat /etc/hostname >/dev/null
calls=$(trace_body "$t" | grep -E '^[a-z_][a-z0-9_]*\(.*\) = ' | grep -v ' = ?$' | grep -v 'resumed>')
bad=$(printf '%s\n' "$calls" | grep -v -E ' <[0-9]+\.[0-9]{6}>$')
if [ -n "$calls" ] && [ -z "$bad" ]; then
	pass "-T: every completed call ends with <S.UUUUUU>"
else
	fail "-T: every completed call ends with <S.UUUUUU>" "$(printf '%s\n' "$bad" | head -n 5)"
fi

t=$tmp/tt.trace
run_limen trace -tt -o "$t" -- cat /etc/hostname >/dev/null
bad=$(grep -v -E '^[0-9]+ +[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{6} ' "$t")
if [ -s "$t" ] && [ -z "$bad" ]; then
	pass "-tt: every line is TID HH:MM:SS.UUUUUU ..."
else
	fail "-tt: every line is TID HH:MM:SS.UUUUUU ..." "$(printf '%s\n' "$bad" | head -n 5)"
fi
has_line "$t" 'openat(AT_FDCWD, "/etc/hostname", O_RDONLY) = 3' "-tt: call text unchanged"

t=$tmp/ttt.trace
run_limen trace -ttt -o "$t" -- cat /etc/hostname >/dev/null
bad=$(grep -v -E '^[0-9]+ +[0-9]{9,}\.[0-9]{6} ' "$t")
if [ -s "$t" ] && [ -z "$bad" ]; then
	pass "-ttt: every line is TID SECONDS.UUUUUU ..."
else
	fail "-ttt: every line is TID SECONDS.UUUUUU ..." "$(printf '%s\n' "$bad" | head -n 5)"
fi

# As strace: -q drops attach messages only (limen has none), -qq the
# "+++ exited" lines too.
t=$tmp/q.trace
run_limen trace -qq -o "$t" -- cat /etc/hostname >/dev/null
lacks_re "$t" '^\+\+\+ exited' "-qq: no +++ exited line"
has_line "$t" "close(3) = 0" "-qq: calls still traced"

# --- exit status ----------------------------------------------------------------
t=$tmp/x3.trace
run_limen trace -o "$t" -- sh -c 'exit 3' >/dev/null 2>&1
status_is "$?" 3 "exit status 3 passed through"
has_line "$t" "exit_group(3) = ?" "exit_group(3) = ?"
has_line "$t" "+++ exited with 3 +++" "+++ exited with 3 +++"
t=$tmp/term.trace
{ run_limen trace -o "$t" -- sh -c 'kill -TERM $$' >/dev/null 2>&1; } 2>/dev/null
status_is "$?" 143 "killed by SIGTERM: limen exits 143"
has_line "$t" "+++ killed by SIGTERM +++" "+++ killed by SIGTERM +++"

# --- error cases of the CLI ---------------------------------------------------------
run_limen trace -o "$tmp/nf.trace" -- limen-no-such-command >"$tmp/nf.out" 2>"$tmp/nf.err"
status_is "$?" 127 "missing command: exit 127"
if grep -q -F -x "limen: Can't stat 'limen-no-such-command': No such file or directory" "$tmp/nf.err"; then
	pass "missing command: as strace says it"
else
	fail "missing command: as strace says it" \
		"stderr: $(cat "$tmp/nf.err")"
fi

static_bin=
printf 'int main(void) { return 0; }\n' >"$tmp/static.c"
if command -v cc >/dev/null && cc -static -o "$tmp/static" "$tmp/static.c" 2>/dev/null; then
	static_bin=$tmp/static
elif [ -x /bin/busybox ] && LC_ALL=C ldd /bin/busybox 2>&1 | grep -q 'not a dynamic'; then
	static_bin=/bin/busybox
fi
if [ -n "$static_bin" ]; then
	# limen's loader runs it (README, "limen's loader"): traced, not refused
	run_limen trace -o "$tmp/st.trace" -- "$static_bin" >"$tmp/st.out" 2>"$tmp/st.err"
	status_is "$?" 0 "static binary: traced, its own exit status"
	ok_if "static binary: its exit_group is in the trace" \
		grep -q -E '^[0-9]+ +exit_group\(0\) += \?' "$tmp/st.trace"
	# set-user-ID: the loader would run it without its privileges
	cp "$static_bin" "$tmp/static_suid" && chmod u+s "$tmp/static_suid"
	run_limen trace -o "$tmp/su.trace" -- "$tmp/static_suid" >"$tmp/su.out" 2>"$tmp/su.err"
	status_is "$?" 1 "set-user-ID static binary: exit 1"
	if [ "$(wc -l <"$tmp/su.err")" = 1 ] && grep -q -i 'set-user-ID' "$tmp/su.err"; then
		pass "set-user-ID static binary: a one-line refusal saying why"
	else
		fail "set-user-ID static binary: a one-line refusal saying why" \
			"stderr: $(cat "$tmp/su.err")"
	fi
else
	skip "static binary: traced" "cannot build a static binary, no static busybox"
	skip "static binary: exit_group traced" "no static binary"
	skip "set-user-ID static binary: exit 1" "no static binary"
	skip "set-user-ID static binary: refusal" "no static binary"
fi

run_limen --version >"$tmp/v.out" 2>&1
status_is "$?" 0 "--version: exit 0"
ok_if "--version prints something" test -s "$tmp/v.out"
run_limen -h >"$tmp/h.out" 2>&1
status_is "$?" 0 "-h: exit 0"
ok_if "-h prints something" test -s "$tmp/h.out"
run_limen trace --no-such-option-xyz -- true >"$tmp/u.out" 2>"$tmp/u.err"
st=$?
if [ "$st" != 0 ] && [ -s "$tmp/u.err" ]; then
	pass "unknown option: non-zero exit ($st) and a message"
else
	fail "unknown option: non-zero exit and a message" "status $st" \
		"stderr: $(cat "$tmp/u.err")"
fi

# --- signals delivered to handlers (tests/progs/sighandler) -------------------------
prog=$(testbin sighandler)
if [ -x "$prog" ]; then
	t=$tmp/sig.trace
	run_limen trace -o "$t" -- "$prog" >/dev/null
	uid=$(id -u)
	# "TID --- SIGUSR1 {... si_pid=P ...} ---": P is SELF when the process
	# signalled itself (P = the line's own id), OTHER otherwise.
	sed -n -E 's/^([0-9]+) +(--- SIG(USR1|USR2|ALRM) .*)$/\1 \2/p' "$t" |
		while read -r tid rest; do
			p=$(printf '%s' "$rest" | sed -n -E 's/.*si_pid=([0-9]+).*/\1/p')
			if [ -n "$p" ] && [ "$p" = "$tid" ]; then
				rest=${rest/si_pid=$p,/si_pid=SELF,}
			elif [ -n "$p" ]; then
				rest=${rest/si_pid=$p,/si_pid=OTHER,}
			fi
			printf '%s\n' "$rest"
		done >"$tmp/sig.got"
	cat >"$tmp/sig.want" <<EOS
--- SIGUSR1 {si_signo=SIGUSR1, si_code=SI_USER, si_pid=SELF, si_uid=$uid} ---
--- SIGUSR1 {si_signo=SIGUSR1, si_code=SI_TKILL, si_pid=SELF, si_uid=$uid} ---
--- SIGALRM {si_signo=SIGALRM, si_code=SI_KERNEL} ---
--- SIGUSR2 {si_signo=SIGUSR2, si_code=SI_TKILL, si_pid=SELF, si_uid=$uid} ---
--- SIGUSR1 {si_signo=SIGUSR1, si_code=SI_USER, si_pid=OTHER, si_uid=$uid} ---
EOS
	same_file "$tmp/sig.got" "$tmp/sig.want" \
		"signals caught by handlers show as '--- SIGxxx {siginfo} ---' (strace form)"
else
	skip "signals caught by handlers show as '--- SIGxxx {siginfo} ---'" "sighandler not built"
fi

# --- path arguments in pages the program never touched (tests/progs/freshpage) --------
prog=$(testbin freshpage)
if [ -x "$prog" ]; then
	t=$tmp/fresh.trace
	run_limen trace -o "$t" -- "$prog" >"$tmp/fresh.out"
	status_is "$?" 0 "freshpage: exit status 0"
	has_line "$t" 'openat(AT_FDCWD, "/etc/hostname", O_RDONLY) = 3' \
		"path at the start of an untouched .rodata page is read"
	has_line "$t" 'openat(AT_FDCWD, "/etc/hostname", O_RDONLY) = 4' \
		"path straddling two untouched .rodata pages is read"
else
	skip "freshpage: exit status 0" "freshpage not built"
	skip "path at the start of an untouched .rodata page is read" "freshpage not built"
	skip "path straddling two untouched .rodata pages is read" "freshpage not built"
fi

# --- the program's own Syscall User Dispatch (tests/progs/ownsud) -------------------
prog=$(testbin ownsud)
if [ -x "$prog" ]; then
	bare=$("$prog" 2>&1)
	[ "$bare" = "prctl ON: 0
prctl OFF: 0" ] || diag "ownsud bare says: $bare (kernel without SUD?)"
	t=$tmp/ownsud.trace
	run_limen trace -o "$t" -- "$prog" >"$tmp/ownsud.out" 2>&1
	status_is "$?" 0 "ownsud under limen: exit status 0"
	is "$(cat "$tmp/ownsud.out")" "$bare" \
		"ownsud: PR_SET_SYSCALL_USER_DISPATCH answers as bare under limen (nested SUD)"
	if [ "$(trace_body "$t" | grep -c -E '^prctl\(PR_SET_SYSCALL_USER_DISPATCH, PR_SYS_DISPATCH_(ON, 0, 0, 0x[0-9a-f]+|OFF, 0, 0, NULL)\) = 0$')" = 2 ]; then
		pass "ownsud: the prctl ON and OFF show in the trace with = 0"
	else
		fail "ownsud: the prctl ON and OFF show in the trace with = 0" \
			"$(trace_body "$t" | grep prctl)"
	fi
	if trace_body "$t" | grep -q -E '^getppid\(\) = [0-9]+$'; then
		pass "ownsud: still traced afterwards (getppid)"
	else
		fail "ownsud: still traced afterwards (getppid)" "$(trace_body "$t" | tail -n 5)"
	fi
else
	skip "ownsud under limen: exit status 0" "ownsud not built"
	skip "ownsud: EINVAL under limen" "ownsud not built"
	skip "ownsud: the prctl shows in the trace" "ownsud not built"
	skip "ownsud: still traced afterwards" "ownsud not built"
fi

# --- limen's own start-up never shows ----------------------------------------------
t=$tmp/true.trace
run_limen trace -o "$t" -- /bin/true
status_is "$?" 0 "/bin/true: exit status 0"
has_line "$t" "exit_group(0) = ?" "/bin/true: exit_group(0) = ?"
lacks_re "$t" '^(process_vm_readv|process_vm_writev|memfd_create|ptrace|pidfd_open|pidfd_getfd)\(' \
	"/bin/true: no process_vm_*, memfd_create, ptrace, pidfd_* calls"
lacks_re "$t" 'PR_SET_SYSCALL_USER_DISPATCH|^prctl\(59,' \
	"/bin/true: no prctl(PR_SET_SYSCALL_USER_DISPATCH)"
if [ -n "$have_strace" ]; then
	strace -f -o "$tmp/true.strace" /bin/true
	extra=$(comm -23 <(trace_names "$t" | sort -u) <(trace_names "$tmp/true.strace" | sort -u))
	is "$extra" "" "/bin/true: the names limen shows are a subset of strace's"
else
	skip "/bin/true: the names limen shows are a subset of strace's" "strace unusable"
fi

done_testing
