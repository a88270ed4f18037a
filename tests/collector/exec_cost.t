#!/usr/bin/env bash
# What each traced exec costs, whatever the program: work limen did at
# every one of them for nothing.
# * A process that records less than half a 64th of its ring makes none
#   of it present ahead (src/runtime/ring.c, ring_ahead): a free slot's
#   ring goes on from its last owner's head, and the thread's first lap
#   starts at its first record, not at the start of that 64th.
# * A vfork child's execve (sh's, posix_spawn's) reads the program's
#   memory with plain loads, not one process_vm_readv a read
#   (src/runtime/clone.c, vfork_child_reads).
# * An execve's plan (step_aside.c) is made in the mapping the new
#   environment is built in (exec.c): one mmap an exec, not two and a
#   munmap.
# * A process with one thread looks for a tracer in /proc/self/status,
#   not /proc/thread-self/status, which costs the kernel one directory
#   more to make for a new process (src/runtime/step_aside.c, ptraced);
#   and it still finds strace there.
# * Under limen's loader, ld.so's text is the mapping its first sites are
#   rewritten in, and the loader has just mapped it: the runtime does not
#   ask the kernel about it (/proc/self/maps, PROCMAP_QUERY) at every exec
#   (src/loader/loader.c, text_mapping; src/runtime/rewrite_known.h).
# * The collector reads a new process's /proc/PID/status once to learn
#   whose its slot is, not once more to find its parent (src/cli/session.c,
#   descendant).
# * A slot whose process is gone when the collector looks (a shell's short
#   child, reaped already) makes it look for the thread among our
#   descendants in nested PID namespaces; a task in ours is known to be
#   by its ns/pid link, without its status (src/cli/session.c,
#   same_pidns).
# * A fork or vfork child maps its ring as a second mapping of the control
#   page's, not through an open of the collector's /proc entry, its check
#   and a close (src/runtime/ring.c, map_ring).
# * The collector keeps a few freed slots' rings mapped (their pages
#   punched out): a shell's next child claims the slot its last one had,
#   whose ring it unmapped and mapped again at every exec, twice
#   (src/cli/session.c, free_slot).
# * ld.so's sites are rewritten at their third call: ld.so calls each
#   once a library, and a program with libc alone (/bin/true) paid four
#   rewrites for sites it never called again (src/runtime/rewrite.c).
# * Where PKRU lies in a signal frame is found with an XSAVE, not three
#   CPUID, each an exit to the hypervisor in a VM, and a process of one
#   thread takes the XSAVE area's size from the frame at a vfork, not two
#   more (src/runtime/pkru.c).
# * A shell keeps its last vfork children's rings mapped (four) and the
#   mapping its last child's execve was planned in: its next child takes
#   them over, where each child mapped a ring (mremap, munmap, madvise)
#   and a buffer, and the shell unmapped both when it exec'd
#   (src/runtime/ring.c, limen_ring_vfork_done; src/runtime/exec.c,
#   limen_exec_buf_done).
# * A vfork child that has not slept since its clone (sh's, posix_spawn's)
#   has no tracer (a traced thread stops at the SIGSYS of its execve, and
#   a stop counts as a voluntary context switch): it does not look for
#   one in /proc/self/status (src/runtime/step_aside.c, never_stopped).
# * An image's start looks for its user events' holds, user_events_data
#   files and tracefs working directory only once some process of the
#   session has taken one (src/session/session.h, uev_used): six pages
#   of the session, six page faults at every exec, left alone.
. "$(dirname "$0")/../lib.sh"
need_limen
command -v strace >/dev/null || skip_all "strace is not installed"
plan 16

# forty fork children that each record a few hundred bytes, one after the
# other: with a 64 KiB ring (a 64th is a page), their slot's ring goes on
# where the last one's ended, half the time in a 64th's second half
strace -f -o "$tmp/pop" -e trace=madvise,execve -e signal=none \
	"$LIMEN" trace --ring-size 64K -o /dev/null -- sh -c \
	'i=0; while [ $i -lt 40 ]; do (echo x >/dev/null); i=$((i + 1)); done' \
	</dev/null >/dev/null 2>&1
own=$(sed -n '1s/ .*//p' "$tmp/pop")
sh=$(grep -v "^$own " "$tmp/pop" | grep -m1 'execve(' | cut -d' ' -f1)
n=$(grep 'MADV_POPULATE_WRITE' "$tmp/pop" |
	awk -v o="$own" -v s="$sh" '$1 != o && $1 != s' | wc -l)
ok_if "a_short_process_makes_no_page_of_a_reused_ring_present_ahead ($n madvise)" \
	test -n "$sh" -a "$n" -eq 0
diag_file "$tmp/pop"

