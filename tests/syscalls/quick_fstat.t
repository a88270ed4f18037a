#!/bin/bash
# SPDX-License-Identifier: MIT
#
# A recorded fstat (glibc's newfstatat(fd, "", AT_EMPTY_PATH): stdio
# makes one at every fopen) takes the quick way of a path call
# (src/runtime/quickpath.c, qpath_empty), as a recorded newfstatat of a
# relative name does, not the full way's hooks: its descriptor is not an
# emulated one, and an empty path names it. Told by what each costs in
# instructions (bench/stepcount: ptrace's single steps, exact, the same
# every run): the two within a quarter of each other, where the full way
# made the fstat 1.75 times the other (2846 and 1610 a call). What the
# quick way records is quick_path.t's (the same lines as the full way's,
# an emulated descriptor's AT_EMPTY_PATH the emulation's).
# LIMEN_STEPCOUNT: another build's bench/stepcount (for a LIMEN of a
# build without one).
. "$(dirname "$0")/../lib.sh"
need_limen
sc=${LIMEN_STEPCOUNT:-$(dirname "$LIMEN")/bench/stepcount}
[ -x "$sc" ] || skip_all "build/bench/stepcount not built ($sc)"

# instructions a call of WHAT (stepcount's own calls), traced with OPTIONS
count() {
	local what=$1
	shift
	"$sc" 50 "$what" "$LIMEN" trace "$@" -o /dev/null -- 2>&1 |
		sed -n "s/^$what: \([0-9]*\)\.[0-9]* instructions a call.*/\1/p"
}

for sel in all newfstatat; do
	e=()
	[ "$sel" = all ] || e=(-e "trace=$sel")
	fs=$(count fstat "${e[@]+"${e[@]}"}")
	fa=$(count fstatat "${e[@]+"${e[@]}"}")
	if [ -z "$fs" ] || [ -z "$fa" ]; then
		fail "stepcount counted ($sel)" "fstat: '$fs', fstatat: '$fa'"
		continue
	fi
	ok_if "a_recorded_fstat_takes_the_quick_way ($sel: $fs instructions, a relative newfstatat $fa)" \
		[ $((fs * 4)) -le $((fa * 5)) ]
done
done_testing
