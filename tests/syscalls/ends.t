#!/usr/bin/env bash
# How traced processes end is reported as strace reports it, even for
# processes limen did not start and that no record can speak for (killed by
# a signal): through their parent's wait4, or through limen reaping them as
# the tree's subreaper once they are orphans.
. "$(dirname "$0")/../lib.sh"
need_limen
plan 4

out=$tmp/waited
"$LIMEN" trace -o "$out" -- /bin/sh -c '/bin/sh -c "kill -9 \$\$"; echo waited' >/dev/null 2>&1
is "$?" 0 "the outer shell exits 0"
ok_if "a child killed by SIGKILL and waited for: +++ killed by SIGKILL +++" \
	grep -q -E '^[0-9]+ +\+\+\+ killed by SIGKILL \+\+\+$' "$out"

out=$tmp/orphan
"$LIMEN" trace -o "$out" -- /bin/sh -c '(/bin/sh -c "sleep 0.2; kill -9 \$\$" &); echo left' >/dev/null 2>&1
is "$?" 0 "the shell that left an orphan behind exits 0"
ok_if "an orphan killed by SIGKILL, reaped by limen: +++ killed by SIGKILL +++" \
	grep -q -E '^[0-9]+ +\+\+\+ killed by SIGKILL \+\+\+$' "$out"
