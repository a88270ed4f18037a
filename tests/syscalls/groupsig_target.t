#!/bin/bash
# SPDX-License-Identifier: MIT
#
# A signal sent to the process goes to the thread the kernel picks without
# limen (tests/progs/groupsig_target.c):
#  - a thread that kill()s its own process while the main thread sleeps in
#    pthread_join, a read or nanosleep: the kernel tries the leader first,
#    and the main thread's handler runs. Under limen the sender's next
#    trapped call used to take it (the kernel delivers the trap's SIGSYS
#    and, on the same way back, the process's pending signal), see
#    src/runtime/group_signal.c. The kernel's choice is deterministic here
#    (the leader asleep, the signal unblocked), so each case runs several
#    times and every run must match;
#  - a SIGSEGV, SIGBUS or SIGTRAP sent by another process that the kernel
#    hands to a thread whose view blocks it (the leader has ended) goes on
#    to the thread that does not block it; and a handler runs at all once
#    the leader has ended (limen's reads of the program's memory named the
#    zombie leader);
#  - Python's faulthandler, the case it was found with.
. "$(dirname "$0")/../lib.sh"
need_limen
prog=$(testbin groupsig_target)
[ -x "$prog" ] || skip_all "tests/progs/groupsig_target not built ($prog)"
plan 19

# same_each_time N DESC CMD...: CMD under limen N times, each run's
# output, errors and status the same as bare
same_each_time() {
	local n=$1 desc=$2 i
	shift 2
	_run_to "$tmp/bare" "$@"
	for ((i = 1; i <= n; i++)); do
		_run_to "$tmp/limen" "$LIMEN" trace -o "$tmp/trace" -- "$@"
		if ! cmp -s "$tmp/bare.out" "$tmp/limen.out" ||
			! cmp -s "$tmp/bare.err" "$tmp/limen.err" ||
			! cmp -s "$tmp/bare.st" "$tmp/limen.st"; then
			fail "$desc" "run $i of $n: bare: $(cat "$tmp/bare.out" "$tmp/bare.err") ($(cat "$tmp/bare.st"))" \
				"under limen: $(cat "$tmp/limen.out" "$tmp/limen.err") ($(cat "$tmp/limen.st"))"
			return 0
		fi
	done
	pass "$desc"
}

usr1=$(kill -l USR1)
bus=$(kill -l BUS)
for how in join read sleep; do
	same_each_time 5 "a_kill_of_the_process_from_a_thread_reaches_the_main_thread_asleep_in_${how}" \
		"$prog" "$how" "$usr1"
	same_each_time 3 "a_kill_of_SIGBUS_from_a_thread_reaches_the_main_thread_asleep_in_${how}" \
		"$prog" "$how" "$bus"
	LIMEN_NO_REWRITE=1 same_each_time 3 \
		"a_kill_from_a_thread_reaches_the_main_thread_asleep_in_${how}_with_--no-rewrite" \
		"$prog" "$how" "$usr1"
	LIMEN_LOADER=preload same_each_time 3 \
		"a_kill_from_a_thread_reaches_the_main_thread_asleep_in_${how}_with_LD_PRELOAD" \
		"$prog" "$how" "$usr1"
done
LIMEN_LOADER=preload LIMEN_NO_REWRITE=1 same_each_time 3 \
	"a_kill_of_SIGBUS_from_a_thread_reaches_the_main_thread_with_LD_PRELOAD_and_--no-rewrite" \
	"$prog" read "$bus"

# another process's signal goes back to the process through a pidfd of
# the thread (PIDFD_SIGNAL_THREAD_GROUP, Linux 6.9)
IFS=.- read -r kmaj kmin _ <<<"$(uname -r)"
pidfd_group=0
((kmaj > 6 || (kmaj == 6 && kmin >= 9))) && pidfd_group=1
for s in SEGV BUS TRAP; do
	d="a_SIG${s}_from_another_process_goes_on_from_the_thread_that_blocks_it_to_the_one_that_does_not"
	if [ $pidfd_group = 1 ]; then
		same_as_bare "$d" "$prog" zombie "$(kill -l "$s")"
	else
		skip "$d" "Linux $(uname -r) < 6.9: no PIDFD_SIGNAL_THREAD_GROUP"
	fi
done
same_as_bare "a_handler_runs_after_the_main_thread_has_ended" \
	"$prog" zombie "$usr1"
d=a_SIGSEGV_from_another_process_reaches_the_thread_that_does_not_block_it_with_LD_PRELOAD
if [ $pidfd_group = 1 ]; then
	LIMEN_LOADER=preload same_as_bare "$d" "$prog" zombie "$(kill -l SEGV)"
else
	skip "$d" "Linux $(uname -r) < 6.9: no PIDFD_SIGNAL_THREAD_GROUP"
fi

# the case it was found with: Python's faulthandler prints the stack of the
# thread its handler runs in, the main thread's (in join) without limen
# (the sender waits for the main thread to be in join: start() also waits
# in a futex, for the new thread to run, and a kill then shows start)
fh='import faulthandler, os, signal, sys, threading
faulthandler.enable(all_threads=False)
main = threading.get_native_id()
ident = threading.get_ident()
def send():
    while True:
        fr = sys._current_frames().get(ident)
        while fr and fr.f_code.co_name != "join":
            fr = fr.f_back
        if not fr:
            continue
        with open("/proc/self/task/%d/syscall" % main) as f:
            if f.read().split()[0] == "202":
                break
    os.kill(os.getpid(), signal.SIGBUS)
t = threading.Thread(target=send)
t.start(); t.join()'
if py=$(python_with faulthandler) &&
	"$py" -c 'import threading; threading.get_native_id' 2>/dev/null; then
	same_each_time 8 "pythons_faulthandler_prints_the_main_threads_stack_for_a_SIGBUS_kill_from_a_thread" \
		"$py" -c "$fh"
else
	skip "pythons_faulthandler_prints_the_main_threads_stack_for_a_SIGBUS_kill_from_a_thread" \
		"no python3 >= 3.8"
fi
done_testing
