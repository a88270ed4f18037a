#!/usr/bin/env bash
# A real recording: tests/ctf/ctf_record.c runs the session's drain loop as
# limen trace does and gives every event both to the CTF writer and to the
# text sink; replaying the recording through the text sink gives the same
# text byte for byte, and babeltrace2 reads the recording without a
# warning and finds the known calls of tests/progs/ctf_known.c.
. "$(dirname "$0")/../lib.sh"
need_limen
rec=$LIMEN_TESTBIN/ctf/ctf_record
prog=$(testbin ctf_known)
rt=$(dirname "$LIMEN")/liblimen.so
here=$(dirname "$0")
[ -x "$rec" ] && [ -x "$prog" ] || skip_all "ctf_record or ctf_known not built; run make first"
plan 5

printf 'hello world, and more\n' >"$tmp/known"
"${_timeout[@]+"${_timeout[@]}"}" "$rec" record "$tmp/r" "$tmp/live.txt" "$rt" -- \
	"$prog" "$tmp/known" >"$tmp/out" 2>"$tmp/err"
st=$?
ok_if "recorded_program_runs_as_bare (status $st)" \
	test "$st" -eq 0 -a "$(cat "$tmp/out")" = "hello world" || diag_file "$tmp/err"

"$rec" replay "$tmp/r" "$tmp/replay.txt" 2>"$tmp/replay.err"
st=$?
ok_if "replay_runs (status $st)" test "$st" -eq 0 || diag_file "$tmp/replay.err"
same_file "$tmp/replay.txt" "$tmp/live.txt" "replay_of_recording_is_the_live_text"

if ! command -v babeltrace2 >/dev/null; then
	skip "babeltrace2_reads_real_recording" "no babeltrace2 (Debian: babeltrace2)"
	skip "babeltrace2_finds_known_calls" "no babeltrace2 (Debian: babeltrace2, python3-bt2)"
	exit 0
fi
babeltrace2 "$tmp/r" >"$tmp/bt.out" 2>"$tmp/bt.err"
st=$?
ok_if "babeltrace2_reads_real_recording (status $st)" \
	test "$st" -eq 0 -a ! -s "$tmp/bt.err" -a -s "$tmp/bt.out" || diag_file "$tmp/bt.err"
if /usr/bin/python3 -c 'import bt2' 2>/dev/null; then
	/usr/bin/python3 "$here/bt2_real.py" "$tmp/r" "$tmp/known" >"$tmp/py.out" 2>&1
	ok_if "babeltrace2_finds_known_calls" test $? -eq 0 || diag_file "$tmp/py.out"
else
	skip "babeltrace2_finds_known_calls" "no python3-bt2"
fi
