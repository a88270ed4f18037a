#!/bin/sh
# Runs the unit test of the ELF probe the runtime runs at every exec (TAP).
d="${LIMEN_TESTBIN:-build/tests}/unit"
exec "$d/test_elfprobe"
