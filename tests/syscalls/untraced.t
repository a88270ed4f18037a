#!/bin/bash
# SPDX-License-Identifier: MIT
#
# No subtree runs untraced without a word. Each image is traced where
# limen can reach it (a huge environment, a user ID changed before the
# execve); where it cannot (a set-user-ID program, a new network
# namespace that hides limen's socket) the trace says `+++ limen: PID not
# traced: REASON +++`
# where it happened, the execve that started it is finished, and how the
# process ended is shown. The command itself behaves as bare.
. "$(dirname "$0")/../lib.sh"
need_limen

# ended_shown WHAT REASON: the process the note is about has its
# "+++ exited with 0 +++" (its reaper's wait4 says how it ended)
ended_shown() {
	local pid
	pid=$(sed -n -E "s/^[0-9]+ +\+\+\+ limen: ([0-9]+) not traced: $2.*/\1/p" \
		"$tmp/trace" | head -n 1)
	if [ -n "$pid" ] &&
		grep -q -E "^$pid +\+\+\+ exited with 0 \+\+\+\$" "$tmp/trace"; then
		pass "$1: the untraced process's end is shown"
	else
		fail "$1: the untraced process's end is shown" \
			"$(grep -E 'limen|\+\+\+' "$tmp/trace" | tail -n 8)"
	fi
}

# traced WRITE-LINE WHAT: the image's own call is in the trace, no note
traced() {
	if trace_body "$tmp/trace" | grep -F "$1" >/dev/null && ! untraced_note ""; then
		pass "$2: traced (its $1 is in the trace, no note)"
	else
		fail "$2: traced (its $1 is in the trace, no note)" \
			"$(grep -E 'execve|limen|\+\+\+' "$tmp/trace" | tail -n 12)"
	fi
}

not_grep() { ! grep -q "$@"; }

# --- more than 65,536 environment entries -----------------------------------
same_as_bare "execve with 70,000 environment entries" "$(testbin bigenv)"
traced 'write(1, "70000 entries' "execve with 70,000 environment entries"

# --- a static child, and its dynamic child -------------------------------------
static=
if printf 'int main(void){return 3;}\n' >"$tmp/s.c" &&
	cc -static -o "$tmp/static" "$tmp/s.c" 2>/dev/null; then
	static=$tmp/static
fi
if [ -n "$static" ]; then
	# traced through limen's loader (tests/loader/ has the details)
	same_as_bare "a static child: same status" sh -c '"$0"; echo "status $?"' "$static"
	traced 'exit_group(3)' "a static child"
	ok_if "a static child: its execve is finished" execves_finished
	ok_if "a static child: its end is shown (+++ exited with 3 +++)" \
		grep -q -E '^[0-9]+ +\+\+\+ exited with 3 \+\+\+$' "$tmp/trace"
	run_limen trace -c -o "$tmp/summary" -- sh -c '"$0"; "$0"' "$static" \
		</dev/null >/dev/null 2>&1
	ok_if "-c: the table says no process was left untraced" \
		not_grep -E '^\+\+\+ limen: [0-9]+ process(es)? not traced' "$tmp/summary"
	# the command itself static: exec'd by the shell, reaped by limen
	same_as_bare "a shell that execs a static program" sh -c 'exec "$0"' "$static"
	traced 'exit_group(3)' "a shell that execs a static program"
	# a script whose interpreter is static: the loader reads its #! line
	printf '#!%s\n' "$static" >"$tmp/script" && chmod +x "$tmp/script"
	same_as_bare "a script with a static interpreter" sh -c '"$0"; echo "status $?"' "$tmp/script"
	traced 'exit_group(3)' "a script with a static interpreter"
else
	for d in "same status" "traced" "execve" "its end" "-c" "exec" "exec traced" \
		"script" "script note"; do
		skip "a static child: $d" "cc -static does not work here"
	done
