#!/usr/bin/env bash
# What strace shows with and without -v: getdents64's number of entries for
# a directory whose listing fills more than one page (the runtime must
# capture the whole buffer) and, with -v, the entries themselves; and with
# -v every field of struct stat and struct statx, for a file, a device,
# directories.
. "$(dirname "$0")/../lib.sh"
need_limen
command -v strace >/dev/null || skip_all "strace is not installed"
plan 7

dir=$tmp/dir
mkdir -p "$dir"
for i in $(seq 1 300); do : >"$dir/file-with-a-longish-name-$i"; done

# the getdents64 lines of `ls DIR` under TRACER..., spacing and addresses
# (ASLR) normalized
lines() {
	"$@" -e trace=getdents64 -o "$tmp/out" -- ls "$dir" >/dev/null 2>&1
	sed -E -e 's/^[0-9]+ +//' -e 's/\) +(= )/) \1/' -e 's/0x[0-9a-f]+/PTR/g' "$tmp/out" | grep '^getdents64('
}

for v in "" -v; do
	lines "$LIMEN" trace $v >"$tmp/limen$v"
	lines strace $v >"$tmp/strace$v"
	ok_if "getdents64 ${v:-without -v}: limen shows what strace shows" \
		cmp -s "$tmp/limen$v" "$tmp/strace$v"
	[ -s "$tmp/limen$v" ] || diag "no getdents64 line from limen"
done
ok_if "the count is of all 302 entries" grep -q -F '/* 302 entries */' "$tmp/limen"
ok_if "-v lists the entries" grep -q -F 'd_name="file-with-a-longish-name-300"' "$tmp/limen-v"

# -v stat: all fields, device numbers and dated times
# (a directory of our own rather than /tmp, whose times change whenever
# another process makes a file there between the two runs)
mkdir -p "$tmp/quiet"
paths="/etc/hostname /dev/null $tmp/quiet /"
"$LIMEN" trace -v -e trace=newfstatat -o "$tmp/sl" -- "$(testbin statpaths)" $paths
strace -v -e trace=newfstatat -o "$tmp/ss" "$(testbin statpaths)" $paths
sed -E -e 's/^[0-9]+ +//' -e 's/\) +(= )/) \1/' "$tmp/sl" | grep '^newfstatat(AT_FDCWD' >"$tmp/sl.n"
sed -E -e 's/\) +(= )/) \1/' "$tmp/ss" | grep '^newfstatat(AT_FDCWD' >"$tmp/ss.n"
ok_if "-v newfstatat of a file, /dev/null and directories: as strace -v ($(wc -l <"$tmp/sl.n") lines)" \
	cmp -s "$tmp/sl.n" "$tmp/ss.n"

# -v statx (coreutils' stat uses it)
"$LIMEN" trace -v -e trace=statx -o "$tmp/xl" -- stat $paths >/dev/null
strace -v -e trace=statx -o "$tmp/xs" stat $paths >/dev/null
sed -E -e 's/^[0-9]+ +//' -e 's/\) +(= )/) \1/' "$tmp/xl" | grep '^statx(' >"$tmp/xl.n"
sed -E -e 's/\) +(= )/) \1/' "$tmp/xs" | grep '^statx(' >"$tmp/xs.n"
ok_if "-v statx of a file, /dev/null and directories: as strace -v ($(wc -l <"$tmp/xl.n") lines)" \
	cmp -s "$tmp/xl.n" "$tmp/xs.n"

# -v statx asked for no birth time (ls -ld: its mask has no STATX_BTIME):
# strace shows no stx_btime (limen showed a zero one)
"$LIMEN" trace -v -e trace=statx -o "$tmp/bl" -- ls -ld $paths >/dev/null
strace -v -e trace=statx -o "$tmp/bs" ls -ld $paths >/dev/null
sed -E -e 's/^[0-9]+ +//' -e 's/\) +(= )/) \1/' "$tmp/bl" | grep '^statx(' >"$tmp/bl.n"
sed -E -e 's/\) +(= )/) \1/' "$tmp/bs" | grep '^statx(' >"$tmp/bs.n"
ok_if "-v statx without STATX_BTIME (ls -ld): as strace -v ($(wc -l <"$tmp/bl.n") lines)" \
	cmp -s "$tmp/bl.n" "$tmp/bs.n"
