#!/bin/bash
# SPDX-License-Identifier: MIT
#
# Network family: AF_UNIX stream sockets (bind, listen, connect, accept4,
# getsockname/getpeername, sendto/recvfrom, sendmsg/recvmsg, shutdown),
# socketpair, AF_INET UDP (sockaddr_in), a sockaddr_in6, socket options, errors.
#
# tests/progs/fam_network.c makes each call with raw syscall() and known
# arguments, and writes the exact line limen must print for it (strace's
# rendering, checked against strace 6.1) to an expected file. Every expected
# line must appear in the trace, in order (other lines may come between):
# one check per expected line. The program checks the results of its own
# calls and exits non-zero if one did not behave as assumed.
. "$(dirname "$0")/../lib.sh"
need_limen

prog=$(testbin fam_network)
[ -x "$prog" ] || skip_all "fam_network not built; run make first"

run_fam fam_network default
done_testing
