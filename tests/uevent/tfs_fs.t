#!/bin/bash
# SPDX-License-Identifier: MIT
#
# The tracefs files of user_events as a file system, inside the traced tree
# where the kernel has none: what stat, access, the xattr calls and
# getdents64 say of them (what a tracefs of a kernel with user_events
# says: the modes the kernel creates them with), paths relative to an
# event's directory descriptor and to a working directory inside it (kept
# across exec), available_events and set_event
# (tests/progs/uevent_tfs_fs.c); then ls, stat, test, find and cd of
# coreutils and busybox driving them. The bare machine has no user_events,
# so the expectations are the kernel's, not a bare run's.
. "$(dirname "$0")/../lib.sh"
need_limen
prog=$(testbin uevent_tfs_fs)

need_emulated_user_events
if [ -e /sys/kernel/tracing ] && ! [ -x /sys/kernel/tracing ]; then
	skip_all "the tracefs mounted here is not this user's (EACCES, as with user_events)"
fi

(cd "$tmp" && limen_trace "$tmp/t" -e trace=none -- "$prog") \
	>"$tmp/out" 2>"$tmp/err" </dev/null
val() { grep -m1 "^$1=" "$tmp/out" | cut -d= -f2-; }

# probing
is "$(val dir_before)" "ENOENT" "events/user_events/ does not exist before an event does"
is "$(val access_data_w)" "0" "access(user_events_data, W_OK) finds it"
is "$(val access_data_rw)" "0" "access(user_events_data, R_OK|W_OK) finds it"
is "$(val access_status_r)" "0" "access(user_events_status, R_OK) finds it"
is "$(val access_dir_x)" "0" "an event's directory can be searched (X_OK)"
is "$(val access_none)" "ENOENT" "access of an event not registered: ENOENT"
is "$(val faccessat2_enable)" "0" "faccessat2(AT_EACCESS) of an enable file, W_OK"
# tracefs: TRACE_MODE_WRITE 0640, TRACE_MODE_READ 0440, eventfs dirs 0755
is "$(val stat_data)" "f0640 n1 s0" "stat user_events_data: a regular file 0640 (TRACE_MODE_WRITE), size 0"
is "$(val stat_status)" "f0440 n1 s0" "stat user_events_status: a regular file 0440 (TRACE_MODE_READ)"
is "$(val stat_sysdir)" "d0755 n1 s0" "stat events/user_events: a directory 0755"
is "$(val stat_sys_enable)" "f0640 n1 s0" "stat events/user_events/enable: 0640"
is "$(val stat_evdir)" "d0755 n1 s0" "stat events/user_events/NAME: a directory 0755"
is "$(val stat_enable)" "f0640 n1 s0" "stat of an event's enable: 0640"
is "$(val stat_format)" "f0440 n1 s0" "stat of an event's format: 0440"
is "$(val stat_id)" "f0440 n1 s0" "stat of an event's id: 0440"
is "$(val stat_debug_prefix)" "f0440 n1 s0" "stat under /sys/kernel/debug/tracing/ as well"
is "$(val stat_dotdot)" "f0640 n1 s0" "stat resolves . and .. through the emulated directories"
is "$(val stat_no_event)" "ENOENT" "stat of an event not registered: ENOENT"
is "$(val lstat_format)" "f0440 n1 s0" "lstat says the same"
is "$(val statx_format)" "f0440 n1 s0" "statx says the same"
is "$(val lgetxattr)" "EOPNOTSUPP" "lgetxattr: EOPNOTSUPP, as tracefs (ls -l asks it)"
is "$(val listxattr)" "0" "listxattr: none"
is "$(val fstat_enable)" "f0640 n1 s0 same_ino=1" "fstat of an open enable file is stat of its path"
is "$(val fstat_data)" "f0640 n1 s0 same_ino=1" "fstat of an open user_events_data is stat of its path"

