#!/bin/bash
# SPDX-License-Identifier: MIT
#
# A command in a new network namespace that cannot open
# /proc/<limen>/fd/N either (a new user namespace: unshare -Urn, rootless
# containers, sandboxes; a PID namespace with its own /proc: unshare -pfn
# --mount-proc) is traced: its runtime cannot reach limen's abstract
# socket, whose name is per network namespace, and comes by limen's
# pathname socket (LIMEN_SESSION names it) instead. Before, it ran
# untraced, with "not traced: the runtime did not start in the new image".
# The command runs as bare (output, status, environment, descriptors),
# its lines carry the ids limen's namespace gives it, and the socket is
# gone once limen has ended, normally, stopped by SIGTERM or with its
# command killed.
. "$(dirname "$0")/../lib.sh"
need_limen
command -v unshare >/dev/null || skip_all "no unshare"

# limen's socket goes here (XDG_RUNTIME_DIR would come first), where
# nothing else is: what is left after a run is limen's
rdv=$tmp/rdv
mkdir -m 700 "$rdv"
export TMPDIR=$rdv
unset XDG_RUNTIME_DIR

# nothing_left WHAT: no socket of limen's left in $rdv
nothing_left() {
	if [ -z "$(ls -A "$rdv")" ]; then
		pass "$1: limen's socket is gone"
	else
		fail "$1: limen's socket is gone" "$(ls -lAR "$rdv")"
		rm -rf "${rdv:?}"/*
	fi
}

# inside_traced WHAT: the command's own lines, from inside the namespaces
inside_traced() {
	if trace_body "$tmp/trace" | grep -q -x -F 'write(1, "inside\n", 7) = 7' &&
		trace_body "$tmp/trace" | grep -q -x -F 'write(1, "child\n", 6) = 6' &&
		! untraced_note ""; then
		pass "$1: the command inside is traced, its child too, no note"
	else
		fail "$1: the command inside is traced, its child too, no note" \
			"$(grep -E 'execve|write\(1|limen|\+\+\+' "$tmp/trace" | tail -n 12)"
	fi
}

# what the command shows of itself: its output, every variable, its
# descriptors (none of limen's left open), and a child's
inside='echo inside; env | LC_ALL=C sort; ls /proc/$$/fd; /bin/echo child'

# case NAME UNSHARE-OPTIONS...: the command in those namespaces
ns_case() {
	local name=$1 loader
	shift
	for loader in default preload; do
		export LIMEN_LOADER=$loader
		same_as_bare "$loader loader: $name: runs as bare" \
			unshare "$@" /bin/sh -c "$inside"
		inside_traced "$loader loader: $name"
		ok_if "$loader loader: $name: every execve is finished" execves_finished
		nothing_left "$loader loader: $name"
		unset LIMEN_LOADER
	done
}

userns=
unshare -Urn /bin/true 2>/dev/null && userns=1
if [ -n "$userns" ]; then
	ns_case "unshare -Urn" -Urn
	# and a PID namespace too, as a rootless container has
	ns_case "unshare -Urpfn --mount-proc" -Urpfn --mount-proc
else
	for d in "unshare -Urn" "unshare -Urpfn --mount-proc"; do
		for l in default preload; do
			for c in "as bare" traced execve "socket gone"; do
				skip "$l loader: $d: $c" "the kernel refuses a user namespace here"
			done
		done
	done
fi

if unshare -pfn --mount-proc /bin/true 2>/dev/null; then
	ns_case "unshare -pfn --mount-proc" -pfn --mount-proc
	# the ids limen's namespace gives: the shell inside is pid 1 in its
	# own, and the child unshare's fork returned in ours
	run_limen trace -f -o "$tmp/ids" -- unshare -pfn --mount-proc \
		/bin/sh -c 'echo $$' </dev/null >"$tmp/ids.out" 2>&1
	child=$(trace_join "$tmp/ids" |
		sed -n -E 's/^[0-9]+ +(clone|clone3|fork|vfork)\(.*\) += ([0-9]+)$/\2/p' | head -n 1)
	who=$(trace_join "$tmp/ids" | sed -n -E 's/^([0-9]+) +write\(1, "1\\n", 2\) += 2$/\1/p')
	if [ "$(cat "$tmp/ids.out")" = 1 ] && [ -n "$child" ] && [ "$who" = "$child" ]; then
		pass "unshare -pfn --mount-proc: the lines carry the ids of limen's namespace ($who)"
	else
		fail "unshare -pfn --mount-proc: the lines carry the ids of limen's namespace" \
			"output '$(cat "$tmp/ids.out")', unshare's child $child, the write's line $who" \
			"$(grep -E 'clone|fork|write\(1' "$tmp/ids" | head -n 5)"
	fi
	nothing_left "unshare -pfn --mount-proc, ids"
else
	for l in default preload; do
		for c in "as bare" traced execve "socket gone"; do
			skip "$l loader: unshare -pfn --mount-proc: $c" "needs root"
		done
	done
	skip "unshare -pfn --mount-proc: ids" "needs root"
	skip "unshare -pfn --mount-proc: ids, socket gone" "needs root"
fi

# nowhere to bind the socket (XDG_RUNTIME_DIR unset, TMPDIR and /tmp
# read-only, in a mount namespace of the test's): the command runs as
# before, untraced with the note, none of limen's variables in its
# environment
if [ -n "$userns" ] && unshare -m /bin/true 2>/dev/null &&
	case $LIMEN in /tmp/*) false ;; *) true ;; esac; then
	unshare -m /bin/sh -c 'mount -t tmpfs -o ro none "$1" &&
		mount -t tmpfs -o ro none /tmp && exec "$0" trace -o /proc/self/fd/3 -- \
		unshare -Urn /bin/sh -c "echo inside; env | grep -c -E \"^(LIMEN_SESSION|LIMEN_STACK|LD_PRELOAD)=\"; /bin/echo child"' \
		"$LIMEN" "$rdv" </dev/null >"$tmp/ro.out" 2>"$tmp/ro.err" 3>"$tmp/ro.trace"
	st=$?
	if [ "$st" = 0 ] && [ "$(cat "$tmp/ro.out")" = "$(printf 'inside\n0\nchild')" ] &&
		grep -q -E '^[0-9]+ +\+\+\+ limen: [0-9]+ not traced: the runtime did not start' "$tmp/ro.trace"; then
		pass "no place for the socket: the command runs as bare, untraced with the note"
	else
		fail "no place for the socket: the command runs as bare, untraced with the note" \
			"status $st, output $(cat "$tmp/ro.out") $(cat "$tmp/ro.err")" \
			"$(grep -E 'write\(1|limen' "$tmp/ro.trace" | tail -n 5)"
	fi
else
	skip "no place for the socket" \
		"needs root (a mount namespace), a user namespace and a limen outside /tmp"
fi

if [ -z "$userns" ]; then
	for c in "SIGTERM" "SIGTERM status" "SIGTERM socket" "SIGINT" \
		"SIGINT socket" "SIGKILL" "SIGKILL socket" "^C status" \
		"^C note" "^C command" "^C socket" "unprivileged"; do
		skip "$c" "the kernel refuses a user namespace here"
	done
	done_testing
	exit 0
fi

# limen stopped by SIGTERM while the command runs inside
"$LIMEN" trace -o "$tmp/term" -- unshare -Urn /bin/sh -c 'echo ready; exec sleep 30' \
	</dev/null >"$tmp/term.out" 2>/dev/null &
lpid=$!
for _ in $(seq 200); do
	grep -q ready "$tmp/term.out" 2>/dev/null && break
	sleep 0.05
done
kill -TERM "$lpid"
wait "$lpid"
st=$?
ok_if "SIGTERM: the command inside was traced till then" \
	grep -q -E '^[0-9]+ +write\(1, "ready\\n", 6\) += 6$' "$tmp/term"
is "$st" 143 "SIGTERM: limen dies of it, as strace does"
nothing_left "SIGTERM"

# the command inside killed by a signal: limen dies of it too
for sig in INT KILL; do
	run_limen trace -o "$tmp/sig" -- unshare -Urn /bin/sh -c "echo inside; kill -$sig \$\$" \
		</dev/null >/dev/null 2>&1
	st=$?
	want=$((128 + $(kill -l "$sig")))
	is "$st" "$want" "the command killed by SIG$sig: limen ends with it"
	nothing_left "the command killed by SIG$sig"
done

# a ^C as limen spawns the command (strace sends limen SIGINT at its
# vfork): limen ends as SIGTERM ends it, the command gets the signal too,
# and the socket goes. Before, limen died of it there and then, its
# command left running.
if command -v strace >/dev/null; then
	{ strace -o /dev/null -e trace=vfork -e inject=vfork:signal=INT \
		"$LIMEN" trace -o "$tmp/int" -- /bin/sleep 7 \
		</dev/null >/dev/null 2>"$tmp/int.err"; } 2>/dev/null
	st=$?
	is "$st" 130 "^C as the command starts: limen dies of it"
	# (the command may be killed before its runtime attached: a note
	# that says so may come after)
	ok_if "^C as the command starts: the trace is finished with its note" \
		grep -q -x -F "+++ limen: stopped by SIGINT +++" "$tmp/int"
	cpid=$(awk 'NR == 1 {print $1}' "$tmp/int")
	for _ in $(seq 100); do
		state=$(sed -E 's/.*\) (.).*/\1/' "/proc/${cpid:-none}/stat" 2>/dev/null)
		case $state in "" | Z | X) break ;; esac
		sleep 0.05
	done
	if [ -n "$cpid" ] && case $state in "" | Z | X) true ;; *) false ;; esac; then
		pass "^C as the command starts: the command got it too"
	else
		fail "^C as the command starts: the command got it too" \
			"command ${cpid:-not in the trace}, state $state"
		[ -n "$cpid" ] && kill -KILL "$cpid" 2>/dev/null
	fi
	nothing_left "^C as the command starts"
