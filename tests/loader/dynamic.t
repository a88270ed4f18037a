#!/bin/bash
# SPDX-License-Identifier: MIT
#
# LIMEN_LOADER=all: dynamic programs started by limen's loader, which maps
# ld.so itself, are traced from ld.so's first instruction: the loader's
# calls (mapping every library) and the constructors that run before any
# of limen's are in the trace, and the calls are strace's, one for one
# from the command's own execve (strace's first line). Programs
# with many libraries and constructors: curl, python3, and a test program
# linked against a library whose constructor makes calls.
. "$(dirname "$0")/../lib.sh"
need_limen
strace -f -o "$tmp/probe" true >/dev/null 2>&1 && [ -s "$tmp/probe" ] ||
	skip_all "strace cannot trace here (ptrace not permitted?)"

# same_calls DESC CMD...: names and results of every call, as strace -f
# shows them (run in the same environment, twice at most: a lookup whose
# result changed in between is not blamed on limen)
same_calls() {
	local desc=$1 try
	shift
	for try in 1 2; do
		# under the same time limit as limen: timeout catches SIGINT,
		# so its child starts with SIGINT at SIG_DFL even where the
		# test runs with it ignored (make check in the background),
		# and python3 then installs its handler
		"${_timeout[@]+"${_timeout[@]}"}" env -u _ strace -f -o "$tmp/s.trace" "$@" </dev/null >/dev/null 2>&1
		LIMEN_LOADER=all run_limen trace -o "$tmp/l.trace" -- "$@" </dev/null >/dev/null 2>&1
		"$_py" -S "$_trace_py" calls "$tmp/s.trace" |
			sed -E 's/\t(0x[0-9a-f]+|[0-9]{3,})$/\tN/' >"$tmp/s.calls"
		"$_py" -S "$_trace_py" calls "$tmp/l.trace" |
			sed -E 's/\t(0x[0-9a-f]+|[0-9]{3,})$/\tN/' >"$tmp/l.calls"
		cmp -s "$tmp/s.calls" "$tmp/l.calls" && break
	done
	if cmp -s "$tmp/s.calls" "$tmp/l.calls"; then
		pass "$desc: all $(wc -l <"$tmp/l.calls") calls, as strace -f shows them"
	else
		fail "$desc: every call, as strace -f shows them" \
			"strace $(wc -l <"$tmp/s.calls") calls, limen $(wc -l <"$tmp/l.calls")" \
			"$(diff -u "$tmp/s.calls" "$tmp/l.calls" | head -n 30)"
	fi
}

# a library whose constructor looks for its config before main (and before
# anything of limen's could run under LD_PRELOAD)
cat >"$tmp/ctor.c" <<'C'
#include <fcntl.h>
#include <unistd.h>
__attribute__((constructor)) static void ctor(void)
{
	int fd = open("/nonexistent/ctor.conf", O_RDONLY);

	if (fd >= 0)
		close(fd);
	getppid();
}
int lib_answer(void) { return 42; }
C
cat >"$tmp/main.c" <<'C'
int lib_answer(void);
int main(void) { return lib_answer() - 42; }
C
if cc -shared -fPIC -o "$tmp/libctor.so" "$tmp/ctor.c" &&
	cc -o "$tmp/withctor" "$tmp/main.c" -L"$tmp" -lctor -Wl,-rpath,"$tmp"; then
	same_calls "a library constructor's calls" "$tmp/withctor"
	ok_if "the constructor's open is in the trace" \
		grep -q -F 'openat(AT_FDCWD, "/nonexistent/ctor.conf"' "$tmp/l.trace"
	ok_if "ld.so's open of the library is in the trace" \
		grep -q -E 'openat\(AT_FDCWD, "[^"]*libctor.so"' "$tmp/l.trace"
else
	skip "a library constructor's calls" "cannot build it"
	skip "the constructor's open" "cannot build it"
	skip "ld.so's open" "cannot build it"
fi

if command -v curl >/dev/null; then
	same_calls "curl --version (many libraries, gnutls and more)" curl --version
else
	skip "curl --version" "curl not installed"
fi
if [ -x /usr/bin/python3 ]; then
	same_calls "python3 -c pass" /usr/bin/python3 -S -c pass
else
	skip "python3 -c pass" "no /usr/bin/python3"
fi
same_calls "ls -l /" ls -l -I proc /

# a script whose interpreter is dynamic: the loader reads the #! line and
# maps the interpreter and its ld.so, so the shell's first calls are in
printf '#!/bin/sh\nread x </etc/hostname\necho "$x"\n' >"$tmp/script.sh"
chmod +x "$tmp/script.sh"
same_calls "loader_runs_a_script_whose_interpreter_is_dynamic (#!/bin/sh)" "$tmp/script.sh"
ok_if "the script's trace starts at its execve, then ld.so's first call (brk)" \
	sh -c "head -n 2 '$tmp/l.trace' | tr '\\n' ' ' | grep -q -E '^[0-9]+ +execve\(\"$tmp/script.sh\".* [0-9]+ +brk\(NULL\)'"

# same output and status as bare, the trace from the first instruction
export LIMEN_LOADER=all
same_as_bare "LIMEN_LOADER=all: ls as bare" ls -l -I proc /
unset LIMEN_LOADER

# execve at the edge of the kernel's argument space (tests/syscalls/edges.t)
# through the loader: the loader's path replaces the program's and
# LIMEN_EXEC is added, and the room limen makes counts both exactly
export LIMEN_LOADER=all
argmax=$(testbin argmax)
n=$(env -u _ "$argmax" probe 2>/dev/null)
if [ -n "$n" ]; then
	same_as_bare "LIMEN_LOADER=all: the execve block that just fits ($n bytes) runs" \
		"$argmax" exec "$n"
	same_as_bare "LIMEN_LOADER=all: one byte more is E2BIG" "$argmax" exec $((n + 1))
else
	skip "LIMEN_LOADER=all: the block that just fits" "cannot probe the edge here"
	skip "LIMEN_LOADER=all: one byte more" "cannot probe the edge here"
fi
unset LIMEN_LOADER

done_testing