# the calls of a command's children that exec: its own process, the
# collector's and the children's first call (the vfork's return) left out
child_reads() {
	local own kid n=0
	own=$(sed -n '1s/ .*//p' "$1")
	for kid in $(grep -v "^$own " "$1" | grep 'execve("/bin/echo"' |
		cut -d' ' -f1 | sort -u); do
		n=$((n + $(grep "^$kid " "$1" | sed '/execve(/q' |
			grep -c 'process_vm_readv(')))
	done
	echo "$n"
}
vars=()
for i in $(seq 40); do vars+=("LIMEN_TEST_V$i=x"); done
strace -f -o "$tmp/vf" -e trace=process_vm_readv,execve \
	env -i "${vars[@]}" "$LIMEN" trace -o /dev/null -- "$(testbin vfork)" \
	</dev/null >/dev/null 2>&1
n=$(child_reads "$tmp/vf")
kids=$(grep -c 'execve("/bin/echo"' "$tmp/vf")
ok_if "a_vfork_childs_execve_reads_with_plain_loads ($n reads, $kids children)" \
	test "$kids" -ge 1 -a "$n" -eq 0
diag_file "$tmp/vf"

strace -f -o "$tmp/sp" -e trace=process_vm_readv,execve \
	env -i "${vars[@]}" PATH=/bin:/usr/bin "$LIMEN" trace -o /dev/null -- \
	"$(testbin spawn)" </dev/null >/dev/null 2>&1
n=$(child_reads "$tmp/sp")
kids=$(grep -c 'execve("/bin/echo"' "$tmp/sp")
ok_if "a_posix_spawn_childs_execve_reads_with_plain_loads ($n reads, $kids children)" \
	test "$kids" -ge 1 -a "$n" -eq 0
diag_file "$tmp/sp"

# a shell's child execs under strace -f: its tracer is found, by the
# leader's own status file
strace -f -o "$tmp/tr" -e trace=open,openat,execve \
	"$LIMEN" trace -o "$tmp/tr.out" -- sh -c '/bin/true' </dev/null >/dev/null 2>&1
kid=$(grep 'execve("/bin/true"' "$tmp/tr" | head -n1 | cut -d' ' -f1)
self=$(grep "^$kid " "$tmp/tr" | grep -c 'open("/proc/self/status"')
thread=$(grep "^$kid " "$tmp/tr" | grep -c 'open("/proc/thread-self/status"')
ok_if "a_single_threaded_process_looks_for_its_tracer_in_proc_self_status ($self of self, $thread of thread-self)" \
	test -n "$kid" -a "$self" -eq 1 -a "$thread" -eq 0
ok_if "a_single_threaded_process_under_strace_is_left_to_it" \
	grep -q "not traced: traced with ptrace" "$tmp/tr.out"
diag_file "$tmp/tr"

# the same child's mappings from its execve's trap to the call
strace -f -o "$tmp/mm" -e trace=mmap,munmap,execve \
	"$LIMEN" trace -o /dev/null -- sh -c '/bin/true' </dev/null >/dev/null 2>&1
kid=$(grep 'execve("/bin/true"' "$tmp/mm" | head -n1 | cut -d' ' -f1)
n=$(grep "^$kid " "$tmp/mm" | sed -n '/si_syscall=__NR_execve/,/execve(/p' |
	grep -c -E 'munmap\(|mmap\(NULL, [0-9]+, PROT_READ\|PROT_WRITE, MAP_PRIVATE\|MAP_ANONYMOUS')
ok_if "an_execve_maps_one_buffer_for_its_plan_and_environment ($n calls)" \
	test -n "$kid" -a "$n" -eq 1
diag_file "$tmp/mm"

# the command's own start under the loader (the command is not an exec of
# a traced process: strace -f does not make limen step aside)
strace -f -o "$tmp/ld" -e trace=open,openat,ioctl -e signal=none \
	"$LIMEN" trace -o /dev/null -- /bin/true </dev/null >/dev/null 2>&1
own=$(sed -n '1s/ .*//p' "$tmp/ld")
n=$(grep -v "^$own " "$tmp/ld" | grep -c 'open("/proc/self/maps"')
m=$(grep -v "^$own " "$tmp/ld" | grep -c 'open("/proc/self/mem"')
ok_if "ld_sos_text_is_known_from_the_loader_not_asked_of_the_kernel ($n opens of maps, $m rewrites)" \
	test "$m" -ge 1 -a "$n" -eq 0
diag_file "$tmp/ld"

# the collector alone (strace without -f): sleep, a fork child of sh that
# execs, is alive when its slots are identified (its fork's, its exec's)
strace -o "$tmp/col" -e trace=openat \
	"$LIMEN" trace -o "$tmp/col.out" -- sh -c 'sleep 0.3; :' \
	</dev/null >/dev/null 2>&1
