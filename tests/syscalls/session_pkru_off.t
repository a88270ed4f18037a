#!/bin/bash
# SPDX-License-Identifier: MIT
#
# Any traced process can write the session's control page. One that wrote
# the collector's word of PKRU's place in a signal frame (ctl->pkru_off, 1
# or a wrong offset) made every image exec'd after it in the session,
# another process's too, lose pkey_alloc's new rights (SIGSEGV
# SEGV_PKUERR at the first store to the key's page), when each image took
# that word instead of asking the CPU (src/runtime/init.c, pkru.c).
# tests/progs/session_scribble.c.
. "$(dirname "$0")/../lib.sh"
need_limen
prog=$(testbin session_scribble)
[ -x "$prog" ] || skip_all "tests/progs/session_scribble not built ($prog)"
[ "$("$prog" victim)" != "no pkeys" ] || skip_all "no protection keys here (CPU or kernel)"

for v in 1 641 4096; do
	out=$(run_limen trace -e trace=none -o /dev/null -- \
		sh -c "'$prog' hostile $v; '$prog' victim" 2>&1)
	is "$?:$out" "0:hostile: written
victim: wrote the key's page" \
		"a_later_image_keeps_pkey_allocs_rights_whatever_a_process_wrote_in_the_session (pkru_off $v)"
done
done_testing