# relative to an event's directory descriptor
is "$(val fstat_dir)" "d0755 n1 s0 same_ino=1" "fstat of an event's directory descriptor is stat of its path"
is "$(val openat_enable)" "0" "openat(dirfd, \"enable\") opens the event's enable file"
is "$(val openat_id)" "2000" "openat(dirfd, \"./id\")"
is "$(val openat_dotdot)" "2000" "openat(dirfd, \"../NAME/id\") goes through the system's directory"
is "$(val openat_none)" "ENOENT" "openat(dirfd, a name it does not have): ENOENT"
is "$(val fstatat_format)" "f0440 n1 s0" "fstatat(dirfd, \"format\")"
is "$(val fstatat_dot)" "d0755 n1 s0" "fstatat(dirfd, \".\") is the directory"
is "$(val fstatat_up)" "d0755 n1 s0" "fstatat(dirfd, \"..\") is events/user_events"
is "$(val faccessat_id_w)" "root-or-0" "faccessat(dirfd, \"id\", W_OK): EACCES but for root, as a 0440 file"
is "$(val faccessat_enable_w)" "0" "faccessat(dirfd, \"enable\", W_OK)"
is "$(val dirent_ino)" "1 of 4" "getdents64's inode numbers are those stat says"

# a working directory inside
is "$(val fchdir)" "0" "fchdir to an event's directory descriptor"
is "$(val getcwd)" "/sys/kernel/tracing/events/user_events/fsev" "getcwd names it"
is "$(val cwd_id)" "2000" "a relative open in it opens the event's file"
is "$(val cwd_stat_dot)" "d0755 n1 s0" "stat(\".\") in it is the directory"
is "$(val chdir_file)" "ENOTDIR" "chdir to a file in it: ENOTDIR"
ok_if "a child exec'd there opens a relative path (the working directory kept across exec)" \
	grep -qx 'print fmt: "count=%u msg=%s", REC->count, REC->msg' "$tmp/out"
is "$(val chdir_up)" "0" "chdir(\"..\") from it"
is "$(val getcwd_up)" "/sys/kernel/tracing/events/user_events" "getcwd after chdir(\"..\")"
is "$(val up_enable)" "f0640 n1 s0" "the system's enable file relative to it"
is "$(val chdir_back)" "0" "chdir into the event's directory by a relative name"
is "$(val back_id)" "2000" "and open relative to it again"
is "$(val chdir_real)" "0" "chdir to a real directory"
is "$(val getcwd_real)" "/tmp" "getcwd is the kernel's again"

# available_events, set_event
is "$(val available_first)" "user_events:fsev" "available_events lists user_events:NAME first, as the kernel adds it at the head"
is "$(val set_event_empty)" "[]" "set_event lists no event enabled"
is "$(val set_event_on)" "ok" "writing user_events:NAME to set_event"
is "$(val set_event_list)" "user_events:fsev" "set_event lists it"
is "$(val set_event_enable)" "1" "the event's enable file reads 1 after set_event enabled it"
is "$(val set_event_off)" "ok" "writing !user_events:NAME"
is "$(val set_event_enable_off)" "0" "disables it"
is "$(val set_event_system)" "ok" "writing the system's name alone"
is "$(val set_event_system_enable)" "1" "enables its events"
is "$(val set_event_trunc)" "ok" "opening set_event with O_TRUNC"
is "$(val set_event_trunc_enable)" "0" "disables every event, as ftrace_clear_events"
is "$(val set_event_from_enable)" "user_events:fsev" "set_event lists an event an enable file turned on"
is "$(val set_event_unknown)" "EINVAL" "set_event of an event that does not exist: EINVAL, as the kernel"

