#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# comm at an execve, as the kernel has it then (and bpftrace shows it): at
# the command's own execve's entry, the caller's name (limen's vfork child:
# limen's comm, as bpftrace -c shows "bpftrace"), from its exit on the new
# program's; a failed execve changes nothing.
. "$(dirname "$0")/../lib.sh"
need_limen
sh=$(command -v sh)
me=$(basename "$LIMEN" | cut -c1-15)

out=$(run_limen bt -e 't:syscalls:sys_enter_execve { printf("enter %s %s\n", comm, str(args->filename)); } t:syscalls:sys_exit_execve { printf("exit %s %d\n", comm, args->ret); }' -- "$sh" -c '/bin/true; exec /nonexistent' 2>/dev/null)
is "$(sed -n 1,2p <<<"$out")" "enter $me $sh
exit sh 0" "the command's execve is entered under the caller's comm, left under the new one"
is "$(sed -n 3,6p <<<"$out")" "enter sh /bin/true
exit true 0
enter sh /nonexistent
exit sh -2" "a child's execve: the shell's comm at entry, the new one at exit, none after a failure"
out=$(run_limen bt -e 't:raw_syscalls:sys_enter /args.id == 59 && comm == "sh"/ { @ = count(); }' -- "$sh" -c '/bin/true; true')
is "$(grep @ <<<"$out")" "@: 1" "comm == \"sh\" counts the shell's own exec, not the one that started it"
done_testing
