#!/bin/bash
# SPDX-License-Identifier: MIT
#
# EXHAUSTIVENESS: tests/progs/exhaust issues a known number of distinctive
# system calls from different contexts (main thread, a second pthread, a
# signal handler, a fork child, a vfork child, run-time generated code, raw
# inline `syscall`, the vDSO's fallback). The trace must show every one of
# them exactly once, attributed to the right thread/process, in strace form.
# Where the kernel's tracefs is usable (root), the kernel's own count of
# those system calls (raw_syscalls:sys_enter) for the same program run bare
# is checked to be the same, so the expected numbers are not just our claim.
# Needs the runtime (fails until limen traces).
. "$(dirname "$0")/../lib.sh"
need_limen
xprog=$(testbin exhaust)
[ -x "$xprog" ] || skip_all "tests/progs/exhaust not built ($xprog)"

# name  x86_64 number  expected count  context (key in the pid file)
table="getppid 110 7 main
getpgid 121 5 thread
getsid 124 3 main
getuid 102 4 fork
getegid 108 2 vfork
getgid 104 6 main
geteuid 107 8 main
clock_gettime 228 9 main
sched_yield 24 11 main"

tr=$tmp/trace
{ run_limen trace -o "$tr" -- "$xprog" "$tmp/pids" >"$tmp/out" 2>"$tmp/err"; } 2>/dev/null
st=$?
if [ "$st" = 0 ] && [ "$(cat "$tmp/out")" = "done" ] && [ ! -s "$tmp/err" ]; then
	pass "exhaust runs under limen: status 0, prints done, nothing on stderr"
else
	fail "exhaust runs under limen: status 0, prints done, nothing on stderr" \
		"status $st" "stdout: $(head -c 300 "$tmp/out")" \
		"stderr: $(head -c 600 "$tmp/err")"
fi

pid_of() { sed -n "s/^$1 //p" "$2" 2>/dev/null; }
main=$(pid_of main "$tmp/pids")
thread=$(pid_of thread "$tmp/pids")
forkp=$(pid_of fork "$tmp/pids")
vforkp=$(pid_of vfork "$tmp/pids")
if [ -n "$main" ] && [ -n "$thread" ] && [ -n "$forkp" ] && [ -n "$vforkp" ] &&
	[ "$(printf '%s\n' "$main" "$thread" "$forkp" "$vforkp" | sort -u | wc -l)" = 4 ]; then
	pass "four distinct contexts: main $main, thread $thread, fork $forkp, vfork $vforkp"
else
	fail "four distinct contexts" "pid file: $(cat "$tmp/pids" 2>/dev/null)"
fi

if [ ! -s "$tr" ]; then
	fail "trace file written" "$tr is missing or empty"
fi

# sched_yield's site in glibc was rewritten (src/runtime/rewrite.c): its
# calls are counted above like every other context's
is "$(pid_of yield_site "$tmp/pids")" e9 \
	"sched_yield: glibc's site was rewritten to the fast path (e9)"

# Per system call: the count, and the thread ids the lines carry.
while read -r name nr want ctx; do
	got=$(count_calls "$tr" "$name")
	if [ "$got" = "$want" ]; then
		pass "$name: $want calls ($ctx)"
	else
		fail "$name: $want calls ($ctx)" "got $got" \
			"$(grep -E "^[0-9]+ +(${name}\(|<\.\.\. ${name} resumed)" "$tr" | head -n 20)"
	fi
	case $ctx in
	main) want_tid=$main ;;
	thread) want_tid=$thread ;;
	fork) want_tid=$forkp ;;
	vfork) want_tid=$vforkp ;;
	esac
	tids=$(tids_of "$tr" "$name" | tr '\n' ' ')
	is "${tids% }" "$want_tid" "$name lines carry the id of the $ctx context"
done <<<"$table"

# The thread and process ids really differ from the main thread's.
ok_if "getpgid thread id differs from the main getppid thread id" \
	test "$(tids_of "$tr" getpgid)" != "$(tids_of "$tr" getppid)"
ok_if "fork child's getuid comes from another process" \
	test "$(tids_of "$tr" getuid)" != "$(tids_of "$tr" getppid)"

