#!/bin/bash
# SPDX-License-Identifier: MIT
#
# Nested Syscall User Dispatch: a program's own
# prctl(PR_SET_SYSCALL_USER_DISPATCH, ...) works under limen as the kernel
# documents it (Documentation/admin-guide/syscall-user-dispatch.rst), while
# limen traces every call it makes. tests/progs/nsud.c does one behaviour
# per argument and prints what it saw; each run under limen must match the
# bare run (output and exit status), and the trace must show what strace
# shows: the program's SIGSYS with si_code=SYS_USER_DISPATCH and no line
# for the call that was dispatched instead of made.
. "$(dirname "$0")/../lib.sh"
need_limen
prog=$(testbin nsud)
[ -x "$prog" ] || skip_all "$prog not built; run make first"
# the kernel refuses SUD (no CONFIG_GENERIC_ENTRY, or a sysctl)
"$prog" off >/dev/null 2>&1 || skip_all "Syscall User Dispatch unavailable here"

same_as_bare "dispatch_emulates_call: the handler gets SIGSYS with the kernel's si_code, si_call_addr, si_syscall, si_arch, si_errno and registers, and its result is the call's" \
	"$prog" emulate
same_as_bare "dispatch_return_through_rt_sigreturn: the handler's calls from the exempt range run, and it returns through rt_sigreturn" \
	"$prog" emulate
same_as_bare "selector_toggled_without_calls: ALLOW and BLOCK flipped by plain stores take effect at the next call" \
	"$prog" toggle
same_as_bare "dispatch_inside_handler: a dispatched call in the SIGSYS handler (SA_NODEFER) runs the handler on top of itself" \
	"$prog" nested
same_as_bare "handler_return_dispatched: another signal's handler returning with the selector at BLOCK has its rt_sigreturn dispatched" \
	"$prog" handler_return
same_as_bare "sigsys_handler_leaving_block_killed: its own rt_sigreturn dispatched while SIGSYS is blocked" \
	"$prog" leave_block
same_as_bare "hot_site_dispatched: a call site the fast path rewrote goes to the program's handler once its dispatch is on" \
	"$prog" hot_site
same_as_bare "bad_selector_value_kills_with_sigsys" "$prog" badsel
same_as_bare "unreadable_selector_kills_with_sigsegv (a SIGSEGV handler does not run)" \
	"$prog" unreadable
same_as_bare "dispatched_sigsys_blocked_kills: force_sig_info unblocks it with its default action" \
	"$prog" blocked
same_as_bare "dispatched_sigsys_ignored_kills" "$prog" ignored
same_as_bare "dispatched_sigsys_default_action_kills" "$prog" default
same_as_bare "dispatch_off: PR_SYS_DISPATCH_OFF turns it off" "$prog" off
same_as_bare "bad_prctl_params: the kernel's EINVAL and EFAULT for bad modes, ranges and selectors" \
	"$prog" errors
same_as_bare "not_inherited_across_fork: the child starts without it, the parent keeps it" \
	"$prog" fork
same_as_bare "not_inherited_across_vfork: the child (sharing memory and limen's thread state) starts without it, the parent keeps it" \
	"$prog" vfork
same_as_bare "cleared_at_exec: kept across a failed execve, gone after one that succeeds" \
	"$prog" exec
same_as_bare "per_thread: a new thread starts without it, its own prctl and OFF are its own" \
	"$prog" threads
same_as_bare "inclusive_on: PR_SYS_DISPATCH_INCLUSIVE_ON dispatches only calls from its range (EINVAL where the kernel predates 6.17)" \
	"$prog" inclusive

# --- the trace -----------------------------------------------------------
run_limen trace -o "$tmp/emu" -- "$prog" emulate >/dev/null 2>&1
trace_body "$tmp/emu" >"$tmp/emu.body"
ok_if "trace_shows_dispatch_as_sigsys: the program's SIGSYS, as strace shows it" \
	grep -qE '^--- SIGSYS \{si_signo=SIGSYS, si_code=SYS_USER_DISPATCH, si_call_addr=0x[0-9a-f]+, si_syscall=__NR_getpid, si_arch=AUDIT_ARCH_X86_64\} ---$' \
	"$tmp/emu.body"
