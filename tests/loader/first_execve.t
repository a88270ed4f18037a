#!/bin/bash
# SPDX-License-Identifier: MIT
#
# The command's own execve is the trace's first line, as strace's is
# (issue 13): limen's spawn marks the command's first image and the loader
# (or, under LIMEN_LOADER=preload, the runtime's constructor) records the
# execve that started it (src/runtime/first_exec.c). The line
# names the same call, path and argv as strace's and counts the variables
# the program sees (only the envp address differs, and is masked); -c
# counts it as strace -c does, the JSON output and a recording show it,
# and images exec'd later by the program are not told twice.
. "$(dirname "$0")/../lib.sh"
need_limen
strace -f -o "$tmp/probe" true >/dev/null 2>&1 && [ -s "$tmp/probe" ] ||
	skip_all "strace cannot trace here (ptrace not permitted?)"

# first_line FILE: FILE's first line, without a pid column and with the
# envp address masked
first_line() {
	head -n 1 "$1" | sed -E 's/^[0-9]+ +//; s/, 0x[0-9a-f]+ \/\*/, ADDR \/*/'
}

# the same environment for both, in which no variable is limen's or
# strace's own
env_run() { env -i PATH=/usr/bin:/bin HOME="$tmp" LANG=C "$@"; }

env_run strace -f -o "$tmp/s" true
env_run "$LIMEN" trace -o "$tmp/l" -- true
s=$(first_line "$tmp/s")
l=$(first_line "$tmp/l")
ok_if "strace's first line is the command's execve" \
	eval '[[ $s == "execve(\"/usr/bin/true\", [\"true\"], ADDR /* 3 vars */) = 0" ]]'
is "$l" "$s" "the trace's first line is strace's: execve, path, argv, var count"

# a program with arguments, found on PATH
env_run strace -f -o "$tmp/s" env -- printf '%s\n' a 'b c' >/dev/null
env_run "$LIMEN" trace -o "$tmp/l" -- env -- printf '%s\n' a 'b c' >/dev/null
is "$(first_line "$tmp/l")" "$(first_line "$tmp/s")" \
	"the first line of a command with arguments is strace's"

# a script (the interpreter's argv replaces the command's: the line shows
# the command's), run by a relative path, and a script run by a script
printf '#!/bin/sh\n:\n' >"$tmp/a.sh"
printf '#!%s\n' "$tmp/a.sh" >"$tmp/b.sh"
chmod +x "$tmp/a.sh" "$tmp/b.sh"
for cmd in ./a.sh ./b.sh; do
	(cd "$tmp" && env_run strace -f -o "$tmp/s" "$cmd" x 'y z')
	(cd "$tmp" && env_run "$LIMEN" trace -o "$tmp/l" -- "$cmd" x 'y z')
	is "$(first_line "$tmp/l")" "$(first_line "$tmp/s")" \
		"the first line of a script ($cmd) is strace's"
done

# a static program (busybox-static), traced through the loader in every
# mode
bb=/bin/busybox
if [ -x "$bb" ] && file -L "$bb" 2>/dev/null | grep -q 'statically linked'; then
	# the variable in both environments: the program sees it in both
	env_run LIMEN_LOADER=preload strace -f -o "$tmp/s" "$bb" true
	env_run LIMEN_LOADER=preload "$LIMEN" trace -o "$tmp/l" -- "$bb" true
	is "$(first_line "$tmp/l")" "$(first_line "$tmp/s")" \
		"a static program's first line is strace's (LIMEN_LOADER=preload too)"
else
	skip "a static program's first line is strace's" "no busybox-static"
fi

# LIMEN_LOADER=preload: the runtime's constructor tells it (init.c), and
# the program's environment is its own
env_run LIMEN_LOADER=preload strace -f -o "$tmp/s" true
env_run LIMEN_LOADER=preload "$LIMEN" trace -o "$tmp/l" -- true
is "$(first_line "$tmp/l")" "$(first_line "$tmp/s")" \
	"a_dynamic_program_under_LD_PRELOAD_starts_with_its_execve"
env_run LIMEN_LOADER=preload "$LIMEN" trace -o /dev/null -- "$(testbin stackauxv)" \
	>"$tmp/auxv.l"
env_run "$(testbin stackauxv)" >"$tmp/auxv.bare"
same_file "$tmp/auxv.l" "$tmp/auxv.bare" \
	"under_LD_PRELOAD_the_auxv_past_envp_on_the_stack_is_intact (Go reads it there)"
# and with an LD_PRELOAD of the program's own (kept, not hidden)
: >"$tmp/empty.c"
if cc -shared -fPIC -o "$tmp/libempty.so" "$tmp/empty.c" 2>/dev/null; then
	env_run LIMEN_LOADER=preload LD_PRELOAD="$tmp/libempty.so" "$LIMEN" trace \
		-o /dev/null -- "$(testbin stackauxv)" >"$tmp/auxv.l"
	env_run LD_PRELOAD="$tmp/libempty.so" "$(testbin stackauxv)" >"$tmp/auxv.bare"
	same_file "$tmp/auxv.l" "$tmp/auxv.bare" \
		"with_the_programs_own_LD_PRELOAD_the_auxv_past_envp_is_intact"
else
	skip "with_the_programs_own_LD_PRELOAD_the_auxv_past_envp_is_intact" "no cc"
fi
env_run LIMEN_LOADER=preload env >"$tmp/env.bare"
env_run LIMEN_LOADER=preload "$LIMEN" trace -o /dev/null -- env >"$tmp/env.l"
same_file "$tmp/env.l" "$tmp/env.bare" \
	"under LD_PRELOAD the program's environment has none of limen's variables"

# one execve line per image: the command's, and the one its child makes
# (told by the old image's runtime), as many as strace -f shows
env_run strace -f -o "$tmp/s" sh -c '/bin/true; exit 0'
env_run "$LIMEN" trace -f -o "$tmp/l" -- sh -c '/bin/true; exit 0'
is "$(grep -c 'execve(' "$tmp/l")" "$(grep -c 'execve(' "$tmp/s")" \
	"as many execve lines as strace -f, each image's once"

# -c counts it as strace -c does
calls() { awk '$NF == "execve" { print $(NF - 1) }' "$1"; }
env_run strace -c -f -o "$tmp/s" true
env_run "$LIMEN" trace -c -o "$tmp/l" -- true
is "$(calls "$tmp/l")" "$(calls "$tmp/s")" "-c counts the command's execve as strace -c does"

# JSON and a recording show it
env_run "$LIMEN" trace --json "$tmp/j" -o /dev/null -- true
ok_if "the JSON output's first call is the command's execve, returning 0" \
	eval 'head -n 1 "$tmp/j" | grep -q "\"name\":\"execve\",\"args\":\[\"\\\\\"/usr/bin/true\\\\\"\".*\"ret\":0,"'
env_run "$LIMEN" record -o "$tmp/rec" -- true >/dev/null 2>&1
"$LIMEN" report "$tmp/rec" >"$tmp/r" 2>&1
env_run strace -o "$tmp/s.plain" true
is "$(first_line "$tmp/r")" "$(first_line "$tmp/s.plain")" \
	"a recording's report starts with the command's execve"

done_testing
