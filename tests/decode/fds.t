#!/bin/bash
# SPDX-License-Identifier: MIT
#
# -y, -yy, --decode-fds: the "<...>" after each descriptor, against strace's
# on the same program (tests/progs/fds.c: a number closed and reopened on
# another file, dup2, fcntl F_DUPFD, fork, SCM_RIGHTS, poll, select, TCP,
# UDP, UNIX, netlink, /dev/null, a memfd, a pidfd; a directory with "<>"
# in its name), and across exec. The lines
# are compared from the program's first open on, with what differs between
# two runs (inodes, ports, pids) replaced; limen does not see signals the
# program does not catch (SIGCHLD), so those lines are left out. A UNIX
# socket's peer (UNIX-STREAM:[A->B]) is compared too: the runtime asks
# sock_diag at the call, as strace does (tests/decode/unixpeer.t makes sure
# of it on sockets closed right away).
. "$(dirname "$0")/../lib.sh"
need_limen
command -v strace >/dev/null || skip_all "strace is not installed"
strace -o /dev/null true 2>/dev/null || skip_all "strace cannot trace here (no ptrace)"
prog=$(testbin fds)
[ -x "$prog" ] || skip_all "tests/progs/fds.c not built"
dir="$tmp/d<x>"
mkdir "$dir" && echo one >"$dir/a<1>" && echo two >"$dir/b"
calls=openat,read,pread64,close,dup2,fcntl,memfd_create,poll,pselect6,write,socket,bind,listen,connect,accept,sendmsg,recvmsg,pidfd_open,getsockname,socketpair

# A pidfd's process comes from PIDFD_GET_INFO (Linux 6.13); before, limen
# shows anon_inode:[pidfd] where strace reads /proc's fdinfo: the pidfd's
# two lines are left out of the comparison there.
kv=$(uname -r | awk -F. '{ print $1 * 1000 + $2 }')
nopidfd() {
	if [ "$kv" -ge 6013 ]; then
		cat
	else
		awk '/^pidfd_open/ { skip = 2 } skip { skip--; next } { print }'
	fi
}

norm() {
	trace_body "$1" | sed -n '/b",/,$p' | grep -v '^--- SIG' | nopidfd |
		sed -E 's/\[[0-9]{5,}/[INO/g; s/->[0-9]{5,}/->INO/g;
			s/:[0-9]{4,5}([]>-])/:PORT\1/g; s/htons\([0-9]+\)/htons(PORT)/g;
			s/(pidfd_open\(|pid:|ROUTE:)[0-9]+/\1PID/g'
}

# compare DESC OPTIONS...: strace and limen with OPTIONS on fds.c
compare() {
	local desc=$1
	shift
	strace -f -o "$tmp/s" "$@" -e trace=$calls "$prog" "$dir" >/dev/null 2>&1
	run_limen trace -o "$tmp/l" "$@" -e trace=$calls "$prog" "$dir" >/dev/null 2>&1
	norm "$tmp/s" >"$tmp/s.body"
	norm "$tmp/l" >"$tmp/l.body"
	if [ -s "$tmp/s.body" ] && cmp -s "$tmp/s.body" "$tmp/l.body"; then
		pass "$desc"
	else
		fail "$desc" "strace (-) and limen (+) differ:" \
			"$(diff -u "$tmp/s.body" "$tmp/l.body" | head -n 40)"
	fi
}

compare "-yy: paths, sockets' endpoints, devices, pidfds as strace -yy" -yy
compare "-y: paths, socket:[INODE], anon_inode:[pidfd] as strace -y" -y
compare "--decode-fds=path" --decode-fds=path
compare "--decode-fds=socket: sockets only" --decode-fds=socket
compare "--decode-fds=dev: devices only" --decode-fds=dev
compare "--decode-fds=pidfd: pidfds only" --decode-fds=pidfd
compare "-e decode-fds=path,socket" -e decode-fds=path,socket
# Read with unfinished/resumed pairs joined, as the comparisons are; the
# descriptor numbers are the program's lowest free ones, not fixed here.
trace_body "$tmp/l" >"$tmp/l.joined"
ok_if "socketpair's ends named with each other as peer" \
	grep -Eq 'socketpair\(AF_UNIX, SOCK_STREAM, 0, \[[0-9]+<UNIX-STREAM:\[([0-9]+)->([0-9]+)\]>, [0-9]+<UNIX-STREAM:\[\2->\1\]>\]\) = 0' "$tmp/l.joined"
ok_if "a descriptor received over SCM_RIGHTS is named in cmsg_data" \
	grep -Eq 'cmsg_data=\[[0-9]+<.*/a\\0741\\76>\]' "$tmp/l.joined"

# across exec: the shell opens fd 5 and execs cat on it, the child's
# descriptors are the image's own
strace -f -y -o "$tmp/s" -e trace=read,close sh -c "exec 5<'$dir/b'; exec cat <&5" >/dev/null 2>&1
run_limen trace -y -o "$tmp/l" -e trace=read,close sh -c "exec 5<'$dir/b'; exec cat <&5" >/dev/null 2>&1
trace_body "$tmp/s" | grep '^read(0' >"$tmp/s.body"
trace_body "$tmp/l" | grep '^read(0' >"$tmp/l.body"
if [ -s "$tmp/s.body" ] && cmp -s "$tmp/s.body" "$tmp/l.body"; then
	pass "-y across exec: read(0</path>) in the exec'd cat as strace"
else
	fail "-y across exec" "$(diff -u "$tmp/s.body" "$tmp/l.body")"
fi

# without -y nothing changes
run_limen trace -o "$tmp/l" -e trace=read "$prog" "$dir" >/dev/null 2>&1
ok_if "without -y no descriptor is decorated" \
	bash -c "! grep -q '^[0-9]* *read([0-9]*<' '$tmp/l'"
done_testing
