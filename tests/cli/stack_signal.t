#!/bin/bash
# SPDX-License-Identifier: MIT
#
# -k across a signal frame, against strace -k (tests/progs/stacksig.c): a
# getpid made in a handler unwinds through the program's restorer
# (glibc's __restore_rt, which strace names __sigaction+0x40) into the
# interrupted frames down to main and _start; and the signal's line has
# the stack it found under it, as strace prints it. limen returned handlers to
# its own code (the loader's restorer page, liblimen.so's
# limen_handler_return), so the unwind stopped at a made-up frame or
# showed limen's, and printed no stack under the signal's line.
. "$(dirname "$0")/../lib.sh"
need_limen
prog=$(testbin stacksig)
if run_limen trace -k -- true 2>&1 | grep -q 'built without'; then
	skip_all "limen was built without libdw (Debian: libdw-dev, libelf-dev)"
fi
if ! command -v strace >/dev/null || ! strace -k -o /dev/null true 2>/dev/null; then
	skip_all "strace -k cannot run here"
fi

# the trace with each pid as P
norm() { sed -E 's/= [0-9]+$/= P/; s/si_pid=[0-9]+/si_pid=P/' "$1"; }

strace -k -e trace=getpid -- "$prog" 2>"$tmp/s.raw" >/dev/null
norm "$tmp/s.raw" >"$tmp/s"
# the call after the signal's line, and its frames
handler_call() {
	awk '/^--- SIG/ { on = 1; next } on && /^getpid/ { p = 1 } p && !/^getpid/ && !/^ > / { exit } p' "$1"
}
handler_call "$tmp/s" >"$tmp/s.h"
# the signal's line and the frames under it
sig_line() { awk '/^--- SIG/ { p = 1; print; next } p && /^ > / { print; next } p { exit }' "$1"; }
sig_line "$tmp/s" >"$tmp/s.sig"
ok_if "strace -k shows a stack under the signal's line" grep -q '^ > ' "$tmp/s.sig"
ok_if "strace -k shows the handler's getpid through the restorer" \
	grep -q '(handler+0x[0-9a-f]*)' "$tmp/s.h"
# the loader a run takes: limen's default, or LD_PRELOAD
use_loader() {
	if [ "$1" = preload ]; then
		export LIMEN_LOADER=preload
	else
		unset LIMEN_LOADER
	fi
}
for loader in default preload; do
	use_loader $loader
	for rw in "" --no-rewrite; do
		run_limen trace $rw -k -e trace=getpid -- "$prog" 2>"$tmp/l.raw" >/dev/null
		norm "$tmp/l.raw" >"$tmp/l"
		handler_call "$tmp/l" >"$tmp/l.h"
		ok_if "$loader loader $rw: the handler's getpid has frames" \
			grep -q '(handler+0x[0-9a-f]*)' "$tmp/l.h"
		same_file "$tmp/l.h" "$tmp/s.h" \
			"$loader loader $rw: a handler's call unwinds through the program's restorer into the interrupted frames, as strace -k"
		sig_line "$tmp/l" >"$tmp/l.sig"
		same_file "$tmp/l.sig" "$tmp/s.sig" \
			"$loader loader $rw: the stack the signal found under its line, as strace -k"
	done
done
unset LIMEN_LOADER

# a fatal signal's line: the stack at the faulting load (limen's fault
# handler, SIGSEGV blocked in it, died at its copy's read past the
# stack's end before recording it, and the maps record came after it)
fault=$(testbin stackfault)
strace -k -e trace=getpid -- "$fault" 2>&1 >/dev/null | norm /dev/stdin |
	sig_line /dev/stdin >"$tmp/s.fault"
ok_if "strace -k shows a stack under a fatal SIGSEGV's line" \
	grep -q '(limen_k_faulter+0x' "$tmp/s.fault"
for loader in default preload; do
	use_loader $loader
	run_limen trace -k -e trace=getpid -- "$fault" 2>&1 >/dev/null | norm /dev/stdin |
		sig_line /dev/stdin >"$tmp/l.fault"
	same_file "$tmp/l.fault" "$tmp/s.fault" \
		"$loader loader: the stack under a fatal SIGSEGV's line, as strace -k"
done
unset LIMEN_LOADER
done_testing
