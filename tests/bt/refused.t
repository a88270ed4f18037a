#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# What limen bt does not run is refused before the command starts, with an
# error naming the construct (never silently ignored): each construct of
# bpftrace's language outside limen's subset, and each misuse the checker
# catches, with its message and where it is.
. "$(dirname "$0")/../lib.sh"
need_limen

# program <TAB> the message (after "limen: bt: -e: LINE:COL: ")
cases=$(cat <<'CASES'
kprobe:vfs_read { @ = count(); }	1:1: 'kprobe' probes are not supported: limen bt sees system calls only (tracepoint:syscalls:..., tracepoint:raw_syscalls:..., BEGIN, END, interval)
kretprobe:vfs_read { @ = count(); }	1:1: 'kretprobe' probes are not supported: limen bt sees system calls only (tracepoint:syscalls:..., tracepoint:raw_syscalls:..., BEGIN, END, interval)
uprobe:/bin/bash:readline { @ = count(); }	1:1: 'uprobe' probes are not supported: limen bt sees system calls only (tracepoint:syscalls:..., tracepoint:raw_syscalls:..., BEGIN, END, interval)
uretprobe:/bin/bash:readline { @ = count(); }	1:1: 'uretprobe' probes are not supported: limen bt sees system calls only (tracepoint:syscalls:..., tracepoint:raw_syscalls:..., BEGIN, END, interval)
usdt:/bin/x:p:q { @ = count(); }	1:1: 'usdt' probes are not supported: limen bt sees system calls only (tracepoint:syscalls:..., tracepoint:raw_syscalls:..., BEGIN, END, interval)
profile:hz:99 { @ = count(); }	1:1: 'profile' probes are not supported: limen bt sees system calls only (tracepoint:syscalls:..., tracepoint:raw_syscalls:..., BEGIN, END, interval)
software:faults:1 { @ = count(); }	1:1: 'software' probes are not supported: limen bt sees system calls only (tracepoint:syscalls:..., tracepoint:raw_syscalls:..., BEGIN, END, interval)
hardware:cache-misses:1000 { @ = count(); }	1:1: 'hardware' probes are not supported: limen bt sees system calls only (tracepoint:syscalls:..., tracepoint:raw_syscalls:..., BEGIN, END, interval)
watchpoint:0x1000:8:w { @ = count(); }	1:1: 'watchpoint' probes are not supported: limen bt sees system calls only (tracepoint:syscalls:..., tracepoint:raw_syscalls:..., BEGIN, END, interval)
kfunc:vfs_read { @ = count(); }	1:1: 'kfunc' probes are not supported: limen bt sees system calls only (tracepoint:syscalls:..., tracepoint:raw_syscalls:..., BEGIN, END, interval)
iter:task { @ = count(); }	1:1: 'iter' probes are not supported: limen bt sees system calls only (tracepoint:syscalls:..., tracepoint:raw_syscalls:..., BEGIN, END, interval)
rawtracepoint:sys_enter { @ = count(); }	1:1: 'rawtracepoint' probes are not supported: limen bt sees system calls only (tracepoint:syscalls:..., tracepoint:raw_syscalls:..., BEGIN, END, interval)
tracepoint:sched:sched_switch { @ = count(); }	1:1: 'tracepoint:sched:sched_switch' is not a system call's tracepoint: limen bt sees system calls only (tracepoint:syscalls:..., tracepoint:raw_syscalls:...)
tracepoint:syscalls:sys_enter_nosuch { @ = count(); }	1:1: no system call's tracepoint matches 'tracepoint:syscalls:sys_enter_nosuch'
interval:m:1 { exit(); }	1:1: 'interval:m:1': interval units are s, ms, us, hz
#include <linux/fs.h>	1:1: preprocessor directives (#include, #define) are not supported
struct x { int a; }	1:1: type definitions (struct, union, enum) are not supported
config = { max_map_keys = 1 } BEGIN { }	1:1: config blocks are not supported
BEGIN { @ = cpu; }	1:13: 'cpu' is not supported: limen does not record the CPU a call ran on
BEGIN { @ = uid; }	1:13: 'uid' is not supported: limen does not record credentials with each call
BEGIN { @ = gid; }	1:13: 'gid' is not supported: limen does not record credentials with each call
BEGIN { @[username] = count(); }	1:11: 'username' is not supported: limen does not record credentials with each call
BEGIN { @ = cgroup; }	1:13: 'cgroup' is not supported: limen does not record cgroups
BEGIN { @[kstack] = count(); }	1:11: 'kstack' is not supported: limen sees no kernel stacks
BEGIN { @[ustack] = count(); }	1:11: 'ustack' is not supported: user stacks are not recorded with each call
BEGIN { @[func] = count(); }	1:11: 'func' is not supported: it names a kprobe's or uprobe's function; limen's probes are system calls (probe names them)
BEGIN { @ = curtask; }	1:13: 'curtask' is not supported: limen has no kernel task struct
BEGIN { @ = rand; }	1:13: 'rand' is not supported: not in limen's subset
t:syscalls:sys_enter_read { @ = arg0; }	1:33: 'arg0' is not supported: it is a kprobe's register argument; a system call's arguments are args.NAME
BEGIN { system("ls"); }	1:9: the function system() is not supported by limen bt
BEGIN { cat("/etc/passwd"); }	1:9: the function cat() is not supported by limen bt
BEGIN { signal(9); }	1:9: the function signal() is not supported by limen bt
BEGIN { override(1); }	1:9: the function override() is not supported by limen bt
BEGIN { @[ksym(1)] = count(); }	1:11: the function ksym() is not supported by limen bt
BEGIN { @[usym(1)] = count(); }	1:11: the function usym() is not supported by limen bt
BEGIN { printf("%s", ntop(1)); }	1:22: the function ntop() is not supported by limen bt
BEGIN { @ = reg("ip"); }	1:13: the function reg() is not supported by limen bt
BEGIN { printf("%s", strftime("%H", 1)); }	1:22: the function strftime() is not supported by limen bt
BEGIN { @ = sizeof(int); }	1:13: 'sizeof' is not supported: types and structs are not in limen's subset
BEGIN { @ = nosuch(1); }	1:13: unknown function nosuch()
BEGIN { @ = nosuch; }	1:13: unknown identifier 'nosuch'
BEGIN { @ = (char)300; }	1:14: casts to char are not supported (only int8 ... uint64, as bpftrace)
BEGIN { @ = (int8)"ab"; }	1:19: casts are for numbers
BEGIN { @ = (1, 2); }	1:15: tuples ((a, b)) are not supported
t:syscalls:sys_enter_openat { @ = *args.filename; }	1:35: pointer dereference (*) is not supported: str() and buf() read what limen captured
BEGIN { $x = 1; @ = &$x; }	1:21: taking an address (&) is not supported
BEGIN { $x = 1; @ = $x.foo; }	1:23: field access on anything but args is not supported (no structs)
BEGIN { $x = 1; @ = $x[0]; }	1:23: indexing is not supported (only maps, and args.args[N] of raw_syscalls)
BEGIN { @ = $1; }	1:13: positional parameters ($1) are not supported: limen bt takes the command after --
BEGIN { for ($i : 0..3) { } }	1:9: for loops are not supported (unroll and while are)
BEGIN { while (1) { break; } }	1:21: 'break' is not supported by limen bt
BEGIN { count(); }	1:9: count() must be assigned to a map: @x = count(...)
BEGIN { $x = hist(1); }	1:14: hist() must be assigned to a map
BEGIN { @ = args.fd; }	1:13: args.fd: there are no args in this probe (BEGIN, END, interval)
t:syscalls:sys_enter_openat { @ = args.nosuch; }	1:35: sys_enter_openat has no field 'nosuch'
t:syscalls:sys_enter_* { @[args.fd] = count(); }	1:28: sys_enter_open has no field 'fd'
t:syscalls:sys_exit_openat { @ = args.filename; }	1:34: sys_exit tracepoints have the fields __syscall_nr and ret, not 'filename'
t:syscalls:sys_enter_read { @ = retval; }	1:33: retval is known at a sys_exit probe only
t:raw_syscalls:sys_enter { @ = args.ret; }	1:32: raw_syscalls has no field 'ret' (id, args[N] at sys_enter, ret at sys_exit)
BEGIN { @ = "a" < "b"; }	1:17: strings compare with == and != only (or strncmp)
BEGIN { @ = "a" + 1; }	1:17: strings compare with == and != only (or strncmp)
BEGIN { printf("%f\n", 1); }	1:9: printf: the conversion '%f' is not supported (d i u o x X c s r p)
BEGIN { printf("%d\n"); }	1:9: printf: fewer arguments than conversions
BEGIN { printf("%d\n", "s"); }	1:24: printf: this conversion wants a number
BEGIN { @c[1] = count(); print(@c, 1, 2); }	1:26: print(@map, top, div) is not supported: print(@map) prints it whole
BEGIN { exit(1); }	1:9: exit() takes no argument in bpftrace 0.17
t:syscalls:sys_enter_read { print(args); }	1:35: args as a whole is not supported: name a field (args.NAME)
BEGIN { @h = hist(1); @x = @h; }	1:28: @h: a stats(), hist() or lhist() map has no value to read
BEGIN { @h = hist(1); @h = count(); }	1:23: @h: assigned count() here, hist() before
BEGIN { @m[1] = 1; @m[1, 2] = 2; }	1:20: @m: used with a different number of keys
BEGIN { @l = lhist(1, 0, 10, 0); }	1:14: lhist(): step > 0, max > min, at most 1000 buckets
BEGIN { @l = lhist(1, -10, 10, 5); }	1:14: lhist(): min must be non-negative (as in bpftrace)
BEGIN { $x++; }	1:11: $x: ++ and -- need a number assigned before
BEGIN { @ = $y; }	1:13: $y is used before it is assigned
BEGIN { 1 + 2; }	1:9: this statement does nothing (a call, an assignment, ++ or --)
BEGIN { @x = 1	1:15: '}' missing at the end of the program
BEGIN { printf("a\n") }}	1:24: expected a probe, found '}'
CASES
)
n=$(grep -c . <<<"$cases")
plan $((n + 1))
while IFS=$'\t' read -r prog want; do
	out=$(run_limen bt -e "$prog" -- touch "$tmp/ran" 2>&1)
	st=$?
	is "$st:$out" "1:limen: bt: -e: $want" "refused: $prog"
done <<<"$cases"
ok_if "a_refused_program_never_runs_the_command" test ! -e "$tmp/ran"
