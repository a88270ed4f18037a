#!/bin/sh
# Runs the unit tests of the "more" family decoders (TAP).
d="${LIMEN_TESTBIN:-build/tests}/unit"
exec "$d/test_more"
