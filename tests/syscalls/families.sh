# SPDX-License-Identifier: MIT
# The per-family programs (tests/progs/fam_*.c), for the tests that run them:
# tests/syscalls/families.t (limen prints their lines) and
# tests/oracle/rendering.t (strace 6.1 prints the same lines). Sourced after
# tests/lib.sh.
#
# Every program is called as PROG WORKDIR EXPECTED [STRSIZE]: it makes its
# family's calls with raw syscall() and known arguments, writes the exact
# line limen must print for each one (strace's rendering) to EXPECTED, checks
# the results of its own calls and exits non-zero if one did not behave as
# assumed, or 77 if this kernel lacks the family (System V IPC).

# fam_programs: the built family programs, one path a line.
fam_programs() {
	local p
	for p in "$LIMEN_TESTBIN"/fam_*; do
		[ -x "$p" ] && printf '%s\n' "$p"
	done
}

# fam_strsizes NAME: the -s values each family is also run with, beyond the
# default 32: the families whose buffers, strings and messages are cut.
fam_strsizes() {
	case $1 in
	fam_fs | fam_ipc) echo 4 ;;
	esac
}

# fam_missing PROG: the reason this kernel cannot run the family, or nothing
# (a bare run exiting 77).
fam_missing() {
	local d=$tmp/probe.${1##*/}
	mkdir -p "$d"
	"$1" "$d/work" "$d/expected" >/dev/null 2>&1
	[ $? = 77 ] && echo "this kernel lacks the family (${1##*/} exits 77)"
	return 0
}
