#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Read a recording of tests/progs/ctf_known with babeltrace2's Python
bindings: ctf_known opened PATH, read 11 bytes ("hello world") from the
descriptor it got, wrote them to fd 1, took SIGUSR1, ran a thread and a
child. Prints one line per problem; exit status 0 when there is none.
Usage: bt2_real.py DIR PATH"""
import collections
import sys

import bt2

path = sys.argv[2]
problems = []
counts = collections.Counter()
open_fd = None
opened = read_ok = wrote_ok = False
pending = {}          # tid -> name of the call entered, not yet exited
unpaired = 0
tids = set()

for msg in bt2.TraceCollectionMessageIterator(sys.argv[1]):
    if type(msg) is not bt2._EventMessageConst:
        continue
    ev = msg.event
    p, ctx = ev.payload_field, ev.common_context_field
    counts[ev.name] += 1
    tid = int(ctx["tid"])
    if ev.name.startswith("syscall_entry_"):
        tids.add(tid)
        name = ev.name[len("syscall_entry_"):]
        if name not in ("exit", "exit_group"):
            pending[tid] = name
        if name == "openat" and str(p["filename"]) == path:
            opened = int(p["dfd"]) == -100 and \
                int(p["flags"]) & 0o3 == 0
            open_fd = "next"
        if name == "write" and int(p["fd"]) == 1 and \
                bytes(int(b) for b in p["buf"]) == b"hello world":
            wrote_ok = True
    elif ev.name.startswith("syscall_exit_"):
        name = ev.name[len("syscall_exit_"):]
        if pending.pop(tid, None) != name:
            unpaired += 1
        if name == "openat" and open_fd == "next":
            open_fd = int(p["ret"])
        if name == "read" and open_fd is not None and \
                int(p["fd"]) == open_fd and int(p["ret"]) == 11 and \
                bytes(int(b) for b in p["buf"]) == b"hello world":
            read_ok = True

if not opened:
    problems.append(f"no syscall_entry_openat of {path} (dfd, flags)")
if not read_ok:
    problems.append("no syscall_exit_read of 11 bytes 'hello world' on "
                    f"the descriptor openat returned ({open_fd})")
if not wrote_ok:
    problems.append("no syscall_entry_write of 'hello world' to fd 1")
if unpaired:
    problems.append(f"{unpaired} exits not after their entry")
for name, want in (("limen_signal", 1), ("limen_command", 1)):
    if counts[name] != want:
        problems.append(f"{name}: {counts[name]} events, want {want}")
if counts["limen_start"] < 3:   # the image, its thread, its child
    problems.append(f"limen_start: {counts['limen_start']}, want >= 3")
if len(tids) < 3:
    problems.append(f"calls of {len(tids)} threads, want >= 3")
if counts["limen_record"]:
    problems.append(f"{counts['limen_record']} records not of the "
                    "runtime's shape")
for p in problems:
    print(p)
sys.exit(1 if problems else 0)
