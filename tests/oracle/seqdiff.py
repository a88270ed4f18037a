#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
#
# seqdiff.py: compare, thread by thread, the system calls of an
# `strace -f -o S -qq -s 0 CMD` trace with a `limen trace -o L -s 0 -- CMD`
# trace of a separate run of the same command.
#
#   seqdiff.py LABEL STRACE LIMEN [STRACE2 LIMEN2 ...]
#
# Output, one record per line, for strace_seq.t to turn into TAP:
#   PASS<TAB>description        FAIL<TAB>description
#   DIAG<TAB>text (belongs to the FAIL before it)
# With several pairs (re-runs), a check passes if it passes on any pair; the
# diagnostics of a failure come from the last pair.
#
# Model. Every thread (process or thread, strace does not care) is named by
# how it was created, not by its id (ids differ between runs): the command is
# "main", the k-th thread or process that "main" created (clone, clone3,
# fork, vfork with a positive result) is "main/k", and so on. A thread's
# calls are cut into process images at every successful execve (the execve
# ends the image that called it). Each (thread, image) is one check.
#
# Each call becomes (name, normalized result):
#   * addresses (hex results: mmap, brk, mremap, ...) -> ADDR
#   * process and thread ids (getpid, clone, wait4, set_tid_address, ...)
#     -> PID; seconds and clock ticks (time, times) -> TIME
#   * errors keep their name: "-1 ENOENT"
#   * "<unfinished ...>" + "<... X resumed>" of one thread -> one call
#   * strace's view of a restarted call (X = ? ERESTARTSYS, signal, X again
#     or restart_syscall) -> one X, as the program sees it; a call that was
#     not restarted gets the -1 EINTR the program got
#   * signal lines and rt_sigreturn are dropped: when a signal arrives is a
#     matter of timing, and strace shows signals limen cannot see
#
# Loader prefix. limen cannot see what the dynamic loader does before its
# runtime is armed, so for an image that starts with an execve (and for the
# command's first image) limen's calls are looked for inside strace's: the
# offset is the one where limen's first calls (up to ALIGN_K) match and the
# longest common run follows; what strace shows before it must be loader
# work (LOADER_CALLS) up to ld.so's unmapping of ld.so.cache (after which
# the constructors of the libraries initialized before limen's runtime may
# call anything), and from there on the sequences must be equal.
# Images that start with a fork or a new thread have no prefix: equal from
# the first call.

import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import traceparse as trace  # noqa: E402  tests/traceparse.py

ALIGN_K = 8
CONTEXT = 4

CREATORS = {"clone", "clone3", "fork", "vfork"}
PID_RESULT = {"clone", "clone3", "fork", "vfork", "getpid", "getppid",
              "gettid", "set_tid_address", "wait4", "waitpid", "getpgrp",
              "getpgid", "getsid", "setsid", "pidfd_getpid"}
TIME_RESULT = {"time", "times"}
# Dropped from both sides: signal returns (see above), and the calls whose
# number depends on how threads interleave (a futex wait happens only when
# the lock or the joined thread is not ready yet), which differ from run to
# run with or without a tracer.
DROPPED = {"rt_sigreturn", "sigreturn", "futex", "futex_waitv", "sched_yield"}
# What ld.so (and libc's start-up before the first constructor) does.
LOADER_CALLS = {"execve", "brk", "mmap", "munmap", "mprotect", "access",
                "openat", "open", "newfstatat", "fstat", "stat", "read",
                "pread64", "close", "arch_prctl", "set_tid_address",
                "set_robust_list", "rseq", "prlimit64", "readlink",
                "getcwd"}

RESTART_ERR = re.compile(r"^\? (ERESTART[A-Z_]*)")
INTERRUPTED = re.compile(r"^(-1 EINTR\b|\? ERESTART)")


class Call:
    __slots__ = ("name", "ret", "raw", "norm")

    def __init__(self, name, ret, raw):
        self.name = name
        self.ret = ret
        self.raw = raw
        self.norm = None

    def key(self):
        return (self.name, self.norm)

    def show(self):
        return "%s = %s" % (self.name, self.norm)


split_result = trace.result


def normalize(name, ret):
    if ret is None:
        return "UNPARSED"
    if ret.startswith("?"):
        return "?"
    m = re.match(r"^(0x[0-9a-f]+|-?[0-9]+)(?: ([A-Z][A-Z0-9_]*) \(.*\))?", ret)
    if not m:
        return "UNPARSED(%s)" % ret
    v, err = m.group(1), m.group(2)
    if v == "-1" and err:
        return "-1 " + err
    if v.startswith("0x"):
        return "ADDR"
    if name in PID_RESULT and int(v) > 0:
        return "PID"
    if name in TIME_RESULT and int(v) > 0:
        return "TIME"
    return v


