#!/usr/bin/env bash
# An event's filter (events/user_events/NAME/filter), its check and its
# evaluation on a payload, under libFuzzer, ASan and UBSan
# (tests/fuzz/fuzz_uevfilt.c): the corpus in
# tests/fuzz/regress_uevfilt replays cleanly and a short run from it finds
# nothing. `make fuzz` is the long run.
. "$(dirname "$0")/../lib.sh"
: "${LIMEN_FUZZ_UEVFILT:=$_repo_dir/build/fuzz/fuzz_uevfilt}"
[ -x "$LIMEN_FUZZ_UEVFILT" ] ||
	skip_all "no fuzz harness ($LIMEN_FUZZ_UEVFILT): clang with libFuzzer (Debian: clang libclang-rt-14-dev) is needed"
plan 2
corpus=$_repo_dir/tests/fuzz/regress_uevfilt
if "$LIMEN_FUZZ_UEVFILT" "$corpus"/* >"$tmp/replay.log" 2>&1; then
	pass "uevfilt_fuzz_corpus_replays_cleanly ($(ls "$corpus" | wc -l) inputs)"
else
	fail "uevfilt_fuzz_corpus_replays_cleanly" "$(grep -E 'ERROR|runtime error|SUMMARY' "$tmp/replay.log" | head -n 5)"
fi
mkdir -p "$tmp/corpus"
if (cd "$tmp" && "$LIMEN_FUZZ_UEVFILT" -max_total_time=2 -rss_limit_mb=1024 \
	-artifact_prefix="$tmp/" corpus "$corpus") >"$tmp/run.log" 2>&1; then
	pass "uevfilt_fuzz_short_run_finds_nothing ($(grep -o 'Done [0-9]* runs' "$tmp/run.log"))"
else
	fail "uevfilt_fuzz_short_run_finds_nothing" "$(grep -E 'ERROR|runtime error|SUMMARY' "$tmp/run.log" | head -n 5)"
fi
