#!/bin/bash
# SPDX-License-Identifier: MIT
#
# -b execve: a detached process whose parent ignores SIGCHLD is reaped by
# the kernel, and no wait tells its end; its id may then be given to a
# later child. The later child is traced and shown (its calls, its end),
# not taken for the detached one: a thread or process that starts with an
# id the collector and the text sink still hold for a detached one ends
# what they held (src/collector/collector.c, id_reused; src/sinks/text.c,
# gone_forget). tests/progs/reuse_detached.c gets the same id back with
# clone3's set_tid, which needs a PID namespace of its own (unshare -Urpf;
# skipped where neither root nor user namespaces are to be had); the
# detached one is made by fork or by posix_spawn (whose return tells limen
# at once that its execve succeeded).
. "$(dirname "$0")/../lib.sh"
need_limen
prog=$(testbin reuse_detached)
[ -x "$prog" ] || skip_all "tests/progs/reuse_detached not built ($prog)"
command -v unshare >/dev/null || skip_all "no unshare"
ns=(unshare -Urpf --mount-proc)
"${ns[@]}" true 2>/dev/null || ns=(unshare -pf --mount-proc)
"${ns[@]}" true 2>/dev/null ||
	skip_all "cannot create a PID namespace here (needs root or user namespaces)"
out=$("${ns[@]}" "$prog")
[ "${out#reused }" != "$out" ] || skip_all "the id cannot be had again here: $out"

for how in fork spawn; do
for opts in "" "-e trace=getppid,exit_group" "-e trace=none" "-e trace=execve" \
	"-e trace=clone3,getppid" "--no-rewrite"; do
	out=$(LIMEN_TABLE_STATS=1 "${ns[@]}" "$LIMEN" trace -f -b execve $opts \
		-o "$tmp/t" -- "$prog" $how 2>"$tmp/err")
	pid=${out#reused }
	case $opts in
	*none*|*execve) want="" ;;
	*) want="$pid getppid() = N" ;;
	esac
	got=$(grep -E "^$pid +getppid\(" "$tmp/t" | sed -E 's/ +/ /g; s/= [0-9]+$/= N/')
	is "$got" "$want" "a_child_given_a_detached_process_s_id_shows_its_calls ($how, ${opts:-full trace})"
	is "$(grep -cE "^$pid +\+\+\+ exited with 7 \+\+\+\$" "$tmp/t")" 1 \
		"a_child_given_a_detached_process_s_id_shows_its_end ($how, ${opts:-full trace})"
	is "$(grep -c 'detached on execve' "$tmp/t")" 1 \
		"the_detached_process_is_noted_once_when_its_id_is_reused ($how, ${opts:-full trace})"
	# nothing of either process is held once the trace ends
	is "$(grep 'tables:' "$tmp/err")" "limen: tables: 0 threads, 0 processes" \
		"a_detached_process_reaped_by_the_kernel_leaves_no_table_entry ($how, ${opts:-full trace})"
done
done
done_testing
