#!/bin/sh
# Sanity checks for the tables (run from the top directory: tables/check.sh).
#  1. every __NR_ of this machine's asm/unistd_64.h is a row with the same
#     number and name (rows newer than the headers are listed, not errors);
#  2. gen.awk gives identical output under every awk found (awk, mawk, gawk);
#  3. the generated systab.c compiles with the project's warnings, both the
#     collector and the runtime (-fPIC -fno-builtin) ways.
set -eu
cd "$(dirname "$0")/.."
hdr=
for f in /usr/include/x86_64-linux-gnu/asm/unistd_64.h /usr/include/asm/unistd_64.h; do
	[ -r "$f" ] && { hdr=$f; break; }
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
status=0
if [ -n "$hdr" ]; then
	awk '/^#define __NR_/ { sub("__NR_", "", $2); print $3, $2 }' "$hdr" | sort > "$tmp/hdr"
	awk '!/^#/ && NF { print $1, $2 }' tables/syscalls.tbl | sort > "$tmp/tbl"
	if [ -s "$tmp/hdr" ] && comm -23 "$tmp/hdr" "$tmp/tbl" | grep .; then
		echo "check.sh: rows above are in $hdr but not in tables/syscalls.tbl" >&2
		status=1
	fi
	echo "rows not in $hdr (newer kernels):" \
		"$(comm -13 "$tmp/hdr" "$tmp/tbl" | sort -n | awk '{ printf "%s ", $1 }')"
else
	echo "check.sh: no asm/unistd_64.h, number check skipped" >&2
fi
first=
for a in awk mawk gawk; do
	command -v "$a" >/dev/null 2>&1 || continue
	mkdir -p "$tmp/$a"
	"$a" -f tables/gen.awk -v out="$tmp/$a" \
		tables/syscalls.tbl tables/xlat.tbl tables/structs.tbl tables/ioctl.tbl
	if [ -z "$first" ]; then
		first=$a
	elif ! cmp -s "$tmp/$first/systab.c" "$tmp/$a/systab.c" ||
	     ! cmp -s "$tmp/$first/systab_gen.h" "$tmp/$a/systab_gen.h"; then
		echo "check.sh: $first and $a outputs differ" >&2
		status=1
	fi
done
W="-std=gnu11 -Wall -Wextra -Werror -Wmissing-prototypes -Wshadow -Wno-unused-parameter"
${CC:-gcc} $W -D_GNU_SOURCE -Isrc/common -I"$tmp/$first" -c "$tmp/$first/systab.c" -o "$tmp/a.o"
${CC:-gcc} $W -fPIC -fvisibility=hidden -fno-stack-protector -fno-builtin \
	-Isrc/common -I"$tmp/$first" -c "$tmp/$first/systab.c" -o "$tmp/b.o"
grep -E 'LIMEN_NSYS|LIMEN_NSYSCALLS' "$tmp/$first/systab_gen.h"
[ $status -eq 0 ] && echo "check.sh: ok"
exit $status
