#!/usr/bin/env bash
# What a traced run does once, whatever the program: work it repeated for
# answers it already had.
# * A program's start rewrites several call sites in one mapping (ld.so's
#   text, then libc's): the mapping is asked of the kernel, and
#   coredump_filter read, once per mapping, not once per site
#   (src/runtime/rewrite_known.h); a mapping replaced at the same address
#   is asked about and kept out of core dumps anew.
# * Under limen's loader a process starts with the one thread its exec
#   left: its first rewritten site reads no thread count (/proc/self/stat).
# * An image that holds no user_events registration starts without reading
#   /proc/self/stat for who it is (src/runtime/uevent_refs.c).
# * A start opens the session through the collector's /proc entry once,
#   for its control page and its first ring (src/runtime/ring.c).
# * The command's argv and environment, which end at the top of the stack,
#   are read without a fault of limen's: string reads stop at a page's end
#   (src/runtime/capture.c).
# * An execve from a vfork child, where every read of the program's memory
#   is a process_vm_readv, reads the environment's pointers 64 at a time
#   and their heads a block at a time (src/runtime/exec.c), and the strings
#   for the trace a block at a time (capture.c).
# * The collector reads the command's ELF once, not once to check it and
#   again to start it (src/cli/spawn.c), and learns whose a slot is before
#   it reaps the process: a command that ended before the first drain is
#   not looked for among our descendants in /proc (src/cli/session.c).
# * The command's child, before its exec, resets the handlers the collector
#   set (SIGTERM, SIGHUP, SIGCHLD), not every signal's after asking the
#   kernel for it: 64 calls more in every run (src/cli/spawn.c).
# * Once the whole tree is gone, the rings are left as they are: the
#   session's memory goes with the collector, no hole is punched in it and
#   no ring unmapped first (src/cli/session.c, free_slot); nor is one
#   made present ahead for a thread that will write no more
#   (populate_ahead).
. "$(dirname "$0")/../lib.sh"
need_limen
command -v strace >/dev/null || skip_all "strace is not installed"
plan 20

# the traced program's calls, limen's among them (the collector's: the
# first line's pid, left out)
strace -f -o "$tmp/st" -e trace=open,openat,pwrite64 -e signal=none \
	"$LIMEN" trace -e trace=none -o /dev/null -- "$(testbin sysloop)" 0 0 \
	</dev/null >/dev/null 2>&1
own=$(sed -n '1s/ .*//p' "$tmp/st")
grep -v "^$own " "$tmp/st" >"$tmp/prog"
patched=$(grep -c 'pwrite64([0-9]*, "\\351' "$tmp/prog")
maps=$(grep -c 'open("/proc/self/maps"' "$tmp/prog")
filt=$(grep -c 'open("/proc/self/coredump_filter"' "$tmp/prog")
if [ "$patched" -lt 3 ]; then
	skip "sites_of_one_mapping_ask_the_kernel_about_it_once" "fewer than 3 sites rewritten ($patched)"
	skip "sites_of_one_mapping_read_coredump_filter_once" "fewer than 3 sites rewritten ($patched)"
else
	# ld.so's and libc's text: fewer questions than sites
	ok_if "sites_of_one_mapping_ask_the_kernel_about_it_once ($patched sites, $maps queries)" \
		test "$maps" -lt "$patched"
	ok_if "sites_of_one_mapping_read_coredump_filter_once ($patched sites, $filt reads)" \
		test "$filt" -lt "$patched"
fi
n=$(grep -c 'open("/proc/self/stat"' "$tmp/prog")
is "$n" 0 "a_loaded_command_reads_no_thread_count ($patched sites)"
diag_file "$tmp/prog"

# the runtime's start in the command, before its first call (the first
# SIGSYS: ld.so's first call)
strace -f -o "$tmp/init" -e trace=open,openat \
	"$LIMEN" trace -e trace=none -o /dev/null -- "$(testbin sysloop)" 0 0 \
	</dev/null >/dev/null 2>&1
own=$(sed -n '1s/ .*//p' "$tmp/init")
grep -v "^$own " "$tmp/init" | sed '/--- SIGSYS/q' >"$tmp/start"
n=$(grep -c 'open("/proc/[a-z0-9]*/stat"' "$tmp/start")
is "$n" 0 "an_image_without_user_events_starts_without_reading_proc_stat"
n=$(grep -c "open(\"/proc/$own/fd/[0-9]*\"" "$tmp/start")
is "$n" 1 "the_start_opens_the_session_once"
diag_file "$tmp/start"

# every signal the command's process got, limen's own faults among them.
# The strings at the top of the stack are the environment, then the path
# the loader was exec'd by: with a short one (limen copied to a short
# directory) and a short command, the last strings are within one read of
# the stack's end.
mkdir "$tmp/b"
cp "$LIMEN" "$(dirname "$LIMEN")/limen-loader" "$(dirname "$LIMEN")/liblimen.so" "$tmp/b/"
strace -f -o "$tmp/sig" -e trace=execve \
	env -i A=1 "$tmp/b/limen" trace -o /dev/null -- /bin/true \
	</dev/null >/dev/null 2>&1
