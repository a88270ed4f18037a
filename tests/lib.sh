# SPDX-License-Identifier: MIT
# Shared helpers for the TAP test scripts (tests/**/*.t). Source it with
#   . "$(dirname "$0")/../lib.sh"
#
# Environment (set by `make check`; defaults let a test run by hand from the
# repository root after `make`):
#   LIMEN          absolute path of build/limen
#   LIMEN_TESTBIN  absolute path of build/tests (the compiled tests/progs/*.c)
#
# TAP helpers:   plan N | skip_all REASON | pass DESC | fail DESC [DIAG...]
#                ok_if DESC CMD... | skip DESC REASON | is GOT WANT DESC
#                same_file GOTFILE WANTFILE DESC | diag TEXT | done_testing
# limen helpers: need_limen | same_as_bare DESC CMD... | limen_trace ...
#                bare_and_traced NAME [OPTS --] ARGS | as_bare NAME DESC | site NAME WHAT
#                trace_body FILE | trace_names FILE | count_calls FILE NAME
#                testbin NAME

set -u

_lib_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
_repo_dir=$(dirname "$_lib_dir")
: "${LIMEN:=$_repo_dir/build/limen}"
: "${LIMEN_TESTBIN:=$_repo_dir/build/tests}"
export LIMEN LIMEN_TESTBIN

# Descriptors the caller left open (a terminal's, an IDE's, a CI runner's)
# would shift the numbers every program under test gets: close them, so that
# a test sees here the descriptor table it sees on a fresh machine. bash
# keeps the script itself open at a high number; it is left alone.
for _fd in /proc/$$/fd/*; do
	_fd=${_fd##*/}
	if [ "$_fd" -gt 2 ] && [ "$_fd" -lt 200 ]; then
		eval "exec $_fd>&-"
	fi
done
unset _fd

