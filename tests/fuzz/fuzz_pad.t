#!/usr/bin/env bash
# What the pad form reads of a program's file (ELF headers, .symtab, Go's
# pclntab) and the instruction decoder, under libFuzzer, ASan and UBSan
# (tests/fuzz/fuzz_pad.c): the corpus in
# tests/fuzz/regress_pad replays cleanly and a short run from it finds
# nothing. `make fuzz` is the long run.
. "$(dirname "$0")/../lib.sh"
: "${LIMEN_FUZZ_PAD:=$_repo_dir/build/fuzz/fuzz_pad}"
[ -x "$LIMEN_FUZZ_PAD" ] ||
	skip_all "no fuzz harness ($LIMEN_FUZZ_PAD): clang with libFuzzer (Debian: clang libclang-rt-14-dev) is needed"
plan 2
corpus=$_repo_dir/tests/fuzz/regress_pad
if "$LIMEN_FUZZ_PAD" "$corpus"/* >"$tmp/replay.log" 2>&1; then
	pass "pad_fuzz_corpus_replays_cleanly ($(ls "$corpus" | wc -l) inputs)"
else
	fail "pad_fuzz_corpus_replays_cleanly" "$(grep -E 'ERROR|runtime error|SUMMARY' "$tmp/replay.log" | head -n 5)"
fi
mkdir -p "$tmp/corpus"
if (cd "$tmp" && "$LIMEN_FUZZ_PAD" -max_total_time=2 -rss_limit_mb=1024 \
	-artifact_prefix="$tmp/" corpus "$corpus") >"$tmp/run.log" 2>&1; then
	pass "pad_fuzz_short_run_finds_nothing ($(grep -o 'Done [0-9]* runs' "$tmp/run.log"))"
else
	fail "pad_fuzz_short_run_finds_nothing" "$(grep -E 'ERROR|runtime error|SUMMARY' "$tmp/run.log" | head -n 5)"
fi
