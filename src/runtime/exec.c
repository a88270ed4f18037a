/* SPDX-License-Identifier: MIT */
/*
 * execve: the new image must load the runtime again and find the session,
 * even if the program built its own environment. The program's environment
 * is passed on unchanged apart from LD_PRELOAD (ours first, after an ASan
 * runtime that must be first, the program's own after it) and
 * LIMEN_SESSION, which the runtime hides again on the other side (init.c).
 * Where the new image cannot or must not load the runtime (step_aside.c),
 * a note says so before the call; for a debugger's tracee, valgrind's
 * guest or the loader listing libraries, none of ours is passed on.
 */
#include <signal.h>
#include <sys/mman.h>
#include <sys/syscall.h>

#include "raw.h"
#include "rt.h"
#include "session/elfprobe.h"

#define VALUE_MAX 4096u

static const char PRELOAD[] = "LD_PRELOAD=";
/* the loader then only lists the libraries (ldd): the runtime would be
   listed and would never run */
static const char TRACE_OBJECTS[] = "LD_TRACE_LOADED_OBJECTS=";
/* what valgrind's launcher gives its tool, wherever the tool lives */
static const char VALGRIND_LAUNCHER[] = "VALGRIND_LAUNCHER=";

static int starts(const char *s, const char *p)
{
	return limen_strncmp(s, p, limen_strlen(p)) == 0;
}

long limen_hook_execve(long nr, const long *a)
{
	int ei = nr == SYS_execve ? 2 : 3;
	uint64_t envp = (uint64_t)a[ei], ptrs[64];
	uint64_t n = 0, chunk;
	size_t len, maplen, off;
	char *buf, **out, *s;
	long b[6], r;
	char val[VALUE_MAX + 1];
	int have_val = 0;
	struct limen_exec_plan pl;

	if (!limen_rt.ctl)
		goto raw;
	limen_exec_plan(nr, a, &pl);
	/* count the entries (Linux takes a NULL envp as an empty one); as
	   many as the kernel takes, which is bounded by the stack limit */
	for (; envp;) {
		long got = limen_safe_read(ptrs, envp + n * 8ull, sizeof(ptrs));
		uint32_t i;

		if (got < 8)
			goto raw; /* the kernel will say EFAULT */
		chunk = (uint64_t)got / 8;
		for (i = 0; i < chunk && ptrs[i]; i++)
			;
		n += i;
		if (i < chunk)
			break;
	}
	len = (n + 3) * 8 + sizeof(PRELOAD) + sizeof(pl.asan) +
	      sizeof(limen_rt.preload) + VALUE_MAX +
	      sizeof(limen_rt.session_env) + 16;
	maplen = (len + 4095) & ~4095ul;
	r = limen_sys6(SYS_mmap, 0, (long)maplen, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (limen_is_err(r)) {
		limen_note(LIMEN_NOTE_UNTRACED, 0, "no memory to rebuild its "
			   "environment with limen's variables");
		goto raw;
	}
	buf = (char *)r;
	out = (char **)buf;
	s = buf + (n + 3) * 8;
	off = 0;
	for (uint64_t i = 0; envp && i < n; i++) {
		uint64_t p;
		char head[32];
		long got;

		if (limen_safe_read(&p, envp + i * 8ull, 8) != 8)
			break;
		got = limen_safe_read(head, p, sizeof(head) - 1);
		if (got < 0)
			got = 0;
		head[got] = 0;
		if (starts(head, LIMEN_SESSION_ENV "="))
			continue;
		if (starts(head, VALGRIND_LAUNCHER) && pl.is_static &&
		    !pl.strip) {
			pl.aside = limen_valgrind_guest;
			pl.strip = 1;
		}
		/* even for a static program, which ignores it: its dynamic
		   children will only list their libraries */
		if (starts(head, TRACE_OBJECTS) && !pl.strip) {
			pl.aside = "LD_TRACE_LOADED_OBJECTS is set (the loader "
				   "only lists libraries, as for ldd)";
			pl.strip = 1;
		}
		if (starts(head, PRELOAD)) {
			got = limen_safe_read(val, p + sizeof(PRELOAD) - 1,
					      VALUE_MAX);
			if (got < 0)
				got = 0;
			val[got] = 0;
			/* stepping aside: the program's own list as it is,
			   unless it carries ours */
			r = limen_preload_strip(0, val);
			if (pl.strip && !r) {
				out[off++] = (char *)p;
				continue;
			}
			if (r)
				limen_preload_strip(val, val);
			/* does the program have a list of its own, even an
			   empty one? */
			have_val = !r || r == LIMEN_PRELOAD_KEEP || val[0];
			continue;
		}
		out[off++] = (char *)p;
	}
	/* ours last, as the collector does (see cli/spawn.c): LD_PRELOAD=
	   [asan:]ours[:theirs], then the session. Stepping aside for the
	   whole subtree: only the program's own LD_PRELOAD entries. */
	if (!pl.strip || have_val) {
		out[off++] = s;
		memcpy(s, PRELOAD, sizeof(PRELOAD) - 1);
		s += sizeof(PRELOAD) - 1;
		if (!pl.strip) {
			char first[sizeof(pl.asan)];

			limen_asan_first(first, sizeof(first),
					 have_val ? val : "", pl.asan);
			len = limen_strlen(first);
			memcpy(s, first, len);
			s += len;
			if (len)
				*s++ = ':';
			len = limen_strlen(limen_rt.preload);
			memcpy(s, limen_rt.preload, len);
			s += len;
			/* the program has the variable, even empty */
			if (have_val)
				*s++ = ':';
		}
		if (have_val) {
			len = limen_strlen(val);
			memcpy(s, val, len);
			s += len;
		}
		*s++ = 0;
	}
	if (!pl.strip)
		out[off++] = limen_rt.session_env;
	out[off] = 0;

	for (int i = 0; i < 6; i++)
		b[i] = a[i];
	b[ei] = (long)out;
	limen_rt.exec_buf = (uint64_t)(uintptr_t)buf;
	limen_rt.exec_len = maplen;
	if (limen_tls.sigsys_blocked) {
		/* the mask survives execve: let the new image's runtime see
		   that the program blocked SIGSYS (init.c). If the call fails,
		   our rt_sigreturn puts the real mask back. */
		uint64_t sys = 1ull << (SIGSYS - 1);

		limen_sys4(SYS_rt_sigprocmask, SIG_BLOCK, &sys, 0, 8);
	}
	/* last, so that it follows the execve's entry in the trace */
	if (pl.aside)
		limen_note(LIMEN_NOTE_UNTRACED, 0, pl.aside);
	r = limen_sys6(nr, b[0], b[1], b[2], b[3], b[4], b[5]);
	/* still here: it failed */
	limen_sys2(SYS_munmap, buf, maplen);
	limen_rt.exec_buf = 0;
	return r;
raw:
	return limen_sys6(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
}
