/* SPDX-License-Identifier: MIT */
/*
 * Where limen must step aside, decided before an execve: the new image
 * cannot load the runtime (a static program, another architecture, a
 * set-user-ID program whose loader ignores LD_PRELOAD), or must not (a
 * process traced with ptrace, whose tracer would see every SIGSYS as a
 * signal stop; valgrind's tool, which runs its guest on a synthetic CPU
 * where Syscall User Dispatch does not exist). The runtime writes a NOTE
 * record before the execve so that the trace says, at that place, which
 * process goes on untraced and why (`+++ limen: PID not traced: ... +++`).
 *
 * It also finds an AddressSanitizer program, whose runtime must be the
 * first library loaded: its preload list then starts with that runtime.
 *
 * Not at an execve: PTRACE_TRACEME (limen_hook_ptrace) and a valgrind
 * guest that loaded the runtime all the same (limen_steps_aside_at_start).
 * A PID namespace is no reason: its processes reach the session through
 * the collector's socket when its /proc is not the collector's (init.c),
 * and the collector shows them with its own ids.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/prctl.h>
#include <linux/ptrace.h>
#include <linux/sched.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>

#include "raw.h"
#include "rt.h"
#include "session/elfprobe.h"

#define PATH_BYTES 4096u

struct scratch {
	struct limen_probe p;
	char path[PATH_BYTES];
	char status[2048];
};

void limen_note(uint32_t kind, int32_t pid, const char *text)
{
	struct limen_rec_note *r;
	struct limen_wr w;
	uint32_t len = (uint32_t)limen_strlen(text);

	if (limen_rec_reserve(&w, sizeof(*r) + len) < 0)
		return;
	r = (struct limen_rec_note *)w.p;
	r->kind = kind;
	r->len = len;
	limen_lone_real(); /* counted, and a counted stretch ends (lone.c) */
	r->tsc = limen_rdtsc();
	r->pid = pid;
	r->pad = 0;
	memcpy(r + 1, text, len);
	limen_rec_commit(&w, LIMEN_REC_NOTE, 0, sizeof(*r) + len);
}

static int is_sep(char c)
{
	return c == ':' || c == ' ';
}

/*
 * LD_PRELOAD as limen passes it on is "[ASan runtime:]liblimen[:theirs]",
 * where the ':' after ours says that the program had the variable (even
 * empty); other programs may add entries around it (valgrind puts its own
 * preloads first). Copy v to d (d may be v, or NULL to only look) without
 * limen's entries: our own, and an ASan runtime right before it, which
 * limen put there (limen_asan_first); the other entries keep their
 * separators. Returns 0 if our entry is not there, LIMEN_PRELOAD_OURS if
 * it is, LIMEN_PRELOAD_KEEP if it is and a separator follows it.
 */
int limen_preload_strip(char *d, const char *v)
{
	size_t ours = limen_strlen(limen_rt.preload), n = 0, last = 0;
	int found = 0, last_asan = 0;
	char sep = ':';

	while (ours && *v) {
		const char *e = v;
		size_t len;

		while (*e && !is_sep(*e))
			e++;
		len = (size_t)(e - v);
		if (len == ours && !limen_strncmp(v, limen_rt.preload, ours)) {
			if (last_asan)
				n = last;
			found = *e ? LIMEN_PRELOAD_KEEP : LIMEN_PRELOAD_OURS;
			last_asan = 0;
		} else if (len) {
			/* in place: never more written than read so far */
			last = n;
			if (n && d)
				d[n] = sep;
			n += n != 0;
			if (d)
				memmove(d + n, v, len);
			last_asan = limen_is_asan_runtime(v, len);
			n += len;
		}
		if (*e)
			sep = *e;
		v = *e ? e + 1 : e;
	}
	if (d)
		d[n] = 0;
	return found;
}

static long pread_fd(void *ctx, void *buf, unsigned long n, uint64_t off)
{
	return limen_sys4(SYS_pread64, *(long *)ctx, buf, n, off);
}

static int ends(const char *s, const char *suffix)
{
	size_t a = limen_strlen(s), b = limen_strlen(suffix);

	return a >= b && !limen_strncmp(s + a - b, suffix, b);
}

