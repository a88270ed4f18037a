#!/bin/bash
# SPDX-License-Identifier: MIT
#
# Where the kernel has its own user_events, limen leaves them to it: the
# trace says so, the program's registration and writes reach the kernel
# (its user_events_status lists the event), and the calls are traced as
# any. Needs a kernel with CONFIG_USER_EVENTS and a tracefs mounted.
. "$(dirname "$0")/../lib.sh"
need_limen
prog=$(testbin uevent_kabi)

data=
for d in /sys/kernel/tracing /sys/kernel/debug/tracing; do
	[ -e "$d/user_events_data" ] && data=$d && break
done
if [ -z "$data" ]; then
	if grep -qs '^CONFIG_USER_EVENTS=y' "/boot/config-$(uname -r)"; then
		skip_all "user_events is built in but no tracefs is mounted here"
	fi
	skip_all "this kernel has no user_events (CONFIG_USER_EVENTS is off; limen emulates it: kabi.t, tracefs.t)"
fi
[ -r "$data/user_events_status" ] ||
	skip_all "$data/user_events_status is not readable by $(id -un)"

limen_trace "$tmp/t" -e trace=openat,ioctl,writev -- "$prog" \
	>"$tmp/out" 2>&1 </dev/null
ok_if "the trace says the kernel's user_events is in use" \
	grep -q '+++ limen: user_events: the kernel'"'"'s' "$tmp/t"
ok_if "the program's registration went to the kernel (DIAG_IOCSREG traced)" \
	grep -qE 'ioctl\([0-9]+, (DIAG_IOCSREG|0xc0082a00|_IOC\(_IOC_READ\|_IOC_WRITE, 0x2a, 0)' "$tmp/t"
is "$(sed -n 1p "$tmp/out")" "open=ok" "user_events_data is the kernel's file"
done_testing