def parse(path):
    """-> (order of thread ids, {tid: [items]}, notes).

    An item is a Call or ("signal", text). The lines are read by
    tests/traceparse.py, the parser every test uses; lines without a thread id
    are not looked at. Lines of one thread are joined when
    unfinished/resumed. The joined call takes the place of its resumed line
    (as tests/lib.sh trace_join does): a call split around a signal
    handler of its own thread was restarted after the handler, as strace
    shows it, or it completed before the handler ran (which strace shows
    before the handler: limen's order is then wrong, and it is not hidden).
    But a call the handler interrupted for good (-1 EINTR) takes the place
    of its unfinished line: strace shows it, "= ? ERESTARTNOHAND" or
    "ERESTARTSYS", before the handler's calls."""
    threads = {}
    order = []
    notes = []
    recs = [r for r in trace.records(path) if r.tid is not None]
    for r in recs:
        if r.tid not in threads:
            threads[r.tid] = []
            order.append(r.tid)

    def interrupted(j):
        return INTERRUPTED.match(split_result(j.text) or "") is not None

    for it in trace.join(recs, at_head=interrupted):
        if isinstance(it, trace.Joined):
            if it.rec is None:  # never resumed
                c = Call(it.name or "?", None, it.text)
            else:
                c = Call(it.name or "?", split_result(it.text), it.text)
            threads[it.tid].append(c)
            continue
        tid, rest, items = it.tid, it.text, threads[it.tid]
        if it.kind == "exit":
            if "lost" in rest or "limen" in rest:
                notes.append("%d %s" % (tid, rest))
                items.append(("note", rest))
        elif it.kind == "signal":
            items.append(("signal", rest))
        elif it.kind == "resumed":  # no unfinished half: name( + the rest
            text = it.name + "(" + rest
            items.append(Call(it.name, split_result(text), text))
        elif it.kind == "call":
            items.append(Call(it.name, split_result(rest), rest))
    return order, threads, notes


def fold_restarts(items):
    """strace's interrupted-and-restarted calls -> what the program saw;
    drop signals and rt_sigreturn. Returns a list of Calls."""
    out = []
    n = len(items)
    skip_restart = {}
    for i, it in enumerate(items):
        if not isinstance(it, Call):
            continue
        if it.name in DROPPED:
            continue
        if it.name == "restart_syscall" and i in skip_restart:
            c = Call(skip_restart[i], it.ret, it.raw)
            out.append(c)
            continue
        if it.ret is not None and RESTART_ERR.match(it.ret):
            # Find the next call of this thread that is not inside a signal
            # handler: after the last rt_sigreturn that follows a signal,
            # or the next call if no signal is shown.
            j = i + 1
            depth = 0
            nxt = None
            while j < n:
                x = items[j]
                if isinstance(x, tuple):
                    if x[0] == "signal":
                        depth += 1
                elif x.name in DROPPED:
                    depth = max(0, depth - 1)
                elif depth == 0:
                    nxt = j
                    break
                j += 1
            if nxt is not None and items[nxt].name == it.name:
                continue  # restarted: the next one is the call
            if nxt is not None and items[nxt].name == "restart_syscall":
                skip_restart[nxt] = it.name
                continue
            it = Call(it.name, "-1 EINTR (Interrupted system call)", it.raw)
        out.append(it)
    out = [c for k, c in enumerate(out) if not new_temp_name(out, k)]
    for c in out:
        c.norm = normalize(c.name, c.ret)
    return out


def new_temp_name(calls, k):
    """Is calls[k] glibc's getrandom for a temporary file's name
    (mkstemp)? glibc 2.36 makes the name from the clock and asks
    getrandom(GRND_NONBLOCK) only when the clock's value falls in a slice
    it does not use (4.45% of values): present in one run, not in the
    next, with or without a tracer (git init's mode probe)."""
    c = calls[k]
    if c.name != "getrandom" or "GRND_NONBLOCK" not in c.raw:
        return False
    nxt = calls[k + 1] if k + 1 < len(calls) else None
    return (nxt is not None and nxt.name in ("openat", "open") and
            "O_CREAT" in nxt.raw and "O_EXCL" in nxt.raw)


