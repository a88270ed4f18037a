#!/bin/bash
# SPDX-License-Identifier: MIT
#
# The command inherits the signal dispositions limen was started with, as
# it would bare: limen ignores SIGXFSZ only while it sizes its session's
# memfd (a small `ulimit -f` must be an error, not its death) and then puts
# back the disposition it was given, not SIG_DFL. A caller that ignores
# SIGXFSZ (`trap '' XFSZ`, Python's os.exec* keep it ignored) sees a write
# past RLIMIT_FSIZE fail with EFBIG under limen too, instead of the command
# dying of SIGXFSZ. SIGHUP and SIGTERM, which limen catches to finish
# the trace, are ignored in the command when the caller ignores them
# (nohup), though limen now catches them before the command starts.
. "$(dirname "$0")/../lib.sh"
need_limen
plan 4

# the command writes 8 KiB into a file limited to 1 KiB; its status says
# whether head saw EFBIG (1) or died of SIGXFSZ (153)
over='ulimit -f 1; head -c 8192 /dev/zero >"$1/big" 2>/dev/null; echo "head $?"'
trap '' XFSZ
same_as_bare "SIGXFSZ ignored by the caller: the write fails with EFBIG, as bare" \
	sh -c "$over" sh "$tmp"
same_as_bare "SIGXFSZ ignored by the caller: still ignored in the command" \
	grep '^SigIgn' /proc/self/status
trap - XFSZ
same_as_bare "SIGXFSZ at its default: the command dies of it, as bare" \
	sh -c "$over" sh "$tmp"

# nohup's SIGHUP, and SIGTERM, ignored: ignored in the command too. Not
# under run_limen's timeout, which catches both and so gives its command
# their default
trap '' HUP TERM
is "$("$LIMEN" trace -o /dev/null -- grep '^SigIgn' /proc/self/status)" \
	"$(grep '^SigIgn' /proc/self/status)" \
	"SIGHUP and SIGTERM ignored by the caller (nohup): still ignored in the command"
trap - HUP
trap 'exit 130' TERM
