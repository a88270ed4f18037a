#!/bin/sh
# Runs the decoder's unit test programs (TAP). LIMEN_TESTBIN: build/tests.
d="${LIMEN_TESTBIN:-build/tests}/unit"
exec "$d/test_decode"
