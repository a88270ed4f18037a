#!/usr/bin/env bash
# Recordings (src/ctf/) as other CTF readers see them: babeltrace2 reads
# them without a warning, finds every event with its fields by LTTng's
# names, and counts LOST records as discarded events; limen's own reader
# gives back every event as it was written, and stops with a reason on a
# damaged recording. The recordings are made by tests/ctf/ctf_synth.c from
# records with the runtime's layouts.
. "$(dirname "$0")/../lib.sh"
synth=$LIMEN_TESTBIN/ctf/ctf_synth
here=$(dirname "$0")
[ -x "$synth" ] || skip_all "ctf_synth not built ($synth); run make first"
plan 7

"$synth" roundtrip "$tmp/rt" >"$tmp/rt.out" 2>&1
ok_if "reader_gives_back_every_record_byte_for_byte" test $? -eq 0 ||
	diag_file "$tmp/rt.out"

"$synth" damage "$tmp/dmg" 300 >"$tmp/dmg.out" 2>&1
ok_if "reader_refuses_damaged_recordings_with_a_reason" test $? -eq 0 ||
	diag_file "$tmp/dmg.out"

if ! command -v babeltrace2 >/dev/null; then
	for t in babeltrace2_reads_without_warning babeltrace2_finds_every_event_and_field \
		 lost_records_are_discarded_events babeltrace2_reads_mutated_records \
		 babeltrace2_python_sees_lost_event; do
		skip "$t" "no babeltrace2 (Debian: babeltrace2, python3-bt2)"
	done
	exit 0
fi

"$synth" write "$tmp/k"
# (this also loads every event class of the table: the field names of
# every call must be distinct and valid TSDL)
babeltrace2 "$tmp/k" >"$tmp/k.out" 2>"$tmp/k.err"
st=$?
ok_if "babeltrace2_reads_without_warning (status $st)" \
	test "$st" -eq 0 -a ! -s "$tmp/k.err" -a "$(wc -l <"$tmp/k.out")" -eq 20 ||
	diag_file "$tmp/k.err"

py=/usr/bin/python3
if "$py" -c 'import bt2' 2>/dev/null; then
	"$py" "$here/bt2_check.py" "$tmp/k" >"$tmp/py.out" 2>&1
	ok_if "babeltrace2_finds_every_event_and_field" test $? -eq 0 ||
		diag_file "$tmp/py.out"
else
	skip "babeltrace2_finds_every_event_and_field" "no python3-bt2"
fi

"$synth" write "$tmp/l" --lost
babeltrace2 "$tmp/l" >"$tmp/l.out" 2>"$tmp/l.err"
st=$?
ok_if "lost_records_are_discarded_events (status $st)" \
	grep -q "^WARNING: Tracer discarded 5 events between" "$tmp/l.err" ||
	diag_file "$tmp/l.err"

if "$py" -c 'import bt2' 2>/dev/null; then
	"$py" "$here/bt2_check.py" "$tmp/l" --lost >"$tmp/pyl.out" 2>&1
	ok_if "babeltrace2_python_sees_lost_event" test $? -eq 0 ||
		diag_file "$tmp/pyl.out"
else
	skip "babeltrace2_python_sees_lost_event" "no python3-bt2"
fi

# the round trip's recording: 4 KiB packets, records of every shape
babeltrace2 "$tmp/rt" >"$tmp/rtb.out" 2>"$tmp/rtb.err"
st=$?
ok_if "babeltrace2_reads_mutated_records (status $st)" \
	test "$st" -eq 0 -a "$(grep -v '^WARNING: Tracer discarded 5 events' "$tmp/rtb.err" | wc -l)" -eq 0 ||
	diag_file "$tmp/rtb.err"

