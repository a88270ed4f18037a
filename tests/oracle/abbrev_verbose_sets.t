#!/usr/bin/env bash
# strace's -e abbrev=SET and -e verbose=SET, against strace 6.1 on the same
# runs. verbose=SET: the calls left out print every structure they point
# to as its address (strace reads them through umoven_or_printaddr, which
# prints the address instead), strings, paths and buffers as usual, an
# array of none as []. abbrev=SET: the calls left out are shown as -v
# shows them. The per-family programs (tests/progs/fam_*.c) make their
# calls with known arguments: under -e verbose=none each one's calls must
# read as strace's, addresses, ids and counts aside.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../syscalls/families.sh"
need_limen
command -v strace >/dev/null || skip_all "strace is not installed"
strace -f -o /dev/null true 2>/dev/null || skip_all "strace cannot trace here"

# the lines of a trace, the pid column and padding gone, addresses and
# numbers made alike (ids, times, counts change from run to run; what
# -e verbose= changes is whether a structure or its address is shown)
norm() {
	join_split "$1" | sed -E -e 's/^[0-9]+ +//' -e 's/ +(= )/ \1/' \
		-e 's/0x[0-9a-f]{5,}/PTR/g' -e 's/[0-9]+/N/g'
}
# a call another process's line split in two (<unfinished ...>, then
# <... NAME resumed>) made one line again: where the split falls depends
# on how the processes ran
join_split() {
	perl -ne 'if (/^(\d+)\s+(.*) <unfinished \.\.\.>$/) { $u{$1} = $2; next }
		if (/^(\d+)\s+<\.\.\. \S+ resumed>(.*)$/) {
			print "$1 $u{$1}$2\n" if exists $u{$1}; delete $u{$1}; next }
		print' "$1"
}

# Left out of the comparison, whatever the options: calls whose values
# change from run to run (times, getrandom), the processes' own order
# (fork, wait4, exit_group: fam_process runs several) and membarrier's
# newer name (rendering-exceptions.txt)
skip_re='^(times|getrandom|fork|wait4|exit_group|membarrier)\('

for prog in $(fam_programs); do
	fam=${prog##*/}
	why=$(fam_missing "$prog")
	if [ -n "$why" ]; then
		skip "$fam under -e verbose=none" "$why"
		continue
	fi
	d=$tmp/$fam
	mkdir -p "$d"
	# the same work directory for both runs: its name is in the trace
	strace -f -qq -e verbose=none -o "$d/s" "$prog" "$d/work" "$d/expected" \
		</dev/null >/dev/null 2>&1
	rm -rf "$d/work"
	"$LIMEN" trace -qq -e verbose=none -o "$d/l" -- "$prog" "$d/work" \
		"$d/expected" </dev/null >/dev/null 2>&1
	names=$(sed -n -E 's/^([a-z_0-9]+)\(.*/\1/p' "$d/expected" | sort -u | paste -sd'|')
	for t in s l; do
		norm "$d/$t" | grep -E "^($names)\(" | grep -v -E "$skip_re" |
			sort -u >"$d/$t.n"
	done
	if [ -s "$d/s.n" ] && cmp -s "$d/s.n" "$d/l.n"; then
		pass "$fam under -e verbose=none: as strace ($(wc -l <"$d/l.n") lines)"
	else
		fail "$fam under -e verbose=none: as strace" \
			"$(diff "$d/s.n" "$d/l.n" | head -n 20)"
	fi
done

# a real program: ls -la of a directory (getdents64, whose entries strace
# shows as their address under -e verbose= even when there are none,
# statx, ioctl, the libraries' mmap and mprotect)
mkdir -p "$tmp/lsdir"
: >"$tmp/lsdir/a"
for t in s l; do
	if [ $t = s ]; then
		strace -qq -e verbose=none -o "$tmp/ls.$t" ls -la "$tmp/lsdir" >/dev/null
	else
		"$LIMEN" trace -qq -e verbose=none -o "$tmp/ls.$t" -- ls -la "$tmp/lsdir" >/dev/null
	fi
	norm "$tmp/ls.$t" | grep -v -E "$skip_re" | grep -v -e '^+++' -e '^execve' |
		sort -u >"$tmp/ls.$t.n"
done
if grep -q '^getdents' "$tmp/ls.l.n" && cmp -s "$tmp/ls.s.n" "$tmp/ls.l.n"; then
	pass "ls -la under -e verbose=none: as strace ($(wc -l <"$tmp/ls.l.n") lines)"
else
	fail "ls -la under -e verbose=none: as strace" \
		"$(diff "$tmp/ls.s.n" "$tmp/ls.l.n" | head -n 20)"
fi

# both sets on one run, as strace: the calls named keep their structures
# (verbose=) or are abbreviated (abbrev=), the others not
paths="/etc/hostname /dev/null /"
cmp_opts() {
	local desc=$1
	shift
	# one environment for both (the shell's $_ names the tracer)
	env -i PATH=/usr/bin:/bin "$LIMEN" trace "$@" \
		-e trace=execve,newfstatat -o "$tmp/ol" -- \
		"$(testbin statpaths)" $paths >/dev/null 2>&1
	env -i PATH=/usr/bin:/bin strace "$@" -e trace=execve,newfstatat \
		-o "$tmp/os" "$(testbin statpaths)" $paths >/dev/null 2>&1
	norm "$tmp/ol" | grep -E '^(execve|newfstatat)\(AT_FDCWD|^execve' >"$tmp/ol.n"
	norm "$tmp/os" | grep -E '^(execve|newfstatat)\(AT_FDCWD|^execve' >"$tmp/os.n"
	if [ -s "$tmp/os.n" ] && cmp -s "$tmp/os.n" "$tmp/ol.n"; then
		pass "$desc: as strace"
	else
		fail "$desc: as strace" "$(diff "$tmp/os.n" "$tmp/ol.n" | head -n 10)"
	fi
}
cmp_opts "-e verbose=execve" -e verbose=execve
cmp_opts "-e verbose=newfstatat" -e verbose=newfstatat
cmp_opts "--verbose=none" --verbose=none
cmp_opts "-e abbrev=execve" -e abbrev=execve
cmp_opts "-e abbrev=newfstatat" -e abbrev=newfstatat
cmp_opts "--abbrev=none" --abbrev=none
cmp_opts "-v then -e abbrev=all" -v -e abbrev=all
cmp_opts "-e abbrev=all then -v" -e abbrev=all -v
done_testing
