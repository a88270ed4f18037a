#!/bin/bash
# SPDX-License-Identifier: MIT
#
# More family: struct arguments (sched_attr, timex, capabilities, mmsghdr,
# iocb, io_event, utimbuf, file_handle, user_desc, mq_attr, perf_event_attr,
# futex_waitv, cachestat, mnt_id_req, landlock, mount_attr), syslog, keyctl.
#
# tests/progs/fam_more.c makes each call with raw syscall() and known
# arguments, and writes the exact line limen must print for it (strace's
# rendering, checked against strace 6.1) to an expected file. Every expected
# line must appear in the trace, in order (other lines may come between):
# one check per expected line. The program checks the results of its own
# calls and exits non-zero if one did not behave as assumed.
. "$(dirname "$0")/../lib.sh"
need_limen

prog=$(testbin fam_more)
[ -x "$prog" ] || skip_all "fam_more not built; run make first"

run_fam fam_more default
done_testing
