#!/bin/bash
# SPDX-License-Identifier: MIT
#
# A ring's first lap: a thread that writes records fast has the next
# pages of its ring made present ahead of it by the runtime (madvise
# MADV_POPULATE_WRITE, a 64th of the ring at a time: src/runtime/ring.c,
# ring_ahead) instead of taking a page fault at each; a thread that
# writes little makes no such call. Never where that call is refused or
# fatal: seccomp strict mode (any call but read, write, exit and
# rt_sigreturn kills) and a seccomp filter the program installed or
# inherited through exec (one that kills the process at
# madvise(MADV_POPULATE_WRITE)): there the program runs as bare.
# strace counts the runtime's own calls (exempt from Syscall User
# Dispatch, they reach ptrace), not the collector's. Under limen's loader
# and under LD_PRELOAD. tests/progs/ring_first_lap.c, sysloop.c.
. "$(dirname "$0")/../lib.sh"
need_limen
prog=$(testbin ring_first_lap)
loop=$(testbin sysloop)
[ -x "$prog" ] || skip_all "tests/progs/ring_first_lap not built ($prog)"

# madvise(..., MADV_POPULATE_WRITE) calls of the program in strace file $1
# (not the collector's: its pid made the first execve)
program_populates() {
	local cpid
	cpid=$(grep -m1 -E '^[0-9]+ +execve\(' "$1" | awk '{print $1}')
	grep -v -E "^${cpid:-none} " "$1" |
		grep -c -E 'madvise\(.*(MADV_POPULATE_WRITE|0x17)' || true
}

for L in loader preload; do
	export LIMEN_LOADER=$L
	if command -v strace >/dev/null; then
		# 20 000 recorded getppid: 3.2 MB of records in a 4 MiB ring
		strace -f -qq -e trace=madvise,execve -e signal=none \
			-o "$tmp/st" "$LIMEN" trace -o "$tmp/t" -- "$loop" 20000 0 \
			</dev/null >/dev/null 2>&1
		n=$(program_populates "$tmp/st")
		if grep -q -E 'madvise\(.*(MADV_POPULATE_WRITE|0x17).*= -1 EINVAL' "$tmp/st"; then
			skip "$L: a busy thread's ring made present ahead of it" \
				"this kernel has no MADV_POPULATE_WRITE"
		else
			# at most one call a 64th (two where it wraps); as few
			# as the ring's hot start takes (four 64ths) where the
			# collector keeps up and the writer goes back to the
			# start (ring.c, pad_for)
			ok_if "$L: a busy thread's ring made present ahead of it ($n calls)" \
				test "$n" -ge 1 -a "$n" -le 65
		fi
		is "$(count_calls "$tmp/t" getppid)" 20000 \
			"$L: every call of the busy thread in the trace"
		# a 256 KiB ring: 12 laps, 64ths of a page; each call makes
		# present two 64ths at most, the one after the last the first
		strace -f -qq -e trace=madvise,execve -e signal=none \
			-o "$tmp/st" "$LIMEN" trace -o "$tmp/t" --ring-size 256K \
			-- "$loop" 20000 0 </dev/null >/dev/null 2>&1
		n=$(program_populates "$tmp/st")
		big=$(grep -E 'madvise\(.*(MADV_POPULATE_WRITE|0x17)' "$tmp/st" |
			grep -v -E "^$(grep -m1 -E '^[0-9]+ +execve\(' "$tmp/st" |
				awk '{print $1}') " |
			awk -F', ' '$2 > 8192' | head -3)
		ok_if "$L: a small ring's laps: at most two 64ths a call ($n calls)${big:+: $big}" \
			test "$n" -ge 1 -a "$n" -le 65 -a -z "$big"
		is "$(count_calls "$tmp/t" getppid)" 20000 \
			"$L: every call through the small ring's laps in the trace"
		strace -f -qq -e trace=madvise,execve -e signal=none \
			-o "$tmp/st" "$LIMEN" trace -o "$tmp/t" -- "$loop" 20 0 \
			</dev/null >/dev/null 2>&1
		is "$(program_populates "$tmp/st")" 0 \
			"$L: a thread that writes little populates nothing ahead"
	else
		skip "$L: a busy thread's ring made present ahead of it" "strace is not installed"
		skip "$L: every call of the busy thread in the trace" "strace is not installed"
		skip "$L: a small ring's laps: at most two 64ths a call" "strace is not installed"
		skip "$L: every call through the small ring's laps in the trace" "strace is not installed"
		skip "$L: a thread that writes little populates nothing ahead" "strace is not installed"
	fi

	bare_and_traced strict strict 6000
	as_bare strict "$L: 6000 recorded writes in seccomp strict mode: no madvise, as bare"
	is "$(cat "$tmp/strict.out")" "strict: exited 0" "$L: the strict child ran to its exit"

	bare_and_traced filter filter 40000
	as_bare filter "$L: 40000 recorded calls under a filter that kills at madvise: as bare"
	is "$(count_calls "$tmp/filter.trace" getppid)" 40000 \
		"$L: every call under the filter in the trace"

	# the same filter inherited through exec: the new image's runtime
	# asks for it before it would make the call
	bare_and_traced fexec filterexec "$loop" 40000 0
	as_bare fexec "$L: a filter that kills at madvise inherited through exec: as bare"
	is "$(count_calls "$tmp/fexec.trace" getppid)" 40000 \
		"$L: every call of the exec'd program under the filter in the trace"

	# a filter that kills at prctl: the runtime knows of the filter from
	# the program's own seccomp call and must not ask with a prctl
	bare_and_traced killprctl killprctl 40000
	as_bare killprctl "$L: 40000 recorded calls under a filter that kills at prctl: as bare"
	is "$(count_calls "$tmp/killprctl.trace" getppid)" 40000 \
		"$L: every call under the prctl-killing filter in the trace"
done
done_testing