own=$(sed -n '1s/ .*//p' "$tmp/sig")
n=$(grep -v "^$own " "$tmp/sig" | grep -c -- '--- SIGSEGV')
is "$n" 0 "the_start_reads_argv_and_the_environment_without_a_fault"
diag_file "$tmp/sig"
# strings read in two pieces, and one that ends at an inaccessible page
"$LIMEN" trace -o "$tmp/pagestr" -- "$(testbin pagestr)" >/dev/null 2>&1 </dev/null
ok_if "a_path_across_a_page_boundary_is_shown_whole" \
	grep -q 'openat(AT_FDCWD, "/nonexistent/limen-across-a-page-boundary", O_RDONLY) *= -1 ENOENT' "$tmp/pagestr"
ok_if "a_path_ending_at_an_inaccessible_page_is_shown_whole" \
	grep -q 'openat(AT_FDCWD, "/nonexistent/limen-at-a-page-end", O_RDONLY) *= -1 ENOENT' "$tmp/pagestr"
diag_file "$tmp/pagestr"

# a vfork child's execve of /bin/echo with 40 variables (and limen's)
vars=()
for i in $(seq 40); do vars+=("LIMEN_TEST_V$i=x"); done
strace -f -o "$tmp/vf" -e trace=process_vm_readv,execve \
	env -i "${vars[@]}" "$LIMEN" trace -o /dev/null -- "$(testbin vfork)" \
	</dev/null >/dev/null 2>&1
child=$(grep 'execve("/bin/echo"' "$tmp/vf" | head -n1 | cut -d' ' -f1)
# reads of one pointer (8 bytes): one per variable before
n=$(grep "^$child " "$tmp/vf" |
	grep -c 'iov_len=8}], 1, \[{iov_base=0x[0-9a-f]*, iov_len=8}')
ok_if "a_vfork_childs_execve_reads_the_environment_pointers_together ($n one-pointer reads)" \
	test -n "$child" -a "$n" -lt 10
# the trace's reads of the strings: -s 32, 33 bytes each before
n=$(grep "^$child " "$tmp/vf" | grep -c 'iov_len=33}], 1, 0)')
ok_if "a_vfork_childs_execve_strings_are_read_a_block_at_a_time ($n one-string reads)" \
	test -n "$child" -a "$n" -lt 10
# the heads of the variables, for limen's own: 31 bytes each before
n=$(grep "^$child " "$tmp/vf" | grep -c 'iov_len=31}], 1, 0)')
ok_if "a_vfork_childs_execve_heads_are_read_a_block_at_a_time ($n one-head reads)" \
	test -n "$child" -a "$n" -lt 10
diag_file "$tmp/vf"

# the collector's own calls (no -f): the command's file opened once
strace -o "$tmp/own" "$LIMEN" trace -o /dev/null -- /bin/true </dev/null >/dev/null 2>&1
is "$(grep -c 'open[a-z]*(.*"/bin/true"' "$tmp/own")" 1 \
	"the_collector_reads_the_commands_elf_once"
is "$(grep -c -E 'getdents64|/children"' "$tmp/own")" 0 \
	"a_command_that_ended_before_the_first_drain_is_not_searched_for"
is "$(grep -c 'fallocate(' "$tmp/own")" 0 \
	"the_rings_are_not_given_back_once_the_tree_is_gone"
# (a drain while the command still ran may make its ring present ahead)
is "$(sed -n '/wait4(.*ECHILD/,$p' "$tmp/own" | grep -c 'MADV_POPULATE_WRITE')" 0 \
	"no_ring_is_made_present_ahead_once_the_tree_is_gone"

# the child's calls between the vfork and its exec
# (^C and ^\ at their default, which a background job of a shell without
# job control, as make check may be, does not have: limen then leaves them)
child_calls() {
	strace -f -o "$tmp/child" -e trace=vfork,clone,clone3,execve,rt_sigaction \
		env --default-signal=INT,QUIT \
		"$LIMEN" trace -o /dev/null -- /bin/true </dev/null >/dev/null 2>&1
	own=$(sed -n '1s/ .*//p' "$tmp/child")
	kid=$(grep -v "^$own " "$tmp/child" | head -n1 | cut -d' ' -f1)
	grep "^$kid " "$tmp/child" | sed '/execve(/q' >"$tmp/kid"
}
# among the resets the ^C and ^\ limen catches until the command starts:
# a signal sent between the vfork and the exec would run limen's handler
# in the child otherwise
child_calls
n=$(grep -c 'rt_sigaction(' "$tmp/kid")
ok_if "the_commands_child_resets_only_the_handlers_the_collector_set ($n calls)" \
	test -n "$kid" -a "$n" -ge 1 -a "$n" -le 8
for sig in SIGINT SIGQUIT; do
	# (strace pads a pid below 10000 with a second space)
	ok_if "the_commands_child_resets_limens_$sig" \
		grep -q "^$kid  *rt_sigaction($sig, {sa_handler=SIG_DFL" "$tmp/kid"
done
diag_file "$tmp/child"

# a file's executable mapping whose site is rewritten, mapped again over
# itself (MAP_FIXED), then unmapped and mapped again at the same address:
# each new mapping rewritten is kept out of core dumps as the first
"$LIMEN" trace -o /dev/null -- "$(testbin remap_site)" "$tmp" \
	>"$tmp/remap" 2>&1 </dev/null
diag_file "$tmp/remap"
is "$(grep -c 'rewritten=1 dd=1' "$tmp/remap")" 3 \
	"a_mapping_replaced_at_the_same_address_is_kept_out_of_core_dumps_anew"
is "$("$(testbin remap_site)" "$tmp" | grep -c 'rewritten=0 dd=0')" 3 \
	"bare: the sites are not rewritten, the mappings not marked"
