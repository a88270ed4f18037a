#!/bin/bash
# SPDX-License-Identifier: MIT
#
# Netlink messages decoded as strace decodes them: `ip addr`, `ip link`
# (NETLINK_ROUTE: RTM_GETLINK/RTM_GETADDR requests, RTM_NEWLINK/RTM_NEWADDR
# answers with their attributes, NLMSG_DONE), `ip route` (rtmsg) and `ss
# -tln` filtered to a
# listener of the test's own (NETLINK_SOCK_DIAG: SOCK_DIAG_BY_FAMILY with
# inet_diag_req_v2 and its bytecode attribute, inet_diag_msg answers), and
# setsockopt's SOL_NETLINK option names; every line of both traces, with
# what changes between two runs (sequence numbers, port ids, packet
# counters) replaced.
. "$(dirname "$0")/../lib.sh"
need_limen
command -v strace >/dev/null || skip_all "strace is not installed"
strace -o /dev/null true 2>/dev/null || skip_all "strace cannot trace here (no ptrace)"
command -v ip >/dev/null && command -v ss >/dev/null ||
	skip_all "iproute2 (ip, ss) is not installed"
calls=socket,bind,setsockopt,getsockopt,sendto,sendmsg,recvmsg,recvfrom

norm() {
	sed -E 's/ +=/ =/; s/nlmsg_seq=[0-9]+/nlmsg_seq=S/g;
		s/nlmsg_pid=-?[1-9][0-9]*/nlmsg_pid=P/g;
		s/((rx|tx)_[a-z_]+|multicast|collisions|idiag_expires)=[0-9]+/\1=N/g;
		s/ = [0-9]+$/ = R/' | grep -v '^+++'
}

compare() {
	local desc=$1
	shift
	strace -e trace=$calls "$@" 2>&1 >/dev/null | norm >"$tmp/s"
	run_limen trace -e trace=$calls "$@" 2>&1 >/dev/null | norm >"$tmp/l"
	if grep -q 'nlmsg_type=' "$tmp/s" && cmp -s "$tmp/s" "$tmp/l"; then
		pass "$desc"
	else
		fail "$desc" "strace (-) and limen (+) differ:" \
			"$(diff -u "$tmp/s" "$tmp/l" | cut -c1-600 | head -n 20)"
	fi
}

compare "ip addr: RTM_GETLINK, RTM_GETADDR and their answers as strace" ip addr
compare "ip link: RTM_NEWLINK's attributes (IFLA_*) as strace" ip link
compare "ip route: rtmsg and its attributes (RTA_*) as strace" ip route
compare "ip -6 route: IPv6 routes, RTA_CACHEINFO as strace" ip -6 route
ok_if "SOL_NETLINK options by name (NETLINK_EXT_ACK)" \
	grep -q 'setsockopt(3, SOL_NETLINK, NETLINK_EXT_ACK, \[1\], 4)' "$tmp/l"

# a listener of our own, so that ss's answer is known and stays the same
python3 -c '
import socket, sys, time
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen()
print(s.getsockname()[1], flush=True); sys.stdout.close(); time.sleep(20)
' >"$tmp/port" &
lpid=$!
at_exit "kill $lpid"
for _ in $(seq 50); do [ -s "$tmp/port" ] && break; sleep 0.1; done
port=$(cat "$tmp/port")
compare "ss -tln sport = :$port: SOCK_DIAG_BY_FAMILY, inet_diag_req_v2, INET_DIAG_REQ_BYTECODE, inet_diag_msg as strace" \
	ss -tln sport = :"$port"
ok_if "the listener's inet_diag_msg is decoded" \
	grep -q "idiag_state=TCP_LISTEN.*idiag_sport=htons($port)" "$tmp/l"

# ss -x (AF_UNIX: unix_diag_req, unix_diag_msg and UNIX_DIAG_*): what else
# listens changes from one run to the next, so the answers for two
# listeners of our own are compared, a path and an abstract name
python3 -c '
import socket, sys, time
s = socket.socket(socket.AF_UNIX); s.bind(sys.argv[1]); s.listen()
a = socket.socket(socket.AF_UNIX); a.bind(sys.argv[2].encode().replace(b"@", b"\0", 1)); a.listen()
print("ok", flush=True); sys.stdout.close(); time.sleep(20)
' "$tmp/u.sock" "@limen-test-$$" >"$tmp/uok" &
upid=$!
at_exit "kill $upid"
for _ in $(seq 50); do [ -s "$tmp/uok" ] && break; sleep 0.1; done
# the message about socket NAME (its unix_diag_msg and attributes)
about() {
	python3 -c '
import sys
t = open(sys.argv[1]).read()
i = t.find(sys.argv[2])
print(t[t.rfind("{udiag_family", 0, i):t.find("]]]", i) + 3] if i >= 0 else "")
' "$@"
}
strace -e trace=sendto,recvmsg -s 200 ss -lxe 2>"$tmp/s" >/dev/null
run_limen trace -e trace=sendto,recvmsg -s 200 ss -lxe 2>"$tmp/l" >/dev/null
for name in "$tmp/u.sock" "limen-test-$$"; do
	s=$(about "$tmp/s" "$name")
	l=$(about "$tmp/l" "$name")
	if [ -n "$s" ] && [ "$s" = "$l" ]; then
		pass "ss -lxe: the unix_diag_msg of $name as strace"
	else
		fail "ss -lxe: the unix_diag_msg of $name as strace" "strace: $s" "limen:  $l"
	fi
done
req() { grep '^sendto' "$1" | norm; }
s=$(req "$tmp/s")
ok_if "ss -lxe: the unix_diag_req as strace" \
	test -n "$s" -a "$s" = "$(req "$tmp/l")"
done_testing
