#!/usr/bin/env bash
# The sinks behind the collector: --json (one object per event, the
# documented schema, the same decoded text as the trace), --perfetto
# (Chrome trace-event JSON: one track per thread, calls as slices) and
# --latency (percentiles, histogram, paths, errors) see the same calls as
# the text trace.
. "$(dirname "$0")/../lib.sh"
need_limen
plan 11
command -v python3 >/dev/null || skip_all "python3 is not installed"

# one process, calls that fail and calls with paths
t=$tmp/cat
limen_trace "$t" --json "$tmp/cat.json" --perfetto "$tmp/cat.pf" --latency \
	-- cat /etc/hostname /nonexistent-limen-sinks >/dev/null 2>&1
is "$?" 1 "cat of a missing file: exit status 1 under the sinks"

# the lines the JSON rebuilds are the trace's lines, byte for byte
python3 - "$tmp/cat.json" >"$tmp/cat.rebuilt" <<'PY'
import json, sys
for line in open(sys.argv[1]):
    e = json.loads(line)
    if e["type"] == "call":
        print("%s(%s) = %s" % (e["name"], ", ".join(e["args"]),
                              e.get("ret_text", "?")))
PY
# (the JSON has no alignment column: strace's padding before " = " collapsed)
sed -n '/^[0-9]* *[a-z_0-9]*(/{s/^[0-9]* *//;p}' "$t" | sed '/^+++/d;/^---/d' \
	| sed -E 's/\)  +=( |$)/) =\1/' \
	| sed -n '/^latency/q;p' >"$tmp/cat.lines"
same_file "$tmp/cat.rebuilt" "$tmp/cat.lines" \
	"json_calls_rebuild_the_trace_lines_byte_for_byte"
ok_if "the rebuilt lines include the failing openat" \
	grep -q '^openat(AT_FDCWD, "/nonexistent-limen-sinks", O_RDONLY) = -1 ENOENT' "$tmp/cat.rebuilt"

if pyjs=$(python_with jsonschema); then
	ok_if "json_lines_validate_against_docs/json-schema.json" "$pyjs" - \
		"$tmp/cat.json" "$(dirname "$0")/../../docs/json-schema.json" <<'PY'
import json, sys, jsonschema
schema = json.load(open(sys.argv[2]))
jsonschema.Draft202012Validator.check_schema(schema)
v = jsonschema.Draft202012Validator(schema)
n = 0
for line in open(sys.argv[1]):
    v.validate(json.loads(line))
    n += 1
assert n > 10, n
PY
else
	skip "json_lines_validate_against_docs/json-schema.json" \
		"python3-jsonschema is not installed"
fi
ok_if "json: the process's exit is an event" python3 -c '
import json, sys
ev = [json.loads(l) for l in open(sys.argv[1])]
assert ev[-1]["type"] == "exit" and ev[-1]["code"] == 1, ev[-1]' "$tmp/cat.json"

# Perfetto: well-formed, the documented fields, one slice per call
ok_if "perfetto_json_is_well_formed_with_one_slice_per_call" python3 - \
	"$tmp/cat.pf" "$tmp/cat.json" <<'PY'
import json, sys
pf = json.load(open(sys.argv[1]))
calls = [json.loads(l) for l in open(sys.argv[2])]
calls = [c for c in calls if c["type"] == "call" and c["end"] != "no_entry"]
xs = [e for e in pf["traceEvents"] if e["ph"] == "X"]
for e in pf["traceEvents"]:
    assert isinstance(e["name"], str) and e["ph"] in ("X", "i"), e
    assert isinstance(e["pid"], int) and isinstance(e["tid"], int), e
    assert isinstance(e["ts"], (int, float)) and e["ts"] >= 0, e
for e in xs:
    assert isinstance(e["dur"], (int, float)) and e["dur"] >= 0, e
assert [e["name"] for e in xs] == [c["name"] for c in calls], \
    ([e["name"] for e in xs][:5], [c["name"] for c in calls][:5])
PY

# latency: the counts are the calls made, the percentiles ordered
limen_trace "$tmp/loop" --latency -- "$(testbin sysloop)" 3000 7 >/dev/null 2>&1
ok_if "latency_counts_every_call (3000 getppid)" \
	grep -q -E '^getppid +3000 ' "$tmp/loop"
ok_if "latency: p50 <= p90 <= p99 <= max" awk '
	$1 == "getppid" && NF == 6 { ok = ($3 <= $4 && $4 <= $5 && $5 <= $6) }
	END { exit !ok }' "$tmp/loop"
ok_if "latency: the histogram holds every call" awk '
	/^histogram/ { h = 1; next }
	h && $1 == "getppid" { for (i = 3; i <= NF; i += 2) n += $i }
	END { exit n != 3000 }' "$tmp/loop"
ok_if "latency_paths_touched_most_counts_a_path (7 opens)" \
	grep -q -E '^ +7 "/etc/hostname"$' "$tmp/loop"
n=$(grep -c -E '^[0-9]+ +openat\(.* = -1 ENOENT ' "$t")
ok_if "latency_errors_by_call_and_errno ($n openat ENOENT)" \
	grep -q -E "^ +$n openat +ENOENT\$" "$t"
