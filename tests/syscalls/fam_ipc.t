#!/bin/bash
# SPDX-License-Identifier: MIT
#
# System V IPC family: shmget shmat shmctl shmdt, semget semop semtimedop
# semctl, msgget msgsnd msgrcv msgctl: keys (IPC_PRIVATE, hex), flags with
# the mode in octal, commands (IPC_64|, unknown ones), the structs of
# IPC_STAT/IPC_SET/IPC_INFO/SHM_INFO/MSG_INFO, sembuf arrays, messages cut by
# -s (run twice: default -s 32, then -s 4), errors (EFAULT, EINVAL, ENOMSG).
#
# tests/progs/fam_ipc.c makes each call with raw syscall() and known
# arguments, and writes the exact line limen must print for it (strace's
# rendering, checked against strace 6.1) to an expected file. Every expected
# line must appear in the trace, in order (other lines may come between):
# one check per expected line. The program checks the results of its own
# calls and exits non-zero if one did not behave as assumed; it removes
# every IPC object it makes.
. "$(dirname "$0")/../lib.sh"
need_limen

prog=$(testbin fam_ipc)
[ -x "$prog" ] || skip_all "fam_ipc not built; run make first"
"$prog" "$tmp/probe" "$tmp/probe.exp" >/dev/null 2>&1
[ $? = 77 ] && skip_all "no System V IPC in this kernel"

run_fam fam_ipc default
run_fam fam_ipc s4 -s 4
done_testing
