#!/usr/bin/env bash
# The collector under random and mutated ring contents (tests/fuzz/
# fuzz_drain.c, libFuzzer + AddressSanitizer + UBSan): every input that
# once crashed it (tests/fuzz/regress/) replays cleanly, and a short run
# from them finds nothing new. `make fuzz` is the long run.
. "$(dirname "$0")/../lib.sh"
: "${LIMEN_FUZZ:=$_repo_dir/build/fuzz/fuzz_drain}"
[ -x "$LIMEN_FUZZ" ] ||
	skip_all "no fuzz harness ($LIMEN_FUZZ): clang with libFuzzer (Debian: clang libclang-rt-14-dev) is needed"
plan 2
regress=$_repo_dir/tests/fuzz/regress
"$LIMEN_FUZZ" -timeout=10 "$regress"/* >"$tmp/replay.log" 2>&1
st=$?
if [ "$st" = 0 ]; then
	pass "fuzz_regressions_replay_cleanly ($(ls "$regress" | wc -l) inputs)"
else
	fail "fuzz_regressions_replay_cleanly" "$(grep -E 'ERROR|runtime error|SUMMARY' "$tmp/replay.log" | head -n 5)"
fi
mkdir -p "$tmp/corpus"
(cd "$tmp" && "$LIMEN_FUZZ" -max_total_time=3 -rss_limit_mb=1024 \
	-artifact_prefix="$tmp/" corpus "$regress") >"$tmp/run.log" 2>&1
st=$?
if [ "$st" = 0 ]; then
	pass "fuzz_short_run_finds_nothing ($(grep -o 'Done [0-9]* runs' "$tmp/run.log"))"
else
	fail "fuzz_short_run_finds_nothing" "$(grep -E 'ERROR|runtime error|SUMMARY' "$tmp/run.log" | head -n 5)" \
		"crashing input: $(ls "$tmp"/crash-* 2>/dev/null | head -n 1) (base64: $(base64 -w0 "$(ls "$tmp"/crash-* | head -n 1)" 2>/dev/null))"
fi
