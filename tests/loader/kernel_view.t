#!/bin/bash
# SPDX-License-Identifier: MIT
#
# The kernel's view of a program run by limen's loader is the program's,
# not the loader's: its copy of the auxiliary vector (/proc/PID/auxv, the
# notes of a core file, where gdb finds the program) and /proc/PID/stat's
# code and data bounds (the loader sets them with PR_SET_MM_MAP, which
# needs no privilege). Before, they described limen-loader: gdb read a
# core the program dumped with none of its functions named.
. "$(dirname "$0")/../lib.sh"
need_limen

# does this kernel let a process set them (CONFIG_CHECKPOINT_RESTORE)?
"$(testbin kview)" probe ||
	skip_all "this kernel has no PR_SET_MM_MAP (CONFIG_CHECKPOINT_RESTORE)"

src=$_lib_dir/progs/kview.c
same_as_bare "a dynamic program: auxv and stat's bounds as bare" "$(testbin kview)"
grep -q ': no$' "$tmp/limen.out" && diag "$(cat "$tmp/limen.out")"
if cc -static -O1 -o "$tmp/kview-static" "$src" 2>/dev/null; then
	same_as_bare "a static program: auxv and stat's bounds as bare" "$tmp/kview-static"
else
	skip "a static program: auxv and stat's bounds" "cc -static does not work here"
fi
if cc -static-pie -O1 -o "$tmp/kview-spie" "$src" 2>/dev/null; then
	same_as_bare "a static-pie program: auxv and stat's bounds as bare" "$tmp/kview-spie"
else
	skip "a static-pie program: auxv and stat's bounds" "cc -static-pie does not work here"
fi

# gdb on a core the program dumped under limen names its functions
pat=$(cat /proc/sys/kernel/core_pattern 2>/dev/null)
if command -v gdb >/dev/null && [ -n "$pat" ] && [ "${pat#|}" = "$pat" ] &&
	[ "${pat#/}" = "$pat" ] && [ "$(ulimit -H -c)" != 0 ]; then
	cat >"$tmp/fault.c" <<'C'
#include <unistd.h>
__attribute__((noinline)) int deepest(volatile int *p) { return *p + getppid(); }
__attribute__((noinline)) int middle(volatile int *p) { return deepest(p) + 1; }
int main(int argc, char **argv) { (void)argv; return middle((int *)(long)(argc - 1)); }
C
	cc -g -O1 -o "$tmp/fault" "$tmp/fault.c"
	mkdir "$tmp/core"
	(cd "$tmp/core" && ulimit -c unlimited &&
		run_limen trace -o /dev/null -- "$tmp/fault") >/dev/null 2>&1
	core=$(ls "$tmp"/core/core* 2>/dev/null | head -n 1)
	if [ -n "$core" ]; then
		gdb -batch -ex bt "$tmp/fault" "$core" >"$tmp/bt" 2>&1
		ok_if "gdb names the functions of a core dumped under limen" \
			grep -q -E '^#[0-9]+ .*middle \(' "$tmp/bt"
		grep -q -E 'middle \(' "$tmp/bt" || diag "$(grep '^#' "$tmp/bt")"
	else
		skip "gdb names the functions of a core dumped under limen" "no core file was written"
	fi
else
	skip "gdb names the functions of a core dumped under limen" \
		"no gdb, or core_pattern '$pat' writes no core file here"
fi

done_testing
