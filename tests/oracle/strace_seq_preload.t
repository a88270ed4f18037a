#!/bin/bash
# SPDX-License-Identifier: MIT
#
# The strace sequence oracle (strace_seq.t) under LIMEN_LOADER=preload:
# dynamic programs are started with liblimen.so in LD_PRELOAD, so each
# image's trace starts at liblimen's constructor; the calls ld.so makes
# before it (strace's "loader prefix") are allowed to be missing, every
# call after it must be strace's, call for call.
export LIMEN_LOADER=preload
unset LIMEN_SEQ_NO_PREFIX
exec bash "$(dirname "$0")/strace_seq.t"
