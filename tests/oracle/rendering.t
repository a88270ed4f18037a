#!/usr/bin/env bash
# The argument rendering limen must produce is strace's: every line the
# per-family programs (tests/progs/fam_*.c) expect from limen must also be
# what strace 6.1 prints for the same run, except the documented deliberate
# differences in rendering-exceptions.txt. With tests/syscalls/families.t
# (limen prints these lines) this makes limen's rendering identical to
# strace's for every system call listed in docs/strace-rendering.md.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../syscalls/families.sh"
command -v strace >/dev/null || skip_all "strace is not installed"
strace -f -o /dev/null true 2>/dev/null || skip_all "strace cannot trace here"

exc=$(dirname "$0")/rendering-exceptions.txt
names=$tmp/names
: >"$names"

# check_fam PROG LABEL [-s N]
check_fam() {
	local prog=$1 label=$2 s=
	shift 2
	[ "${1:-}" = -s ] && s=$2
	local d=$tmp/$label
	mkdir -p "$d"
	strace -f -o "$d/trace" "$@" -- "$prog" "$d/work" "$d/expected" $s \
		</dev/null >"$d/out" 2>"$d/err"
	is "$?" 0 "$label: runs under strace"
	# drop the documented exceptions, saying why
	: >"$d/want"
	while IFS= read -r line; do
		local why
		why=$(awk -F '\t' -v l="$line" '!/^#/ && NF > 1 && l ~ $1 {print $2; exit}' "$exc")
		if [ -n "$why" ]; then
			skip "$label: $line" "$why"
		else
			printf '%s\n' "$line" >>"$d/want"
			printf '%s\n' "$line" | sed -n -E 's/^([a-z_0-9]+)\(.*/\1/p' >>"$names"
		fi
	done <"$d/expected"
	trace_body "$d/trace" >"$d/body"
	in_order "$d/want" "$d/body" "$label (strace)"
}

for prog in $(fam_programs); do
	fam=${prog##*/}
	why=$(fam_missing "$prog")
	if [ -n "$why" ]; then
		skip "$fam" "$why"
		continue
	fi
	check_fam "$prog" "$fam"
	for s in $(fam_strsizes "$fam"); do
		check_fam "$prog" "$fam-s$s" -s "$s"
	done
done
n=$(sort -u "$names" | wc -l)
diag "$n distinct system calls rendered identically to strace"
ok_if "at least 100 distinct system calls checked against strace ($n)" test "$n" -ge 100
# the documented list holds only what this run checked
doc=$(dirname "$0")/../../docs/strace-rendering.md
sed -n -E 's/^- `([a-z_0-9]+)`$/\1/p' "$doc" | sort -u >"$tmp/doc"
sort -u "$names" >"$tmp/checked"
missing=$(comm -23 "$tmp/doc" "$tmp/checked" | tr '\n' ' ')
ok_if "every call listed in docs/strace-rendering.md was checked${missing:+ (not: $missing)}" \
	test -z "$missing"
done_testing
