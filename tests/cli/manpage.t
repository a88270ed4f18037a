#!/bin/bash
# SPDX-License-Identifier: MIT
#
# The man page and --help cannot drift: every option --help names is in
# docs/limen.1 and every option the man page names is in --help.
. "$(dirname "$0")/../lib.sh"
need_limen
man=$(dirname "$0")/../../docs/limen.1

opts() { grep -oE -- '(^|[^A-Za-z0-9-])--?[A-Za-z][A-Za-z0-9-]*' | sed -E 's/^[^-]+//' | sort -u; }
help=$(run_limen --help | opts)
page=$(sed 's/\\-/-/g' "$man" | grep -v '^\.\\"' | opts)
is "$(comm -23 <(echo "$help") <(echo "$page") | tr '\n' ' ')" "" "every option of --help is in the man page"
is "$(comm -13 <(echo "$help") <(echo "$page") | tr '\n' ' ')" "" "every option of the man page is in --help"
if command -v groff >/dev/null || command -v man >/dev/null; then
	warn=$(LC_ALL=C.UTF-8 MANWIDTH=80 man -l -P cat "$man" 2>&1 >/dev/null)
	is "$warn" "" "the man page renders without warnings"
else
	skip "man is not installed: the page is not rendered"
fi
done_testing
