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
#include <linux/errno.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/mman.h>
#include <sys/syscall.h>

#include "raw.h"
#include "rt.h"
#include "runtime/filter.h"
#include "session/elfprobe.h"
#include "session/filter_abi.h"

#define PATH_BYTES 4096 /* PATH_MAX, with its NUL */

static int has_nul(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!p[i])
			return 1;
	return 0;
}

#define VALUE_MAX 4096u

static const char PRELOAD[] = "LD_PRELOAD=";
/* the loader then only lists the libraries (ldd): the runtime would be
   listed and would never run */
static const char TRACE_OBJECTS[] = "LD_TRACE_LOADED_OBJECTS=";
/* what valgrind's launcher gives its tool, wherever the tool lives */
static const char VALGRIND_LAUNCHER[] = "VALGRIND_LAUNCHER=";

/* The kernel gives argv and envp a quarter of the stack limit, at most
 * 6 MiB (_STK_LIM / 4 * 3), at least 128 KiB (ARG_MAX). */
#define ARGS_CAP (6ul << 20)
#define ARGS_MIN (128ul << 10)
#define STACK_NOTE 40 /* "LIMEN_STACK=" and a 64-bit number */

static int starts(const char *s, const char *p)
{
	return limen_strncmp(s, p, limen_strlen(p)) == 0;
}