kid=$(grep -m1 'execve("[a-z/]*sleep"' "$tmp/col.out" | cut -d' ' -f1)
n=$(grep -c "\"/proc/$kid/status\"" "$tmp/col")
ok_if "a_new_processs_status_is_read_once_a_slot ($n reads, 2 slots)" \
	test -n "$kid" -a "$n" -le 2 -a "$n" -ge 1
diag_file "$tmp/col"

strace -o "$tmp/walk" -e trace=openat,readlink \
	"$LIMEN" trace -o /dev/null -- sh -c \
	'i=0; while [ $i -lt 20 ]; do /bin/true; i=$((i + 1)); done' \
	</dev/null >/dev/null 2>&1
walks=$(grep -c '/task", O_RDONLY' "$tmp/walk")
n=$(grep '/task/[0-9]*/status"' "$tmp/walk" | grep -c -v ENOENT)
if [ "$walks" -eq 0 ]; then
	skip "a_task_in_our_pid_namespace_is_known_without_its_status" "no slot was identified after its process was gone"
else
	ok_if "a_task_in_our_pid_namespace_is_known_without_its_status ($n status reads, $walks task lists)" \
		test "$n" -eq 0
fi
diag_file "$tmp/walk"

# sh's children (a fork for the subshell, vforks for the commands) up to
# their execve
strace -f -o "$tmp/rg" -e trace=open,execve,mremap -e signal=none \
	"$LIMEN" trace -o /dev/null -- sh -c '/bin/true; (/bin/true); :' \
	</dev/null >/dev/null 2>&1
own=$(sed -n '1s/ .*//p' "$tmp/rg")
sh=$(grep -v "^$own " "$tmp/rg" | grep -m1 'execve(' | cut -d' ' -f1)
n=0 kids=0
for kid in $(grep -v -e "^$own " -e "^$sh " "$tmp/rg" | cut -d' ' -f1 | sort -u); do
	kids=$((kids + 1))
	n=$((n + $(grep "^$kid " "$tmp/rg" | sed '/execve(/q' |
		grep -c "open(\"/proc/$own/fd/")))
done
ok_if "a_fork_or_vfork_child_maps_its_ring_without_a_descriptor ($n opens, $kids children)" \
	test "$kids" -ge 2 -a "$n" -eq 0
diag_file "$tmp/rg"

# (a sleep between: each child's slot is freed before the next child
# starts, as the collector sees the exit, even on a loaded machine, where
# without it the children came faster than their exits were seen: 28 maps
# for 38 slots freed in one run under two busy loops, against 9-22 quiet)
strace -o "$tmp/keep" -e trace=mmap,munmap,fallocate \
	"$LIMEN" trace -o /dev/null -- sh -c \
	'i=0; while [ $i -lt 20 ]; do /bin/true; sleep 0.02; i=$((i + 1)); done' \
	</dev/null >/dev/null 2>&1
maps=$(grep -c 'MAP_SHARED, [0-9]*, 0x[0-9a-f]*) = ' "$tmp/keep")
punched=$(grep -c 'fallocate(' "$tmp/keep")
ok_if "the_collector_keeps_freed_rings_mapped_for_the_next_children ($maps ring maps, $punched slots freed)" \
	test "$punched" -ge 20 -a $((4 * maps)) -lt $((3 * punched))
diag_file "$tmp/keep"

