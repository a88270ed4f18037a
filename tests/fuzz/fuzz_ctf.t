#!/usr/bin/env bash
# The CTF writer and reader under random events and damaged recordings
# (tests/fuzz/fuzz_ctf.c, libFuzzer + AddressSanitizer + UBSan): every
# input kept in tests/fuzz/regress_ctf/ replays cleanly (events come back
# as written, damage ends the reading cleanly), and a short run from them
# finds nothing new.
. "$(dirname "$0")/../lib.sh"
fz=$(dirname "${LIMEN_FUZZ:-$_repo_dir/build/fuzz/fuzz_drain}")/fuzz_ctf
[ -x "$fz" ] ||
	skip_all "no fuzz harness ($fz): clang with libFuzzer (Debian: clang libclang-rt-14-dev) is needed"
plan 2
regress=$_repo_dir/tests/fuzz/regress_ctf
export TMPDIR=$tmp
"$fz" -timeout=10 "$regress"/* >"$tmp/replay.log" 2>&1
st=$?
if [ "$st" = 0 ]; then
	pass "ctf_fuzz_regressions_replay_cleanly ($(ls "$regress" | wc -l) inputs)"
else
	fail "ctf_fuzz_regressions_replay_cleanly" "$(grep -E 'ERROR|runtime error|SUMMARY' "$tmp/replay.log" | head -n 5)"
fi
mkdir -p "$tmp/corpus"
(cd "$tmp" && "$fz" -max_total_time=3 -rss_limit_mb=1024 \
	-artifact_prefix="$tmp/" corpus "$regress") >"$tmp/run.log" 2>&1
st=$?
if [ "$st" = 0 ]; then
	pass "ctf_fuzz_short_run_finds_nothing ($(grep -o 'Done [0-9]* runs' "$tmp/run.log"))"
else
	fail "ctf_fuzz_short_run_finds_nothing" "$(grep -E 'ERROR|runtime error|SUMMARY' "$tmp/run.log" | head -n 5)" \
		"crashing input: $(ls "$tmp"/crash-* 2>/dev/null | head -n 1) (base64: $(base64 -w0 "$(ls "$tmp"/crash-* | head -n 1)" 2>/dev/null))"
fi
