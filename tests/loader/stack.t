#!/bin/bash
# SPDX-License-Identifier: MIT
#
# -k with a call filter when the trace starts at ld.so's first instruction
# (LIMEN_LOADER=all): the libraries are mapped by calls the filter leaves
# out (ld.so's mmap), after the first captured call (its openat of
# ld.so.cache) recorded the mappings. The runtime must still notice those
# mmaps (kstack.c, limen_stack_maps_call), or libc's frames are unknown
# to the collector and the unwinding stops at the first one.
. "$(dirname "$0")/../lib.sh"
need_limen
if run_limen trace -k -- true 2>&1 | grep -q 'built without'; then
	skip_all "limen was built without libdw (Debian: libdw-dev, libelf-dev)"
fi
plan 2
printf 'x\n' >"$tmp/in"
LIMEN_LOADER=all run_limen trace -k -e trace=openat,read -o "$tmp/t" -- \
	cat "$tmp/in" >/dev/null 2>&1
# the frames under cat's read of the file
sed -n "\\|^[0-9]* *read(3, \"x|,/^[0-9]* *[a-z]/p" "$tmp/t" | grep '^ > ' >"$tmp/f"
ok_if "loader -k: the frames of cat's read start in libc.so.6" \
	sh -c "head -n 1 '$tmp/f' | grep -q 'libc\\.so\\.6('"
ok_if "loader_stack_frames_of_libraries_mapped_by_untraced_calls_are_known" \
	sh -c "test \$(wc -l <'$tmp/f') -ge 3 && ! grep -q '^ > ?(' '$tmp/f'"