# strace forms of the lines (no arguments / (0) / the clock id).
uid=$(id -u) euid=$(id -u) gid=$(id -g) egid=$(id -g)
check_all() { # NAME REGEX DESC: every NAME line matches REGEX (after trace_body)
	local lines bad
	lines=$(trace_body "$tr" | grep -E "^$1\(")
	bad=$(printf '%s\n' "$lines" | grep -v -E "$2")
	if [ -z "$lines" ]; then
		fail "$3" "no $1 lines in the trace"
	elif [ -n "$bad" ]; then
		fail "$3" "lines not matching /$2/:" "$(printf '%s\n' "$bad" | head -n 5)"
	else
		pass "$3"
	fi
}
check_all getppid '^getppid\(\) = [0-9]+$' "getppid() = PID"
check_all getpgid '^getpgid\(0\) = [0-9]+$' "getpgid(0) = PGID"
check_all getsid '^getsid\(0\) = [0-9]+$' "getsid(0) = SID"
check_all getuid "^getuid\\(\\) = $uid\$" "getuid() = $uid"
check_all geteuid "^geteuid\\(\\) = $euid\$" "geteuid() = $euid"
check_all getgid "^getgid\\(\\) = $gid\$" "getgid() = $gid"
check_all getegid "^getegid\\(\\) = $egid\$" "getegid() = $egid"
check_all clock_gettime \
	'^clock_gettime\(CLOCK_PROCESS_CPUTIME_ID, \{tv_sec=[0-9]+, tv_nsec=[0-9]+\}\) = 0$' \
	"clock_gettime(CLOCK_PROCESS_CPUTIME_ID, {tv_sec=N, tv_nsec=N}) = 0"

# --- more contexts: raw clone3 thread and fork-like child (tests/progs/clone3) --
prog=$(testbin clone3)
if [ -x "$prog" ]; then
	t=$tmp/clone3.trace
	{ run_limen trace -o "$t" -- "$prog" >"$tmp/c3.out" 2>&1; } 2>/dev/null
	is "$?" 0 "clone3: exit status 0 under limen"
	# The main thread is the one that made the clone3 calls.
	c3main=$(tids_of "$t" clone3)
	is "$(count_calls "$t" clone3)" 2 "clone3: both clone3 calls traced"
	# The raw thread: no libc, shares the parent's TLS, runs on its own stack.
	trace_join "$t" >"$tmp/clone3.joined"
	ctid=$(sed -n -E 's/^([0-9]+) +write\(1, "child\\n", 6.*/\1/p' "$tmp/clone3.joined" | sort -u)
	if [ -n "$ctid" ] && [ -n "$c3main" ] && [ "$ctid" != "$c3main" ]; then
		pass "clone3 thread: its write(1, \"child\\n\", 6) comes from its own tid"
		b=$(sed -n -E "s/^$ctid +//p" "$tmp/clone3.joined" | sed -E 's/\) +(= [^"]*)$/) \1/')
		ok_if "clone3 thread: getpid() = the main pid" \
			grep -q -x -F "getpid() = $c3main" <<<"$b"
		ok_if "clone3 thread: gettid() = its own tid" \
			grep -q -x -F "gettid() = $ctid" <<<"$b"
		ok_if "clone3 thread: exit(0) = ?" grep -q -x -F "exit(0) = ?" <<<"$b"
	else
		fail "clone3 thread: its write(1, \"child\\n\", 6) comes from its own tid" \
			"main '$c3main', writer '$ctid'" "$(tail -n 20 "$t")"
		for d in "getpid() = the main pid" "gettid() = its own tid" "exit(0) = ?"; do
			skip "clone3 thread: $d" "thread not found in the trace"
		done
	fi
	fpid=$(sed -n -E 's/^([0-9]+) +write\(1, "fork-like child\\n", 16.*/\1/p' "$tmp/clone3.joined" | sort -u)
	if [ -n "$fpid" ] && [ "$fpid" != "$c3main" ] && [ "$fpid" != "$ctid" ]; then
		pass "clone3 fork-like child: its write comes from another process"
		ok_if "clone3 fork-like child: exit_group(5) = ? and +++ exited with 5 +++" \
			test -n "$(grep -E "^$fpid +exit_group\(5\) += \?$" "$t")" -a \
			-n "$(grep -E "^$fpid +\+\+\+ exited with 5 \+\+\+$" "$t")"
	else
		fail "clone3 fork-like child: its write comes from another process" \
			"main '$c3main', writer '$fpid'"
		skip "clone3 fork-like child: exit_group(5)" "child not found in the trace"
	fi
else
	skip "clone3 contexts" "tests/progs/clone3 not built"
fi

# --- 8 threads x 100 opens at once (tests/progs/threads) -----------------------
# Calls overtaken by another thread print "<unfinished ...>" and resume later;
# each call must still be there exactly once, on the right thread.
prog=$(testbin threads)
if [ -x "$prog" ]; then
	t=$tmp/threads.trace
	run_limen trace -o "$t" -- "$prog" >"$tmp/th.out" 2>&1
	is "$?" 0 "threads: exit status 0 under limen"
	trace_join "$t" |
		sed -n -E 's/^([0-9]+) +openat\(AT_FDCWD, "\/etc\/hostname", O_RDONLY\|O_CLOEXEC\) += [0-9]+$/\1/p' | sort | uniq -c | awk '{ print $1 }' | sort | uniq -c |
		awk '{ printf "%s threads x %s\n", $1, $2 }' >"$tmp/th.got"
	echo "8 threads x 100" >"$tmp/th.want"
	same_file "$tmp/th.got" "$tmp/th.want" \
		"threads: openat(AT_FDCWD, \"/etc/hostname\", O_RDONLY|O_CLOEXEC) = N 100 times on each of 8 threads"
	unres=$(grep -c -E '<unfinished \.\.\.>$' "$t")
	res=$(grep -c -E '^[0-9]+ +<\.\.\. [a-z0-9_]+ resumed>' "$t")
	is "$res" "$unres" "threads: every <unfinished ...> has its <... resumed> ($unres)"
