#!/bin/bash
# SPDX-License-Identifier: MIT
#
# when= counters are mapped at a thread's first counted call, its TLS
# holding only a pointer: under LIMEN_LOADER=preload glibc takes liblimen's
# static TLS out of every thread's stack, so 1.9 KiB of counters there
# would leave a program's small-stack threads that much less. The
# counting itself (per thread, afresh in a fork child, across execve) is
# checked by when_exec.t, inject_when_range.t and vs_strace.t.
. "$(dirname "$0")/../lib.sh"
need_limen
lib=$(dirname "$LIMEN")/liblimen.so
command -v readelf >/dev/null || skip_all "no readelf"
[ -f "$lib" ] || skip_all "no liblimen.so"
memsz=$(readelf -lW "$lib" | awk '$1 == "TLS" { print $6 }')
[ -n "$memsz" ] || skip_all "liblimen.so has no PT_TLS"
# the counters alone are 472 * 4 bytes (0x760)
ok_if "when_counters_not_in_static_tls (PT_TLS $memsz)" \
	[ $((memsz)) -lt $((0x760 + 0x300)) ]
done_testing
