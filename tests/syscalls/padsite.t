#!/bin/bash
# SPDX-License-Identifier: MIT
#
# The pad form of a rewritten call site (src/runtime/rewrite.c, pad_form;
# rewrite_pad.c): a site with no instruction before its `syscall` that a
# jmp may replace (Go's internal/runtime/syscall.Syscall6, through which a
# Go program makes almost all its calls) has its `syscall` replaced by a
# jmp rel8 into the int3 padding after its function, where a jmp leads to
# its stub, when the file's symbol table proves where the function starts
# and that nothing covers the padding. tests/progs/padsite.c prints "site
# NAME XX" on stderr: the first byte of each `syscall` (0f as built, eb
# once rewritten).
. "$(dirname "$0")/../lib.sh"
need_limen
prog=$(testbin padsite)
[ -x "$prog" ] || skip_all "tests/progs/padsite not built ($prog)"

# --- a hot site ---------------------------------------------------------------
bare_and_traced hot hot 3000
as_bare hot "a hot pad-form site: output and status as bare"
is "$(site hot.bare sys)" 0f "the site as built: movs between registers, then the syscall"
is "$(site hot sys)" eb "a_site_with_int3_padding_and_a_symbol_table_gets_a_jmp_rel8"
is "$(count_calls "$tmp/hot.trace" getppid)" 6000 \
	"every_call_of_a_pad_form_site_is_recorded_once"
bare_and_traced none -e trace=none -- hot 3000
as_bare none "-e trace=none: output and status as bare"
is "$(site none sys)" eb "-e trace=none: the pad-form site is rewritten"
bare_and_traced norw --no-rewrite -- hot 3000
is "$(site norw sys)" 0f "--no-rewrite leaves the pad-form site on SUD"
is "$(count_calls "$tmp/norw.trace" getppid)" 6000 "--no-rewrite: every call recorded"

# --- what is no proof ---------------------------------------------------------
bare_and_traced others others 2000
as_bare others "sites that stay on SUD: results as bare"
is "$(site others nop)" 0f "padding_of_nops_is_no_proof_the_bytes_are_not_code"
is "$(site others sse)" 0f "an_instruction_the_decoder_does_not_know_is_no_proof"
is "$(site others mix)" 0f "int3s_after_other_bytes_past_the_function_s_end_are_no_proof"

# --- the stub's own writes fault (its pushfq and call, below the red zone,
# where the bare `syscall` writes nothing): the call goes to SUD from the
# stub's own `syscall`, never back to the site's jmp, which would lead
# into the stub again and fault again, forever
bare_and_traced edge edge 2000
as_bare edge "a_fault_of_a_pad_form_site_s_stub_makes_the_call_through_SUD: results as bare"
is "$(site edge sys) $(count_calls "$tmp/edge.trace" getppid)" "eb 8000" \
	"a call whose stub faults is recorded once"
cp "$prog" "$tmp/stripped"
if strip "$tmp/stripped" 2>/dev/null; then
	_run_to "$tmp/strip" "$LIMEN" trace -o "$tmp/strip.trace" -- "$tmp/stripped" hot 3000
	is "$(cat "$tmp/strip.st") $(site strip sys)" "0 0f" \
		"a_stripped_file_has_no_symbol_table_and_its_site_stays_on_SUD"
else
	skip "a_stripped_file_has_no_symbol_table_and_its_site_stays_on_SUD" "no strip"
fi

# --- threads: patched live ----------------------------------------------------
bad=
for r in 1 2 3; do
	bare_and_traced thr threads 3000
	cmp -s "$tmp/thr.bare.out" "$tmp/thr.out" &&
		cmp -s "$tmp/thr.bare.st" "$tmp/thr.st" &&
		[ "$(site thr sys)" = eb ] &&
		[ "$(count_calls "$tmp/thr.trace" getppid)" = $((2 * 4 * 3000)) ] ||
		bad="$bad round $r: status $(cat "$tmp/thr.st"), site $(site thr sys), $(count_calls "$tmp/thr.trace" getppid) calls;"
done
is "$bad" "" "threads_calling_a_pad_form_site_while_it_is_patched: results as bare, every call recorded once"

# --- signals ------------------------------------------------------------------
bare_and_traced sigs sigs 3000
as_bare sigs "signals_interrupting_calls_of_a_pad_form_site: EINTR and handlers as bare"
is "$(site sigs sys)" eb "signals: the pad-form site was rewritten"

# --- calls that need a frame: to SUD through the stub's own syscall ------------
for o in "" "-e trace=none" "--no-rewrite"; do
	n=hb${o:+_}$(printf '%s' "$o" | tr -c 'a-z' _)
	# shellcheck disable=SC2086
	bare_and_traced "$n" $o ${o:+--} handback 2000
	as_bare "$n" "calls_of_a_pad_form_site_handed_back_to_SUD${o:+ ($o)}: masks, fork and vfork children as bare"
