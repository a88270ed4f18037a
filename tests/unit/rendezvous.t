#!/bin/sh
# Runs the unit test of the rendezvous socket and the ids it keeps (TAP).
d="${LIMEN_TESTBIN:-build/tests}/unit"
exec "$d/test_rendezvous"
