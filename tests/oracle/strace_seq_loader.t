#!/bin/bash
# SPDX-License-Identifier: MIT
#
# The strace sequence oracle (strace_seq.t) with its "loader prefix"
# allowance removed: under LIMEN_LOADER=all limen's loader starts every
# image, ld.so included, so every call strace shows from an image's first
# instruction (ld.so mapping the libraries, their constructors) must be in
# limen's trace, call for call, on all the oracle's programs.
export LIMEN_LOADER=all LIMEN_SEQ_NO_PREFIX=1
exec bash "$(dirname "$0")/strace_seq.t"