# the handler's own getpid, the rt_sigreturn that returns the emulated
# value, and two getpid() of main: no line for the dispatched one
is "$(grep -A2 -- '^--- SIGSYS' "$tmp/emu.body" |
	sed -E 's/0x[0-9a-f]+/ADDR/; s/^getpid\(\) = [0-9]+$/getpid() = PID/')" \
"--- SIGSYS {si_signo=SIGSYS, si_code=SYS_USER_DISPATCH, si_call_addr=ADDR, si_syscall=__NR_getpid, si_arch=AUDIT_ARCH_X86_64} ---
getpid() = PID
rt_sigreturn({mask=[]}) = 4242" \
	"trace_shows_handler_calls: its own call and its rt_sigreturn with the emulated result"
is "$(grep -B1 -- '^--- SIGSYS' "$tmp/emu.body" | head -n 1)" \
	'write(1, "prctl ON: 0\n", 12) = 12' \
	"trace_omits_dispatched_call: the call that was not made has no line (strace shows none)"
ok_if "trace_decodes_sud_prctl: prctl(PR_SET_SYSCALL_USER_DISPATCH, PR_SYS_DISPATCH_ON, ...)" \
	grep -qE '^prctl\(PR_SET_SYSCALL_USER_DISPATCH, PR_SYS_DISPATCH_ON, 0x[0-9a-f]+, 0x[0-9a-f]+, 0x[0-9a-f]+\) = 0$' \
	"$tmp/emu.body"

run_limen trace -o "$tmp/bad" -- "$prog" badsel >/dev/null 2>&1
ok_if "trace_bad_selector: killed by SIGSYS with no signal line (force_exit_sig: no handler, no ptrace stop)" \
	sh -c "tail -n 1 '$tmp/bad' | grep -q 'killed by SIGSYS' &&
		! grep -q -- '--- SIGSYS' '$tmp/bad'"

# --- against strace, from the program's prctl on ----------------------------
# addresses (ASLR), process ids and random bytes differ from run to run;
# strace 6.1 predates PR_SYS_DISPATCH_INCLUSIVE_ON (Linux 6.17), which
# limen names
norm() {
	trace_body "$1" |
		awk 'f || /^prctl\(PR_SET_SYSCALL_USER_DISPATCH/ { f = 1; print }' |
		sed -E 's/0x[0-9a-f]{5,}/ADDR/g; s/^(getp?p?id\(\)) = [0-9]+$/\1 = ID/
			s/^getrandom\("[^"]*"/getrandom(BYTES/
			s/^kill\([0-9]+,/kill(ID,/; s/si_pid=[0-9]+/si_pid=ID/
			s|0x2 /\* PR_SYS_DISPATCH_\?\?\? \*/|PR_SYS_DISPATCH_INCLUSIVE_ON|'
}
if command -v strace >/dev/null && strace -o /dev/null true 2>/dev/null; then
	for t in emulate toggle nested handler_return leave_block off blocked ignored default \
		inclusive errors; do
		{ strace -o "$tmp/s.$t" "$prog" "$t" >/dev/null 2>&1; } 2>/dev/null
		run_limen trace -o "$tmp/l.$t" -- "$prog" "$t" >/dev/null 2>&1
		norm "$tmp/s.$t" >"$tmp/s.$t.body"
		norm "$tmp/l.$t" >"$tmp/l.$t.body"
		if [ -s "$tmp/s.$t.body" ] && cmp -s "$tmp/s.$t.body" "$tmp/l.$t.body"; then
			pass "same_trace_as_strace: nsud $t"
		else
			fail "same_trace_as_strace: nsud $t" "strace (-) and limen (+) differ:" \
				"$(diff -u "$tmp/s.$t.body" "$tmp/l.$t.body" | head -n 30)"
		fi
	done
else
	skip "same_trace_as_strace" "strace is not installed or cannot trace here"
fi

done_testing
