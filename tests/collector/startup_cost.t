#!/usr/bin/env bash
# The fixed cost of a traced run: work every run did that it does not need.
# The collector starts the command without a copy of its own memory (a
# vfork: fork copied its page tables for the exec to throw away). A call
# site being rewritten asks the kernel for the one mapping that holds it
# (PROCMAP_QUERY), not for the text of every mapping, and a process that
# has had one thread throughout asks /proc for its thread count once, not
# once per site (a program's start rewrites several). The command's ELF is
# probed from its first page, read once, and an offset in it that points
# anywhere is read from the file as before (no sum that wraps). The
# runtime (liblimen.so, limen's loader), loaded into every traced image,
# relocates no table of names at its start: a page copied for each page of
# pointers. The collector stays a PIE, as Debian builds programs, and its
# tables name things by offsets in one pool of strings, not by pointers:
# they were about 4,000 of its 5,140 relocations, 20 of the 27 pages it
# copied at each start (about 0.1 ms of every run's CPU here).
. "$(dirname "$0")/../lib.sh"
need_limen
command -v strace >/dev/null || skip_all "strace is not installed"
plan 6

# relocations applied at each start (R_X86_64_RELATIVE and the rest): a
# few hundred for the code's own pointers, thousands with the tables
if command -v readelf >/dev/null; then
	rt=$(dirname "$LIMEN")
	n=""
	for f in "$rt/liblimen.so" "$rt/limen-loader"; do
		n="$n $(readelf -rW "$f" | grep -c '^[0-9a-f]\{16\} ')"
	done
	ok_if "no_table_of_names_is_relocated_at_start (liblimen.so, loader:$n)" \
		awk -v n="$n" 'BEGIN { split(n, a, " "); exit !(a[1] < 1000 && a[2] < 1000) }'
	n=$(readelf -rW "$LIMEN" | grep -c '^[0-9a-f]\{16\} ')
	ok_if "the_collectors_tables_are_not_relocated_at_start ($n)" \
		test "$n" -lt 2000
else
	skip "no_table_of_names_is_relocated_at_start" "readelf is not installed (binutils)"
	skip "the_collectors_tables_are_not_relocated_at_start" "readelf is not installed (binutils)"
fi

# an x86_64 executable whose program headers are at 2^64 - 8: the kernel
# refuses it, and so does limen, in the same words as for any such file
"$_py" -S -c '
import struct, sys
eh = bytearray(128)
eh[0:7] = b"\x7fELF\x02\x01\x01"
struct.pack_into("<HHIQQQIHHHHHH", eh, 16, 2, 62, 1, 0x401000,
		 0xfffffffffffffff8, 0, 0, 64, 56, 1, 64, 0, 0)
open(sys.argv[1], "wb").write(eh)' "$tmp/wild"
chmod +x "$tmp/wild"
out=$("$LIMEN" trace -o /dev/null -- "$tmp/wild" 2>&1 </dev/null)
is "$? $out" "126 limen: exec: Exec format error" \
	"a_program_header_offset_past_the_file_is_refused_as_any_bad_elf"

# limen's own calls: the command's start
strace -o "$tmp/own" "$LIMEN" trace -o /dev/null -- true </dev/null >/dev/null 2>&1
ok_if "the_command_starts_without_a_copy_of_the_collector" \
	grep -q -E '^(vfork\(|clone3?\(.*CLONE_VM.*CLONE_VFORK)' "$tmp/own"
diag_file "$tmp/own"

# the traced program's calls, limen's among them: ld.so's sites are
# rewritten at their second call
strace -f -o "$tmp/st" -e trace=open,openat,read,ioctl,pwrite64 -e signal=none \
	"$LIMEN" trace -e trace=none -o /dev/null -- "$(testbin sysloop)" 0 0 \
	</dev/null >/dev/null 2>&1
# the command's lines: not the collector's (the first line's)
own=$(sed -n '1s/ .*//p' "$tmp/st")
grep -v "^$own " "$tmp/st" >"$tmp/prog"
patched=$(grep -c 'pwrite64([0-9]*, "\\351' "$tmp/prog")
if [ "$patched" -lt 2 ]; then
	skip "rewriting_a_site_reads_no_maps_text" "fewer than 2 sites rewritten ($patched)"
	skip "a_lone_thread_reads_its_thread_count_once" "fewer than 2 sites rewritten ($patched)"
	diag_file "$tmp/prog"
	exit 0
fi
if grep -q 'ioctl([0-9]*, _IOC(_IOC_READ|_IOC_WRITE, 0x66, 0x11, 0x68).* = -1' "$tmp/prog"; then
	skip "rewriting_a_site_reads_no_maps_text" "this kernel has no PROCMAP_QUERY (Linux 6.11)"
else
	# a line of the maps text: "start-end perms"
	n=$(grep -c -E 'read\([0-9]+, "[0-9a-f]+-[0-9a-f]+ [r-][w-][x-][ps]' "$tmp/prog")
	ok_if "rewriting_a_site_reads_no_maps_text ($patched sites, $n reads)" \
		test "$n" -eq 0
fi
n=$(grep -c 'open("/proc/self/stat"' "$tmp/prog")
ok_if "a_lone_thread_reads_its_thread_count_once ($patched sites, $n reads)" \
	test "$n" -le 1
diag_file "$tmp/prog"
