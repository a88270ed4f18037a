#!/bin/sh
# Runs the unit test of the pages the collector makes present ahead of a
# ring's writer (TAP).
d="${LIMEN_TESTBIN:-build/tests}/unit"
exec "$d/test_populate_ahead"
