#!/bin/bash
# SPDX-License-Identifier: MIT
#
# A dynamic musl program under LD_PRELOAD (LIMEN_LOADER=preload): musl's
# loader calls the runtime's constructor without the argc, argv and envp
# glibc's passes, and the runtime read whatever the registers held (a
# NULL argv): SIGSEGV before the program's first instruction. The
# runtime takes them from the stack the kernel built
# (src/runtime/init_args.c): the program runs as bare, sees its own
# arguments and none of limen's variables, and every call is traced.
# Needs musl-tools (musl-gcc and musl's dynamic loader).
. "$(dirname "$0")/../lib.sh"
need_limen
command -v musl-gcc >/dev/null || skip_all "musl-gcc is not installed (musl-tools)"
src=$(dirname "$0")/../progs/envargs.c
prog=$tmp/envargs-musl
musl-gcc -O1 -o "$prog" "$src" 2>/dev/null && "$prog" 0 >/dev/null 2>&1 ||
	skip_all "cannot build or run a dynamic musl program"
export LIMEN_LOADER=preload ENVARGS_X='a value'

bare_and_traced musl 300 'two words' ''
as_bare musl "preload: a dynamic musl program as bare (its arguments, no LIMEN_ variable)"
is "$(count_calls "$tmp/musl.trace" getppid)" 300 \
	"preload: every call of the musl program in the trace"
done_testing