# coreutils and busybox (its checks skipped, saying so, where it is not
# installed)
have_bb=$(command -v busybox)
bb_is() {
	if [ -n "$have_bb" ]; then
		is "$@"
	else
		skip "$3" "busybox is not installed (Debian: busybox-static)"
	fi
}
cat >"$tmp/sh" <<'EOF'
T=/sys/kernel/tracing
echo 'u:shev u32 count' > $T/dynamic_events || exit 1
echo "ls:"; ls -l $T/events/user_events/shev | awk 'NR > 1 {print $1, $2, $5, $NF}'
echo "ls_d:"; ls -ld $T/user_events_data $T/user_events_status $T/events/user_events $T/events/user_events/shev | awk '{print $1, $2, $5, $NF}' | sort -k4
echo "stat:"; stat -c '%A %h %s %F %n' $T/user_events_data $T/events/user_events/shev/format $T/events/user_events/shev
echo "test:"; test -e $T/user_events_data && test -w $T/user_events_data && test -f $T/user_events_status && test -d $T/events/user_events/shev && ! test -e $T/events/user_events/nosuch && echo ok
echo "find:"; find $T/events/user_events | sort
echo "cd:"; (cd $T/events/user_events/shev && pwd && /bin/pwd && cat id && ls && ls .. && cd .. && ls -d shev)
echo "bb_ls:"; busybox ls -l $T/events/user_events/shev | awk 'NR > 1 {print $1, $2, $5, $NF}'
echo "bb_stat:"; busybox stat -c '%A %h %s %F %n' $T/user_events_data $T/events/user_events/shev
echo "bb_find:"; busybox find $T/events/user_events -type f | sort
echo "bb_test:"; busybox test -w $T/user_events_data && echo ok
echo "bb_cd:"; (cd $T/events/user_events/shev && busybox cat id && busybox ls)
echo "ls_top:"; ls $T | grep '^user_events'
echo "ls_events:"; ls $T/events | grep '^user_events$'
echo "find_top:"; find $T -maxdepth 1 -name 'user_events*' | sort
echo "bb_ls_top:"; busybox ls $T | grep '^user_events'
echo "end:"
EOF
[ -n "$have_bb" ] || sed -i '/busybox/d' "$tmp/sh"
(cd "$tmp" && limen_trace "$tmp/t2" -e trace=none -- bash "$tmp/sh") \
	>"$tmp/sh.out" 2>"$tmp/sh.err" </dev/null
section() {
	awk -v s="$1:" '$0 == s {on = 1; next} on && /^[a-z_]+:$/ {exit} on {print}' "$tmp/sh.out"
}
is "$(cat "$tmp/sh.err")" "" "coreutils and busybox say nothing on stderr"
is "$(section ls)" "-rw-r----- 1 0 enable
-rw-r----- 1 0 filter
-r--r----- 1 0 format
-r--r----- 1 0 id" "ls -l of an event's directory shows its files as the kernel's"
is "$(section ls_d)" "drwxr-xr-x 1 0 /sys/kernel/tracing/events/user_events
drwxr-xr-x 1 0 /sys/kernel/tracing/events/user_events/shev
-rw-r----- 1 0 /sys/kernel/tracing/user_events_data
-r--r----- 1 0 /sys/kernel/tracing/user_events_status" "ls -ld of the files and directories"
is "$(section stat)" "-rw-r----- 1 0 regular empty file /sys/kernel/tracing/user_events_data
-r--r----- 1 0 regular empty file /sys/kernel/tracing/events/user_events/shev/format
drwxr-xr-x 1 0 directory /sys/kernel/tracing/events/user_events/shev" "stat(1)"
is "$(section test)" "ok" "test -e, -w, -f, -d"
is "$(section find)" "/sys/kernel/tracing/events/user_events
/sys/kernel/tracing/events/user_events/enable
/sys/kernel/tracing/events/user_events/shev
/sys/kernel/tracing/events/user_events/shev/enable
/sys/kernel/tracing/events/user_events/shev/filter
/sys/kernel/tracing/events/user_events/shev/format
/sys/kernel/tracing/events/user_events/shev/id" "find lists the system's directory"
is "$(section cd)" "/sys/kernel/tracing/events/user_events/shev
/sys/kernel/tracing/events/user_events/shev
2000
enable
filter
format
id
enable
shev
shev" "cd into an event's directory: pwd, /bin/pwd, cat and ls of relative paths, cd .."
bb_is "$(section bb_ls)" "-rw-r----- 1 0 enable
-rw-r----- 1 0 filter
-r--r----- 1 0 format
-r--r----- 1 0 id" "busybox ls -l"
bb_is "$(section bb_stat)" "-rw-r----- 1 0 regular empty file /sys/kernel/tracing/user_events_data
drwxr-xr-x 1 0 directory /sys/kernel/tracing/events/user_events/shev" "busybox stat"
bb_is "$(section bb_find)" "/sys/kernel/tracing/events/user_events/enable
/sys/kernel/tracing/events/user_events/shev/enable
/sys/kernel/tracing/events/user_events/shev/filter
/sys/kernel/tracing/events/user_events/shev/format
/sys/kernel/tracing/events/user_events/shev/id" "busybox find -type f"
bb_is "$(section bb_test)" "ok" "busybox test -w"
bb_is "$(section bb_cd)" "2000
enable
filter
format
id" "busybox cat and ls in an event's directory"
is "$(section ls_top)" "user_events_data
user_events_status" "ls of the tracefs's top lists user_events_data and user_events_status"
is "$(section ls_events)" "user_events" "ls of events/ lists user_events"
is "$(section find_top)" "/sys/kernel/tracing/user_events_data
/sys/kernel/tracing/user_events_status" "find from the tracefs's top finds them"
bb_is "$(section bb_ls_top)" "user_events_data
user_events_status" "busybox ls of the tracefs's top lists them"

