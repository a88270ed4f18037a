#!/bin/bash
# SPDX-License-Identifier: MIT
#
# limen's own filters: --filter expressions, when={EXPR} injections, stable
# inputs (the race of issue 12), a call the filter rejects costing no ring
# space, a hostile program's filter refused, bad values refused in one line.
. "$(dirname "$0")/../lib.sh"
need_limen
prog=$(testbin filt)
[ -x "$prog" ] || skip_all "tests/progs/filt.c not built"

# lines DESC WANT OPTIONS...: filt calls traced with OPTIONS; the program's
# own lines (from its first mkdir) must be WANT
lines() {
	local desc=$1 want=$2
	shift 2
	rm -rf "$tmp/d" && mkdir "$tmp/d"
	run_limen trace -o "$tmp/t" "$@" -- "$prog" calls "$tmp/d" >"$tmp/out" 2>&1
	# (signals show whatever --filter says, as under strace)
	is "$(trace_body "$tmp/t" | grep -v -e '^+++' -e '^---' |
		sed "s|$tmp|T|g")" "$want" "$desc"
}
lines "--filter 'fd == 20': the calls whose fd argument is 20" \
'write(20, "z", 1) = 1
close(20) = 0' --filter 'fd == 20'
lines "--filter 'path ~ \"*nope\"': any path argument, a glob" \
'chdir("nope") = -1 ENOENT (No such file or directory)
unlink("nope") = -1 ENOENT (No such file or directory)' --filter 'path ~ "*nope"'
lines "--filter 'flags & O_CREAT' -e trace=openat" \
'openat(AT_FDCWD, "T/d/file", O_WRONLY|O_CREAT|O_TRUNC, 0644) = 3' \
	-e trace=openat --filter 'flags & O_CREAT'
lines "--filter 'filename == \"nope\" || newfd == 20' (a name per call)" \
'chdir("nope") = -1 ENOENT (No such file or directory)
dup2(3, 20) = 20' --filter 'filename == "nope" || newfd == 20'
lines "--filter '!(fd >= 0)' -e trace=close,chdir: a call without fd is kept by !" \
'chdir("T/d/sub") = 0
chdir("nope") = -1 ENOENT (No such file or directory)' \
	-e trace=close,chdir --filter '!(fd >= 0)'
lines "two --filter options: both hold" \
'write(20, "z", 1) = 1' --filter 'fd == 20' --filter 'count == 1'
lines "--filter 'ret == 0' with an injection: the injected result decides" \
'getppid() = 0 (INJECTED)' -e trace=getppid --filter 'ret == 0' \
	-e inject=getppid:retval=0:when=2
lines "-e inject=chdir:error=EPERM:when={path ~ \"*nope\"}: only that call" \
'chdir("T/d/sub") = 0
chdir("nope") = -1 EPERM (Operation not permitted) (INJECTED)' \
	-e trace=chdir -e 'inject=chdir:error=EPERM:when={path ~ "*nope"}'
lines "when={EXPR}2: the second call EXPR matches" \
'getppid() = 0 (INJECTED)' -e trace=getppid --filter 'ret == 0' \
	-e 'inject=getppid,close:retval=0:when={fd == 20}1' \
	-e 'inject=getppid:retval=0:when={!(1 == 2)}2'
# the program saw what was injected
grep -q '^chdir nope = -1 EPERM' <(rm -rf "$tmp/d"; mkdir "$tmp/d";
	run_limen trace -o /dev/null -e 'inject=chdir:error=EPERM:when={filename ~ "n*"}' -- "$prog" calls "$tmp/d" 2>&1)
ok_if "when={...}: the program gets the injected error" test $? = 0

# a recording keeps what was injected: the report shows it as trace did
rm -rf "$tmp/d" "$tmp/rec" && mkdir "$tmp/d"
run_limen record -o "$tmp/rec" -e trace=chdir -e inject=chdir:error=EPERM:when=2 -- \
	"$prog" calls "$tmp/d" >/dev/null 2>&1
is "$(run_limen report "$tmp/rec" 2>/dev/null | grep -c '^chdir.*= -1 EPERM (Operation not permitted) (INJECTED)$')" 1 \
	"limen record, limen report: (INJECTED) on the injected call"

# --json says it too
rm -rf "$tmp/d" && mkdir "$tmp/d"
run_limen trace -o /dev/null --json "$tmp/j" -e trace=chdir -e inject=chdir:error=EPERM:when=2 -- \
	"$prog" calls "$tmp/d" >/dev/null 2>&1
is "$(grep '"name":"chdir"' "$tmp/j" | sed -n 's/.*"ret":\(-*[0-9]*\).*"injected":\(true\).*/\1 \2/p; /injected/!s/.*"ret":\(-*[0-9]*\).*/\1/p' | tr '\n' ' ')" \
	"0 -1 true " "--json: \"injected\":true on the injected call only"

