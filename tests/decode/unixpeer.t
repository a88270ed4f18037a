#!/bin/bash
# SPDX-License-Identifier: MIT
#
# -yy: a UNIX socket's peer (UNIX-STREAM:[A->B]) as strace -yy prints it,
# on sockets closed right after their calls (tests/progs/unixpeer.c:
# stream and seqpacket connections by connect and accept, socketpairs).
# strace asks sock_diag while the program is stopped at the call; limen's
# runtime asks it at the call too (src/runtime/unixpeer.c). A collector
# asking when it prints the line finds these sockets gone: to make that
# certain rather than a matter of speed, limen's output goes to a pipe
# nobody reads until the program has closed every socket (its first call
# writes a trace line larger than the pipe, so the collector waits in
# write(2) before it prints any socket line). Then programs where the
# runtime may not make a socket of its own (tests/progs/peerrefused.c).
. "$(dirname "$0")/../lib.sh"
need_limen
command -v strace >/dev/null || skip_all "strace is not installed"
strace -o /dev/null true 2>/dev/null || skip_all "strace cannot trace here (no ptrace)"
prog=$(testbin unixpeer)
[ -x "$prog" ] || skip_all "tests/progs/unixpeer.c not built"
calls=socket,bind,listen,connect,accept,write,read,close,socketpair
big=100000

# the socket lines, with what differs between two runs replaced
norm() {
	trace_body "$1" | grep 'UNIX' |
		sed -E 's/limen-unixpeer-[0-9]+/NAME/g; s/[0-9]{5,}/INO/g'
}

strace -f -yy -o "$tmp/s" -e trace=$calls "$prog" "" >/dev/null 2>&1
mkfifo "$tmp/gate"
run_limen trace -yy -s $big --ring-size 1M -e trace=$calls \
	"$prog" "$tmp/gate" $big 2>&1 >/dev/null |
	{ read -r _ <"$tmp/gate"; cat >"$tmp/l"; }
norm "$tmp/s" >"$tmp/s.body"
norm "$tmp/l" >"$tmp/l.body"

ok_if "the program ran its sockets under limen" grep -q 'socketpair(' "$tmp/l"
if [ -s "$tmp/s.body" ] && cmp -s "$tmp/s.body" "$tmp/l.body"; then
	pass "-yy: peers of UNIX sockets closed right after the call as strace -yy"
else
	fail "-yy: peers of UNIX sockets closed right after the call" \
		"strace (-) and limen (+) differ:" \
		"$(diff -u "$tmp/s.body" "$tmp/l.body" | head -n 40)"
fi
ok_if "accept's new socket named with its peer, the connecting socket" \
	grep -Eq '^accept\(.* = 5<UNIX-STREAM:\[INO->INO,@"NAME-s"\]>$' "$tmp/l.body"
ok_if "a seqpacket socket named UNIX:[...] as strace" \
	grep -Eq '^socket\(AF_UNIX, SOCK_SEQPACKET, 0\) += 3<UNIX:\[INO\]>$' "$tmp/l.body"
ok_if "an abstract name printed @\"name\" as strace" \
	grep -q '^listen(3<UNIX-STREAM:\[INO,@"NAME-s"\]>, 1)' "$tmp/l.body"

# limen record keeps what the runtime found: limen report, long after the
# sockets are gone, prints the same lines
run_limen record -yy -o "$tmp/rec" -e trace=$calls "$prog" "" >/dev/null 2>&1
run_limen report "$tmp/rec" >"$tmp/r" 2>&1
norm "$tmp/r" >"$tmp/r.body"
if [ -s "$tmp/s.body" ] && cmp -s "$tmp/s.body" "$tmp/r.body"; then
	pass "record -yy, report: UNIX sockets' peers as strace -yy"
else
	fail "record -yy, report: UNIX sockets' peers" \
		"strace (-) and limen report (+) differ:" \
		"$(diff -u "$tmp/s.body" "$tmp/r.body" | head -n 40)"
fi

# Where the runtime may not have a socket of its own: a seccomp filter
# that kills on socket(AF_NETLINK) (the runtime must not make that call for
# the program, neither after the program installs the filter nor in an
# image that inherits it through exec), or no descriptor left.
sc=$(testbin peerrefused)
for how in "" exec full; do
	case $how in
	"") desc="a program whose seccomp filter kills socket(AF_NETLINK)" ;;
	exec) desc="a program that inherits through exec a seccomp filter killing socket(AF_NETLINK)" ;;
	full) desc="a program with no descriptor left" ;;
	esac
	desc="-yy: $desc runs as bare"
	if [ ! -x "$sc" ]; then
		skip "$desc" "tests/progs/peerrefused.c not built"
		continue
	fi
	"$sc" $how >"$tmp/b.out" 2>&1
	echo "status $?" >>"$tmp/b.out"
	run_limen trace -yy -o "$tmp/sc" "$sc" $how >"$tmp/l.out" 2>&1
	echo "status $?" >>"$tmp/l.out"
	if cmp -s "$tmp/b.out" "$tmp/l.out"; then
		pass "$desc"
	else
		fail "$desc" "bare (-) and limen (+) differ:" \
			"$(diff -u "$tmp/b.out" "$tmp/l.out")"
	fi
done
# no descriptor left: the collector asks sock_diag instead, and knows a
# socketpair's ends from its line
ok_if "-yy with no descriptor left: the socketpair's peer still shown" \
	grep -Eq 'write\(3<UNIX-STREAM:\[[0-9]+->[0-9]+\]>, "z", 1\)' "$tmp/sc"
done_testing
