#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
#
# traceparse.py: the one parser of strace-format trace lines (limen's `-o FILE`
# and strace's `-f -o FILE`) that every test uses: tests/lib.sh's trace_join,
# trace_body, trace_names, count_calls, tids_of, tests/oracle/strace_diff.t
# and tests/oracle/seqdiff.py. Standard library only.
#
#   traceparse.py join FILE    every call on one line (unfinished + resumed)
#   traceparse.py body FILE    joined, without thread id, timestamp, padding
#   traceparse.py names FILE   the name of each call, one per line
#   traceparse.py tids FILE NAME   thread id of each NAME call (unsorted)
#   traceparse.py calls FILE   name<TAB>result of each call (strace_diff.t)
#
# A line is "[TID ]+[TIMESTAMP ]+REST": TID is strace's -f / limen's -o
# thread id, TIMESTAMP a -t/-tt/-ttt one. REST is a call "name(args) = ret",
# its first half "name(args <unfinished ...>", its second half "<... name
# resumed>args) = ret", a signal "--- SIG... ---" or an exit/note "+++ ...".
# Lines are read and written as latin-1 so that any byte passes unchanged.

import re
import signal
import sys

PREFIX_RE = re.compile(r"^((?:[0-9]+ +)?(?:[0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]+)? +"
                       r"|[0-9]+\.[0-9]+ +)?)(.*)$", re.S)
TID_RE = re.compile(r"^([0-9]+)")
NAME_RE = re.compile(r"^([a-z_][a-z0-9_]*)\(")
RESUMED_RE = re.compile(r"^<\.\.\. ([a-z_][a-z0-9_]*) resumed>(.*)$", re.S)
UNFINISHED = " <unfinished ...>"


class Record:
	"""One line. kind: call, unfinished, resumed, signal, exit, other.
	text: REST (for unfinished: without " <unfinished ...>"; for resumed:
	what follows "<... name resumed>")."""
	__slots__ = ("line", "prefix", "tid", "kind", "name", "text")

	def __init__(self, line):
		self.line = line
		m = PREFIX_RE.match(line)
		self.prefix, rest = m.group(1), m.group(2)
		t = TID_RE.match(self.prefix)
		self.tid = int(t.group(1)) if t else None
		self.name = None
		if rest.endswith(UNFINISHED):
			self.kind = "unfinished"
			rest = rest[:-len(UNFINISHED)]
			n = NAME_RE.match(rest)
			self.name = n.group(1) if n else ""
		elif rest.startswith("<... "):
			r = RESUMED_RE.match(rest)
			if r:
				self.kind = "resumed"
				self.name, rest = r.group(1), r.group(2)
			else:
				self.kind = "other"
		elif rest.startswith("--- "):
			self.kind = "signal"
		elif rest.startswith("+++ "):
			self.kind = "exit"
		else:
			n = NAME_RE.match(rest)
			self.kind = "call" if n else "other"
			self.name = n.group(1) if n else None
		self.text = rest


def records(path):
	"""The Records of a trace file, in order."""
	with open(path, encoding="latin-1", newline="\n") as f:
		for line in f:
			yield Record(line[:-1] if line.endswith("\n") else line)


class Joined:
	"""A call whose halves are joined: head (from the unfinished line, or
	None when the resumed line has no partner), rec (the resumed record,
	or None when the call never resumed), text (the whole call)."""
	__slots__ = ("head", "rec", "text", "name", "tid")

	def __init__(self, head, rec):
		self.head, self.rec = head, rec
		h = head or rec
		self.name, self.tid = h.name, h.tid
		if rec is None:
			self.text = head.text + UNFINISHED
		else:
			self.text = (head.text if head else rec.name + "(") + rec.text


def join(recs, at_head=None):
	"""-> list of items, each a Record (not an unfinished/resumed half) or
	a Joined. Per thread, a stack of unfinished calls (a signal handler
	may make calls, even unfinished ones, while an interrupted call is
	pending); a resumed line joins the innermost pending call of its name
	of the same thread. The joined call takes the place of its resumed line,
	or of its unfinished line if at_head(joined) is true. A resumed line
	with no partner is left a Record; a call that never resumed is a Joined
	with rec None, in the place of its unfinished line."""
	items = []
	pending = {}
	for r in recs:
		if r.kind == "unfinished":
			pending.setdefault(r.tid, []).append((r, len(items)))
			items.append(None)
			continue
		if r.kind == "resumed":
			st = pending.get(r.tid, [])
			for i in range(len(st) - 1, -1, -1):
				if st[i][0].name == r.name:
					head, slot = st.pop(i)
					j = Joined(head, r)
					if at_head and at_head(j):
						items[slot] = j
					else:
						items.append(j)
					break
			else:
				items.append(r)
			continue
		items.append(r)
	for st in pending.values():
		for head, slot in st:
			items[slot] = Joined(head, None)
	return [x for x in items if x is not None]


