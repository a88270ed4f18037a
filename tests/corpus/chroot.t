#!/bin/bash
# SPDX-License-Identifier: MIT
#
# A program that chroots (or otherwise leaves limen's runtime and loader out
# of its reach) and then execs behaves as bare: the new image runs untraced,
# with a note in the trace saying why, and ld.so never prints its "object
# ... from LD_PRELOAD cannot be preloaded" error on the program's stderr
# (limen passes none of its variables on). Needs chroot: root, or a user
# namespace (unshare -r).
. "$(dirname "$0")/../lib.sh"
need_limen

dash=/bin/dash
[ -x "$dash" ] || dash=/bin/sh
command -v ldd >/dev/null || skip_all "no ldd to find $dash's libraries"

# the new root: dash (dynamic, with its libraries) and, if there is one, a
# static busybox; limen's build tree is not in it
root=$tmp/root
mkdir -p "$root/bin"
cp "$dash" "$root/bin/sh"
for lib in $(ldd "$dash" | sed -nE 's@.*=> (/[^ ]+).*@\1@p; s@^[[:space:]]*(/[^ ]+).*@\1@p'); do
	mkdir -p "$root$(dirname "$lib")"
	cp "$lib" "$root$lib"
done
bb=
for b in /bin/busybox /usr/bin/busybox; do
	if [ -x "$b" ] && ! ldd "$b" >/dev/null 2>&1; then
		cp "$b" "$root/bin/busybox"
		bb=1
		break
	fi
done

chroot_=(chroot)
if [ "$(id -u)" != 0 ]; then
	unshare -r true 2>/dev/null || skip_all "not root and no user namespaces: no chroot"
	chroot_=(unshare -r chroot)
fi
"${chroot_[@]}" "$root" /bin/sh -c true 2>/dev/null ||
	skip_all "cannot run a shell in a chroot here"

same_as_bare "chroot, then a dynamic program: its stderr and status as bare" \
	"${chroot_[@]}" "$root" /bin/sh -c 'echo out; echo err >&2; exit 3'
ok_if "the trace says why the program in the chroot was not traced" \
	grep -q "not traced: limen's runtime cannot be reached" "$tmp/trace"
if [ -n "$bb" ]; then
	same_as_bare "chroot, then a static program starting a dynamic one: as bare" \
		"${chroot_[@]}" "$root" /bin/busybox sh -c '/bin/sh -c "echo from dash"; echo done'
	ok_if "the trace says why the static program was not traced" \
		grep -q "not traced: limen's runtime cannot be reached" "$tmp/trace"
else
	skip "chroot, then a static program starting a dynamic one: as bare" "no static busybox"
	skip "the trace says why the static program was not traced" "no static busybox"
fi
done_testing
