#!/bin/bash
# SPDX-License-Identifier: MIT
#
# Rendering of every syscall family: each program of tests/progs/fam_*.c
# (see tests/syscalls/families.sh) runs under limen, once with the default
# -s 32 and again with each -s its family cuts at; every line it expects
# must appear in the trace, in order (other lines may come between): one
# check per expected line, plus the program's exit status.
#
#   fam_fs       open, read, write, stat, fcntl, dup, pipe, iovecs, names,
#                directories, errors (ENOENT, EBADF, EFAULT), -s 4
#   fam_ipc      System V shm/sem/msg: keys, flags and modes, commands, the
#                *_ds and *info structs, sembuf arrays, messages, -s 4
#   fam_memory   mmap, mprotect, madvise, msync, mlock, mincore, mremap, brk
#   fam_misc     poll/ppoll, select, pselect6's mask, flag bits without a
#                name (strace's "/* MLOCK_??? */"), epoll, eventfd2,
#                getrandom, memfd and seals, ioctl(FIONREAD), getgroups,
#                personality, arch_prctl
#   fam_more     struct arguments (sched_attr, timex, capabilities, mmsghdr,
#                iocb, file_handle, user_desc, perf_event_attr ...),
#                io_pgetevents' mask, syslog, keyctl
#   fam_network  AF_UNIX and AF_INET sockets, sendmsg/recvmsg, options
#   fam_process  ids, uname, rlimits, fork + wait4, waitid, kill, execve,
#                clone3, unshare and setns flags,
#                prctl, scheduling and priority
#   fam_prctl    prctl options' arguments (signals, capabilities, enums,
#                what PR_GET_* writes back, PR_SET_VMA's name, a seccomp
#                filter's sock_fprog), seccomp(2); filters and strict mode
#                in children
#   fam_signal   rt_sigaction, masks, deliveries with siginfo, the handler's
#                rt_sigreturn, sigsuspend, sigtimedwait, sigaltstack, signalfd
#   fam_time     clocks, time, sleeps, itimers, alarm, POSIX timers, timerfd
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/families.sh"
need_limen

progs=$(fam_programs)
[ -n "$progs" ] || skip_all "no tests/progs/fam_* built; run make first"
for prog in $progs; do
	fam=${prog##*/}
	why=$(fam_missing "$prog")
	if [ -n "$why" ]; then
		skip "$fam" "$why"
		continue
	fi
	run_fam "$fam" "$fam"
	for s in $(fam_strsizes "$fam"); do
		run_fam "$fam" "$fam-s$s" -s "$s"
	done
done
done_testing
