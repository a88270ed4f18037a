#!/usr/bin/env bash
# The --filter language's parser and compiler, and the runtime's validation
# and evaluation of a filter program a hostile process could write into the
# session (tests/fuzz/fuzz_filter.c, libFuzzer + AddressSanitizer + UBSan):
# the regressions replay cleanly and a short run finds nothing new.
. "$(dirname "$0")/../lib.sh"
: "${LIMEN_FUZZ_FILTER:=$_repo_dir/build/fuzz/fuzz_filter}"
[ -x "$LIMEN_FUZZ_FILTER" ] ||
	skip_all "no fuzz harness ($LIMEN_FUZZ_FILTER): clang with libFuzzer (Debian: clang libclang-rt-14-dev) is needed"
plan 2
regress=$_repo_dir/tests/fuzz/regress_filter
"$LIMEN_FUZZ_FILTER" -timeout=10 "$regress"/* >"$tmp/replay.log" 2>&1
st=$?
if [ "$st" = 0 ]; then
	pass "fuzz_filter_regressions_replay_cleanly ($(ls "$regress" | wc -l) inputs)"
else
	fail "fuzz_filter_regressions_replay_cleanly" "$(grep -E 'ERROR|runtime error|SUMMARY' "$tmp/replay.log" | head -n 5)"
fi
mkdir -p "$tmp/corpus"
(cd "$tmp" && "$LIMEN_FUZZ_FILTER" -max_total_time=3 -rss_limit_mb=1024 \
	-artifact_prefix="$tmp/" corpus "$regress") >"$tmp/run.log" 2>&1
st=$?
if [ "$st" = 0 ]; then
	pass "fuzz_filter_short_run_finds_nothing ($(grep -o 'Done [0-9]* runs' "$tmp/run.log"))"
else
	fail "fuzz_filter_short_run_finds_nothing" "$(grep -E 'ERROR|runtime error|SUMMARY' "$tmp/run.log" | head -n 5)" \
		"crashing input: $(ls "$tmp"/crash-* 2>/dev/null | head -n 1) (base64: $(base64 -w0 "$(ls "$tmp"/crash-* | head -n 1)" 2>/dev/null))"
fi
