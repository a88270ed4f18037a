#!/bin/bash
# SPDX-License-Identifier: MIT
#
# A process of a nested pid namespace is shown by our namespace's ids
# however fast its siblings come and go. The collector finds it by a walk
# of our descendants (session.c, resolve), and missed it two ways: a slot
# claimed while the walk ran was looked for in it all the same, and the
# kernel lists a task's children by position, so a sibling reaped during
# the read hid the next. Either way the child kept its namespace's id
# (5), and the image it exec'd, found, showed as another process with
# "not traced: the runtime did not start in the new image". Here a shell,
# pid 1 of its namespace, starts 16 children at once and reaps each as it
# ends; every child's execve and its end are under one id.
. "$(dirname "$0")/../lib.sh"
need_limen
need_pidns --mount-proc
LIMEN_TEST_TIMEOUT=60

spawn='for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16; do /bin/true & done; wait'
for loader in default preload; do
	bad=0 why=
	for round in 1 2 3 4 5 6 7 8 9 10; do
		LIMEN_LOADER=$loader run_limen trace -f -e trace=execve \
			-o "$tmp/t" -- unshare -pf --mount-proc /bin/sh -c "$spawn" \
			>"$tmp/out" 2>"$tmp/err"
		# the ids that exec'd /bin/true, and those that ended
		sed -n 's/^\([0-9]*\) *execve("\/bin\/true".*/\1/p' "$tmp/t" |
			sort -u >"$tmp/execd"
		sed -n 's/^\([0-9]*\) *+++ exited with 0 +++$/\1/p' "$tmp/t" |
			sort -u >"$tmp/ended"
		if [ "$(wc -l <"$tmp/execd")" != 16 ] ||
			[ -n "$(comm -23 "$tmp/execd" "$tmp/ended")" ] ||
			grep -q 'not traced' "$tmp/t"; then
			bad=$((bad + 1))
			why="round $round: $(wc -l <"$tmp/execd") ids exec'd, not ended: $(comm -23 "$tmp/execd" "$tmp/ended" | tr '\n' ' ')$(grep 'not traced' "$tmp/t" | head -n 2)"
		fi
	done
	if [ "$bad" = 0 ]; then
		pass "$loader loader: nested_children_reaped_at_once_keep_one_id (10 rounds)"
	else
		fail "$loader loader: nested_children_reaped_at_once_keep_one_id (10 rounds)" \
			"$bad rounds bad; $why"
	fi
done
done_testing
