#!/bin/bash
# SPDX-License-Identifier: MIT
#
# bash completion (completion/limen, installed by make install into
# $(PREFIX)/share/bash-completion/completions): sourced in bash, it offers
# limen's commands, every option --help lists, the values of -S, -U, -X,
# -b, -e trace=, and the traced command's own words after the options.
. "$(dirname "$0")/../lib.sh"
need_limen
root=$(cd "$(dirname "$0")/../.." && pwd)
comp=$root/completion/limen
[ -f "$comp" ] || skip_all "no completion/limen"

# complete WORDS...: what _limen offers for the last word (as bash splits
# the line: "--opt=value" arrives as "--opt" "=" "value")
complete_words() {
	PATH=$(dirname "$LIMEN"):$PATH bash -c '
		. "$1"; shift
		COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
		_limen
		printf "%s\n" "${COMPREPLY[@]}" | sort | tr "\n" " "' \
		bash "$comp" "$@"
}

is "$(complete_words limen "")" "--help --version -V -h record report run trace " \
	"the commands"
is "$(complete_words limen trace --summary-s)" "--summary-sort-by= --summary-syscall-overhead= " \
	"long options, with their = when they take a value"
is "$(complete_words limen trace -S c)" "calls " "-S: the sort keys"
is "$(complete_words limen trace --summary-sort-by = na)" "name " "--summary-sort-by=: the sort keys"
is "$(complete_words limen trace -U calls,er)" "calls,errors " "-U: the last column of the list"
is "$(complete_words limen trace -X v)" "verbose " "-X: the styles"
is "$(complete_words limen trace -b "")" "execve " "-b: execve"
is "$(complete_words limen trace -e trace = %fs)" "%fstat %fstatfs " "-e trace=: strace's sets"
is "$(complete_words limen trace -e qu)" "quiet= " "-e: the qualifiers"
is "$(complete_words limen trace -e ab)" "abbrev= " "-e: abbrev= among them"
is "$(complete_words limen trace --verbose = %fs)" "%fstat %fstatfs " "--verbose=: a set as trace= reads it"
is "$(complete_words limen trace --timestamps = unix,m)" "unix,ms " "--timestamps=: the precisions"
is "$(complete_words limen trace --strings-in-hex = non-ascii-)" "non-ascii-chars " "--strings-in-hex=: non-ascii-chars"
mkdir -p "$tmp/d"
: >"$tmp/d/somefile"
chmod +x "$tmp/d/somefile"
is "$(complete_words limen trace -o "$tmp/d/so")" "$tmp/d/somefile " "-o: a file"
is "$(complete_words limen trace -f -s 5 -- "$tmp/d/so")" "$tmp/d/somefile " \
	"after --: the command (its path)"
is "$(complete_words limen trace -c -e trace = %file cat "$tmp/d/so")" "$tmp/d/somefile " \
	"the command's own arguments"
is "$(complete_words limen report "$tmp/d")" "$tmp/d " "report: a recording's directory"

# every option of --help is offered (the list is read from limen itself)
all=$(complete_words limen trace - | tr ' ' '\n' | sed 's/=$//' | sort -u)
help=$(run_limen --help | grep -oE -- '(^|[ ,(/])--?[A-Za-z][A-Za-z0-9-]*' |
	sed -E 's/^[ ,(\/]//' | sort -u)
is "$(comm -13 <(echo "$all") <(echo "$help") | tr '\n' ' ')" "" "every option of --help is offered"

# make install puts it where bash-completion looks (the default PREFIX:
# nothing is rebuilt under the other tests' feet)
d=$tmp/stage
make -s -C "$root" install DESTDIR="$d" >/dev/null 2>&1
ok_if "make install: \$(PREFIX)/share/bash-completion/completions/limen" \
	cmp -s "$d/usr/local/share/bash-completion/completions/limen" "$comp"
make -s -C "$root" uninstall DESTDIR="$d" >/dev/null 2>&1
ok_if "make uninstall removes it" test ! -e "$d/usr/local/share/bash-completion/completions/limen"
done_testing