def joined_lines(path):
	"""trace_join's output: each call on one line, printed where it
	resumed; calls that never resumed last, by thread id (as text)."""
	items = join(records(path))
	out = []
	never = {}
	for it in items:
		if isinstance(it, Record):
			out.append(it.line)
		elif it.rec is None:
			k = "" if it.head.tid is None else str(it.head.tid)
			never.setdefault(k, []).append(it.head.text)
		else:
			out.append(it.rec.prefix + it.text)
	for k in sorted(never):
		out += ["%s %s%s" % (k, t, UNFINISHED) for t in never[k]]
	return out


BODY_TID = re.compile(r"^[0-9]+ +")
BODY_TS = re.compile(r"^([0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?|[0-9]+\.[0-9]+) +")
BODY_PAD = re.compile(r"\) +(= [^\"]*)$")


def body(line):
	"""Without thread id and timestamp, and strace's padding between the
	closing ")" of a call and " = " collapsed to one space:
	"1234  close(3)        = 0" -> "close(3) = 0"."""
	line = BODY_TID.sub("", line, 1)
	line = BODY_TS.sub("", line, 1)
	return BODY_PAD.sub(r") \1", line, 1)


TIME_SUFFIX = re.compile(r" <[0-9]+\.[0-9]+>$")
PADDED_RET = re.compile(r"^(.*\)) += (.*)$", re.S)


def result(text):
	"""'name(args) = RET [<T>]' -> RET (after the ' = ' that follows the
	closing parenthesis, padded or not), or None."""
	text = TIME_SUFFIX.sub("", text)
	m = PADDED_RET.match(text)
	if m:
		return m.group(2).strip()
	j = text.rfind(" = ")
	return text[j + 3:].strip() if j >= 0 else None


CALLS_RET = re.compile(r" = (\?|-?[0-9]+|0x[0-9a-f]+)( ([A-Z][A-Z0-9_]*) \(.*\))?(?: \(.*\))?$")


def call_result(line):
	"""A body line -> (name, result) as strace_diff.t compares them, or
	None if the line is not a call (signals, exits, unfinished halves).
	Addresses become 0xADDR; errors "-1 ERRNO"."""
	if line.startswith(("+++ ", "--- ")) or line.endswith(UNFINISHED):
		return None
	r = RESUMED_RE.match(line)
	n = r or NAME_RE.match(line)
	if not n:
		return None
	line = TIME_SUFFIX.sub("", line)
	ret = "UNPARSED"
	m = CALLS_RET.search(line)
	if m:
		ret = m.group(1)
		if ret.startswith("0x"):
			ret = "0xADDR"
		if m.group(3) is not None and ret == "-1":
			ret += " " + m.group(3)
	return n.group(1), ret


def main(argv):
	if len(argv) < 3:
		sys.stderr.write("usage: traceparse.py join|body|names|calls FILE | tids FILE NAME\n")
		return 2
	cmd, path = argv[1], argv[2]
	out = sys.stdout
	out.reconfigure(encoding="latin-1", newline="\n")
	lines = joined_lines(path)
	if cmd == "join":
		res = lines
	elif cmd == "body":
		res = [body(l) for l in lines]
	elif cmd == "names":
		res = [m.group(1) for m in (NAME_RE.match(body(l)) for l in lines) if m]
	elif cmd == "tids" and len(argv) == 4:
		pat = re.compile(r"^([0-9]+) +" + argv[3] + r"\(")
		res = [m.group(1) for m in map(pat.match, lines) if m]
	elif cmd == "calls":
		res = ["%s\t%s" % c for c in (call_result(body(l)) for l in lines) if c]
	else:
		sys.stderr.write("traceparse.py: unknown command %s\n" % cmd)
		return 2
	for l in res:
		out.write(l + "\n")
	return 0


if __name__ == "__main__":
	# `trace_body FILE | grep -q ...` closes the pipe at its first match:
	# end quietly, as the shell's own tools do, not with a traceback
	signal.signal(signal.SIGPIPE, signal.SIG_DFL)
	sys.exit(main(sys.argv))
