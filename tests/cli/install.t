#!/bin/bash
# SPDX-License-Identifier: MIT
#
# A real installation: make install with DESTDIR lays out BINDIR/limen,
# LIBDIR/limen/liblimen.so and the man page, make uninstall takes them
# away; the runtime's directory is compiled into limen; LIMEN_RUNTIME
# overrides it; a runtime whose path has a space or a colon (which
# LD_PRELOAD would split on) still traces the command.
. "$(dirname "$0")/../lib.sh"
need_limen
root=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
at_exit "rm -rf '$tmp'"
rt=$(dirname "$LIMEN")/liblimen.so
status_is() { is "$1" "$2" "$3"; }

# the default PREFIX: the build in place is what gets installed, nothing
# is rebuilt under the other tests' feet
d=$tmp/stage
make -s -C "$root" install DESTDIR="$d" >"$tmp/make.out" 2>&1
status_is "$?" 0 "make install DESTDIR=... succeeds"
ok_if "BINDIR/limen installed" test -x "$d/usr/local/bin/limen"
ok_if "LIBDIR/limen/liblimen.so installed" test -f "$d/usr/local/lib/limen/liblimen.so"
ok_if "the man page installed" test -f "$d/usr/local/share/man/man1/limen.1"
ok_if "the runtime's directory is compiled in" grep -q -a /usr/local/lib/limen "$LIMEN"

# the installed binary, its runtime elsewhere: LIMEN_RUNTIME finds it
out=$(LIMEN_RUNTIME="$d/usr/local/lib/limen/liblimen.so" \
	"$d/usr/local/bin/limen" trace -e trace=exit_group -- true 2>&1)
is "$out" "exit_group(0)                           = ?
+++ exited with 0 +++" "installed limen with LIMEN_RUNTIME traces"
ok_if "LIBDIR/limen/limen-loader installed" test -x "$d/usr/local/lib/limen/limen-loader"
# a static program through the installed loader, next to the runtime
static=
[ -x /bin/busybox ] && file -L /bin/busybox 2>/dev/null | grep -q static && static=/bin/busybox
if [ -n "$static" ]; then
	out=$(LIMEN_RUNTIME="$d/usr/local/lib/limen/liblimen.so" \
		"$d/usr/local/bin/limen" trace -e trace=exit_group -- $static true 2>&1)
	is "$out" "exit_group(0)                           = ?
+++ exited with 0 +++" "installed limen traces a static program (its loader)"
else
	skip "installed limen traces a static program" "no static busybox"
fi
out=$(LIMEN_RUNTIME=$tmp/none.so run_limen trace -- true 2>&1)
status_is "$?" 1 "LIMEN_RUNTIME naming nothing: status 1"

# a space and a colon in the runtime's path
for dir in "$tmp/with space" "$tmp/with:colon" "$tmp/both: x"; do
	mkdir -p "$dir"
	cp "$rt" "$dir/liblimen.so"
	cp "$(dirname "$LIMEN")/limen-loader" "$dir/limen-loader"
	out=$(LIMEN_RUNTIME="$dir/liblimen.so" run_limen trace \
		-e trace=exit_group -- true 2>&1)
	is "$out" "exit_group(0)                           = ?
+++ exited with 0 +++" "runtime in '${dir#$tmp/}': the command is traced"
	if [ -n "$static" ]; then
		out=$(LIMEN_RUNTIME="$dir/liblimen.so" run_limen trace \
			-e trace=exit_group -- $static sh -c 'exit 0' 2>&1)
		is "$out" "exit_group(0)                           = ?
+++ exited with 0 +++" "runtime in '${dir#$tmp/}': a static command is traced"
	else
		skip "runtime in '${dir#$tmp/}': a static command" "no static busybox"
	fi
done

make -s -C "$root" uninstall DESTDIR="$d" >>"$tmp/make.out" 2>&1
status_is "$?" 0 "make uninstall succeeds"
left=$(find "$d" -type f)
is "$left" "" "make uninstall leaves no file"
left=$(find /tmp -maxdepth 1 -name 'limen-??????' -user "$(id -u)" -newer "$tmp/make.out" 2>/dev/null)
is "$left" "" "the private link to the runtime is removed"
done_testing
