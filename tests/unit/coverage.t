#!/bin/sh
# Syscall coverage must not fall (floors in tests/unit/coverage.c).
exec "${LIMEN_TESTBIN:-build/tests}/unit/coverage"