done
is "$(site hb sys)$(site hb vf)" ebeb "handback: both sites were rewritten"
is "$(grep -c '^[0-9]* *vfork(' "$tmp/hb.trace")" 2 \
	"a_vfork_through_a_pad_form_site_is_recorded_as_the_sites"
is "$(grep -c -- '+++ exited with 4[0-3] +++' "$tmp/hb.trace")" 4 \
	"fork_and_vfork_children_of_a_pad_form_site_run_and_exit_traced"

# a thread of a raw clone shares its parent's TLS: under the preload
# runtime (limen's TLS in %fs) the fast path may not use its stack there
# and hands its calls to SUD through the stub's `syscall` (fast.S), which
# the site's own jmp would only lead back to the stub from
for L in loader preload; do
	LIMEN_LOADER=$L bare_and_traced raw$L rawthread 2000
	as_bare raw$L "a_raw_thread_on_its_parent_s_tls_calls_through_a_pad_form_site ($L): results as bare"
	is "$(site raw$L sys) $(count_calls "$tmp/raw$L.trace" getppid)" "eb 6000" \
		"a raw thread's calls through a pad-form site: every call recorded once ($L)"
done

# --- unmapped and mapped again, moved ---------------------------------------
# A copy of pad_sys's page from the file: made hot, unmapped and mapped
# again where it was (a library dlclose'd and loaded again: the new
# mapping's site is as built, its slot int3s again, and it is rewritten
# anew), or moved by mremap (the moved copy gets the site's own bytes
# back: its jmp rel8 and its slot's jmp rel32 would lead elsewhere).
bare_and_traced reload reload 2000
as_bare reload "a_pad_form_site_unloaded_and_loaded_again: calls as bare"
is "$(site reload reload-first) $(site reload reload-fresh) $(site reload reload-again)" "eb 0f eb" \
	"a_pad_form_site_loaded_again_where_it_was_patched_is_as_built_then_rewritten_anew"
is "$(count_calls "$tmp/reload.trace" getppid)" 8000 "reload: every call recorded"
bare_and_traced moved moved 2000
as_bare moved "a_pad_form_site_moved_by_mremap: calls as bare"
is "$(site moved moved-first) $(site moved moved-fresh) $(site moved moved-again)" "eb 0f eb" \
	"a_pad_form_site_moved_by_mremap_gets_its_syscall_back_then_is_rewritten_anew"
is "$(count_calls "$tmp/moved.trace" getppid)" 8000 "moved: every call recorded"

# --- a Go program: its Syscall6 -----------------------------------------------
if command -v go >/dev/null; then
	mkdir -p "$tmp/go/src"
	cat >"$tmp/go/src/main.go" <<'GO'
package main

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"syscall"
	"unsafe"
)

