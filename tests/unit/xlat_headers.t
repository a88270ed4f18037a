#!/bin/bash
# SPDX-License-Identifier: MIT
# tables/xlat.tbl cannot drift from the system headers: gen.awk's
# xlat_check.c (a _Static_assert per item whose symbol the headers define)
# compiles for the real table and fails to compile, naming the table line,
# when one value is changed.
. "$(dirname "$0")/../lib.sh"
top=$(cd "$(dirname "$0")/../.." && pwd)
CC=${CC:-cc}

gen() { # gen XLAT OUTDIR
	mkdir -p "$2"
	awk -f "$top/tables/gen.awk" -v out="$2" "$top/tables/syscalls.tbl" \
		"$1" "$top/tables/structs.tbl" "$top/tables/ioctl.tbl"
}

gen "$top/tables/xlat.tbl" "$tmp/real" 2>"$tmp/real.err"
is "$?" 0 "gen.awk accepts the real table"
ok_if "the real table's values equal the system headers' (xlat_check.c compiles)" \
	$CC -std=gnu11 -D_GNU_SOURCE -c -o "$tmp/real.o" "$tmp/real/xlat_check.c"
n=$($CC -std=gnu11 -D_GNU_SOURCE -E "$tmp/real/xlat_check.c" | grep -c _Static_assert)
diag "$n list items checked against the system headers"
ok_if "at least 900 items are checked against the headers ($n)" test "$n" -ge 900

# one value off by one: F_SEAL_WRITE 0x8 -> 0x9
mkdir -p "$tmp/drifted"
sed 's/^0x8 F_SEAL_WRITE$/0x9 F_SEAL_WRITE/' "$top/tables/xlat.tbl" >"$tmp/drifted/xlat.tbl"
cmp -s "$top/tables/xlat.tbl" "$tmp/drifted/xlat.tbl"
is "$?" 1 "the drifted copy differs"
gen "$tmp/drifted/xlat.tbl" "$tmp/drift" 2>"$tmp/drift.err"
is "$?" 0 "gen.awk accepts the drifted table (only a header knows the value)"
$CC -std=gnu11 -D_GNU_SOURCE -c -o "$tmp/drift.o" "$tmp/drift/xlat_check.c" 2>"$tmp/drift.cc"
st=$?
ok_if "a value that differs from the header does not compile" test "$st" != 0
ok_if "the error names the table line and the symbol" \
	grep -q 'xlat.tbl:[0-9]*: F_SEAL_WRITE in list seal_flags differs' "$tmp/drift.cc"

# ioctl_cmd out of order: the decoder's search by halves would miss
# TCGETS (src/decode/ioctl.c), so gen.awk refuses the table
mkdir -p "$tmp/unsorted"
awk '/^0x5401 TCGETS$/ { held = $0; next } { print } held && /^0x5402 / { print held; held = "" }' \
	"$top/tables/xlat.tbl" >"$tmp/unsorted/xlat.tbl"
cmp -s "$top/tables/xlat.tbl" "$tmp/unsorted/xlat.tbl"
is "$?" 1 "the copy with TCGETS moved after 0x5402 differs"
gen "$tmp/unsorted/xlat.tbl" "$tmp/unsorted.out" 2>"$tmp/unsorted.err"
is "$?" 1 "gen.awk refuses ioctl_cmd out of order"
ok_if "it names the item" \
	grep -q 'ioctl_cmd must be in ascending order of value: ' "$tmp/unsorted.err"
done_testing