else
	skip "threads contexts" "tests/progs/threads not built"
fi

# --- the kernel's count (ftrace raw_syscalls:sys_enter) -----------------------
T=/sys/kernel/tracing
kernel_check() {
	local ev=$T/events/raw_syscalls/sys_enter
	[ "$(id -u)" = 0 ] || { kreason="not root"; return 1; }
	if [ ! -e "$T/events/raw_syscalls" ]; then
		[ -d "$T" ] || { kreason="no $T"; return 1; }
		mount -t tracefs nodev "$T" 2>/dev/null ||
			{ kreason="cannot mount tracefs on $T"; return 1; }
		at_exit "umount '$T' 2>/dev/null"
	fi
	[ -e "$ev/enable" ] || { kreason="no raw_syscalls events in $T"; return 1; }
	[ "$(cat "$ev/enable" 2>/dev/null)" = 0 ] ||
		{ kreason="raw_syscalls:sys_enter is already in use"; return 1; }
	local old_on ids
	old_on=$(cat "$T/tracing_on" 2>/dev/null) || { kreason="cannot read tracing_on"; return 1; }
	ids=$(awk '{ printf "%sid == %s", (NR > 1 ? " || " : ""), $2 }' <<<"$table")
	# Restore everything on exit, even if the test dies in between.
	at_exit "echo 0 > '$ev/enable'; echo 0 > '$ev/filter'; echo '$old_on' > '$T/tracing_on'"
	{ echo "($ids) && comm == \"exhaust\"" >"$ev/filter"; } 2>/dev/null ||
		{ kreason="cannot set an event filter"; return 1; }
	echo 0 >"$T/tracing_on" && : >"$T/trace" && echo 1 >"$ev/enable" &&
		echo 1 >"$T/tracing_on" || { kreason="cannot enable the event"; return 1; }
	"$xprog" "$tmp/kpids" >/dev/null 2>&1
	local kst=$?
	echo 0 >"$ev/enable"
	echo "$old_on" >"$T/tracing_on"
	echo 0 >"$ev/filter"
	grep -v '^#' "$T/trace" >"$tmp/ktrace"
	: >"$T/trace"
	[ "$kst" = 0 ] || { kreason="exhaust failed bare (status $kst)"; return 1; }
	return 0
}

kreason=
if kernel_check; then
	kmain=$(pid_of main "$tmp/kpids")
	kthread=$(pid_of thread "$tmp/kpids")
	kfork=$(pid_of fork "$tmp/kpids")
	kvfork=$(pid_of vfork "$tmp/kpids")
	# "  exhaust-4195  [001] .....  658.862140: sys_enter: NR 110 (7ff..., ...)"
	sed -n -E 's/^ *exhaust-([0-9]+) .* sys_enter: NR ([0-9]+) \(([0-9a-f]+),.*/\1 \2 \3/p' \
		"$tmp/ktrace" >"$tmp/kcalls"
	while read -r name nr want ctx; do
		kcount=$(awk -v nr="$nr" '$2 == nr' "$tmp/kcalls" | wc -l)
		lcount=$(count_calls "$tr" "$name")
		case $ctx in
		main) kt=$kmain ;; thread) kt=$kthread ;;
		fork) kt=$kfork ;; vfork) kt=$kvfork ;;
		esac
		ktids=$(awk -v nr="$nr" '$2 == nr { print $1 }' "$tmp/kcalls" | sort -u | tr '\n' ' ')
		if [ "$kcount" = "$want" ] && [ "$kcount" = "$lcount" ] &&
			[ "${ktids% }" = "$kt" ]; then
			pass "kernel agrees: $name $kcount calls from the $ctx context; limen shows $lcount"
		else
			fail "kernel agrees: $name" "kernel: $kcount calls from tids '${ktids% }'" \
				"expected: $want from $ctx ($kt); limen shows $lcount"
		fi
	done <<<"$table"
	# Every clock_gettime the kernel saw was for CLOCK_PROCESS_CPUTIME_ID (2).
	is "$(awk '$2 == 228 && $3 != "2"' "$tmp/kcalls" | wc -l)" 0 \
		"kernel: every clock_gettime was for CLOCK_PROCESS_CPUTIME_ID"
else
	skip "kernel cross-check (ftrace raw_syscalls)" "${kreason:-tracefs unusable}"
fi

done_testing