static int contains(const char *s, const char *sub)
{
	size_t n = limen_strlen(sub);

	for (; *s; s++)
		if (!limen_strncmp(s, sub, n))
			return 1;
	return 0;
}

/*
 * The thread is traced with ptrace (PTRACE_TRACEME under gdb, or attached):
 * TracerPid in /proc/thread-self/status. Without /proc: assume not. The
 * thread group's leader (a vfork child, a shell's child, any process
 * with one thread) reads its own in /proc/self/status, which is the
 * leader's: one directory fewer for the kernel to make for a new process
 * (a new task's /proc entries are made at their first lookup), 31 us
 * instead of 37 in a fresh vfork child here, at every traced exec.
 */
static int ptraced(char *buf, size_t size)
{
	int leader = !limen_rt.shared_tls && limen_tls.tid &&
		     limen_tls.tid == limen_tls.pid &&
		     limen_tls.tid == (int32_t)limen_sys0(SYS_gettid);
	const char *v = limen_status_value(leader ? "/proc/self/status" :
						    "/proc/thread-self/status",
					   "\nTracerPid:", buf, size);

	return v && *v >= '1' && *v <= '9';
}

/*
 * Whether this thread can be traced at all, asked before the file above
 * (some 50 us in a new process here: its /proc directory made, the
 * status rendered whole): a thread that has never slept since it was
 * made was never stopped by a tracer. A traced thread stops at every
 * signal delivered to it, and this execve came as one (SIGSYS: execve's
 * sites are never rewritten, rewrite.c's needs_frame), before its
 * handler ran; a stop is a sleep, and the tracer's next request waits
 * until the thread is off its CPU (wait_task_inactive): the kernel counts
 * it in the thread's voluntary context switches, which a new task starts
 * at 0 (copy_mm). So a vfork child that went from its clone to its
 * execve without sleeping (sh's, posix_spawn's: most traced execs) has
 * no tracer: strace -f's children stop at their start, a PTRACE_SEIZE
 * stops the thread at this SIGSYS, PTRACE_TRACEME is limen_hook_ptrace's.
 * Any other count (a sleep of its own, a job-control stop, a thread that
 * ran for a while) asks /proc, and so does a thread under a seccomp
 * filter of the program's (limen_program_filtered).
 */
static int never_stopped(void)
{
	struct rusage ru;

	if (limen_program_filtered() ||
	    limen_sys2(SYS_getrusage, RUSAGE_THREAD, &ru) != 0)
		return 0;
	return ru.ru_nvcsw == 0;
}

const char limen_valgrind_guest[] = "valgrind's guest (limen steps aside "
				    "for valgrind, and for the guest's "
				    "children)";

/* valgrind's launcher execs its tool, VALGRIND_LIB/<tool>-<arch>-linux: a
   static program that loads the guest itself. (Found elsewhere, the tool
   is still known by the VALGRIND_LAUNCHER variable the launcher gives it:
   exec.c.) */
static int valgrind_tool(const char *path)
{
	return contains(path, "valgrind/") && ends(path, "-linux");
}

/*
 * The loader runs set-user-ID and set-group-ID programs in secure mode
 * (AT_SECURE), where LD_PRELOAD with a path is ignored: the process ends up
 * with other ids than its real ones.
 */
static int secure_exec(const struct stat *st)
{
	uint32_t ruid, euid, suid, rgid, egid, sgid;
	uint32_t nuid, ngid;

	if (limen_sys3(SYS_getresuid, &ruid, &euid, &suid) < 0 ||
	    limen_sys3(SYS_getresgid, &rgid, &egid, &sgid) < 0)
		return 0;
	nuid = (st->st_mode & S_ISUID) ? st->st_uid : euid;
	ngid = (st->st_mode & S_ISGID) && (st->st_mode & S_IXGRP) ? st->st_gid
								   : egid;
	return nuid != ruid || ngid != rgid;
}

/*
 * Whether the new image can reach a file of limen's (the runtime for
 * ld.so to preload, the loader for the kernel to run) by the path we would
 * give it: a program that chroots, or changes its ids, before its execve
 * may have left it behind. ld.so would then print an error of its own on
 * the program's stderr and run it untraced; the kernel would fail the
 * execve. The effective ids decide (AT_EACCESS), as for ld.so's open.
 */
