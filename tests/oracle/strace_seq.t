#!/bin/bash
# SPDX-License-Identifier: MIT
#
# strace as the oracle, call by call: for each workload, every thread's
# sequence of system calls (name and result) under limen must be the one
# strace shows for the same thread in a separate run of the same command,
# from the image's first instruction (limen's loader, the default); under
# LIMEN_LOADER=preload (strace_seq_preload.t) after strace's loader prefix
# (the calls ld.so makes before liblimen's constructor arms the runtime).
#
# The comparison itself is tests/oracle/seqdiff.py: threads and processes
# are named by the order in which they were created (ids differ between
# runs), cut into process images at each execve, results normalized
# (addresses, ids, times; errors keep their name), unfinished/resumed
# pairs joined, strace's restarted calls folded, signals and rt_sigreturn
# left out (their timing is not deterministic, and limen does not see
# signals the program does not catch). One check per thread and image.
#
# Each workload runs in a clean environment (env -i), in a directory that
# is rebuilt identically at the same path before each run, with stdin from
# /dev/null. If a check fails, the pair of runs is repeated (at most twice
# more); a check passes if it passed in any pair, so that a difference of
# timing in the workload is not blamed on limen, but a difference that
# shows every time is.
. "$(dirname "$0")/../lib.sh"
need_limen
command -v strace >/dev/null || skip_all "strace not installed"
command -v python3 >/dev/null || skip_all "python3 not installed"
strace -f -o "$tmp/probe" true >/dev/null 2>&1 && [ -s "$tmp/probe" ] ||
	skip_all "strace cannot trace here (ptrace not permitted?)"

SEQDIFF=$_lib_dir/oracle/seqdiff.py
W=$tmp/w           # the workload's directory, the same path in every run
RUNS=5             # at most this many strace/limen pairs per workload

# The environment of every traced command.
# MALLOC_ARENA_MAX=1: a thread's first malloc makes no 128 MiB arena,
# whose trim takes one munmap or two depending on where ASLR put it (1
# run in 19 here, bare), and the sequences would differ for that
ENV=(env -i PATH=/usr/local/bin:/usr/bin:/bin HOME="$W" LANG=C.UTF-8
	TZ=UTC GIT_CONFIG_NOSYSTEM=1 PERL_HASH_SEED=0 PERL_PERTURB_KEYS=0
	MALLOC_ARENA_MAX=1
	GIT_AUTHOR_DATE='2020-01-01T00:00:00 +0000'
	GIT_COMMITTER_DATE='2020-01-01T00:00:00 +0000')

# strace_seq_preload.t: limen's setting, in both runs' environment alike
[ -n "${LIMEN_LOADER:-}" ] && ENV+=(LIMEN_LOADER="$LIMEN_LOADER")
# limen's loader (the default) starts every image, ld.so included: no
# loader prefix is allowed; under LD_PRELOAD the calls before liblimen's
# constructor are
dynamic_via_loader && export LIMEN_SEQ_NO_PREFIX=1

# prep_*: rebuild $W for a workload (not traced).
prep_empty() { rm -rf "$W" && mkdir -p "$W"; }

gitq() { (cd "$W" && "${ENV[@]}" git -c user.name=T -c user.email=t@e "$@") >/dev/null 2>&1; }

prep_files() {
	prep_empty
	mkdir -p "$W/d/sub"
	local i
	for i in 1 2 3 4 5; do
		printf 'file %s\n%0*d\n' "$i" $((i * 300)) 0 >"$W/d/f$i.txt"
	done
	printf 'nested\n' >"$W/d/sub/n.txt"
	ln -s f1.txt "$W/d/link"
	# Old mtimes: git's "racily clean" check (an entry as new as the
	# index is re-read) must not depend on how fast a run is.
	find "$W/d" -exec touch -h -d '2020-01-01 00:00:00' {} +
}
prep_git_init() { prep_files; }
prep_git_add() { prep_files && gitq init -q; }
prep_git_commit() { prep_files && gitq init -q && (cd "$W" && gitq add d); }
prep_tar() { prep_files; }
prep_tcp() {
	prep_empty
	# Server: listen on 127.0.0.1 port 0, fork a client (bash with
	# /dev/tcp) that sends 3 lines, answering each; bounded by alarm.
	cat >"$W/server.pl" <<'EOF'
use strict;
use Socket;
alarm 20;
socket(my $l, PF_INET, SOCK_STREAM, 0) or die "socket: $!";
setsockopt($l, SOL_SOCKET, SO_REUSEADDR, 1) or die "setsockopt: $!";
bind($l, pack_sockaddr_in(0, inet_aton("127.0.0.1"))) or die "bind: $!";
listen($l, 4) or die "listen: $!";
my ($port) = unpack_sockaddr_in(getsockname($l));
my $pid = fork() // die "fork: $!";
if ($pid == 0) {
	close $l;
	exec "/bin/bash", "-c",
	    'exec 3<>/dev/tcp/127.0.0.1/$1 || exit 2
	     for i in 1 2 3; do
	       echo "ping $i" >&3
	       IFS= read -r line <&3 || exit 3
	       echo "got: $line"
	     done
	     exec 3>&-', "client", $port;
	die "exec: $!";
}
accept(my $c, $l) or die "accept: $!";
my $n = 0;
while ($n < 10) {
	my $got = sysread($c, my $buf, 4096);
	die "read: $!" unless defined $got;
	last if $got == 0;
	syswrite($c, "pong " . $buf) or die "write: $!";
	$n++;
}
close $c;
waitpid($pid, 0);
print "server: $n requests, client status ", $? >> 8, "\n";
exit 0;
EOF
}

