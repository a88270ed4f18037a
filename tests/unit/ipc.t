#!/bin/sh
# Runs the System V IPC decoder's unit tests (TAP). LIMEN_TESTBIN: build/tests.
d="${LIMEN_TESTBIN:-build/tests}/unit"
exec "$d/test_ipc"