static int reachable(const char *path, int mode)
{
	long r;

	if (!path || !path[0])
		return 0;
	r = limen_sys4(SYS_faccessat2, AT_FDCWD, path, mode, AT_EACCESS);
	/* before 5.8, or a container's seccomp profile that predates it
	   (EPERM: for reading or running, only seccomp says that) */
	if (r == -ENOSYS || r == -EPERM)
		r = limen_sys2(SYS_access, path, mode);
	return r == 0;
}

static const char unreachable[] = "limen's runtime cannot be reached from "
				  "it (a chroot, or ids that may not read "
				  "it), nor from its children";

/* Copy the program's path string; 0 if it is not readable whole. */
static int read_path(char *dst, uint64_t src)
{
	long got = limen_safe_read(dst, src, PATH_BYTES);

	for (long i = 0; i < got; i++)
		if (!dst[i])
			return 1;
	return 0;
}

static void fd_path(char *dst, long fd)
{
	static const char pre[] = "/proc/self/fd/";
	char num[24];
	int n = 0;

	memcpy(dst, pre, sizeof(pre) - 1);
	dst += sizeof(pre) - 1;
	do {
		num[n++] = (char)('0' + fd % 10);
		fd /= 10;
	} while (fd);
	while (n)
		*dst++ = num[--n];
	*dst = 0;
}

/* The program ld.so is asked to run: an ASan program needs its runtime
   first in the preload list there too. */
static void loaded_program(struct limen_exec_plan *pl, struct scratch *sc,
			   uint64_t path)
{
	struct stat st;
	long fd;

	if (!read_path(sc->path, path) ||
	    limen_sys4(SYS_newfstatat, AT_FDCWD, sc->path, &st, 0) < 0 ||
	    !S_ISREG(st.st_mode))
		return;
	fd = limen_sys4(SYS_openat, AT_FDCWD, sc->path,
			O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY, 0);
	if (fd < 0)
		return;
	limen_probe_image(&sc->p, pread_fd, &fd);
	limen_sys1(SYS_close, fd);
	if (sc->p.kind == LIMEN_IMAGE_DYNAMIC)
		memcpy(pl->asan, sc->p.asan, limen_strlen(sc->p.asan) + 1);
}

/*
 * ld.so run as a program: its own options come first. With some of them it
 * runs no program at all, and --list would list our runtime (as ldd would).
 */
static void loader_options(struct limen_exec_plan *pl, struct scratch *sc,
			   uint64_t argv)
{
	char *arg = sc->status;

	for (uint64_t i = 1; i < 32; i++) {
		uint64_t p;
		long got;

		if (!argv || limen_safe_read(&p, argv + i * 8, 8) != 8 || !p)
			return;
		got = limen_safe_read(arg, p, 64);
		if (got <= 0)
			return;
		arg[got < 64 ? got : 63] = 0;
		switch (limen_loader_option(arg)) {
		case LIMEN_LDSO_PROGRAM:
			loaded_program(pl, sc, p);
			return;
		case LIMEN_LDSO_NO_PROGRAM:
			pl->aside = "the dynamic loader runs no program with "
				    "this option (--list, --verify...)";
			pl->strip = 1;
			return;
		case LIMEN_LDSO_VALUE:
			i++;
			break;
		case LIMEN_LDSO_OPTION:
			break;
		}
	}
}