else
	for c in "status" "note" "command" "socket"; do
		skip "^C as the command starts: $c" "no strace"
	done
fi

# limen run by a user who is not root, as rootless containers are
# A run whose processes make or enter no network namespace binds no
# socket at all: the directory it would go in is as bare while the
# command runs and after (its listing, its modification time), and so is
# a command in a new user namespace alone, which reaches the abstract
# socket
export LIMEN_LOADER=default
before=$(stat -c %Y "$rdv")
sleep 1.1
same_as_bare "no network namespace: the socket's directory lists as bare" \
	/bin/ls -a "$rdv"
same_as_bare "a user namespace alone: the socket's directory lists as bare" \
	unshare -Ur /bin/ls -a "$rdv"
is "$(stat -c %Y "$rdv")" "$before" \
	"no network namespace: the socket's directory was never written"

nobody=$tmp/nobody
mkdir -m 700 "$nobody"
chmod 755 "$tmp"
as_nobody=(setpriv --reuid=65534 --regid=65534 --clear-groups
	env HOME="$nobody" TMPDIR="$nobody/rdv" LIMEN_RUNTIME=)
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null &&
	chown 65534:65534 "$nobody" &&
	"${as_nobody[@]}" mkdir -m 700 "$nobody/rdv" 2>/dev/null &&
	"${as_nobody[@]}" test -x "$LIMEN" &&
	"${as_nobody[@]}" unshare -Urn /bin/true 2>/dev/null; then
	"${as_nobody[@]}" "${_timeout[@]+"${_timeout[@]}"}" "$LIMEN" trace \
		-o "$nobody/trace" -- unshare -Urn /bin/sh -c 'echo inside; /bin/echo child' \
		</dev/null >"$tmp/nobody.out" 2>&1
	st=$?
	if [ "$st" = 0 ] && [ "$(cat "$tmp/nobody.out")" = "$(printf 'inside\nchild')" ] &&
		grep -q -E '^[0-9]+ +write\(1, "child\\n", 6\) += 6$' "$nobody/trace" &&
		! grep -q 'not traced' "$nobody/trace" && [ -z "$(ls -A "$nobody/rdv")" ]; then
		pass "limen as a user who is not root: unshare -Urn traced, nothing left"
	else
		fail "limen as a user who is not root: unshare -Urn traced, nothing left" \
			"status $st, output $(cat "$tmp/nobody.out")" \
			"$(grep -E 'write\(1|limen' "$nobody/trace" | tail -n 5)" \
			"$(ls -lAR "$nobody/rdv")"
	fi
else
	skip "limen as a user who is not root" \
		"needs root to become one, a limen it may run and a user namespace it may make"
fi

done_testing
