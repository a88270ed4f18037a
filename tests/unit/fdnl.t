#!/bin/sh
# Runs the unit tests of -y's suffixes, -e read=/write='s dumps and the
# netlink decoder (TAP).
d="${LIMEN_TESTBIN:-build/tests}/unit"
exec "$d/test_fdnl"