fi
if [ -x /bin/busybox ] && file -L /bin/busybox 2>/dev/null | grep -q static; then
	same_as_bare "static busybox sh running /bin/echo" \
		/bin/sh -c '/bin/busybox sh -c "/bin/echo hi"'
	traced 'wait4(' "static busybox sh"
	ok_if "static busybox sh: its dynamic child is traced too" \
		grep -q -E 'write\(1, "hi\\n", 3\) += 3' "$tmp/trace"
else
	for d in "runs" "traced" "child traced"; do
		skip "static busybox sh: $d" "no static /bin/busybox"
	done
fi

# --- user and PID namespace changes (root) -------------------------------------
if [ "$(id -u)" != 0 ]; then
	for d in "set-user-ID child" "set-user-ID note" "setpriv" "setpriv traced" \
		"unshare -pf" "unshare traced"; do
		skip "$d" "needs root"
	done
	done_testing
	exit 0
fi

# a set-user-ID program owned by nobody, run by root: the loader runs it in
# secure mode and ignores LD_PRELOAD
cp "$(command -v id)" "$tmp/suid-id" && chown nobody "$tmp/suid-id" &&
	chmod 4755 "$tmp/suid-id"
chmod 755 "$tmp"
same_as_bare "a set-user-ID child" sh -c '"$0" -u' "$tmp/suid-id"
stepped_aside "a set-user-ID child" "set-user-ID"

if command -v setpriv >/dev/null; then
	same_as_bare "setpriv --reuid=nobody: the new image as another user" \
		setpriv --reuid=nobody --regid=nogroup --clear-groups /bin/sh -c 'id -u; echo hi'
	traced 'write(1, "hi\n", 3) = 3' "setpriv --reuid=nobody"
else
	skip "setpriv --reuid=nobody" "no setpriv"
	skip "setpriv --reuid=nobody: traced" "no setpriv"
fi

if command -v unshare >/dev/null && unshare -pf --mount-proc /bin/true 2>/dev/null; then
	# inside, /proc is the namespace's own: /proc/<limen>/fd/N leads
	# nowhere (or to another process), the session comes by the socket
	same_as_bare "unshare -pf --mount-proc: ends, as bare" \
		unshare -pf --mount-proc /bin/sh -c 'echo pid $$; /bin/echo inside'
	traced 'write(1, "inside\n", 7) = 7' "unshare -pf --mount-proc: a process in the namespace"
else
	skip "unshare -pf --mount-proc" "unshare cannot make a PID namespace here"
	skip "unshare -pf --mount-proc: traced" "unshare cannot make a PID namespace here"
fi

# a network namespace too, where limen's abstract socket cannot be
# reached: the runtime comes by limen's pathname socket instead, and the
# command is traced (tests/syscalls/traced_across_namespaces.t). With
# that socket hidden as well (a tmpfs over it, as a sandbox's private
# /tmp does), neither can be reached and the runtime cannot start; the
# image and its children run as bare (the loader crashed on its way to
# the program before, and under LD_PRELOAD limen's variables were left
# in its environment)
if command -v unshare >/dev/null && unshare -pfn --mount-proc /bin/true 2>/dev/null; then
	# limen's socket in this one (XDG_RUNTIME_DIR would come first)
	rdv=$tmp/rdv
	mkdir -m 700 "$rdv"
	export TMPDIR=$rdv
	unset XDG_RUNTIME_DIR
	for loader in default preload; do
		export LIMEN_LOADER=$loader
		same_as_bare "$loader loader: unshare -pfn --mount-proc, limen's socket hidden: limen out of reach, runs as bare" \
			unshare -pfn --mount-proc /bin/sh -c 'mount -t tmpfs none "$0" && exec /bin/sh -c '\''echo inside; env | grep -c -E "^(LIMEN_SESSION|LIMEN_STACK|LD_PRELOAD)="; /bin/echo child'\' "$rdv"
		stepped_aside "$loader loader: unshare -pfn --mount-proc, limen's socket hidden" "the runtime did not start"
	done
	unset LIMEN_LOADER
else
	for d in "default" "default note" "preload" "preload note"; do
		skip "unshare -pfn --mount-proc: $d" "unshare cannot make the namespaces here"
	done
fi

done_testing
