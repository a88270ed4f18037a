#!/usr/bin/env bash
# limen record writes a CTF recording; limen report prints it through the
# same collector and sinks as limen trace: the same lines byte for byte
# (the same run twice: no address randomisation, the pids blanked: the
# thread column, getppid's and ld.so's set_tid_address's results), the
# same -c table, and --json / --perfetto / --latency from the recording.
. "$(dirname "$0")/../lib.sh"
need_limen
command -v setarch >/dev/null || skip_all "setarch is not installed (util-linux)"
plan 12
here=$(dirname "$0")

norm() {
	sed -i 's/^[0-9]* *//; s/^getppid()  *= [0-9]*$/getppid() = P/; s/^getrandom("[^"]*"/getrandom(R/; s/^\(set_tid_address(.*)\)  *= [0-9]*$/\1 = T/' "$1"
}

setarch -R "$LIMEN" record -o "$tmp/loop.rec" -- "$(testbin sysloop)" 5000 700 \
	</dev/null >/dev/null 2>"$tmp/rec.err"
is "$?" 0 "record: the program's exit status"
ok_if "record: a CTF recording (metadata and stream)" \
	test -s "$tmp/loop.rec/metadata" -a -s "$tmp/loop.rec/stream"
"$LIMEN" report -o "$tmp/loop.rep" "$tmp/loop.rec" 2>"$tmp/rep.err"
is "$?" 0 "report: exit status 0"
setarch -R "$LIMEN" trace -o "$tmp/loop.tr" -- "$(testbin sysloop)" 5000 700 \
	</dev/null >/dev/null 2>&1
norm "$tmp/loop.rep"
norm "$tmp/loop.tr"
same_file "$tmp/loop.rep" "$tmp/loop.tr" \
	"report_of_a_recording_is_trace_output_byte_for_byte (sysloop)"

setarch -R "$LIMEN" record -o "$tmp/cat.rec" -- cat /etc/hostname /nonexistent-limen-rep \
	</dev/null >/dev/null 2>&1
"$LIMEN" report -o "$tmp/cat.rep" "$tmp/cat.rec" 2>/dev/null
setarch -R "$LIMEN" trace -o "$tmp/cat.tr" -- cat /etc/hostname /nonexistent-limen-rep \
	</dev/null >/dev/null 2>&1
norm "$tmp/cat.rep"
norm "$tmp/cat.tr"
same_file "$tmp/cat.rep" "$tmp/cat.tr" \
	"report_is_trace_output: cat, a failing open, exit status 1"

"$LIMEN" report -c "$tmp/loop.rec" >"$tmp/sum.rep" 2>&1
ok_if "report -c: the table counts every call (5000 getppid)" \
	grep -q -E '^ .* 5000 +getppid$' "$tmp/sum.rep"

"$LIMEN" report --latency "$tmp/loop.rec" >"$tmp/lat.rep" 2>&1
ok_if "report --latency: 700 opens of /etc/hostname among the paths" \
	grep -q -E '^ +700 "/etc/hostname"$' "$tmp/lat.rep"

"$LIMEN" report --json "$tmp/cat.json" --perfetto "$tmp/cat.pf" \
	"$tmp/cat.rec" >/dev/null 2>&1
if pyjs=$(python_with jsonschema); then
	ok_if "report_json_validates_against_docs/json-schema.json" "$pyjs" -c '
import json, sys, jsonschema
v = jsonschema.Draft202012Validator(json.load(open(sys.argv[2])))
n = 0
for line in open(sys.argv[1]):
    v.validate(json.loads(line)); n += 1
assert n > 10, n' "$tmp/cat.json" "$here/../../docs/json-schema.json"
else
	skip "report_json_validates_against_docs/json-schema.json" \
		"python3-jsonschema is not installed"
fi
ok_if "report_perfetto_is_well_formed_chrome_json" python3 -c '
import json, sys
ev = json.load(open(sys.argv[1]))["traceEvents"]
xs = [e for e in ev if e["ph"] == "X"]
assert len(xs) > 10
for e in xs:
    assert isinstance(e["ts"], (int, float)) and e["dur"] >= 0
    assert isinstance(e["pid"], int) and isinstance(e["tid"], int)' "$tmp/cat.pf"

# a command killed by a signal: its end comes from the reap, not a record;
# a report places it at the recording's time, not at the time of the report
"$LIMEN" record -o "$tmp/kill.rec" -- sh -c 'kill -9 $$' </dev/null >/dev/null 2>&1
"$LIMEN" report -ttt -o "$tmp/kill.1" "$tmp/kill.rec" 2>/dev/null
ok_if "report: the command killed by SIGKILL" grep -q '+++ killed by SIGKILL +++' "$tmp/kill.1"
sleep 1.1
"$LIMEN" report -ttt -o "$tmp/kill.2" "$tmp/kill.rec" 2>/dev/null
same_file "$tmp/kill.2" "$tmp/kill.1" \
	"report_places_reaps_at_the_recordings_time (-ttt twice, a second apart)"

# the collector's own lines are recorded: a record stopped by SIGTERM
# (the program says it runs: limen's handler is set by then; it waits on a
# fifo, so it is still running when the signal comes, however slow the
# machine; limen passes SIGTERM on to it)
mkfifo "$tmp/stop.go"
"$LIMEN" record -o "$tmp/stop.rec" -- sh -c ": >$tmp/stop.ready; exec 3<>$tmp/stop.go; read x <&3" </dev/null >/dev/null 2>&1 &
pid=$!
while [ ! -e "$tmp/stop.ready" ] && kill -0 $pid 2>/dev/null; do sleep 0.05; done
kill -TERM $pid
wait $pid
"$LIMEN" report "$tmp/stop.rec" >"$tmp/stop.rep" 2>&1
ok_if "report_shows_the_collectors_own_lines (stopped by SIGTERM)" \
	test "$(tail -n1 "$tmp/stop.rep")" = "+++ limen: stopped by SIGTERM +++"
