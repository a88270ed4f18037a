#!/bin/sh
# One list per constant (tables/xlat.tbl) and one decoder per DECODER name:
# the decoder's unit tests for them (TAP). LIMEN_TESTBIN: build/tests.
d="${LIMEN_TESTBIN:-build/tests}/unit"
exec "$d/test_lists"