func main() {
	n, _ := strconv.Atoi(os.Args[1])
	at, _ := strconv.ParseUint(os.Args[2], 16, 64)
	if len(os.Args) > 3 {
		// position-independent: at is from the start of the image,
		// where the maps' line of its file at offset 0 says
		exe, _ := os.Executable()
		b, _ := os.ReadFile("/proc/self/maps")
		for _, l := range strings.Split(string(b), "\n") {
			var lo uint64
			f := strings.Fields(l)
			if len(f) == 6 && f[2] == "00000000" && f[5] == exe {
				fmt.Sscanf(l, "%x-", &lo)
				at += lo
				break
			}
		}
	}
	ok := 0
	for i := 0; i < n; i++ {
		if syscall.Getppid() == os.Getppid() {
			ok++
		}
	}
	fmt.Println("getppid", ok, "of", n)
	fmt.Fprintf(os.Stderr, "site go %02x\n", *(*byte)(unsafe.Pointer(uintptr(at))))
}
GO
	if (cd "$tmp/go/src" && GOCACHE=$tmp/go/cache GO111MODULE=off \
		go build -o "$tmp/go/prog" main.go) >"$tmp/go/build.log" 2>&1; then
		at=$(objdump -d "$tmp/go/prog" | awk '/syscall\.Syscall6>:/ { f = 1 }
			f && /\tsyscall/ { sub(":", "", $1); print $1; exit }')
		_run_to "$tmp/gobare" "$tmp/go/prog" 3000 "$at"
		_run_to "$tmp/go" "$LIMEN" trace -o "$tmp/go.trace" -- "$tmp/go/prog" 3000 "$at"
		is "$(site gobare go)" 0f "Go's Syscall6 as built ends in a syscall"
		is "$(cat "$tmp/go.st") $(cat "$tmp/go.out") $(site go go)" \
			"0 getppid 3000 of 3000 eb" "go_syscall6_is_rewritten_and_its_calls_return_as_bare"
		is "$(count_calls "$tmp/go.trace" getppid)" 6000 \
			"go: every call through Syscall6 is recorded once"
		# stripped (as Debian's Go packages are), and position-
		# independent: the proof from Go's own pclntab
		strip -o "$tmp/go/stripped" "$tmp/go/prog"
		_run_to "$tmp/gostrip" "$LIMEN" trace -o "$tmp/gostrip.trace" -- "$tmp/go/stripped" 3000 "$at"
		is "$(cat "$tmp/gostrip.st") $(cat "$tmp/gostrip.out") $(site gostrip go) $(count_calls "$tmp/gostrip.trace" getppid)" \
			"0 getppid 3000 of 3000 eb 6000" \
			"a_stripped_go_program_s_syscall6_is_rewritten_from_its_pclntab"
		if (cd "$tmp/go/src" && GOCACHE=$tmp/go/cache GO111MODULE=off \
			go build -buildmode=pie -o "$tmp/go/pie" main.go) >"$tmp/go/build.log" 2>&1; then
			pie_at=$(objdump -d "$tmp/go/pie" | awk '/syscall\.Syscall6>:/ { f = 1 }
				f && /\tsyscall/ { sub(":", "", $1); print $1; exit }')
			load=$(readelf -lW "$tmp/go/pie" | awk '$1 == "LOAD" { print $3; exit }')
			pie_at=$(printf '%x' $((0x$pie_at - load)))
			strip "$tmp/go/pie"
			# its address in the process: from the image's start
			# (the Go program adds where its maps' first line says)
			_run_to "$tmp/gopie" "$LIMEN" trace -e trace=none -o "$tmp/gopie.trace" -- "$tmp/go/pie" 3000 "$pie_at" pie
			is "$(cat "$tmp/gopie.st") $(cat "$tmp/gopie.out") $(site gopie go)" \
				"0 getppid 3000 of 3000 eb" \
				"a_stripped_position_independent_go_program_s_syscall6_is_rewritten"
		else
			fail "a_stripped_position_independent_go_program_s_syscall6_is_rewritten" \
				"go build -buildmode=pie failed:" "$(head -n 20 "$tmp/go/build.log")"
		fi
		# what the proof rests on, for this Go: a function's pcsp table
		# covers exactly its size (.symtab's), and the functions with
		# none (pcsp 0) are the only ones where that fails
		is "$(python3 - "$tmp/go/prog" <<'PY'
import struct, subprocess, sys
f = open(sys.argv[1], "rb").read()
shoff, = struct.unpack_from("<Q", f, 0x28)
shentsize, shnum, shstrndx = struct.unpack_from("<HHH", f, 0x3a)
shs = [struct.unpack_from("<IIQQQQIIQQ", f, shoff + i * shentsize) for i in range(shnum)]
names = shs[shstrndx][4]
def nm(o): return f[names + o:f.index(b"\0", names + o)].decode()
off = [s[4] for s in shs if nm(s[0]).endswith(".gopclntab")][0]
nfunc, _, text, _, _, _, pctab, pcln = struct.unpack_from("<QQQQQQQQ", f, off + 8)
ft = off + pcln
def uv(p):
    r = s = 0
    while True:
        b = f[p]; p += 1; r |= (b & 0x7f) << s; s += 7
        if b < 0x80: return r, p
sym = {}
for l in subprocess.run(["readelf", "-sW", sys.argv[1]], capture_output=True, text=True).stdout.splitlines():
    p = l.split()
    if len(p) >= 8 and p[3] == "FUNC" and int(p[2]):  # not runtime.text's 0
        sym[int(p[1], 16)] = max(sym.get(int(p[1], 16), 0), int(p[2]))
same = differ = 0
for i in range(nfunc):
    eo, fo = struct.unpack_from("<II", f, ft + 8 * i)
    pcsp, = struct.unpack_from("<I", f, ft + fo + 16)
    if not pcsp or text + eo not in sym: continue
    p = off + pctab + pcsp; pc = 0; first = True
    while True:
        u, p = uv(p)
        if u == 0 and not first: break
        d, p = uv(p); pc += d; first = False
    if pc == sym[text + eo]: same += 1
    else: differ += 1
print("differ", differ, "same", "many" if same > 1000 else same)
PY
)" "differ 0 same many" "go_pcsp_tables_cover_exactly_each_function_s_symbol_size"
	else
		fail "go_syscall6_is_rewritten_and_its_calls_return_as_bare" \
			"go build failed:" "$(head -n 20 "$tmp/go/build.log")"
	fi
else
	skip "go_syscall6_is_rewritten_and_its_calls_return_as_bare" "no go (apt-get install golang-go)"
fi
done_testing
