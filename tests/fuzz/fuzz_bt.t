#!/usr/bin/env bash
# limen bt's lexer, parser and checker, and the evaluation of BEGIN,
# interval and END, under libFuzzer, ASan and UBSan (tests/fuzz/fuzz_bt.c):
# the seed corpus in tests/fuzz/regress_bt (the tutorial's one-liners,
# every map kind and statement) replays cleanly and a short run from it
# finds nothing. `make fuzz` is the long run.
. "$(dirname "$0")/../lib.sh"
: "${LIMEN_FUZZ_BT:=$_repo_dir/build/fuzz/fuzz_bt}"
[ -x "$LIMEN_FUZZ_BT" ] ||
	skip_all "no fuzz harness ($LIMEN_FUZZ_BT): clang with libFuzzer (Debian: clang libclang-rt-14-dev) is needed"
plan 2
corpus=$_repo_dir/tests/fuzz/regress_bt
if "$LIMEN_FUZZ_BT" "$corpus"/* >"$tmp/replay.log" 2>&1; then
	pass "bt_fuzz_corpus_replays_cleanly ($(ls "$corpus" | wc -l) inputs)"
else
	fail "bt_fuzz_corpus_replays_cleanly" "$(grep -E 'ERROR|runtime error|SUMMARY' "$tmp/replay.log" | head -n 5)"
fi
mkdir -p "$tmp/corpus"
if (cd "$tmp" && "$LIMEN_FUZZ_BT" -max_total_time=2 -rss_limit_mb=1024 \
	-artifact_prefix="$tmp/" corpus "$corpus") >"$tmp/run.log" 2>&1; then
	pass "bt_fuzz_short_run_finds_nothing ($(grep -o 'Done [0-9]* runs' "$tmp/run.log"))"
else
	fail "bt_fuzz_short_run_finds_nothing" "$(grep -E 'ERROR|runtime error|SUMMARY' "$tmp/run.log" | head -n 5)"
fi