# Threads: three in turn, each created and joined before the next (threads
# running at once would make each thread's descriptors and malloc arenas,
# and so its results, a matter of timing).
prep_threads() {
	prep_empty
	cat >"$W/threads.pl" <<'EOF'
use strict;
use threads;
my $sum = 0;
for my $i (1 .. 3) {
	$sum += threads->create(sub {
		open(my $f, '<', "/etc/passwd") or die "open: $!";
		my @l = <$f>;
		close $f;
		syswrite STDOUT, "thread $i: " . scalar(@l) . " lines\n";
		return $i;
	})->join;
}
print "sum $sum\n";
EOF
}

# run_pair WORKLOAD PREP N CMD...: the N-th strace run and limen run of CMD
# in $W, each after PREP; traces in $tmp/WORKLOAD.N.{s,l}.
run_pair() {
	local name=$1 prep=$2 n=$3
	shift 3
	local p=$tmp/$name.$n
	$prep
	(cd "$W" && "${_timeout[@]+"${_timeout[@]}"}" "${ENV[@]}" \
		strace -f -qq -s 0 -o "$p.s" "$@" </dev/null >"$p.s.out" 2>"$p.s.err")
	echo $? >"$p.s.st"
	$prep
	(cd "$W" && "${_timeout[@]+"${_timeout[@]}"}" "${ENV[@]}" \
		"$LIMEN" trace -s 0 -o "$p.l" -- "$@" </dev/null >"$p.l.out" 2>"$p.l.err")
	echo $? >"$p.l.st"
}

# workload NAME PREP CMD...: the checks of one workload.
workload() {
	local name=$1 prep=$2
	shift 2
	local n=1 pairs=() out
	while :; do
		run_pair "$name" "$prep" $n "$@"
		pairs+=("$tmp/$name.$n.s" "$tmp/$name.$n.l")
		out=$(python3 "$SEQDIFF" "$name" "${pairs[@]}") || {
			fail "$name: seqdiff.py runs" "$out"
			return
		}
		grep -q '^FAIL' <<<"$out" || break
		[ $n -ge $RUNS ] && break
		n=$((n + 1))
	done
	[ $n -gt 1 ] && diag "$name: $n strace/limen pairs were run (a check failed on the first)"
	local p=$tmp/$name.$n
	is "$(cat "$p.l.st")" "$(cat "$p.s.st")" "$name: same exit status under limen and strace"
	if ! cmp -s "$p.l.out" "$p.s.out"; then
		diag "$name: stdout differs between the strace and limen runs:" \
			"$(diff "$p.s.out" "$p.l.out" | head -n 10)"
	fi
	local kind desc pending=() last=
	while IFS=$'\t' read -r kind desc; do
		case $kind in
		PASS | FAIL)
			_emit_pending
			last=$kind
			pending=("$desc")
			;;
		DIAG) pending+=("$desc") ;;
		esac
	done <<<"$out"
	_emit_pending
	if grep -q '^FAIL' <<<"$out" && [ -n "${LIMEN_SEQ_KEEP:-}" ]; then
		mkdir -p "$LIMEN_SEQ_KEEP" && cp "$tmp/$name".* "$LIMEN_SEQ_KEEP/"
		diag "traces kept in $LIMEN_SEQ_KEEP/$name.*"
	fi
}
_emit_pending() {
	[ ${#pending[@]} -gt 0 ] || return 0
	if [ "$last" = PASS ]; then
		pass "${pending[0]}"
	elif [ -n "${seq_todo:-}" ]; then
		todo "${pending[0]}" "$seq_todo" "${pending[@]:1}"
	else
		fail "${pending[@]}"
	fi
	pending=()
}

SH=sh
command -v dash >/dev/null && SH=dash
GITC=(git -c user.name=T -c user.email=t@e)

workload ls prep_empty ls -l /usr/include
workload cat prep_empty cat /etc/passwd
workload sh_pipe prep_empty "$SH" -c 'echo hi | cat'
workload git_init prep_git_init "${GITC[@]}" init -q
workload git_add prep_git_add "${GITC[@]}" add d
workload git_commit prep_git_commit "${GITC[@]}" commit -q -m msg
workload tar prep_tar tar cf out.tar d
if command -v perl >/dev/null && [ -x /bin/bash ]; then
	workload tcp prep_tcp perl server.pl
else
	skip "tcp: client/server on 127.0.0.1" "perl or /bin/bash missing"
fi

if perl -Mthreads -e 1 2>/dev/null; then
	workload perl_threads prep_threads perl threads.pl
else
	skip "perl_threads: threads in turn" "perl without threads"
fi

# The project's own test programs whose calls are deterministic, as more
# workloads: raw clone3, close_range, a thread + signal handler + fork +
# vfork + run-time generated code, signal handlers, posix_spawn, vfork,
# SIGSYS games, sigaltstack, fresh pages. (tests/progs/threads is left
# out: its threads run at once.)
for p in clone3 closefds exhaust sighandler spawn vfork sigsys altstack freshpage; do
	if [ -x "$(testbin $p)" ]; then
		workload "prog_$p" prep_empty "$(testbin $p)"
	else
		skip "prog_$p" "$(testbin $p) not built"
	fi
done

done_testing
