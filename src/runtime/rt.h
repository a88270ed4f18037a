/* SPDX-License-Identifier: MIT */
/*
 * Internal state of the runtime (liblimen.so). Everything here may run on the
 * SIGSYS path: no libc, no allocation except raw mmap, no locks.
 */
#ifndef LIMEN_RT_H
#define LIMEN_RT_H

#if !defined(__x86_64__)
#error "limen's runtime is x86_64 only (Syscall User Dispatch on x86_64)"
#endif

#include <stddef.h>
#include <stdint.h>
#include <signal.h>
#include <sys/ucontext.h>

#include "session/session.h"
#include "systab.h"

#define LIMEN_HIDDEN __attribute__((visibility("hidden")))
#define LIMEN_NSIG 65

/* The kernel's struct sigaction for rt_sigaction (not glibc's). */
struct limen_ksa {
	uint64_t handler;
	uint64_t flags;
	uint64_t restorer;
	uint64_t mask;
};

/* The program's call in flight in this thread's innermost SIGSYS handler. */
struct limen_inflight {
	long nr;
	const long *a;
	int record;              /* 0 none, 1 selected, 2 hidden bookkeeping */
	int done;                /* exit already recorded (by a signal wrapper) */
};

/* Per thread. Lives in static TLS (initial-exec), zero in a new thread. */
struct limen_tls {
	struct limen_slot *slot; /* NULL: this thread records nothing */
	uint8_t *ring;
	int32_t tid;
	int32_t pid;              /* for process_vm_readv on ourselves */
	int32_t sigsys_blocked;  /* the program believes SIGSYS is blocked */
	uint8_t *vfork_save;     /* lazily mapped, see clone.c */
	struct limen_inflight *inflight;
	int32_t sigsys_pending;  /* a SIGSYS that arrived while "blocked" */
	uint8_t sigsys_info[128];
};
extern __thread struct limen_tls limen_tls LIMEN_HIDDEN;

struct limen_vsig {
	struct limen_ksa act;    /* what the program installed */
	int valid;               /* 0: ask the kernel */
};

/* Per process. */
struct limen_rt {
	struct limen_ctl *ctl;   /* NULL: not tracing */
	uintptr_t text_lo, text_hi; /* the exempt range */
	uint32_t strsize;
	char session_env[1200];    /* "LIMEN_SESSION=..." to put back at execve */
	char preload[1024];      /* our own path, first in LD_PRELOAD */
	uint64_t exec_buf, exec_len; /* envp built for a CLONE_VM child's exec */
	int shared_tls;          /* a CLONE_VM thread shares our TLS: look up
				    the slot by tid (see ring.c) */
	struct limen_vsig vsig[LIMEN_NSIG];
};
extern struct limen_rt limen_rt LIMEN_HIDDEN;

/* libc.c: what the compiler may call on its own. */
void *memcpy(void *d, const void *s, size_t n);
void *memset(void *d, int c, size_t n);
void *memmove(void *d, const void *s, size_t n);
size_t limen_strlen(const char *s) LIMEN_HIDDEN;
int limen_strncmp(const char *a, const char *b, size_t n) LIMEN_HIDDEN;

/* safe.c: reads of program memory that fail instead of faulting. */
long limen_safe_read(void *dst, uint64_t src, size_t n) LIMEN_HIDDEN;
long limen_safe_write(uint64_t dst, const void *src, size_t n) LIMEN_HIDDEN;

/* ring.c */
struct limen_wr {
	struct limen_slot *slot;
	uint8_t *p;              /* the reserved bytes */
	uint64_t start, end;     /* reservation, in ring positions */
};
int limen_thread_register(uint32_t kind, int use_tls) LIMEN_HIDDEN;
void limen_thread_done(void) LIMEN_HIDDEN;
int limen_rec_reserve(struct limen_wr *w, uint32_t bound) LIMEN_HIDDEN;
void limen_rec_commit(struct limen_wr *w, uint16_t type, uint16_t flags,
		      uint32_t used) LIMEN_HIDDEN;

/* capture.c */
uint32_t limen_capture_bound(const struct limen_sysent *se, const long *a,
			     long ret, int at_exit) LIMEN_HIDDEN;