# no tracefs mounted at all (most containers): a mount namespace of its
# own without it (private: the machine's mounts stay), where the emulated
# files are the only ones
st=1
if [ "$(id -u)" = 0 ] && unshare -m --propagation private true 2>/dev/null; then
	cat >"$tmp/sh2" <<'EOF'
T=/sys/kernel/tracing
echo 'u:nm u32 count' > $T/dynamic_events || exit 1
echo "top:"; ls $T
echo "find:"; find $T/events | sort
echo "stat:"; stat -c '%A %F %n' $T/events $T/events/user_events/nm/id
echo "cd:"; cd $T/events/user_events && ls && cd nm && cat id && cd ../.. && pwd && ls
echo "end:"
EOF
	unshare -m --propagation private sh -c '
		umount /sys/kernel/debug/tracing 2>/dev/null
		umount /sys/kernel/tracing 2>/dev/null
		[ -e /sys/kernel/tracing/trace ] && exit 3
		cd "$1" && "$LIMEN" trace -o "$1/t3" -e trace=none -- bash "$1/sh2"' \
		sh "$tmp" >"$tmp/sh.out" 2>"$tmp/sh.err" </dev/null
	st=$?
fi
if [ "$st" = 0 ]; then
	is "$(cat "$tmp/sh.err")" "" "without a tracefs: nothing on stderr"
	is "$(section top)" "available_events
dynamic_events
events
set_event
trace
trace_pipe
tracing_on
user_events_data
user_events_status" "without a tracefs: ls of its place lists the emulated files"
	is "$(section find)" "/sys/kernel/tracing/events
/sys/kernel/tracing/events/user_events
/sys/kernel/tracing/events/user_events/enable
/sys/kernel/tracing/events/user_events/nm
/sys/kernel/tracing/events/user_events/nm/enable
/sys/kernel/tracing/events/user_events/nm/filter
/sys/kernel/tracing/events/user_events/nm/format
/sys/kernel/tracing/events/user_events/nm/id" "without a tracefs: find lists events/ and user_events/"
	is "$(section stat)" "drwxr-xr-x directory /sys/kernel/tracing/events
-r--r----- regular empty file /sys/kernel/tracing/events/user_events/nm/id" "without a tracefs: stat of events/ and an event's id"
	is "$(section cd)" "enable
nm
2000
/sys/kernel/tracing/events
user_events" "without a tracefs: cd through events/, ls, cat, cd .."
else
	skip "without a tracefs mounted" "needs root and unshare -m to unmount it privately (status $st)"
fi
done_testing