def build(path):
    """-> ({key: [images]}, {key: label}, notes, problems). An image is a
    list of Calls; images[0] of "main" and every image after an execve
    start with the loader (prefix)."""
    order, threads, notes = parse(path)
    calls = {t: fold_restarts(threads[t]) for t in order}
    created = {}
    for t in order:
        kids = []
        for c in calls[t]:
            if c.name in CREATORS and c.norm == "PID":
                m = re.match(r"([0-9]+)$", c.ret or "")
                if m:
                    kids.append(int(m.group(1)))
        created[t] = kids
    all_kids = {k for v in created.values() for k in v}
    roots = [t for t in order if t not in all_kids]
    problems = []
    keys = {}
    queue = []
    for i, r in enumerate(roots):
        k = "main" if i == 0 else "orphan%d" % i
        if i:
            problems.append("thread %d (%s) has no creator in the trace" % (r, k))
        keys[r] = k
        queue.append(r)
    while queue:
        t = queue.pop(0)
        for i, kid in enumerate(created[t], 1):
            if kid in keys:
                continue
            keys[kid] = "%s/%d" % (keys[t], i)
            queue.append(kid)
    result = {}
    for t in order:
        if t not in keys:
            continue
        images = [[]]
        for c in calls[t]:
            images[-1].append(c)
            if c.name == "execve" and c.norm == "0":
                images.append([])
        if not images[-1] and len(images) > 1:
            images.pop()
        result[keys[t]] = images
    return result, notes, problems


def exec_label(c):
    m = re.match(r'execve\("([^"]*)"', c.raw)
    return os.path.basename(m.group(1)) if m else "?"


def align(s, l):
    """-> (offset in s where l starts, length of the common run there): the
    offset with the longest run of limen's first calls, the first such. The
    run should be at least ALIGN_K (or all of l) for a sure alignment."""
    if not l:
        return None, 0
    lk = [c.key() for c in l]
    sk = [c.key() for c in s]
    best, best_run = None, 0
    for o in range(len(sk)):
        run = 0
        while run < len(lk) and o + run < len(sk) and sk[o + run] == lk[run]:
            run += 1
        if run > best_run:
            best, best_run = o, run
            if run == len(lk):
                break
    return best, best_run


def clip(s, n=110):
    return s if len(s) <= n else s[:n - 3] + "..."


def context(seq, i, mark):
    lo = max(0, i - CONTEXT)
    hi = min(len(seq), i + CONTEXT + 1)
    out = []
    for j in range(lo, hi):
        out.append("%s %4d %-28s | %s" % (">" if j == mark else " ", j,
                                           seq[j].show(), clip(seq[j].raw)))
    if not out:
        out.append("  (nothing)")
    return out


def compare_image(s, l, prefixed):
    """-> (ok, n, diag lines)."""
    diag = []
    off = 0
    if prefixed:
        if not l:
            return False, 0, ["limen shows no call of this image; strace shows %d" % len(s)]
        off, run = align(s, l)
        if off is not None and run < min(ALIGN_K, len(l)):
            diag.append("unsure alignment: only limen's first %d calls match at "
                        "strace's call %d" % (run, off))
        if off is None:
            d = ["limen's first call is nowhere in strace's image (%d calls)"
                 % len(s), "strace (first 40 calls):"]
            d += ["  %4d %-28s | %s" % (j, s[j].show(), clip(s[j].raw))
                  for j in range(min(len(s), 40))]
            d += ["limen (first calls):"] + context(l, 0, 0)
            return False, len(l), d
        # ld.so's part of the prefix ends when it unmaps ld.so.cache (its
        # first munmap), just before it runs the libraries' constructors;
        # those that run before limen's own are not seen either (a
        # library's constructor may call anything).
        pre = s[:off]
        ld_end = next((j for j, c in enumerate(pre) if c.name == "munmap"),
                      len(pre) - 1)
        odd = [c for c in pre[:ld_end + 1] if c.name not in LOADER_CALLS]
        if odd:
            diag.append("strace's loader prefix (%d calls before limen's first) holds "
                        "calls the loader does not make:" % off)
            diag += ["  %s | %s" % (c.show(), clip(c.raw)) for c in odd[:8]]
    body = s[off:]
    n = min(len(body), len(l))
    i = 0
    while i < n and body[i].key() == l[i].key():
        i += 1
    if i == len(body) and i == len(l) and not diag:
        return True, len(l), []
    if i < len(body) or i < len(l):
        diag.append("first difference at call %d of limen's image (strace's call %d); "
                    "strace shows %d calls after its %d-call loader prefix, limen %d"
                    % (i, off + i, len(body), off, len(l)))
        if sorted(c.key() for c in body) == sorted(c.key() for c in l):
            diag.append("(the same calls with the same results, in another order)")
        diag.append("strace:")
        diag += context(s, off + i, off + i)
        diag.append("limen:")
        diag += context(l, i, i)
    return False, len(l), diag


