#!/bin/sh
# Runs the unit test of the session's drain taken in slices (TAP).
d="${LIMEN_TESTBIN:-build/tests}/unit"
exec "$d/test_drain_slices"