# a call the filter rejects is never written to a ring
records() {
	LIMEN_STATS=1 run_limen trace -o /dev/null "$@" -- "$prog" loop 20000 2>&1 |
		sed -n -E 's/^limen: stats: ([0-9]+) records.*/\1/p'
}
all=$(records -e trace=getppid)
none=$(records -e trace=getppid --filter 'ret == 123456')
failed=$(records -e trace=getppid -Z)
ok_if "a call --filter rejects costs no ring space ($all records unfiltered, $none filtered)" \
	test "${all:-0}" -ge 40000 -a "${none:-99999}" -lt 200
ok_if "nor one -Z rejects at its exit ($failed records)" test "${failed:-99999}" -lt 200

# stable inputs: one thread flips a path between allow and deny_, another
# opens it; the rule refuses deny_. Every open that reached deny_ is a slip.
touch "$tmp/allow" "$tmp/deny_"
rule="inject=openat:error=EACCES:when={filename == \"$tmp/deny_\"}"
out=$(run_limen trace -o /dev/null -e "$rule" -- "$prog" race "$tmp" 20000 2>&1)
set -- $out
if [ "${1:-}" = reached ] && [ "$2" = 0 ] && [ "${4:-0}" -gt 0 ]; then
	pass "stable inputs: no open reached the denied file ($out)"
else
	fail "stable inputs: no open reached the denied file" "$out"
fi
out=$(run_limen trace -o /dev/null --no-stable-inputs -e "$rule" -- "$prog" race "$tmp" 20000 2>&1)
set -- $out
if [ "${1:-}" != reached ]; then
	fail "--no-stable-inputs: the race is there" "$out"
elif [ "$2" -gt 0 ]; then
	pass "--no-stable-inputs: some opens slipped through ($out)"
else
	skip "--no-stable-inputs: some opens slipped through" "the race window was not hit in 20000 opens on this machine ($out)"
fi

# a program scribbling a looping, out-of-bounds filter into the session:
# its next image refuses it (and filters nothing), never crashes or loops
rm -rf "$tmp/d" && mkdir "$tmp/d"
"$prog" calls "$tmp/d" >"$tmp/bare.out" 2>&1
rm -rf "$tmp/d" && mkdir "$tmp/d"
run_limen trace -o "$tmp/t" -Z -- "$prog" scribble "$tmp/d" >"$tmp/out" 2>&1
st=$?
same_file "$tmp/out" "$tmp/bare.out" "a scribbled filter program: the program runs as bare"
is "$st" 0 "a scribbled filter program: limen and the program exit 0"
grep -q '^[0-9]* *mkdir(' "$tmp/t"
ok_if "a scribbled filter program is refused whole: the next image filters nothing" test $? = 0

# bad values: one line, status 1, saying what is wrong
bad() {
	local want=$1 err st
	shift
	err=$(run_limen trace "$@" -- true 2>&1 >/dev/null)
	st=$?
	is "$st:$err" "1:limen: $want" "refused: $*"
}
bad "invalid status 'bogus' (successful, failed, unfinished, unavailable, detached, all, none)" -e status=bogus
bad "invalid signal 'SIGFOO'" -e signal=SIGFOO
bad "invalid signal '65'" -e signal=65
bad "-e inject=openat: error=, retval=, signal=, delay_enter= or delay_exit= is needed" -e inject=openat
bad "invalid inject argument 'error=EFOO'" -e inject=openat:error=EFOO
bad "invalid inject argument 'error=4096'" -e inject=openat:error=4096
bad "invalid inject argument 'retval=x'" -e inject=openat:retval=x
bad "invalid inject argument 'retval=1'" -e inject=openat:error=ENOENT:retval=1
bad "invalid inject argument 'when=0'" -e inject=openat:error=ENOENT:when=0
bad "invalid inject argument 'when=2+x'" -e inject=openat:error=ENOENT:when=2+x
bad "invalid inject argument 'when=65536'" -e inject=openat:error=ENOENT:when=65536
bad "invalid inject argument 'delay_enter=5x'" -e inject=openat:delay_enter=5x
bad "invalid inject argument 'signal=SIGNOPE'" -e inject=openat:signal=SIGNOPE
bad "invalid inject argument 'syscall=chdir'" -e inject=openat:error=ENOENT:syscall=chdir
bad "invalid system call 'nosuch'" -e inject=nosuch:error=ENOENT
bad "-e fault=: only error=, syscall= and when= (-e inject= has the rest)" -e fault=openat:retval=1
bad "-e inject=: which system calls?" -e inject=:error=ENOENT
bad "when={fd ==: no closing '}'" -e 'inject=read:error=EIO:when={fd =='
bad "when={fd ==}: unexpected end of expression" -e 'inject=read:error=EIO:when={fd ==}'
bad "when={...} is decided before the call: no ret" -e 'inject=read:error=EIO:when={ret < 0}'
bad "--filter 'fdd == 3': unknown name 'fdd' (not an argument name of any system call, ret, path, or a constant)" --filter 'fdd == 3'
bad "--filter 'fd ==': unexpected end of expression" --filter 'fd =='
bad "--filter '\"x\"': a string alone is not a condition" --filter '"x"'
bad "--filter '\"x\" == 3': a string compares with an argument" --filter '"x" == 3'
bad "--filter 'fd ~ 3': ~ and !~ match a name against a \"glob\"" --filter 'fd ~ 3'
bad "--filter 'path < \"a\"': a string compares with ==, !=, ~ or !~ only" --filter 'path < "a"'
bad "--filter 'fd == 3)': unexpected ')'" --filter 'fd == 3)'
bad "--filter '(fd == 3': ')' expected" --filter '(fd == 3'
bad "--filter 'fd == 3x': invalid number '3x'" --filter 'fd == 3x'
bad "--filter 'path == \"abc': unterminated string" --filter 'path == "abc'
bad "--filter 'fd | O_CREAT': '|' combines constants and numbers only" --filter 'fd | O_CREAT'
bad "-P: an empty path" -P ''