# /bin/true's ld.so calls each of its sites once per library (libc): the
# sites it calls twice are not rewritten, those it calls more are, at
# their third call (src/runtime/rewrite.c, SITE_SEEN_LDSO; ld.so's text is
# known under limen's loader)
if dynamic_via_loader; then
	strace -f -o "$tmp/ld3" -e trace=open,execve -e signal=SIGSYS \
		"$LIMEN" trace -o /dev/null -- /bin/true </dev/null >/dev/null 2>&1
	own=$(sed -n '1s/ .*//p' "$tmp/ld3")
	grep -v "^$own " "$tmp/ld3" | awk '
		/SIGSYS/ { match($0, /si_call_addr=0x[0-9a-f]*/); a = substr($0, RSTART, RLENGTH); n[a]++; last = a; next }
		/open\("\/proc\/self\/mem"/ { w++; if (n[last] < 3) early++ }
		END { printf "%d %d\n", w, early }' >"$tmp/ld3.n"
	read -r w early <"$tmp/ld3.n"
	ok_if "ld_sos_sites_are_rewritten_at_their_third_call ($w rewrites, $early before a third call)" \
		test "$w" -ge 1 -a "$early" -eq 0
	diag_file "$tmp/ld3"
else
	skip "ld_sos_sites_are_rewritten_at_their_third_call" "ld.so's text is known under limen's loader only"
fi

# an image's runtime runs no CPUID at its start nor at its first vfork
# (each exits the VM: about 6 us here): where PKRU lies in a signal frame
# is found with an XSAVE (src/runtime/pkru.c, pkru_off_xsave), or not
# looked for where the frame's features lack PKRU (a CPU or a kernel
# without PKU: it was asked of CPUID there, twice), and the
# XSAVE area's size a child's registers are loaded from is the frame's in
# a process of one thread (limen_fpu_inherit). Every cpuid of limen's
# loader gets a breakpoint in the command's image, run under ptrace (its
# child steps aside at its exec).
loader=$(dirname "$LIMEN")/limen-loader
offs=$(objdump -d --no-show-raw-insn "$loader" 2>/dev/null |
	awk '$2 == "cpuid" { sub(":", "", $1); printf "%s ", $1 }')
if ! dynamic_via_loader || [ -z "$offs" ]; then
	skip "an_images_start_and_first_vfork_run_no_cpuid" "no objdump, or not under limen's loader"
else
	# shellcheck disable=SC2086
	n=$("$(testbin cpuidhits)" "$loader" $offs -- \
		"$LIMEN" trace -o /dev/null -- sh -c '/bin/true; :' </dev/null 2>/dev/null)
	ok_if "an_images_start_and_first_vfork_run_no_cpuid (${n:-?} of limen's)" test "${n:-1}" -eq 0
fi

# the shell's own calls (strace -p: its children are not traced, and
# limen does not step aside for them) while it runs /bin/true 20 times
# (paced, as above: 14 munmaps for 20 children in one run under two busy
# loops without; the bound is the one it had for 20 children, 8, per
# child: with a sleep child after each, 10 for 40 in a run under load)
"$LIMEN" trace -o /dev/null -- sh -c \
	'sleep 1; i=0; while [ $i -lt 20 ]; do /bin/true; sleep 0.02; i=$((i + 1)); done' \
	</dev/null >/dev/null 2>&1 &
lpid=$!
shpid=
for _ in $(seq 100); do
	shpid=$(pgrep -P "$lpid" -x sh) && break
	sleep 0.01
done
: >"$tmp/keep_sh"
[ -n "$shpid" ] && strace -p "$shpid" -o "$tmp/keep_sh" -e trace=munmap,vfork \
	-e signal=none 2>/dev/null &
spid=$!
wait "$lpid"
wait "$spid" 2>/dev/null
kids=$(grep -c 'vfork()' "$tmp/keep_sh")
n=$(grep -c 'munmap(' "$tmp/keep_sh")
ok_if "a_shell_keeps_its_last_childrens_ring_and_exec_buffer_for_the_next ($n munmaps, $kids children)" \
	test "$kids" -ge 10 -a $((5 * n)) -le $((2 * kids))
diag_file "$tmp/keep_sh"

# sh's vfork children: limen's `open`s seen by a seccomp filter's
# supervisor (tests/progs/openwatch), not by ptrace, whose stops would
# make the child look (and step aside); a child that slept between its
# vfork and its execve looks, as it must (some under load)
"$(testbin openwatch)" "$tmp/ow" "$LIMEN" trace -o "$tmp/ow.out" -- sh -c \
	'i=0; while [ $i -lt 10 ]; do /bin/true; i=$((i + 1)); done' \
	</dev/null >/dev/null 2>&1
st=$?
if [ "$st" = 77 ]; then
	skip "a_vfork_child_that_never_slept_looks_for_no_tracer" "no seccomp listener here"
else
	kids=0 n=0
	for kid in $(grep 'execve("/bin/true"' "$tmp/ow.out" | awk '{ print $1 }' |
		sort -u); do
		kids=$((kids + 1))
		n=$((n + $(awk -v k="$kid" '$1 == k { if ($2 == "/bin/true") exit;
			if ($2 == "/proc/self/status") c++ } END { print c + 0 }' "$tmp/ow")))
	done
	ok_if "a_vfork_child_that_never_slept_looks_for_no_tracer ($n of $kids children read their status)" \
		test "$kids" -ge 10 -a $((2 * n)) -lt "$kids"
	diag_file "$tmp/ow"
fi

# an image's start in a session where no process ever took a user
# event's hold or a user_events_data file, nor made a tracefs directory
# its working directory, reads none of their pages: six page faults at
# every exec before (src/session/session.h, uev_used); the pages of this
# process's page table, /proc/self/pagemap's present bit
out=$("$LIMEN" trace -o /dev/null -- sh -c "$(testbin session_pages)" </dev/null 2>&1)
is "$out" "holds 0 files 0" \
	"an_exec_reads_no_user_event_holds_or_files_where_none_were_ever_taken"
