/* SPDX-License-Identifier: MIT */
/*
 * Start-up in every image of the traced tree: find the session the collector
 * announced in LIMEN_SESSION, map it, hide limen's variables from the
 * program's environment, claim a ring, install the SIGSYS handler and arm
 * Syscall User Dispatch over everything but liblimen's own code.
 *
 * The session is reached through /proc/<collector>/fd/<n>: the runtime keeps
 * no descriptor of its own, so the program's descriptors are never touched
 * (close_range, dup2 over "ours" and fd-number expectations all hold).
 */
#include <elf.h>
#include <fcntl.h>
#include <link.h>
#include <sys/resource.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include "raw.h"
#include "rt.h"
#include "core_signal.h"
#include "pkru.h"
#include "session/elfprobe.h"
#include "runtime/filter.h"
#include "session/filter_abi.h"

extern const ElfW(Ehdr) __ehdr_start LIMEN_HIDDEN;

static int find_text(void)
{
	const ElfW(Ehdr) *eh = &__ehdr_start;
	const ElfW(Phdr) *ph = (const void *)((const char *)eh + eh->e_phoff);
	uintptr_t base = (uintptr_t)eh;
	int i;

	for (i = 0; i < eh->e_phnum; i++) {
		if (ph[i].p_type == PT_LOAD && ph[i].p_offset == 0) {
			base -= ph[i].p_vaddr;
			break;
		}
	}
	/* limen's own image is none of the program's: a core dumped bare
	   has no page of it (limen's loader's or liblimen's headers, data
	   and bss: 404 KiB of the loader's in every core) */
	for (i = 0; i < eh->e_phnum; i++)
		if (ph[i].p_type == PT_LOAD) {
			uintptr_t lo = (base + ph[i].p_vaddr) & ~4095ul;
			uintptr_t hi = (base + ph[i].p_vaddr + ph[i].p_memsz +
					4095) & ~4095ul;

			limen_dontdump((long)lo, hi - lo);
		}
	for (i = 0; i < eh->e_phnum; i++) {
		if (ph[i].p_type == PT_LOAD && (ph[i].p_flags & PF_X)) {
			limen_rt.text_lo = (base + ph[i].p_vaddr) & ~4095ul;
			limen_rt.text_hi = base + ph[i].p_vaddr + ph[i].p_memsz;
			return 0;
		}
	}
	return -1;
}

static long parse_num(const char **s)
{
	long v = 0;

	while (**s >= '0' && **s <= '9')
		v = v * 10 + (*(*s)++ - '0');
	return v;
}

/* LIMEN_SESSION=<collector pid>:<memfd number>:<path of liblimen.so>
   [:<path of the collector's rendezvous socket>]: neither path has a ':'
   (cli/main.c, preloadable; cli/rendezvous.c) */
/* 0: fd is a limen session of this version (its header read into head) */
static int read_head(long fd, struct limen_ctl *head)
{
	long r = limen_sys4(SYS_pread64, fd, head, sizeof(*head), 0);

	return r == sizeof(*head) && head->magic == LIMEN_SESSION_MAGIC &&
	       head->version == LIMEN_SESSION_VERSION &&
	       head->size == sizeof(*head) ? 0 : -1;
}