# a call the filter writes itself (decided at exit, or injected) carries
# what limen_sigsys's own records carry: -i's call site, -k's stack
run_limen trace -i -Z -e trace=openat -- cat /nonexistent >"$tmp/ip" 2>&1
ok_if "status_filter_keeps_the_call_site_for_-i" \
	eval '! grep -q "^\[0000000000000000\] openat" "$tmp/ip" && grep -q "^\[[0-9a-f]\{16\}\] openat(AT_FDCWD, \"/nonexistent\"" "$tmp/ip"' || diag_file "$tmp/ip"
if run_limen trace -k -- true 2>&1 | grep -q 'built without'; then
	skip "status_filter_keeps_the_stack_for_-k" "limen built without libdw"
	skip "injected_call_keeps_the_stack_for_-k" "limen built without libdw"
else
	run_limen trace -k -Z -e trace=openat -- cat /nonexistent >"$tmp/k" 2>&1
	ok_if "status_filter_keeps_the_stack_for_-k" \
		eval 'grep -A1 "openat(AT_FDCWD, \"/nonexistent\"" "$tmp/k" | grep -q "^ > .*libc"' || diag_file "$tmp/k"
	# only cat's open of the file fails: the opens before it (ld.so's of
	# the libraries, when the trace starts at its first instruction) are
	# counted in a first run, as strace -e inject=...:when= would need
	run_limen trace -e trace=openat -o "$tmp/k1" -- cat /etc/hostname >/dev/null 2>&1
	n=$(trace_names "$tmp/k1" | grep -c -x openat)
	run_limen trace -k -e trace=openat -e inject=openat:error=EACCES:when=$n -- cat /etc/hostname >"$tmp/k2" 2>&1
	ok_if "injected_call_keeps_the_stack_for_-k" \
		eval 'grep -A1 "openat(AT_FDCWD, \"/etc/hostname\".*(INJECTED)" "$tmp/k2" | grep -q "^ > .*libc"' || diag_file "$tmp/k2"
fi
# and -y's descriptor paths (one writer of call records for every path)
run_limen trace -o "$tmp/y" -y -z -e trace=read -- cat /etc/hostname >/dev/null 2>&1
ok_if "status_filter_keeps_the_-y_paths" \
	grep -q '^[0-9]* *read([0-9]*</etc/hostname>, ' "$tmp/y" || diag_file "$tmp/y"
run_limen trace -y -e trace=close -e inject=close:retval=0 -- cat /etc/hostname >"$tmp/y2" 2>&1
ok_if "injected_call_keeps_the_-y_paths" \
	grep -q '^close([0-9]*</etc/hostname>) *= 0 (INJECTED)$' "$tmp/y2" || diag_file "$tmp/y2"

# a static program runs the loader's build of the runtime, which has no
# __thread: its when= counters live in the thread's own block
if [ -x /bin/busybox ] && file -L /bin/busybox 2>/dev/null | grep -q static; then
	run_limen trace -o "$tmp/st" -e trace=openat,open -e inject=openat,open:error=ENOENT:when=2 \
		-- /bin/busybox cat /etc/hostname /etc/hostname /etc/hostname >/dev/null 2>&1
	is "$(grep -c 'openat(AT_FDCWD, "/etc/hostname", O_RDONLY) *= 3$' "$tmp/st") $(grep -c 'ENOENT (No such file or directory) (INJECTED)$' "$tmp/st")" \
		"2 1" "static_program_injects_the_second_open_only" || diag_file "$tmp/st"
else
	skip "static_program_injects_the_second_open_only" "no static /bin/busybox (Debian: busybox-static)"
fi
done_testing
