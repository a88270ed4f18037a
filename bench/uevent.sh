#!/usr/bin/env bash
# User events, one run (make bench, or alone): the disabled check against
# an empty loop, a 32-byte emit under limen, the same event through the
# emulated kernel ABI's writev (a trapped call), and for reference a write
# to ftrace's trace_marker (root: a tracefs is mounted in a private mount
# namespace if none is) and an LTTng-UST tracepoint into a live session
# (lttng-tools, liblttng-ust-dev; a session daemon of its own in a
# temporary directory); then events per second sustained from 1, 2 and 4
# threads with nothing lost (limen's default: a full ring waits for the
# collector), counted in the trace. Not a test: it asserts nothing.
set -euo pipefail
cd "$(dirname "$0")/.."
B=build
LIMEN=$B/limen
tmp=$(mktemp -d)
sd_pid=
cleanup() {
	if [ -n "$sd_pid" ]; then
		kill "$sd_pid" 2>/dev/null || true
		wait "$sd_pid" 2>/dev/null || true
	fi
	rm -rf "$tmp"
}
trap cleanup EXIT
val() { awk -v k="$1" '$1 == k {print $2; exit}' "$2"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {if (a == "" || b == "" || b == 0) print "-"; else printf "%.2fx", a / b}'; }

echo "user events, $(nproc) cores, $(uname -r)"

# bare: the empty loop, the check without limen (the event can never be
# on), trace_marker
marker_note=
if [ -w /sys/kernel/tracing/trace_marker ]; then
	$B/bench/uevent >"$tmp/bare"
elif [ "$(id -u)" = 0 ] && command -v unshare >/dev/null &&
	unshare -m --propagation private sh -c \
		"mount -t tracefs nodev /sys/kernel/tracing && $B/bench/uevent" \
		>"$tmp/bare" 2>/dev/null; then
	:
else
	UEV_NO_MARKER=1 $B/bench/uevent >"$tmp/bare"
	marker_note="(skipped: trace_marker needs root and a tracefs)"
fi
# UEV_NO_MARKER=1 in the environment: the machine's ftrace left alone
[ -z "${UEV_NO_MARKER:-}" ] || marker_note="(skipped: UEV_NO_MARKER is set)"
# under limen: the event enabled (-e uevent=bench), its lines to /dev/null
UEV_NO_MARKER=1 $LIMEN trace -o /dev/null -e uevent=bench -e trace=none -- \
	$B/bench/uevent >"$tmp/lim"

# LTTng-UST, into a session of a session daemon of our own
lttng_note=
if command -v lttng >/dev/null && command -v lttng-sessiond >/dev/null &&
	make -s $B/bench/uevent_lttng >/dev/null 2>&1; then
	export LTTNG_HOME=$tmp/lttng LTTNG_RUNDIR=$tmp/lttng/run
	mkdir -p "$LTTNG_HOME"
	lttng-sessiond --no-kernel >"$tmp/sessiond.log" 2>&1 &
	sd_pid=$!
	for _ in $(seq 50); do
		lttng list >/dev/null 2>&1 && break
		sleep 0.1
	done
	if lttng create limenbench --output="$tmp/lttng/trace" >/dev/null 2>&1 &&
		lttng enable-channel -u --subbuf-size=4M --num-subbuf=8 ch >/dev/null 2>&1 &&
		lttng enable-event -u -c ch limen_bench:ev32 >/dev/null 2>&1 &&
		lttng start >/dev/null 2>&1; then
		$B/bench/uevent_lttng 200000 >"$tmp/lttng.out" || true
		lttng stop >/dev/null 2>&1 || true
		lttng destroy >/dev/null 2>&1 || true
	else
		lttng_note="(skipped: lttng-sessiond would not take a session here)"
	fi
else
	lttng_note="(skipped: lttng-tools or liblttng-ust-dev missing)"
fi

empty=$(val empty "$tmp/bare")
check_bare=$(val check "$tmp/bare")
check=$(val check "$tmp/lim")
emit=$(awk '$1 == "emit32" && !/first/ {print $2}' "$tmp/lim")
emit_range=$(sed -n 's/^emit32 .*(median of \([0-9]*\); \(.*\))$/median of \1 rounds, \2/p' "$tmp/lim")
rdtscp=$(val rdtscp "$tmp/lim")
cgt=$(val clock_gettime "$tmp/lim")
emit_first=$(awk '$1 == "emit32" && /first/ {print $2}' "$tmp/lim")
rdtsc=$(val rdtsc "$tmp/lim")
rdtsc_range=$(sed -n 's/^rdtsc .*(median of \([0-9]*\); \(.*\))$/\2/p' "$tmp/lim")
emit_nc=$(val emit32nc "$tmp/lim")
emit_nc_range=$(sed -n 's/^emit32nc .*(median of \([0-9]*\); \(.*\))$/\2/p' "$tmp/lim")
emit_fn=$(val emit32fn "$tmp/lim")
emit_fn_range=$(sed -n 's/^emit32fn .*(median of \([0-9]*\); \(.*\))$/\2/p' "$tmp/lim")
emit_l1=$(val emit32l1 "$tmp/lim")
emit_l1_range=$(sed -n 's/^emit32l1 .*(median of \([0-9]*\); \(.*\))$/\2/p' "$tmp/lim")
emit_l1nc=$(val emit32l1nc "$tmp/lim")
emit_l1nc_range=$(sed -n 's/^emit32l1nc .*(median of \([0-9]*\); \(.*\))$/\2/p' "$tmp/lim")
writev=$(val writev32 "$tmp/lim")
marker=$(awk '$1 == "marker" && $2 ~ /^[0-9.]+$/ {print $2}' "$tmp/bare")
[ -n "$marker" ] || marker_note=${marker_note:-"(no trace_marker here)"}
lttng=$(awk '$1 == "lttng" && $2 ~ /^[0-9.]+$/ {print $2}' "$tmp/lttng.out" 2>/dev/null || true)
[ -n "$lttng" ] || lttng_note=${lttng_note:-"($(cat "$tmp/lttng.out" 2>/dev/null))"}

printf '%-44s %9s ns\n' "empty loop (a volatile store)" "$empty"
printf '%-44s %9s ns  (%s the empty loop)\n' "disabled check, bare" "$check_bare" "$(ratio "$check_bare" "$empty")"
printf '%-44s %9s ns  (%s the empty loop)\n' "disabled check, under limen" "$check" "$(ratio "$check" "$empty")"
printf '%-44s %9s ns  (%s; first round, pages first touched: %s ns)\n' "enabled emit, 32 bytes, under limen" "$emit" "$emit_range" "$emit_first"
printf '%-44s %9s ns  (%s; %s the emit)\n' "  the timestamp alone (rdtsc, as the emit)" "$rdtsc" "$rdtsc_range" "$(ratio "$rdtsc" "$emit")"
printf '%-44s %9s ns  (%s; the time given, not read)\n' "  the emit without its clock" "$emit_nc" "$emit_nc_range"
printf '%-44s %9s ns  (%s; a call into the runtime)\n' "  the emit through limen_uevent_emit" "$emit_fn" "$emit_fn_range"
printf '%-44s %9s ns  (%s; a private buffer in cache, not the ring)\n' "  the emit's code into a cached buffer" "$emit_l1" "$emit_l1_range"
printf '%-44s %9s ns  (%s)\n' "  the same without its clock" "$emit_l1nc" "$emit_l1nc_range"
printf '%-44s %9s ns\n' "  rdtscp, for comparison" "$rdtscp"
printf '%-44s %9s ns\n' "  clock_gettime (vDSO), for comparison" "$cgt"
printf '%-44s %9s ns  (%s the emit)\n' "the same through the emulated writev" "$writev" "$(ratio "$writev" "$emit")"
printf '%-44s %9s ns  %s(emit is %s of it)\n' "trace_marker write, 32 bytes, bare" "${marker:--}" "$marker_note${marker_note:+ }" "$(ratio "$emit" "$marker")"
printf '%-44s %9s ns  %s(emit is %s of it)\n' "LTTng-UST tracepoint, live session" "${lttng:--}" "$lttng_note${lttng_note:+ }" "$(ratio "$emit" "$lttng")"

# events per second sustained, nothing lost: every event in the trace
PER=${PER:-250000}
# the emitters' own rate (they wait only when a ring is full), and end to
# end: until limen has written every line into the trace file
for t in 1 2 4; do
	t0=$(date +%s%N)
	$LIMEN trace -o "$tmp/rate" -e uevent=rate -e trace=none -- \
		$B/bench/uevent_rate $t $PER 2>"$tmp/rate.err" >/dev/null
	t1=$(date +%s%N)
	read -r _ _ sent ns < <(grep '^rate ' "$tmp/rate.err")
	got=$(grep -c 'rate(a=' "$tmp/rate" || true)
	lost=$(sed -n 's/.*+++ limen: \([0-9]*\) events\{0,1\} lost.*/\1/p' "$tmp/rate" |
		awk '{n += $1} END {print n + 0}')
	printf '%d thread(s): %d events, emitted at %.2f M/s, written to the trace at %.2f M/s end to end; in the trace %d, lost %d\n' \
		"$t" "$sent" "$(awk -v e="$sent" -v n="$ns" 'BEGIN {print e / n * 1e3}')" \
		"$(awk -v e="$sent" -v n="$((t1 - t0))" 'BEGIN {print e / n * 1e3}')" "$got" "$lost"
	rm -f "$tmp/rate"
done