def check_pair(spath, lpath):
    """-> ordered list of (desc, ok, diag)."""
    S, snotes, sprob = build(spath)
    L, lnotes, lprob = build(lpath)
    res = []
    lfirst = L.get("main") and L["main"][0] and L["main"][0][0].name
    if ("main" in S and S["main"][0] and S["main"][0][0].name == "execve"
            and lfirst != "execve"
            and os.environ.get("LIMEN_LOADER") in ("preload", "static")):
        # under LD_PRELOAD limen does not show a dynamic command's own
        # execve (its runtime starts in the new image, and only limen's
        # loader records that execve): the image it starts begins after it.
        # By default the loader shows it, and it must be there.
        first = S["main"][0]
        S["main"][0] = first[1:]
        if not S["main"][0] and len(S["main"]) > 1:
            S["main"].pop(0)
    keys = list(S.keys()) + [k for k in L.keys() if k not in S]
    for key in keys:
        simg = S.get(key)
        limg = L.get(key)
        nimg = max(len(simg or []), len(limg or []))
        for ix in range(nimg):
            si = simg[ix] if simg and ix < len(simg) else None
            li = limg[ix] if limg and ix < len(limg) else None
            ref = simg if simg else limg
            if ix == 0 and key == "main":
                label = "command"
            elif ix == 0:
                label = "fork/thread"
            else:
                prev = ref[ix - 1] if ix - 1 < len(ref) else []
                label = exec_label(prev[-1]) if prev else "?"
            desc = "%s image %d (%s)" % (key, ix, label)
            # LIMEN_SEQ_NO_PREFIX (strace_seq_loader.t): limen's loader
            # runs every image, so limen sees ld.so's calls too: no prefix
            prefixed = (ix > 0 or key == "main") and \
                not os.environ.get("LIMEN_SEQ_NO_PREFIX")
            if si is None:
                res.append((desc + ": strace shows it", False,
                            ["limen shows %d calls, strace none (thread/image missing "
                             "in strace's run)" % len(li)] +
                            ["  " + c.show() + " | " + clip(c.raw) for c in li[:6]]))
                continue
            if li is None:
                res.append((desc + ": limen shows it", False,
                            ["strace shows %d calls for it, limen nothing" % len(si)] +
                            ["  " + c.show() + " | " + clip(c.raw) for c in si[:6]]))
                continue
            ok, n, d = compare_image(si, li, prefixed)
            res.append(("%s: sequence identical (%d calls)" % (desc, n), ok, d))
    extra = []
    for p in lprob:
        extra.append("limen trace: " + p)
    for p in sprob:
        extra.append("strace trace: " + p)
    for nline in lnotes:
        extra.append("limen trace: " + nline)
    if extra:
        res.append(("no orphan threads or lost events", False, extra))
    else:
        res.append(("no orphan threads or lost events", True, []))
    return res


def main(argv):
    if len(argv) < 4 or len(argv) % 2 != 0:
        sys.stderr.write("usage: seqdiff.py LABEL STRACE LIMEN [STRACE LIMEN ...]\n")
        return 2
    label = argv[1]
    pairs = [(argv[i], argv[i + 1]) for i in range(2, len(argv), 2)]
    merged = {}
    names = []
    for sp, lp in pairs:
        for desc, ok, diag in check_pair(sp, lp):
            # The count in a description may differ between runs; the
            # check is identified by what precedes it.
            ident = re.sub(r" \([0-9]+ calls\)$", "", desc)
            if ident not in merged:
                names.append(ident)
                merged[ident] = (desc, ok, diag)
            else:
                pdesc, pok, pdiag = merged[ident]
                if pok:
                    continue
                merged[ident] = (desc, ok, diag)
    for ident in names:
        desc, ok, diag = merged[ident]
        print("%s\t%s: %s" % ("PASS" if ok else "FAIL", label, desc))
        if not ok:
            if len(pairs) > 1:
                print("DIAG\t(failed in all %d runs; this is the last one)" % len(pairs))
            for d in diag:
                print("DIAG\t" + d)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
