#!/bin/sh
# The instruction-length decoder (src/runtime/insn_len.c) against objdump
# over whole objects: libc, limen's own runtime and, when Go is installed,
# a Go program's runtime; then the function-entry proofs it gives (TAP).
d="${LIMEN_TESTBIN:-build/tests}/unit"
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
libc=$(ldd /bin/true 2>/dev/null | awk '/libc.so/ {print $3}')
echo "TAP version 13"
n=0
command -v objdump >/dev/null || { echo "1..0 # SKIP no objdump (binutils)"; exit 0; }
run() { # NAME OBJ MIN%, or the proofs alone
	if [ $# -gt 0 ]; then
		objdump -d --insn-width=16 "$2" | "$d/test_insn_len" "$1" "$3"
	else
		"$d/test_insn_len"
	fi | sed "s/^\(not \)\?ok [0-9]*/\1ok/" | grep -v '^1\.\.' >"$t/out"
	cat "$t/out"
	n=$((n + $(grep -c '^\(not \)\?ok' "$t/out")))
}
run
[ -n "$libc" ] && run libc "$libc" 80
run liblimen "${LIMEN_TESTBIN:-build/tests}/../liblimen.so" 80
if command -v go >/dev/null; then
	mkdir -p "$t/src"
	printf 'package main\nimport "os"\nfunc main() { os.Stdout.WriteString("x\\n") }\n' >"$t/src/main.go"
	if (cd "$t/src" && GOCACHE=$t/cache GO111MODULE=off go build -o "$t/goprog" main.go) >/dev/null 2>&1; then
		run go "$t/goprog" 80
	fi
fi
echo "1..$n"
