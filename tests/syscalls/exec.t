#!/usr/bin/env bash
# execve keeps the tree traced even when the program hands the new image an
# environment of its own (empty, NULL, or without LD_PRELOAD), and the new
# image sees exactly the environment it was given.
. "$(dirname "$0")/../lib.sh"
need_limen
plan 12

for mode in empty null foo; do
	out=$tmp/trace.$mode
	limen_trace "$out" -- "$(testbin execnull)" $mode >/dev/null 2>&1
	ok_if "envp $mode: the new image is traced (cat opens /etc/hostname)" \
		grep -q -E '^[0-9]+ +openat\(AT_FDCWD, "/etc/hostname", O_RDONLY\) = 3$' "$out"
	ok_if "envp $mode: the execve itself is shown and succeeded" \
		grep -q -E '^[0-9]+ +execve\("/bin/cat", \["cat", "/etc/hostname"\], .*\) = 0$' "$out"
done

same_as_bare "env -i: the program sees an empty environment" env -i /usr/bin/env
same_as_bare "env -i FOO=bar sh -c env: exactly FOO=bar (and what sh adds)" \
	env -i FOO=bar /bin/sh -c env
# a preload of the user's own survives, and is all the program sees
lib=$(ls /lib/x86_64-linux-gnu/libm.so.6 /usr/lib/x86_64-linux-gnu/libm.so.6 2>/dev/null | head -n1)
if [ -n "$lib" ]; then
	same_as_bare "the user's own LD_PRELOAD is kept and is all the program sees" \
		env LD_PRELOAD="$lib" /bin/sh -c 'echo "$LD_PRELOAD"'
else
	skip "the user's own LD_PRELOAD is kept" "no libm.so.6 to preload"
fi
same_as_bare "a blocked SIGSYS stays blocked across execve, as the kernel keeps masks" \
	"$(testbin execmask)" "$(testbin maskquery)"
same_as_bare "a program started with SIGSYS blocked sees it blocked and still runs" \
	"$(testbin execmask)" /bin/sh -c 'cat /proc/self/status | grep -c SigBlk; echo ok'
same_as_bare "LIMEN_SESSION is never visible" /bin/sh -c 'env | grep -c LIMEN_ || true'