static void judge(struct limen_exec_plan *pl, struct scratch *sc, long nr,
		  const long *a, int untraced)
{
	long dirfd = AT_FDCWD, flags = 0, fd;
	uint64_t path = (uint64_t)a[0];
	struct stat st;

	if (!untraced && ptraced(sc->status, sizeof(sc->status))) {
		pl->aside = "traced with ptrace (limen steps aside for "
			    "debuggers and tracers, and for its children)";
		pl->strip = 1;
		return;
	}
	if (nr == SYS_execveat) {
		dirfd = a[0];
		path = (uint64_t)a[1];
		flags = a[4];
	}
	if (!read_path(sc->path, path))
		return;
	if ((flags & AT_EMPTY_PATH) && !sc->path[0]) {
		fd_path(sc->path, dirfd);
		dirfd = AT_FDCWD;
	}
	for (int depth = 0; depth < 5; depth++) {
		if (limen_sys4(SYS_newfstatat, dirfd, sc->path, &st,
			       flags & AT_SYMLINK_NOFOLLOW) < 0 ||
		    !S_ISREG(st.st_mode))
			return; /* the kernel will refuse it */
		fd = limen_sys4(SYS_openat, dirfd, sc->path,
				O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY, 0);
		if (fd < 0)
			return; /* execute-only: we cannot tell */
		limen_probe_image(&sc->p, pread_fd, &fd);
		{
			/* on a nosuid mount the set-user-ID bit does nothing
			   (and the loader then keeps LD_PRELOAD); asked only
			   of a file that has one, not at every exec */
			struct statfs sf;

			if ((st.st_mode & (S_ISUID | S_ISGID)) &&
			    limen_sys2(SYS_fstatfs, fd, &sf) == 0 &&
			    (sf.f_flags & ST_NOSUID))
				st.st_mode &= ~(mode_t)(S_ISUID | S_ISGID);
		}
		limen_sys1(SYS_close, fd);
		switch (sc->p.kind) {
		case LIMEN_IMAGE_SCRIPT:
			memcpy(sc->path, sc->p.interp,
			       limen_strlen(sc->p.interp) + 1);
			dirfd = AT_FDCWD;
			flags = 0;
			continue;
		case LIMEN_IMAGE_FOREIGN:
			pl->aside = "not an x86_64 program (its x86_64 "
				    "dynamic children are traced)";
			return;
		case LIMEN_IMAGE_STATIC:
			pl->is_static = 1;
			if (valgrind_tool(sc->path)) {
				pl->aside = limen_valgrind_guest;
				pl->strip = 1;
			} else if (nr == SYS_execve && !secure_exec(&st) &&
				   reachable(limen_loader_path(), X_OK)) {
				/* a script's interpreter too: the loader
				   reads the #! line as the kernel does */
				/* traced all the same (loader_exec.c) */
				pl->via_loader = 1;
			} else if (secure_exec(&st)) {
				pl->aside = "set-user-ID or set-group-ID static "
					    "program (limen's loader would run "
					    "it without its privileges)";
			} else if (nr == SYS_execve) {
				pl->aside = unreachable;
				pl->strip = 1;
			} else {
				pl->aside = "statically linked, started by "
					    "execveat, which limen's loader "
					    "cannot do yet; its children are "
					    "traced";
			}
			return;
		case LIMEN_IMAGE_LOADER:
			loader_options(pl, sc, (uint64_t)a[nr == SYS_execve ? 1
									  : 2]);
			return;
		case LIMEN_IMAGE_DYNAMIC:
			/* a script's dynamic interpreter too: the loader
			   reads the #! line (loader.c, run_script) */
			if (nr == SYS_execve &&
			    (limen_rt.ctl->flags & LIMEN_CTL_LOADER_ALL) &&
			    !secure_exec(&st) && !sc->p.asan[0] &&
			    reachable(limen_loader_path(), X_OK)) {
				/* from ld.so's first instruction */
				pl->via_loader = 1;
				return;
			}
			if (secure_exec(&st)) {
				pl->aside = "set-user-ID or set-group-ID "
					    "program (its loader ignores "
					    "LD_PRELOAD and removes it for its "
					    "children)";
				return;
			}
			if (!reachable(limen_rt.preload, R_OK)) {
				pl->aside = unreachable;
				pl->strip = 1;
				return;
			}
			memcpy(pl->asan, sc->p.asan,
			       limen_strlen(sc->p.asan) + 1);
			return;
		default:
			return;
		}
	}
}

_Static_assert(sizeof(struct scratch) <= LIMEN_EXEC_PLAN_ROOM,
	       "limen_exec_plan's room holds its scratch");

struct judging {
	struct limen_exec_plan *pl;
	struct scratch *sc;
	long nr;
	const long *a;
	int untraced; /* never_stopped, asked by the exec's own thread */
};

static long judge_aside(void *arg, int helper)
{
	const struct judging *j = arg;

	(void)helper;
	judge(j->pl, j->sc, j->nr, j->a, j->untraced);
	return 0;
}

