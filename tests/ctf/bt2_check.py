#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Read a recording of `ctf_synth write` with babeltrace2's Python bindings
(bt2) and check what a reader of the CTF sees, not what limen's reader
sees: every event by name, and the fields of the known calls.
Prints one line per problem; exit status 0 when there is none."""
import sys

import bt2

want_counts = {
    "limen_command": 1, "limen_start": 2,
    "syscall_entry_openat": 1, "syscall_exit_openat": 1,
    "syscall_entry_read": 1, "syscall_exit_read": 1,
    "syscall_entry_write": 1, "syscall_exit_write": 1,
    "limen_signal": 1,
    "syscall_entry_rt_sigreturn": 1, "syscall_exit_rt_sigreturn": 1,
    "syscall_entry_getppid": 1, "syscall_exit_getppid": 1,
    "limen_note": 1, "limen_collector_note": 1,
    "syscall_entry_exit_group": 1, "limen_tick": 1, "limen_reaped": 1,
    "limen_collector_line": 1,
}
if len(sys.argv) > 2 and sys.argv[2] == "--lost":
    want_counts["limen_lost"] = 1

problems = []


def check(what, got, want):
    if got != want:
        problems.append(f"{what}: got {got!r}, want {want!r}")


counts = {}
events = {}
for msg in bt2.TraceCollectionMessageIterator(sys.argv[1]):
    if type(msg) is not bt2._EventMessageConst:
        continue
    ev = msg.event
    counts[ev.name] = counts.get(ev.name, 0) + 1
    events.setdefault(ev.name, (ev.payload_field, ev.common_context_field))

check("events by name", dict(sorted(counts.items())),
      dict(sorted(want_counts.items())))


def field(name, key):
    if name not in events:
        problems.append(f"no {name} event")
        return None
    payload, ctx = events[name]
    return payload[key] if key in payload else ctx[key]


check("openat entry dfd", int(field("syscall_entry_openat", "dfd")), -100)
check("openat entry filename", str(field("syscall_entry_openat", "filename")),
      "/tmp/limen-ctf/known")
check("openat entry flags", int(field("syscall_entry_openat", "flags")),
      0x80000)
check("openat entry mode", int(field("syscall_entry_openat", "mode")), 0)
check("openat entry tid", int(field("syscall_entry_openat", "tid")), 100)
check("openat exit ret", int(field("syscall_exit_openat", "ret")), 3)
check("read exit ret", int(field("syscall_exit_read", "ret")), 11)
check("read exit buf", bytes(int(b) for b in field("syscall_exit_read", "buf")),
      b"hello world")
check("read exit fd", int(field("syscall_exit_read", "fd")), 3)
check("read exit count", int(field("syscall_exit_read", "count")), 4096)
check("write entry buf",
      bytes(int(b) for b in field("syscall_entry_write", "buf")),
      b"hello world")
check("getppid exit tid", int(field("syscall_exit_getppid", "tid")), 101)
check("getppid exit ret", int(field("syscall_exit_getppid", "ret")), 99)
check("signal number", int(field("limen_signal", "sig")), 10)
kind = field("limen_start", "kind")
check("start kind", (int(kind), sorted(kind.labels) if kind is not None else
                     None), (1, ["init"]))
check("runtime note", str(field("limen_note", "text")),
      "statically linked ...")
check("collector note", str(field("limen_collector_note", "text")),
      "+++ limen: a note of the collector +++")
check("command pid", int(field("limen_command", "command_pid")), 100)
check("reaped status", int(field("limen_reaped", "status")), 3 << 8)
check("exit_group code", int(field("syscall_entry_exit_group", "error_code")),
      3)

for p in problems:
    print(p)
sys.exit(1 if problems else 0)
