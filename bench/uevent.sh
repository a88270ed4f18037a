#!/usr/bin/env bash
# User events, one run: the disabled check against an empty loop (bare and
# under limen), a 32-byte emit, the same through the kernel ABI's writev.
# Not a test: it asserts nothing.
set -euo pipefail
cd "$(dirname "$0")/.."
echo "# bare (no limen)"
build/bench/uevent
echo "# limen trace -e uevent=bench (events to /dev/null)"
build/limen trace -o /dev/null -e uevent=bench -e trace=none -- build/bench/uevent