void limen_exec_plan(long nr, const long *a, struct limen_exec_plan *pl,
		     void *scratch)
{
	struct judging j = { pl, 0, nr, a, never_stopped() };
	long r;

	pl->aside = 0;
	pl->strip = 0;
	pl->asan[0] = 0;
	pl->is_static = 0;
	pl->via_loader = 0;
	if (!scratch) {
		/* off the signal stack: a path and a probe are 7 KiB */
		r = limen_sys6(SYS_mmap, 0, (long)sizeof(struct scratch),
			       PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (limen_is_err(r))
			return;
	}
	/* the image is opened: aside where other threads share the
	   descriptors (aside.c) */
	j.sc = scratch ? scratch : (struct scratch *)r;
	limen_aside(judge_aside, &j, &r);
	if (!scratch)
		limen_sys2(SYS_munmap, (long)j.sc, sizeof(struct scratch));
}

/* The call in flight returned r: record its exit now, so that its line
   comes before the note that follows (dispatch.c then records nothing). */
static void exit_first(long r)
{
	struct limen_inflight *fl = limen_tls.inflight;

	if (fl && fl->record && !fl->done) {
		fl->done = 1;
		limen_record_sys(LIMEN_REC_EXIT, fl->nr, fl->a, r,
				 fl->record == 2);
	}
}

/*
 * PTRACE_TRACEME: the parent (a debugger) now sees every signal of this
 * thread, SIGSYS included, as a stop; gdb even waits in vfork for the
 * execve that follows. So limen steps aside for the rest of this thread's
 * life: Syscall User Dispatch off, and the execve that comes next passes
 * on the program's environment, without the runtime.
 */
long limen_hook_ptrace(const long *a)
{
	long r = limen_sys6(SYS_ptrace, a[0], a[1], a[2], a[3], a[4], a[5]);

	if (a[0] != PTRACE_TRACEME || r != 0)
		return r;
	exit_first(r);
	limen_note(LIMEN_NOTE_UNTRACED, 0,
		   "traced with ptrace (PTRACE_TRACEME: limen steps aside for "
		   "debuggers, and for its children)");
	limen_sys5(SYS_prctl, PR_SET_SYSCALL_USER_DISPATCH,
		   PR_SYS_DISPATCH_OFF, 0, 0, 0);
	limen_thread_done();
	limen_tls.slot = 0; /* a signal wrapper must not record into it */
	limen_tls.ring = 0;
	return r;
}

/*
 * valgrind's client request RUNNING_ON_VALGRIND (valgrind.h's documented
 * ABI): a rotate sequence that leaves rdi unchanged on a real CPU, which
 * valgrind's JIT recognises and answers in rdx; natively rdx keeps the
 * default, 0.
 */
#define VG_USERREQ_RUNNING_ON_VALGRIND 0x1001

static uint64_t running_on_valgrind(void)
{
	volatile uint64_t args[6] = { VG_USERREQ_RUNNING_ON_VALGRIND };
	uint64_t res = 0;

	__asm__ volatile("rolq $3, %%rdi\n\t"
			 "rolq $13, %%rdi\n\t"
			 "rolq $61, %%rdi\n\t"
			 "rolq $51, %%rdi\n\t"
			 "xchgq %%rbx, %%rbx"
			 : "=d"(res)
			 : "a"(&args[0]), "0"(res)
			 : "cc", "memory");
	return res;
}

/*
 * valgrind runs its guest on a synthetic CPU where Syscall User Dispatch
 * does not exist. The execve of valgrind's tool is normally recognised by
 * its path (limen_exec_plan) and the guest never loads the runtime; with a
 * tool found elsewhere (VALGRIND_LIB) the runtime gets here and steps
 * aside itself. Its variables are already hidden, so the guest's children
 * go untraced too, as the note says.
 */
int limen_steps_aside_at_start(void)
{
	if (!running_on_valgrind())
		return 0;
	limen_note(LIMEN_NOTE_UNTRACED, 0, limen_valgrind_guest);
	limen_thread_done();
	limen_tls.slot = 0;
	limen_tls.ring = 0;
	limen_rt.ctl = 0;
	return 1;
}