uint32_t limen_capture(uint8_t *dst, const struct limen_sysent *se,
		       const long *a, long ret, int at_exit,
		       uint32_t *ncap) LIMEN_HIDDEN;

/* special_ipc.c: bytes a System V IPC call's special argument covers */
uint64_t limen_special_ipc_len(const struct limen_sysent *se, const long *a,
			       long ret, int at_exit) LIMEN_HIDDEN;

/* dispatch.c */
void limen_sigsys(int sig, siginfo_t *si, void *uc) LIMEN_HIDDEN;
void limen_record_sys(uint16_t type, long nr, const long *a, long ret,
		      int hidden) LIMEN_HIDDEN;
int limen_selected(long nr) LIMEN_HIDDEN;
int limen_arm(void) LIMEN_HIDDEN;

/* signals.c */
long limen_hook_sigaction(const long *a) LIMEN_HIDDEN;
long limen_hook_sigprocmask(const long *a, ucontext_t *uc) LIMEN_HIDDEN;
long limen_hook_masked(long nr, const long *a) LIMEN_HIDDEN;
long limen_hook_sigpending(const long *a) LIMEN_HIDDEN;
void limen_forward_sigsys(int sig, siginfo_t *si, ucontext_t *uc) LIMEN_HIDDEN;
/* A signal interrupted the return of the program's call: record its exit. */
void limen_inflight_exit(const ucontext_t *uc) LIMEN_HIDDEN;
int limen_install_sigsys(void) LIMEN_HIDDEN;

/* clone.c */
long limen_hook_clone(long nr, const long *a, ucontext_t *uc) LIMEN_HIDDEN;

/* reach.c: the session's memfd from the collector's socket, or -errno */
long limen_session_by_socket(long pid, long fd) LIMEN_HIDDEN;

/* exec.c */
long limen_hook_execve(long nr, const long *a) LIMEN_HIDDEN;

/* step_aside.c: what an execve will start, decided before it */
struct limen_exec_plan {
	const char *aside;       /* not NULL: the new image will run untraced,
				    for this reason (a NOTE record says so) */
	int strip;               /* pass none of our variables on: limen
				    leaves the whole subtree alone */
	char asan[64];           /* ASan runtime to preload before ours */
	int is_static;           /* a static x86_64 image */
};
extern const char limen_valgrind_guest[] LIMEN_HIDDEN;
void limen_exec_plan(long nr, const long *a,
		     struct limen_exec_plan *pl) LIMEN_HIDDEN;
void limen_note(uint32_t kind, int32_t pid, const char *text) LIMEN_HIDDEN;
long limen_hook_ptrace(const long *a) LIMEN_HIDDEN;
/* clone, clone3, fork, vfork: limen_hook_clone, and a note for a child
   in a new PID namespace */
long limen_fork(long nr, const long *a, ucontext_t *uc) LIMEN_HIDDEN;
/* in the constructor, registered: 1 if limen leaves this image alone
   (a valgrind guest the execve did not recognise); the note is written */
int limen_steps_aside_at_start(void) LIMEN_HIDDEN;
/* in a new child: 1 if limen leaves it alone (no SUD, no ring) */
int limen_child_steps_aside(uint64_t flags) LIMEN_HIDDEN;
enum { LIMEN_PRELOAD_OURS = 1, LIMEN_PRELOAD_KEEP = 2 };
int limen_preload_strip(char *d, const char *v) LIMEN_HIDDEN;

/* arch/x86_64/stubs.S */
void limen_restorer(void) LIMEN_HIDDEN;
long limen_clone_stub(long nr, long a0, long a1, long a2, long a3,
		      long a4) LIMEN_HIDDEN;
struct limen_vfork_args {
	long nr, a[5];
	uint8_t *save;
	uint64_t hi;
};
long limen_vfork_stub(struct limen_vfork_args *va) LIMEN_HIDDEN;
long limen_app_syscall(long nr, long a0, long a1, long a2, long a3, long a4,
		       long a5) LIMEN_HIDDEN;
extern const char limen_app_syscall_ret[] LIMEN_HIDDEN;
void limen_resume(const uint64_t *gregs) LIMEN_HIDDEN __attribute__((noreturn));

#endif