# One scratch directory per test script, removed on exit whatever happens.
tmp=$(mktemp -d "${TMPDIR:-/tmp}/limen-test.XXXXXX") || {
	echo "1..0 # SKIP cannot create a temporary directory"
	exit 0
}
_cleanup_hooks=()
_lib_cleanup() {
	local i
	for ((i = ${#_cleanup_hooks[@]} - 1; i >= 0; i--)); do
		eval "${_cleanup_hooks[i]}" 2>/dev/null || true
	done
	rm -rf "$tmp"
}
trap _lib_cleanup EXIT
trap 'exit 130' INT TERM
# at_exit 'shell code': run before the scratch directory is removed.
at_exit() { _cleanup_hooks+=("$1"); }

_t_n=0
_t_failed=0
_t_planned=

plan() { _t_planned=$1; echo "1..$1"; }

skip_all() {
	echo "1..0 # SKIP $*"
	exit 0
}

# Diagnostics go to stderr prefixed with '# ' (prove shows them).
diag() {
	local line
	printf '%s\n' "$@" | while IFS= read -r line; do
		printf '# %s\n' "$line" >&2
	done
}

# Show at most 60 lines of a file as diagnostics.
diag_file() {
	local f=$1 title=${2:-$1}
	diag "--- $title:"
	if [ -s "$f" ]; then
		diag "$(head -n 60 "$f")"
		[ "$(wc -l <"$f")" -gt 60 ] && diag "... ($(wc -l <"$f") lines)"
	else
		diag "(empty)"
	fi
	return 0
}

pass() {
	_t_n=$((_t_n + 1))
	echo "ok $_t_n - $1"
}

fail() {
	_t_n=$((_t_n + 1))
	_t_failed=$((_t_failed + 1))
	echo "not ok $_t_n - $1"
	shift
	[ $# -gt 0 ] && diag "$@"
	return 0
}

# todo DESC REASON [DIAG...]: a failure of a known defect, said as TAP's
# TODO (prove reports it, the run does not fail): for one the README
# names, never for one not understood
todo() {
	_t_n=$((_t_n + 1))
	echo "not ok $_t_n - $1 # TODO $2"
	shift 2
	[ $# -gt 0 ] && diag "$@"
	return 0
}

# skip DESC [REASON]: a check not made here; DESC is the reason when it
# says it all (one argument)
skip() {
	_t_n=$((_t_n + 1))
	echo "ok $_t_n - $1 # SKIP ${2:-$1}"
}

# ok_if DESC CMD...: pass when CMD succeeds.
ok_if() {
	local desc=$1
	shift
	if "$@"; then pass "$desc"; else fail "$desc" "failed: $*"; fi
}

# is GOT WANT DESC: string equality.
is() {
	if [ "$1" = "$2" ]; then
		pass "$3"
	else
		fail "$3" "got:  '$1'" "want: '$2'"
	fi
}

# same_file GOT WANT DESC: byte-identical files, with a diff if not.
same_file() {
	if cmp -s "$1" "$2"; then
		pass "$3"
	else
		fail "$3" "files differ (- want, + got):" \
			"$(diff -u "$2" "$1" | head -n 60)"
	fi
}

# Count the tests when no plan was given up front.
done_testing() {
	[ -z "$_t_planned" ] && echo "1..$_t_n"
	return 0
}

# Every command a test runs under limen (and its bare twin) gets a time
# limit, so that a hang is a failure and not a stuck `make check`.
: "${LIMEN_TEST_TIMEOUT:=120}"
_timeout=()
command -v timeout >/dev/null && _timeout=(timeout -k 5 "$LIMEN_TEST_TIMEOUT")

# run_limen ARGS...: "$LIMEN" ARGS... under the time limit.
run_limen() { "${_timeout[@]+"${_timeout[@]}"}" "$LIMEN" "$@"; }

# dynamic_via_loader: true when limen runs dynamic programs through its own
# loader (the default), false under LD_PRELOAD (LIMEN_LOADER=preload or
# its older name static: src/cli/spawn.c)
dynamic_via_loader() {
	case "${LIMEN_LOADER-}" in
	preload | static) return 1 ;;
	*) return 0 ;;
	esac
}

# need_emulated_user_events: the test drives limen's emulation of the
# kernel's user_events, which limen leaves to a kernel that has it
need_emulated_user_events() {
	if [ -e /sys/kernel/tracing/user_events_data ] ||
		[ -e /sys/kernel/debug/tracing/user_events_data ]; then
		skip_all "this kernel has user_events: limen leaves it to the kernel"
	fi
}

need_limen() {
	[ -x "$LIMEN" ] || skip_all "limen not built ($LIMEN); run make first"
}

# no_stacks: why -k cannot run with this limen (built without libdw), or
# nothing: a file whose checks include -k ones skips those, saying why
no_stacks() {
	"$LIMEN" trace -k -o /dev/null -- true 2>&1 | grep -q 'built without' &&
		echo "limen was built without libdw (Debian: libdw-dev, libelf-dev): no -k"
	return 0
}

# need_pidns [UNSHARE OPTIONS...]: skip the file unless `unshare -pf` (with
# the options: --mount-proc...) makes a pid namespace here
need_pidns() {
	command -v unshare >/dev/null || skip_all "no unshare"
	unshare -pf "$@" true 2>/dev/null ||
		skip_all "no pid namespaces here (unshare -pf${*:+ $*})"
}

# need_cores_here: skip the file unless the kernel writes a core into the
# dumping process's directory (core_pattern a plain name, the hard limit
# not 0); sets $pat to the pattern
need_cores_here() {
	pat=$(cat /proc/sys/kernel/core_pattern 2>/dev/null)
	case $pat in
	'' | '|'* | /*) skip_all "core_pattern '$pat' writes no core in the current directory" ;;
	esac
	[ "$(ulimit -H -c)" = 0 ] && skip_all "ulimit -H -c is 0: no core is written"
}

# need_gdb_cores: need_cores_here, and gdb to read them, and mkfifo (the
# core tests' programs wait on a FIFO to be killed)
need_gdb_cores() {
	need_cores_here
	command -v gdb >/dev/null || skip_all "no gdb to read the cores"
	command -v mkfifo >/dev/null || skip_all "no mkfifo"
}

# testbin NAME: path of a compiled tests/progs program (may not exist).
testbin() { printf '%s/%s' "$LIMEN_TESTBIN" "$1"; }

# limen_trace TRACEFILE [LIMEN OPTIONS...] -- CMD...: runs CMD under
# `limen trace -o TRACEFILE`; the caller redirects stdin/stdout/stderr.
# Returns limen's exit status.
limen_trace() {
	local out=$1
	shift
	run_limen trace -o "$out" "$@"
}

# _run_to PREFIX CMD...: run CMD with stdin from /dev/null, stdout and stderr
# into PREFIX.out and PREFIX.err, status into PREFIX.st. `env -u _` keeps
# the shell's $_ (the path of the command bash ran: CMD bare, limen traced)
# from making the environments differ. The outer 2>/dev/null only silences
# bash's own "Terminated"/"Killed" job reports.
_run_to() {
	local p=$1 st
	shift
	{ "${_timeout[@]+"${_timeout[@]}"}" env -u _ "$@" </dev/null >"$p.out" 2>"$p.err"; } 2>/dev/null
	st=$?
	echo "$st" >"$p.st"
}

# bare_and_traced NAME [LIMEN OPTIONS --] ARGS...: $prog ARGS bare into
# $tmp/NAME.bare.{out,err,st}, under `limen trace OPTIONS` into
# $tmp/NAME.*, its trace in $tmp/NAME.trace.
bare_and_traced() {
	local name=$1
	shift
	local opts=() a
	for a in "$@"; do
		if [ "$a" = -- ]; then
			while [ "$1" != -- ]; do
				opts+=("$1")
				shift
			done
			shift
			break
		fi
	done
	_run_to "$tmp/$name.bare" "$prog" "$@"
	_run_to "$tmp/$name" "$LIMEN" trace "${opts[@]+"${opts[@]}"}" \
		-o "$tmp/$name.trace" -- "$prog" "$@"
}

# as_bare NAME DESC: bare_and_traced NAME's stdout and status as bare
as_bare() {
	if cmp -s "$tmp/$1.bare.out" "$tmp/$1.out" &&
		cmp -s "$tmp/$1.bare.st" "$tmp/$1.st"; then
		pass "$2"
	else
		fail "$2" "status: bare $(cat "$tmp/$1.bare.st"), limen $(cat "$tmp/$1.st")" \
			"$(diff -u "$tmp/$1.bare.out" "$tmp/$1.out" | head -20)" \
			"stderr: $(head -5 "$tmp/$1.err")"
	fi
}

# site NAME WHAT: the byte a rewriting test program (tests/progs/rewrite*.c)
# printed for its site WHAT ("site WHAT XX" on stderr: b8 as built, e9
# once rewritten)
site() { sed -n "s/^site $2 //p" "$tmp/$1.err" | head -1; }

# same_as_bare DESC CMD...: run CMD bare and under `limen trace -o FILE`;
# stdout, stderr and exit status must be identical. If they differ, CMD is
# run bare once more and compared again (so that a change of the world in
# between, e.g. an mtime shown by ls -l, is not blamed on limen).
# The trace of the last run is left in $tmp/trace.
same_as_bare() {
	local desc=$1
	shift
	local b=$tmp/bare l=$tmp/limen attempt
	rm -f "$tmp/trace"
	_run_to "$b" "$@"
	_run_to "$l" "$LIMEN" trace -o "$tmp/trace" -- "$@"
	for attempt in 1 2; do
		if cmp -s "$b.out" "$l.out" && cmp -s "$b.err" "$l.err" &&
			cmp -s "$b.st" "$l.st"; then
			pass "$desc"
			return 0
		fi
		[ $attempt = 1 ] && _run_to "$b" "$@"
	done
	local d=()
	cmp -s "$b.st" "$l.st" ||
		d+=("exit status: bare $(cat "$b.st"), under limen $(cat "$l.st")")
	cmp -s "$b.out" "$l.out" ||
		d+=("stdout differs (- bare, + limen):"
			"$(diff -u "$b.out" "$l.out" | head -n 40)")
	cmp -s "$b.err" "$l.err" ||
		d+=("stderr differs (- bare, + limen):"
			"$(diff -u "$b.err" "$l.err" | head -n 40)")
	fail "$desc" "command: $*" "${d[@]}"
	[ -s "$tmp/trace" ] && diag "last trace lines:" "$(tail -n 15 "$tmp/trace")"
	return 0
}

# The trace helpers below are tests/traceparse.py, the one parser of trace lines
# (limen's and strace's) that every test uses; see there for the details.
_trace_py=$_lib_dir/traceparse.py
# The system's python3 first: a version manager's shim on PATH (pyenv) costs
# tens of milliseconds per call, and these helpers are called many times.
# -S: traceparse.py needs nothing from site-packages.
_py=python3
[ -x /usr/bin/python3 ] && _py=/usr/bin/python3

# trace_join FILE: the trace with each "<unfinished ...>" call joined to its
# "<... NAME resumed>" continuation of the same thread (printed where it
# resumed), so that every call is one line:
#   "12 read(3,  <unfinished ...>" + "12 <... read resumed>"x", 1) = 1"
#   -> "12 read(3, "x", 1) = 1"
# A resumed line is joined to the innermost pending call of its name (a
# signal handler may make calls while an interrupted call is pending).
trace_join() { "$_py" -S "$_trace_py" join "$1"; }

# trace_body FILE: the joined trace with the leading thread id (and, if
# present, a -t/-tt/-ttt timestamp) removed and strace's alignment padding
# before " = " collapsed to one space, so that lines can be compared with
# fixed strings:
#   "1234  close(3)                  = 0"  ->  "close(3) = 0"
# Only the padding between the closing ")" of the call and "=" is touched.
trace_body() { "$_py" -S "$_trace_py" body "$1"; }

# trace_names FILE: the syscall name of each call, one per line, in order
# (an unfinished/resumed pair is one call).
trace_names() { "$_py" -S "$_trace_py" names "$1"; }

# count_calls FILE NAME: number of NAME calls (an unfinished/resumed pair
# counts once: only the line that starts with "NAME(" is counted).
count_calls() {
	trace_names "$1" | grep -c -x -F "$2"
}

# tids_of FILE NAME: the distinct thread ids of the NAME calls.
tids_of() {
	"$_py" -S "$_trace_py" tids "$1" "$2" | sort -u
}

# in_order EXPECTED TRACE LABEL: one TAP check per line of EXPECTED; the
# expected lines must appear in TRACE (trace_body form) in the same order,
# other lines may come between. The longest common subsequence of the two
# decides which expected lines are matched, so that one line out of place
# fails alone. On failure, the trace line most like the expected one (same
# call name, longest common prefix) is shown.
in_order() {
	local st want got
	perl -e '
		open my $e, "<", $ARGV[0] or die; open my $t, "<", $ARGV[1] or die;
		my @x = <$e>; my @t = <$t>; chomp @x; chomp @t;
		my ($n, $m) = (scalar @x, scalar @t);
		my @L; # L[i][j]: LCS of x[i..] and t[j..]
		for (my $i = $n; $i >= 0; $i--) {
			for (my $j = $m; $j >= 0; $j--) {
				$L[$i][$j] = ($i == $n || $j == $m) ? 0
					: $x[$i] eq $t[$j] ? $L[$i + 1][$j + 1] + 1
					: $L[$i + 1][$j] >= $L[$i][$j + 1] ? $L[$i + 1][$j] : $L[$i][$j + 1];
			}
		}
		my ($i, $j, %hit) = (0, 0);
		while ($i < $n && $j < $m) {
			if ($x[$i] eq $t[$j]) { $hit{$i} = 1; $i++; $j++ }
			elsif ($L[$i + 1][$j] >= $L[$i][$j + 1]) { $i++ }
			else { $j++ }
		}
		for my $k (0 .. $n - 1) {
			my $w = $x[$k];
			if ($hit{$k}) { print "ok\t$w\n"; next }
			if (grep { $_ eq $w } @t) { print "not\t$w\t(present, but out of order)\n"; next }
			my ($nm) = $w =~ /^([a-z_0-9]+)\(/; $nm //= "";
			my ($best, $bl) = ("(none)", -1);
			for my $c (@t) {
				next if $nm ne "" && index($c, "$nm(") != 0;
				my $l = 0; $l++ while $l < length($w) && $l < length($c)
					&& substr($w, $l, 1) eq substr($c, $l, 1);
				($best, $bl) = ($c, $l) if $l > $bl;
			}
			print "not\t$w\t$best\n";
		}' "$1" "$2" >"$2.match"
	while IFS=$'\t' read -r st want got; do
		if [ "$st" = ok ]; then
			pass "$3: $want"
		else
			fail "$3: $want" "want: $want" "got:  $got"
		fi
	done <"$2.match"
}

# run_fam PROG LABEL [LIMEN OPTIONS...]: trace a per-family program
# (tests/progs/fam_*.c), check its status and its expected lines. The -s
# value, if any, is passed to the program too.
run_fam() {
	local name=$1 label=$2 s=
	shift 2
	local prog
	prog=$(testbin "$name")
	[ "${1:-}" = -s ] && s=$2
	local d=$tmp/$label
	mkdir -p "$d"
	limen_trace "$d/trace" "$@" -- "$prog" "$d/work" "$d/expected" $s \
		</dev/null >"$d/out" 2>"$d/err"
	local st=$?
	if [ "$st" = 0 ]; then
		pass "$label: $name exits 0 under limen"
	else
		fail "$label: $name exits 0 under limen" "status $st" \
			"$(head -n 20 "$d/err")"
	fi
	if [ ! -s "$d/expected" ]; then
		fail "$label: $name wrote its expected lines" "$(head -n 20 "$d/err")"
		return 0
	fi
	trace_body "$d/trace" >"$d/body"
	in_order "$d/expected" "$d/body" "$label"
}

# python_with MODULE: a python3 that can import MODULE (the one first on
# PATH, or Debian's, whose packages such as python3-jsonschema and
# python3-bt2 install there); empty if none can.
python_with() {
	local py
	for py in python3 /usr/bin/python3; do
		if command -v "$py" >/dev/null && "$py" -c "import $1" 2>/dev/null; then
			command -v "$py"
			return 0
		fi
	done
	return 1
}

# Where limen steps aside (tests/corpus/stepaside.t, tests/syscalls/untraced.t),
# on the trace of the last same_as_bare ($tmp/trace):
# untraced_note REGEX: a "+++ limen: PID not traced: REGEX" line is there
untraced_note() {
	grep -q -E "^[0-9]+ +\+\+\+ limen: [0-9]+ not traced: $1" "$tmp/trace"
}

# execves_finished: no execve is left <unfinished ...>
execves_finished() {
	! trace_join "$tmp/trace" | grep -q -E '^[0-9]+ +execve.*<unfinished \.\.\.>$'
}

# stepped_aside WHAT REGEX: the note, and every execve finished
stepped_aside() {
	local what=$1 re=$2
	if untraced_note "$re" && execves_finished; then
		pass "$what: the trace says '$re' and the execve is finished"
	else
		fail "$what: the trace says '$re' and the execve is finished" \
			"$(grep -E 'execve|clone|limen|\+\+\+' "$tmp/trace" | tail -n 12)"
	fi
}

# count_marked_events TRACE: "SHOWN LOST", the events between the first
# and the last "getpid() = N" line of TRACE (or its end): a whole call is
# 2, an unfinished or a resumed line 1, as is a call that does not return
# ("= ?"); the trace's LOST lines add to LOST (tests/syscalls/lost*.t)
count_marked_events() {
	awk '
		/^[0-9]+ +getpid\(\) += [0-9]+$/ { if (!on) { on = 1; next } else { shown_at_end = shown; lost_at_end = lost; next } }
		!on { next }
		/\+\+\+ limen: [0-9]+ events? lost on thread/ { lost += $4; next }
		/<unfinished \.\.\.>$/ || /^[0-9]+ +<\.\.\. [a-z_0-9]+ resumed>/ || / = \?$/ { shown += 1; next }
		/^[0-9]+ +[a-z_0-9]+\(.*\) += / { shown += 2 }
		END { if (shown_at_end == "") { shown_at_end = shown; lost_at_end = lost }
		      print shown_at_end + 0, lost_at_end + 0 }' "$1"
}

# ends_as_strace PROG [ARG]: under -f with nothing but -e trace=none, then
# only exit_group selected, limen's lines (the ends of threads and
# processes) as strace -f's, ids and spacing aside; skipped without strace
ends_as_strace() {
	local prog=$1 a=${2:-} e

	if ! command -v strace >/dev/null; then
		skip "the_ends_with_nothing_else_selected_as_strace" "no strace"
		return
	fi
	for e in none exit_group; do
		# shellcheck disable=SC2086
		run_limen trace -f -e trace=$e -- "$prog" $a 2>"$tmp/ln"
		# shellcheck disable=SC2086
		strace -f -e trace=$e "$prog" $a 2>"$tmp/sn"
		is "$(_ends_norm "$tmp/ln")" "$(_ends_norm "$tmp/sn")" \
			"the_ends_with_nothing_else_selected_as_strace (trace=$e $a)"
	done
}
_ends_norm() {
	grep -v '^strace:' "$1" | grep -v 'exit_group.*resumed' |
		sed -E 's/\[pid +[0-9]+\]/[pid N]/; s/in pid [0-9]+/in pid N/; s/  +/ /g; s/exit_group\(([0-9]+) <unfinished \.\.\.>/exit_group(\1) = ?/'
}

# mode_opts MODE: the array opts, limen's options for a mode as tests name
# them in their loops: default (none), --ring-size=N, or one option
mode_opts() {
	opts=()
	case $1 in
	default) ;;
	--ring-size=*) opts=(--ring-size "${1#*=}") ;;
	*) opts=("$1") ;;
	esac
}