static int map_session(const char *v)
{
	char *path = limen_rt.session_path, *p = path;
	const char *s = v, *sock;
	long pid, fd, r, size, of;
	struct limen_ctl head;
	struct limen_geom g;
	size_t len;

	pid = parse_num(&s);
	if (*s++ != ':')
		return -1;
	fd = parse_num(&s);
	if (*s++ != ':')
		return -1;
	for (len = 0; s[len] && s[len] != ':'; len++)
		;
	if (len >= sizeof(limen_rt.preload))
		return -1;
	memcpy(limen_rt.preload, s, len);
	limen_rt.preload[len] = 0;
	sock = s[len] ? s + len + 1 : 0;

	/* "/proc/<pid>/fd/<fd>" */
	{
		char num[24];
		int n;
		long vals[2] = { pid, fd };
		const char *parts[3] = { "/proc/", "/fd/", "" };

		for (int k = 0; k < 2; k++) {
			memcpy(p, parts[k], limen_strlen(parts[k]));
			p += limen_strlen(parts[k]);
			n = 0;
			do {
				num[n++] = (char)('0' + vals[k] % 10);
				vals[k] /= 10;
			} while (vals[k]);
			while (n)
				*p++ = num[--n];
		}
		*p = 0;
	}
	/* another user now, or another /proc (a PID namespace that mounted
	   its own, where that path is some other process's or nothing), or
	   a new user namespace: ask the collector's abstract socket, and,
	   from a network namespace of our own where that name is not the
	   collector's, its socket by path (reach.c) */
	r = limen_sys3(SYS_open, path, O_RDWR | O_CLOEXEC, 0);
	if (r >= 0 && read_head(r, &head) < 0) {
		limen_sys1(SYS_close, r);
		r = -1;
	}
	if (r < 0) {
		r = limen_session_by_socket(pid, fd);
		if (r >= 0 && read_head(r, &head) < 0) {
			limen_sys1(SYS_close, r);
			r = -1;
		}
		if (r < 0 && sock) {
			r = limen_session_by_path(sock, pid);
			if (r >= 0 && read_head(r, &head) < 0) {
				limen_sys1(SYS_close, r);
				r = -1;
			}
		}
		/* threads map their rings without that path (ring.c) */
		path[0] = 0;
	}
	fd = r;
	if (fd < 0)
		return -1;
	{
		struct stat st;

		if (limen_sys2(SYS_fstat, fd, &st) == 0) {
			limen_rt.session_dev = st.st_dev;
			limen_rt.session_ino = st.st_ino;
		}
	}
	g.total_bytes = head.total_bytes;
	g.slots_off = head.slots_off;
	g.rings_off = head.rings_off;
	g.nslots = head.nslots;
	g.ring_bytes = head.ring_bytes;
	size = limen_sys3(SYS_lseek, fd, 0, SEEK_END);
	if (limen_is_err(size) || !limen_geom_ok(&g, (uint64_t)size)) {
		limen_sys1(SYS_close, fd);
		return -1;
	}
	/* the ctl page and the slot table; each thread maps its own ring */
	r = limen_sys6(SYS_mmap, 0, (long)g.rings_off, PROT_READ | PROT_WRITE,
		       MAP_SHARED, fd, 0);
	if (limen_is_err(r)) {
		limen_sys1(SYS_close, fd);
		return -1;
	}
	of = limen_sys6(SYS_mmap, 0, (long)(g.nslots * sizeof(uint8_t *)),
			PROT_READ | PROT_WRITE,
			MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (limen_is_err(of)) {
		limen_sys1(SYS_close, fd);
		limen_sys2(SYS_munmap, r, g.rings_off);
		return -1;
	}
	/* for the first thread's ring, then closed (ring.c) */
	limen_ring_lend(fd);
	limen_dontdump(r, g.rings_off);
	limen_dontdump(of, g.nslots * sizeof(uint8_t *));
	limen_rt.ctl = (struct limen_ctl *)r;
	limen_rt.slots = (struct limen_slot *)(r + (long)g.slots_off);
	limen_rt.geom = g;
	limen_rt.ring_of = (uint8_t **)of;
	limen_rt.strsize = head.strsize;
	limen_filter_load((const uint8_t *)r + LIMEN_FILTER_OFF);
	return 0;
}

/* Is e one of our variables, to be taken out of the environment? Ours
   in LD_PRELOAD (and an ASan runtime before it) come out of the string in
   place, and the variable goes if nothing is left. */
static int ours_out(char *e, const char **session, const char **first,
		    size_t ours)
{
	static const char pre[] = "LD_PRELOAD=";

	if (!limen_strncmp(e, LIMEN_SESSION_ENV "=",
			   sizeof(LIMEN_SESSION_ENV))) {
		*session = e + sizeof(LIMEN_SESSION_ENV);
		return 1;
	}
#ifndef LIMEN_GS_TLS
	/* the loader's build: the loader takes it (its scripts) */
	if (!limen_strncmp(e, LIMEN_FIRST_ENV "=", sizeof(LIMEN_FIRST_ENV))) {
		*first = e + sizeof(LIMEN_FIRST_ENV);
		return 1;
	}
#endif
	if (!limen_strncmp(e, LIMEN_PAD_ENV "=", sizeof(LIMEN_PAD_ENV)) ||
	    !limen_strncmp(e, LIMEN_STACK_ENV "=", sizeof(LIMEN_STACK_ENV)) ||
	    !limen_strncmp(e, LIMEN_WHEN_ENV "=", sizeof(LIMEN_WHEN_ENV)) ||
	    !limen_strncmp(e, LIMEN_PREV_ENV "=", sizeof(LIMEN_PREV_ENV)))
		return 1;
	if (ours && !limen_strncmp(e, pre, sizeof(pre) - 1)) {
		char *v = e + sizeof(pre) - 1;

		if (limen_preload_strip(0, v) &&
		    limen_preload_strip(v, v) != LIMEN_PRELOAD_KEEP && !*v)
			return 1; /* the program had no LD_PRELOAD */
	}
	return 0;
}

/* Remove our variables from the environment the program sees; first:
   LIMEN_FIRST's path, the command's first image (first_exec.c). The
   strings stay in the stack's string area, where /proc/PID/environ reads
   them: ours come after the program's (exec.c, cli/spawn.c), so that
   view is made to end before them (mm_view.c; the loader does it for
   the images it starts). */
static void hide_env(char **envp, const char **session, const char **first)
{
	size_t ours = limen_strlen(limen_rt.preload);
	char **w = envp;
	uint64_t lo = ~0ull, hi = 0; /* ours start, the program's end */

	for (char **e = envp; *e; e++) {
		uint64_t at = (uint64_t)(uintptr_t)*e, end;

		if (ours_out(*e, session, first, ours)) {
			if (at < lo)
				lo = at;
			continue;
		}
		/* measured after ours_out: an LD_PRELOAD with ours taken
		   out of it ends earlier, the rest of its bytes unseen */
		end = at + limen_strlen(*e) + 1;
		if (end > hi)
			hi = end;
		*w++ = *e;
	}
	*w = 0;
#ifndef LIMEN_GS_TLS
	if (lo != ~0ull && hi <= lo) {
		/* none of the program's own: the area is empty */
		struct limen_mm_view v = { .env_end = hi ? hi : lo };

		limen_mm_view_set(&v);
	}
#endif
}

/*
 * The exec that started this image raised the stack limit to make room for
 * our variables (exec.c): put the program's own limit back.
 */
static void restore_stack_limit(char **envp)
{
	for (char **e = envp; *e; e++) {
		const char *s = *e + sizeof(LIMEN_STACK_ENV);
		struct limen_rlimit l;

		if (limen_strncmp(*e, LIMEN_STACK_ENV "=",
				  sizeof(LIMEN_STACK_ENV)))
			continue;
		if (limen_sys4(SYS_prlimit64, 0, RLIMIT_STACK, 0, &l) < 0)
			return;
		l.cur = (uint64_t)parse_num(&s);
		limen_sys4(SYS_prlimit64, 0, RLIMIT_STACK, &l, 0);
		return;
	}
}

uint64_t limen_pidns_read(void)
{
	struct stat st;

	/* not under a filter of the program's, which may refuse it or kill
	   at it; an outer one's (a container's) let limen's calls be */
	if (limen_program_filtered() ||
	    limen_sys4(SYS_newfstatat, AT_FDCWD, "/proc/self/ns/pid", &st,
		       0) < 0)
		return 0;
	return (uint64_t)st.st_ino;
}

/* An active slot of the image before, done: the collector frees it once
   drained (not a pooled one, nor one taken since) */
static void retire(struct limen_slot *sl)
{
	uint32_t st = LIMEN_SLOT_ACTIVE;

	__atomic_compare_exchange_n(&sl->state, &st, LIMEN_SLOT_DONE, 0,
				    __ATOMIC_ACQ_REL, __ATOMIC_RELAXED);
}

/*
 * The previous image of this process left slots behind: those its execve
 * listed (LIMEN_PREV, session.h; ring.c, limen_ring_prev_note), each
 * still ours (our pid, the generation it had); then any other of our pid
 * in our pid namespace, where both are known (more threads than the note
 * lists). Never by the local pid alone: a process in a sibling namespace
 * has the same one (each the first of its own, pid 1), and an exec there
 * ended our live threads' slots; the collector freed them, and a later
 * claim in this address space unmapped the ring a thread of ours still
 * wrote (ring_for: SIGSEGV), or its writer waited for room for ever
 * (tests/syscalls/exec_sibling_pidns.t). prev is the note's list, after
 * "NS.MOVED" (the program's own environment cannot give one: exec.c
 * takes it out), read with bounds all the same.
 */
static void retire_old_slots(const char *prev)
{
	struct limen_slot *s = limen_rt.slots;
	uint32_t n = limen_slots_used(limen_rt.ctl, &limen_rt.geom);
	int32_t pid = limen_tls.pid;

	while (prev && *prev == ',') {
		uint64_t i, gen;

		prev++;
		i = (uint64_t)parse_num(&prev);
		if (*prev++ != '.')
			break;
		gen = (uint64_t)parse_num(&prev);
		if (i < n && &s[i] != limen_tls.slot && s[i].pid == pid &&
		    __atomic_load_n(&s[i].gen, __ATOMIC_RELAXED) == gen)
			retire(&s[i]);
	}
	if (!limen_rt.pidns)
		return;
	for (uint32_t i = 0; i < n; i++) {
		/* not a pool's (ring.c): pools are freed when their process
		   ends (the collector, session.c process_gone) */
		if (&s[i] != limen_tls.slot && s[i].pid == pid &&
		    __atomic_load_n(&s[i].pidns, __ATOMIC_RELAXED) ==
			    limen_rt.pidns)
			retire(&s[i]);
	}
}

/* Our pid namespace: the one the image before read (an exec keeps it),
   else read now; the list of its slots after, at *prev */
static void take_pidns(const char **prev)
{
	const char *v = *prev;

	if (v) {
		limen_rt.pidns = (uint64_t)parse_num(&v);
		if (*v++ == '.')
			limen_rt.pidns_moved = *v++ == '1';
		*prev = v;
	}
	if (!limen_rt.pidns)
		limen_rt.pidns = limen_pidns_read();
}

__attribute__((constructor)) void limen_init(int argc, char **argv,
					     char **envp)
{
	const char *session = 0, *when = 0, *first = 0, *prev = 0;

	limen_init_args(&argc, &argv, &envp); /* musl passes none */
	if (!envp)
		return;
	/* find the variable first: hide_env needs our path */
	for (char **e = envp; *e; e++) {
		if (!limen_strncmp(*e, LIMEN_SESSION_ENV "=",
				   sizeof(LIMEN_SESSION_ENV)))
			session = *e + sizeof(LIMEN_SESSION_ENV);
		if (!limen_strncmp(*e, LIMEN_WHEN_ENV "=",
				   sizeof(LIMEN_WHEN_ENV)))
			when = *e + sizeof(LIMEN_WHEN_ENV);
		if (!limen_strncmp(*e, LIMEN_PREV_ENV "=",
				   sizeof(LIMEN_PREV_ENV)))
			prev = *e + sizeof(LIMEN_PREV_ENV);
	}
	if (!session)
		return;
	limen_aside_start();
	restore_stack_limit(envp);
	if (limen_strlen(session) + sizeof(LIMEN_SESSION_ENV) + 1 >
	    sizeof(limen_rt.session_env))
		return;
	memcpy(limen_rt.session_env, LIMEN_SESSION_ENV "=",
	       sizeof(LIMEN_SESSION_ENV));
	memcpy(limen_rt.session_env + sizeof(LIMEN_SESSION_ENV), session,
	       limen_strlen(session) + 1);
	if (map_session(session) < 0 || find_text() < 0) {
		limen_ring_lend_end();
		limen_rt.ctl = 0;
		/* untraced (the collector says so at the execve): the
		   program and its children run as bare, none of limen's
		   variables in their environment */
		hide_env(envp, &session, &first);
		return;
	}
	hide_env(envp, &session, &first);
	limen_lone_start(); /* counted before its first record (lone.c) */
	take_pidns(&prev); /* for our slots */
	limen_thread_register(LIMEN_START_INIT, 1);
	limen_ring_lend_end(); /* not used (no ring): closed */
	retire_old_slots(prev);
	limen_uev_refs_exec(); /* the image before an exec held none now */
	limen_uev_exec_files(); /* user_events_data descriptors kept */
	limen_tfs_cwd_exec(); /* a working directory in the emulated tracefs */
	limen_unix_peer_exec(); /* -yy: a seccomp filter inherited */
	/* under a container's filter: whether it is all there is, read
	   while nothing else could be given a number (aside.c asks it
	   later, and may not make a helper before it knows) */
	if (limen_rt.ctl->outer_filters && limen_seccomp_filtered())
		limen_seccomp_outer_only();
	/* once a filter of the program's is known: its counters are an
	   mmap, not made under one (filter.c) */
	limen_filter_when_restore(when);
	if (limen_steps_aside_at_start())
		return;
	{
		/* SIGSYS blocked when we start (inherited from a parent that
		   is not traced) would get the process killed at its first
		   call: unblock it for real, keep it blocked in the view;
		   one pending (held while blocked before the execve, exec.c,
		   or sent by a parent) is held by limen, blocked, as the
		   kernel would keep it */
		uint64_t sys = 1ull << (SIGSYS - 1), old = 0;

		limen_sys4(SYS_rt_sigprocmask, SIG_BLOCK, 0, &old, 8);
		if (old & sys)
			limen_sigsys_take_back(); /* signals.c */
		limen_sys4(SYS_rt_sigprocmask, SIG_UNBLOCK, &sys, 0, 8);
		limen_tls.vblock = old & LIMEN_OWNED;
	}
	{
		/* our handlers never run on the program's stack */
		uint8_t *stack = limen_stack_map();

		limen_adopt_altstack(); /* the program's, before ours */

		if (!stack || limen_stack_install(stack) < 0) {
			limen_thread_done();
			limen_rt.ctl = 0;
			return;
		}
		limen_fast_stack(stack);
	}
	if (limen_install_sigsys() < 0 || limen_arm() < 0) {
		limen_thread_done();
		limen_rt.ctl = 0;
		return;
	}
	limen_adopt_handlers(); /* set before we started (adopt.c) */
	limen_fault_init(); /* safe.c */
	limen_core_init(); /* SIG_DFL of SIGABRT and the like (core_signal.c) */
	{
		/* SIGSEGV and SIGBUS blocked when we start (owned.c): only
		   one pending since before the execve stays really blocked */
		uint64_t f = limen_tls.vblock & LIMEN_FAULT_BITS, pend = 0;

		if (f && limen_sys2(SYS_rt_sigpending, &pend, 8) == 0) {
			limen_tls.pinned = f & pend;
			f &= ~pend;
			if (limen_tls.pinned & (1ull << (SIGTRAP - 1)))
				limen_rewrite_trap_pinned();
		}
		if (f)
			limen_sys4(SYS_rt_sigprocmask, SIG_UNBLOCK, &f, 0, 8);
	}
	if (first && argc >= 0)
		limen_first_exec(first, 0, (uint64_t)argc, argv, envp);
}