static char *put_num(char *s, uint64_t v)
{
	char d[24];
	int n = 0;

	do {
		d[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n)
		*s++ = d[--n];
	*s = 0;
	return s;
}

/*
 * The start of the string at p (up to HEAD bytes, then a NUL) into head,
 * for its name to be compared: from the block the program's bytes
 * [*at, *at + *len) were read into when it holds them (HEAD bytes or the
 * NUL), else from the block read again at p, to its page's end at most.
 * The environment's strings lie one after the other: in a vfork child,
 * where each read is a process_vm_readv (safe.c), one read for a few
 * dozen variables instead of one each.
 */
#define HEAD 31u
#define HEAD_BLOCK 512u

static int head_from(char *head, uint64_t p, const char *blk, uint64_t at,
		     uint32_t len)
{
	uint64_t from = p - at, have;

	if (p < at || from >= len)
		return 0;
	have = len - from;
	for (uint64_t i = 0; i < have && i < HEAD; i++) {
		head[i] = blk[from + i];
		if (!head[i])
			return 1;
	}
	if (have < HEAD)
		return 0;
	head[HEAD] = 0;
	return 1;
}

static void read_head(char *head, uint64_t p, char *blk, uint64_t *at,
		      uint32_t *len)
{
	uint64_t to_page = 4096 - (p & 4095);
	long got;

	if (head_from(head, p, blk, *at, *len))
		return;
	got = limen_safe_read(blk, p, to_page < HEAD_BLOCK ? to_page :
							      HEAD_BLOCK);
	*at = p;
	*len = got > 0 ? (uint32_t)got : 0;
	if (head_from(head, p, blk, *at, *len))
		return;
	got = limen_safe_read(head, p, HEAD);
	if (got < 0)
		got = 0;
	head[got] = 0;
}

/* Is the variable at p (it starts "LIMEN_SESSION=") another session than
   ours? The runtime hides its own from the program (init.c), so one the
   program passes is a limen's that it runs: limen run under limen. One
   that cannot be read is taken for ours (it is dropped, as before). */
static int foreign_session(uint64_t p)
{
	char chunk[64];
	size_t n = 0, want = limen_strlen(limen_rt.session_env) + 1;
	const char *v;
	long pid = 0, got;

	while (n < want) {
		size_t step = want - n < sizeof(chunk) ? want - n :
							  sizeof(chunk);

		got = limen_safe_read(chunk, p + n, step);
		if (got <= 0)
			return 0;
		for (long i = 0; i < got; i++)
			if (chunk[i] != limen_rt.session_env[n + (size_t)i])
				goto other;
		n += (size_t)got;
	}
	return 0;
other:
	/* another: one a limen made ("<its pid>:<fd>:<runtime's path>",
	   then ":<its socket's path>" if it has one, init.c), of the
	   limen whose command this process is (its parent spawns it), or
	   a value of the program's own that means nothing (dropped, as
	   before) */
	got = limen_safe_read(chunk, p, sizeof(chunk) - 1);
	if (got <= 0)
		return 0;
	chunk[got] = 0;
	v = chunk + sizeof(LIMEN_SESSION_ENV);
	if (*v < '1' || *v > '9')
		return 0;
	while (*v >= '0' && *v <= '9' && pid < (1l << 22))
		pid = pid * 10 + (*v++ - '0');
	if (*v++ != ':' || *v < '0' || *v > '9')
		return 0;
	while (*v >= '0' && *v <= '9')
		v++;
	if (*v++ != ':' || *v != '/')
		return 0;
	return pid == limen_sys0(SYS_getppid);
}

/* Bytes the kernel counts for the string at p: its length and NUL. */
static uint64_t user_strsize(uint64_t p)
{
	char chunk[256];
	uint64_t n = 0;
	long got;

	while ((got = limen_safe_read(chunk, p + n, sizeof(chunk))) > 0) {
		for (long i = 0; i < got; i++)
			if (!chunk[i])
				return n + (uint64_t)i + 1;
		n += (uint64_t)got;
	}
	return n + 1;
}

/* The kernel's room for argv and envp under the stack limit cur. */
static uint64_t args_room(uint64_t cur)
{
	uint64_t room = cur / 4;

	if (room > ARGS_CAP)
		room = ARGS_CAP;
	if (room < ARGS_MIN)
		room = ARGS_MIN;
	return room;
}

/* What the kernel counts for the NULL-terminated array of strings at v:
 * each string with its NUL, and a pointer. */
static uint64_t user_vecsize(uint64_t v, uint64_t *count)
{
	uint64_t total = 0, n = 0, p;

	while (v && limen_safe_read(&p, v + n * 8, 8) == 8 && p) {
		total += user_strsize(p) + 8;
		n++;
	}
	*count = n;
	return total;
}

/*
 * Would the program's own execve fit bare (bprm_stack_limits,
 * copy_strings: the file name, the strings and max(argc, 1) + envc
 * pointers within the room)? Only asked when we cannot make room, so it
 * may read megabytes. execveat's name (/dev/fd/N/...) is not worked out:
 * the kernel will tell.
 */
static int own_block_fits(long nr, const long *a)
{
	struct limen_rlimit l;
	uint64_t argc, envc, size;

	if (nr != SYS_execve ||
	    limen_sys4(SYS_prlimit64, 0, RLIMIT_STACK, 0, &l) < 0)
		return 1;
	size = user_strsize((uint64_t)a[0]) +
	       user_vecsize((uint64_t)a[1], &argc) +
	       user_vecsize((uint64_t)a[2], &envc);
	if (!argc)
		size += 8;
	return size <= args_room(l.cur);
}

/*
 * Our variables pushed a block that fits bare over the kernel's limit for
 * argv and envp (strings and pointers: a quarter of the stack limit, capped
 * to [128 KiB, 6 MiB]). Run the exec with the stack limit that gives that
 * room exactly the bytes we add (so that a block that does not fit bare
 * still fails, here or in binfmt_script), and tell the new image the
 * program's own limit, which its runtime puts back before the program runs
 * (init.c). At exec the limit decides nothing else the program could see:
 * the mmap base moves by less than its random offset. A limit already at
 * the 6 MiB cap, or a hard limit in the way, leaves the E2BIG.
 * out[off] is free for the note, whose string goes at note; removed: what
 * the kernel would have counted for the entries we took out.
 */
static long exec_roomier(long nr, long *b, char **out, uint32_t off,
			 char *note, uint64_t removed, uint32_t ours,
			 int64_t fdelta)
{
	struct limen_rlimit old, raised;
	uint64_t room, added;
	long r;

	if (limen_sys4(SYS_prlimit64, 0, RLIMIT_STACK, 0, &old) < 0 ||
	    old.cur == RLIM_INFINITY)
		return -E2BIG;
	memcpy(note, LIMEN_STACK_ENV "=", sizeof(LIMEN_STACK_ENV));
	put_num(note + sizeof(LIMEN_STACK_ENV), old.cur);
	/* out[ours, off): what we appended; the note; and limen's loader's
	   path instead of the program's, for a static one (the kernel
	   counts the file name too) */
	added = limen_strlen(note) + 1 + 8 + (uint64_t)fdelta;
	for (uint32_t i = ours; i < off; i++)
		added += limen_strlen(out[i]) + 1 + 8;
	if (added <= removed)
		return -E2BIG; /* the program's own block is too big */
	room = args_room(old.cur) + added - removed;
	raised.max = old.max;
	raised.cur = room * 4;
	if (room > ARGS_CAP || (old.max != RLIM_INFINITY &&
				raised.cur > old.max))
		return -E2BIG;
	out[off] = note;
	out[off + 1] = 0;
	if (limen_sys4(SYS_prlimit64, 0, RLIMIT_STACK, &raised, 0) < 0)
		return -E2BIG;
	r = limen_exec_call(nr, b[0], b[1], b[2], b[3], b[4], b[5]);
	/* still here: it failed */
	limen_sys4(SYS_prlimit64, 0, RLIMIT_STACK, &old, 0);
	out[off] = 0;
	return r;
}

/* The mask survives execve: the signals of limen's the program blocked
   (owned.c), blocked for real across the call, so that the new image
   starts with them blocked (init.c); unblocked again if it fails. A SIGSYS
   held while blocked (signals.c, sigsys_pending) stays pending too, as
   bare: queued to the kernel, now that it blocks it, for the new image to
   take back (init.c); taken back here if the call fails. */
static void exec_block_owned(void)
{
	uint64_t own = limen_tls.vblock;

	if (!own)
		return;
	limen_tls.fault_block++;
	limen_sys4(SYS_rt_sigprocmask, SIG_BLOCK, &own, 0, 8);
	if (limen_tls.sigsys_pending && (own & LIMEN_SIGBIT(SIGSYS)) &&
	    limen_sys4(SYS_rt_tgsigqueueinfo, limen_sys0(SYS_getpid),
		       limen_sys0(SYS_gettid), SIGSYS,
		       limen_tls.sigsys_info) == 0)
		limen_tls.sigsys_pending = 0;
}

static void exec_failed_unblock(void)
{
	uint64_t own = limen_tls.vblock & ~limen_tls.pinned;

	if (!limen_tls.vblock)
		return;
	if (limen_tls.vblock & LIMEN_SIGBIT(SIGSYS))
		limen_sigsys_take_back();
	limen_sys4(SYS_rt_sigprocmask, SIG_UNBLOCK, &own, 0, 8);
	limen_tls.fault_block--;
}

/* The program's own exec, as it made it */
static long exec_masked(long nr, const long *a)
{
	long r;

	exec_block_owned();
	r = limen_exec_call(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
	exec_failed_unblock();
	return r;
}

/*
 * The mapping a vfork child's execve was planned in (its environment and
 * the plan, limen_tls.exec_buf), kept by the parent when the child is done
 * (limen_exec_buf_done, from restore_parent) for its next child: each
 * child of a shell mapped one, wrote its seven pages (a fault each) and
 * the parent unmapped it, at every traced exec. One at most; in a process
 * of one thread (limen_ring_vfork_keeps), as the rings are (ring.c).
 */
static uint64_t kept_buf, kept_len;
static uint64_t taken_buf; /* the kept one, in use (marked already) */

void limen_exec_buf_done(uint64_t buf, uint64_t len)
{
	if (!limen_ring_vfork_keeps() || buf == kept_buf) {
		if (buf != kept_buf)
			limen_sys2(SYS_munmap, (long)buf, (long)len);
		return;
	}
	if (kept_buf)
		limen_sys2(SYS_munmap, (long)kept_buf, (long)kept_len);
	/* it stays: never in the program's core dump */
	if (buf != taken_buf)
		limen_dontdump((long)buf, len);
	kept_buf = buf;
	kept_len = len;
}

/* Room for an execve's environment and plan: *maplen bytes at least
   (the kept mapping's length if it is taken), zeroed; -errno */
static long exec_map(size_t *maplen)
{
	if (kept_buf && kept_len >= *maplen && limen_ring_vfork_keeps()) {
		long b = (long)kept_buf;

		kept_buf = 0;
		taken_buf = (uint64_t)b;
		*maplen = kept_len;
		memset((void *)b, 0, *maplen);
		return b;
	}
	taken_buf = 0;
	return limen_sys6(SYS_mmap, 0, (long)*maplen, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
}

/* The exec after a LIMEN_NOTE_EXEC_UNTRACED note failed: the process goes
   on traced, and the note must not stand (a PATH search makes several
   failed attempts before the one that succeeds) */
static void exec_note_void(void)
{
	limen_note(LIMEN_NOTE_EXEC_FAILED, 0, "");
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
	uint64_t removed = 0;
	uint32_t hlen;
	uint32_t ours;
	int noted = 0;
	struct limen_exec_plan pl;

	if (!limen_rt.ctl)
		goto raw;
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
	/* the room for limen's loader's variables whether it runs the
	   image or not (the plan is made in this mapping, past that room:
	   one mapping an exec, not two; pages not touched cost nothing) */
	len = (n + 7) * 8 + sizeof(PRELOAD) + sizeof(pl.asan) +
	      sizeof(LIMEN_EXEC_ENV) + sizeof(LIMEN_EXEC_NAME_ENV) +
	      2 * PATH_BYTES + sizeof(limen_rt.preload) + VALUE_MAX +
	      sizeof(limen_rt.session_env) + LIMEN_WHEN_NOTE_MAX +
	      LIMEN_PREV_NOTE_MAX + STACK_NOTE + 16;
	maplen = ((len + 4095) & ~4095ul) + LIMEN_EXEC_PLAN_ROOM;
	r = exec_map(&maplen);
	if (limen_is_err(r)) {
		limen_note(LIMEN_NOTE_EXEC_UNTRACED, 0, "no memory to rebuild its "
			   "environment with limen's variables");
		noted = 1;
		goto raw;
	}
	buf = (char *)r;
	limen_exec_plan(nr, a, &pl, buf + maplen - LIMEN_EXEC_PLAN_ROOM);
	/* -b execve: as strace detaches there, the new image runs without
	   limen (none of its variables passed on), and the trace says so */
	if (limen_rt.ctl->flags & LIMEN_CTL_DETACH_EXEC) {
		pl.aside = "detached on execve (-b execve)";
		pl.strip = 1;
	}
	out = (char **)buf;
	s = buf + (n + 7) * 8;
	off = 0;
	/* the pointers read as they were counted, 64 at a time (ptrs: those
	   of envp[at, at + have)), not one read each: in a vfork child every
	   read is a process_vm_readv (safe.c), two for each variable */
	/* the heads' block: the room our variables are written to after
	   this loop (s), unused till then */
	hlen = 0;
	for (uint64_t i = 0, at = 0, have = 0, hat = 0; envp && i < n; i++) {
		uint64_t p;
		char head[HEAD + 1];
		long got;

		if (i >= at + have) {
			got = limen_safe_read(ptrs, envp + i * 8ull,
					      sizeof(ptrs));
			if (got < 8)
				break;
			at = i;
			have = (uint64_t)got / 8;
		}
		p = ptrs[i - at];
		read_head(head, p, s, &hat, &hlen);
		if (starts(head, LIMEN_SESSION_ENV "=") && foreign_session(p)) {
			/* a limen the program runs starts its command: that
			   one traces it, and it runs as the program made it */
			limen_note(LIMEN_NOTE_EXEC_UNTRACED, 0,
				   "started by another limen, which traces it");
			noted = 1;
			goto raw_free;
		}
		if (starts(head, LIMEN_SESSION_ENV "=") ||
		    starts(head, LIMEN_STACK_ENV "=") ||
		    starts(head, LIMEN_WHEN_ENV "=") ||
		    starts(head, LIMEN_PREV_ENV "=")) {
			removed += user_strsize(p) + 8;
			continue;
		}
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
			/* stepping aside, or limen's loader carrying the
			   runtime: the program's own list as it is, where it
			   is (its place in the environment too), unless it
			   carries ours */
			r = limen_preload_strip(0, val);
			if ((pl.strip || pl.via_loader) && !r) {
				out[off++] = (char *)p;
				continue;
			}
			if (r)
				limen_preload_strip(val, val);
			removed += user_strsize(p) + 8;
			/* does the program have a list of its own, even an
			   empty one? */
			have_val = !r || r == LIMEN_PRELOAD_KEEP || val[0];
			continue;
		}
		out[off++] = (char *)p;
	}
	/* stepping aside (-b execve, a valgrind guest, ldd): the image runs
	   as it is, not through limen's loader, which carries the runtime */
	if (pl.strip)
		pl.via_loader = 0;
	/* ours last, as the collector does (see cli/spawn.c): LD_PRELOAD=
	   [asan:]ours[:theirs], then the session. Stepping aside for the
	   whole subtree: only the program's own LD_PRELOAD entries. */
	ours = (uint32_t)off;
	/* limen's loader carries the runtime: the program's own list only */
	if ((!pl.strip && !pl.via_loader) || have_val) {
		out[off++] = s;
		memcpy(s, PRELOAD, sizeof(PRELOAD) - 1);
		s += sizeof(PRELOAD) - 1;
		if (!pl.strip && !pl.via_loader) {
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
	/* the thread's when= counts go on in the new image (filter.c) */
	if (!pl.strip && limen_filter_when_note(s, LIMEN_WHEN_NOTE_MAX)) {
		out[off++] = s;
		s += limen_strlen(s) + 1;
	}
	/* which slots were this image's threads' (ring.c) */
	if (!pl.strip && limen_ring_prev_note(s, LIMEN_PREV_NOTE_MAX)) {
		out[off++] = s;
		s += limen_strlen(s) + 1;
	}
	for (int i = 0; i < 6; i++)
		b[i] = a[i];
	if (pl.via_loader) {
		/* limen's loader runs it (loader_exec.c): the program's
		   argv, its path in LIMEN_EXEC */
		long got;

		out[off++] = s;
		memcpy(s, LIMEN_EXEC_ENV "=", sizeof(LIMEN_EXEC_ENV));
		s += sizeof(LIMEN_EXEC_ENV);
		got = limen_safe_read(s, (uint64_t)a[0], PATH_BYTES);
		if (got <= 0 || !has_nul(s, (size_t)got)) {
			limen_note(LIMEN_NOTE_EXEC_UNTRACED, 0, "a static program "
				   "whose path limen cannot read");
			noted = 1;
			goto raw_free;
		}
		s += limen_strlen(s) + 1;
		if (limen_exec_name) {
			out[off++] = s;
			memcpy(s, LIMEN_EXEC_NAME_ENV "=",
			       sizeof(LIMEN_EXEC_NAME_ENV));
			s += sizeof(LIMEN_EXEC_NAME_ENV);
			got = limen_safe_read(s, limen_exec_name, PATH_BYTES);
			if (got <= 0 || !has_nul(s, (size_t)got))
				s[0] = 0;
			s += limen_strlen(s) + 1;
		}
		b[0] = (long)limen_loader_path();
	}
	/* s: room for the stack note (exec_roomier) */
	out[off] = 0;

	b[ei] = (long)out;
	limen_tls.exec_buf = (uint64_t)(uintptr_t)buf;
	limen_tls.exec_len = maplen;
	exec_block_owned();
	/* last, so that it follows the execve's entry in the trace */
	if (pl.aside) {
		limen_note(LIMEN_NOTE_EXEC_UNTRACED, 0, pl.aside);
		noted = 1;
	}
	r = limen_exec_call(nr, b[0], b[1], b[2], b[3], b[4], b[5]);
	if (r == -E2BIG && !pl.strip)
		r = exec_roomier(nr, b, out, off, s, removed, ours,
				 pl.via_loader ?
					 (int64_t)limen_strlen((char *)b[0]) -
						 (int64_t)user_strsize(
							 (uint64_t)a[0]) + 1 :
					 0);
	if (r == -E2BIG && !pl.strip && own_block_fits(nr, a)) {
		/* no room for us at all (a stack limit at the kernel's cap)
		   but the program's block fits: its own exec, as bare,
		   untraced; the trace says so */
		limen_note(LIMEN_NOTE_EXEC_UNTRACED, 0,
			   "no room left for limen's variables in execve's "
			   "arguments");
		noted = 1;
		r = limen_exec_call(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
	}
	/* still here: it failed */
	exec_failed_unblock();
	if (noted)
		exec_note_void();
	limen_sys2(SYS_munmap, buf, maplen);
	limen_tls.exec_buf = 0;
	return r;
raw_free:
	limen_sys2(SYS_munmap, buf, maplen);
raw:
	r = exec_masked(nr, a);
	/* still here: it failed */
	if (noted)
		exec_note_void();
	return r;
}
