/* SPDX-License-Identifier: MIT */
/*
 * Filters and fault injection, decided inside the traced process before
 * anything is written to the ring (session/filter_abi.h says what the
 * program is). A call the filter rejects costs its evaluation and no ring
 * space; an injected call is not made at all.
 *
 * The program comes from the session, which the traced program can write:
 * it is copied into private memory once per image (limen_filter_load) and
 * validated there; only the copy is ever read. Evaluation checks every
 * operand again where a check is cheap (the stack depth), so a program that
 * passed validation still cannot make it read out of bounds.
 *
 * Stable inputs: the path arguments a decision reads are copied into the
 * handler's frame (struct limen_fcall), the decision is made on the copy
 * and the call is made with the copy's address in place of the program's
 * pointer. That argument is changed in the handler's own array only: the
 * program's registers (the SIGSYS frame) never change, so it sees nothing.
 * Another thread rewriting the buffer between the decision and the call
 * changes nothing the kernel reads. This is not a sandbox: code that jumps
 * into limen's exempt text makes calls limen never sees.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/close_range.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>

#include "raw.h"
#include "rt.h"
#include "runtime/filter.h"
#include "session/filter_abi.h"

int limen_filter_on;

/* the validated copy: private, never written after limen_filter_load */
static struct limen_filter fp;

/*
 * -P: the fds of this process opened on one of its paths, as strace
 * follows them (dup, dup2, dup3, fcntl F_DUPFD, close); fork copies the
 * table with the memory, threads share it as they share the fds. Bits are
 * set and cleared with atomics: threads open and close at once.
 */
#define PFD_MAX 4096u
static uint64_t pfd[PFD_MAX / 64];

/* when=: the calls seen, per thread and per call number (strace counts
   per tracee and per system call; 0: none yet), folded so it stays below
   2 * 65536 (counted()); counters are started afresh in a new thread or
   process, as strace's new tracee. One per number of the table (sets are
   names of the table: 1.9 KiB a thread): simpler than a map, and no set
   can outgrow it */
struct counters {
	uint32_t seen[LIMEN_NSYSENT];
	int32_t tid;
};
/* A thread's counters are mapped at its first counted call, its TLS
   holding only the pointer (limen_tls.gs_fcnt; the loader's runtime has
   no __thread anyway): 1.9 KiB of static TLS would come out of every
   thread's stack under glibc. NULL: no room, or a seccomp filter of the
   program's that could refuse or kill an mmap it never made: the
   process's one set then (counts of threads that share it start again
   when another counts). A fork child inherits the mapping and starts
   afresh (the thread id is not its own); an execve drops it. */
static struct counters cnt_nomap LIMEN_COLD_BSS;
static struct counters *gs_counters(void)
{
	long p;

	if (!limen_tls.gs_fcnt) {
		if (limen_program_filtered())
			return 0;
		p = limen_sys6(SYS_mmap, 0, sizeof(struct counters),
			       PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (limen_is_err(p))
			return 0;
		limen_tls.gs_fcnt = (void *)p;
	}
	return limen_tls.gs_fcnt;
}

/* The exiting thread's counters unmapped (dispatch.c, thread_exit): not
   a raw thread's that shares its creator's TLS, whose they are */
void limen_filter_thread_end(void)
{
	void *p = limen_tls.gs_fcnt;

	if (!p || limen_tls.tid != (int32_t)limen_sys0(SYS_gettid))
		return;
	limen_tls.gs_fcnt = 0;
	limen_sys2(SYS_munmap, p, sizeof(struct counters));
}

/* a vfork child runs on its parent's TLS: its own set, here (the parent
   waits while it runs) */
static struct counters cnt_vfork LIMEN_COLD_BSS;

static int fd_tracked(long fd)
{
	return limen_bit_get(pfd, PFD_MAX, fd);
}

static void fd_set_tracked(long fd, int on)
{
	uint64_t bit;

	if (fd < 0 || (unsigned long)fd >= PFD_MAX)
		return;
	bit = 1ull << (fd % 64);
	if (on)
		__atomic_or_fetch(&pfd[fd / 64], bit, __ATOMIC_RELAXED);
	else
		__atomic_and_fetch(&pfd[fd / 64], ~bit, __ATOMIC_RELAXED);
}

/* How many values an instruction pops and pushes (JFALSE, JTRUE: see
   check_stack) */
static int stack_effect(uint8_t op, int *pop, int *push)
{
	*pop = 0;
	*push = 1;
	switch (op) {
	case LIMEN_FOP_END:
		*pop = 1;
		*push = 0;
		return 1;
	case LIMEN_FOP_CONST: case LIMEN_FOP_ARG: case LIMEN_FOP_RET:
	case LIMEN_FOP_STATUS: case LIMEN_FOP_STREQ: case LIMEN_FOP_GLOB:
	case LIMEN_FOP_PATHSET: case LIMEN_FOP_TASK:
		return 1;
	case LIMEN_FOP_SHL32OR: case LIMEN_FOP_NOT:
		*pop = 1;
		return 1;
	case LIMEN_FOP_EQ: case LIMEN_FOP_NE: case LIMEN_FOP_LT:
	case LIMEN_FOP_LE: case LIMEN_FOP_GT: case LIMEN_FOP_GE:
	case LIMEN_FOP_BAND:
		*pop = 2;
		return 1;
	case LIMEN_FOP_JFALSE: case LIMEN_FOP_JTRUE:
		*pop = 1;
		*push = 0;
		return 1;
	}
	return 0;
}

/*
 * The stack depth before each instruction, proven once so that eval needs
 * no check: programs run from a depth of 0 at their first instruction,
 * END needs exactly one value and the next instruction starts afresh at
 * 0; a jump keeps its value on the stack (depth d at its target), falling
 * through pops it (d - 1). Jumps go forward only, so one pass sees every
 * way into an instruction; two ways that disagree are refused. -1: an
 * instruction no program start reaches, which is never run.
 */
static int16_t depth_at[LIMEN_FILTER_INSNS + 1] LIMEN_COLD_BSS;

static int check_stack(void)
{
	int cur = 0;

	for (uint32_t pc = 0; pc <= fp.ninsn; pc++)
		depth_at[pc] = -1;
	for (uint32_t pc = 0; pc < fp.ninsn; pc++) {
		const struct limen_finsn *in = &fp.insn[pc];
		int pop, push;

		if (depth_at[pc] >= 0 && depth_at[pc] != cur)
			return 0;
		depth_at[pc] = (int16_t)cur;
		if (!stack_effect(in->op, &pop, &push) || cur < pop ||
		    cur - pop + push > (int)LIMEN_FILTER_STACK)
			return 0;
		if (in->op == LIMEN_FOP_JFALSE || in->op == LIMEN_FOP_JTRUE) {
			uint32_t t = pc + in->b;

			/* lands on an instruction, with the value kept */
			if (t >= fp.ninsn ||
			    (depth_at[t] >= 0 && depth_at[t] != cur))
				return 0;
			depth_at[t] = (int16_t)cur;
		}
		if (in->op == LIMEN_FOP_END && cur != 1)
			return 0;
		cur = in->op == LIMEN_FOP_END ? 0 : cur - pop + push;
	}
	return 1;
}

/* A program starts where the stack is empty */
static int valid_prog(uint32_t pc)
{
	return pc == LIMEN_FILTER_NONE || (pc < fp.ninsn && depth_at[pc] == 0);
}

/* Every operand in bounds, every jump forward and inside the program,
   every stack depth known (check_stack). */
static int validate(void)
{
	if (fp.magic != LIMEN_FILTER_MAGIC || fp.size != sizeof(fp) ||
	    fp.ninsn > LIMEN_FILTER_INSNS || fp.nstr > LIMEN_FILTER_STRS ||
	    fp.nrules > LIMEN_FILTER_RULES ||
	    (uint32_t)fp.pset_off + fp.pset_len > fp.nstr)
		return 0;
	for (uint32_t pc = 0; pc < fp.ninsn; pc++) {
		const struct limen_finsn *in = &fp.insn[pc];

		switch (in->op) {
		case LIMEN_FOP_ARG:
			if (in->a >= 6 || in->b >= LIMEN_FARG_NW)
				return 0;
			break;
		case LIMEN_FOP_TASK:
			if (in->a > 1)
				return 0;
			break;
		case LIMEN_FOP_JFALSE:
		case LIMEN_FOP_JTRUE:
			if (in->b < 1)
				return 0;
			break;
		case LIMEN_FOP_STREQ:
		case LIMEN_FOP_GLOB:
			if (in->a >= 6 || in->imm < 0 ||
			    (uint32_t)in->b + (uint32_t)in->imm > fp.nstr)
				return 0;
			break;
		case LIMEN_FOP_PATHSET:
			if (in->a >= 64 || in->b >= 64)
				return 0;
			break;
		default:
			if (in->op >= LIMEN_FOP_NOPS)
				return 0;
		}
	}
	if (!check_stack())
		return 0;
	for (uint32_t i = 0; i < LIMEN_FILTER_NR; i++) {
		const struct limen_fsys *s = &fp.sys[i];

		if (!valid_prog(s->prog) || !valid_prog(s->when) ||
		    s->inject > fp.nrules ||
		    s->counter > 1 || (s->counter && i >= LIMEN_NSYSENT) ||
		    s->paths >= 64 ||
		    (s->counter && !s->inject))
			return 0;
	}
	for (uint32_t i = 0; i < fp.nrules; i++) {
		const struct limen_frule *r = &fp.rules[i];

		if (r->first < 1 || (r->last && r->last < r->first) ||
		    ((r->flags & LIMEN_RULE_SYSCALL) &&
		     r->scno >= LIMEN_FILTER_NR) ||
		    ((r->flags & LIMEN_RULE_SIGNAL) &&
		     (r->signo < 1 || r->signo >= LIMEN_NSIG)) ||
		    ((r->flags & LIMEN_RULE_ERROR) &&
		     (r->retval < -4095 || r->retval > -1)))
			return 0;
	}
	return 1;
}

static int in_pset(const char *s, uint32_t n);

/* limen_proc_numbers over /proc/self/fd: fd tracked if it is open on one
   of -P's paths */
static int inherited_fd(void *ctx, long fd, const char *fname, long dir)
{
	static char link[4096] LIMEN_COLD_BSS;
	char name[32] = "/proc/self/fd/";
	long k;

	(void)ctx;
	if (fd == dir || (unsigned long)fd >= PFD_MAX)
		return 0;
	for (k = 0; fname[k] && 14 + k < (long)sizeof(name) - 1; k++)
		name[14 + k] = fname[k];
	name[14 + k] = 0;
	k = limen_sys4(SYS_readlinkat, AT_FDCWD, name, link, sizeof(link));
	if (k > 0 && k < (long)sizeof(link) && in_pset(link, (uint32_t)k))
		fd_set_tracked(fd, 1);
	return 0;
}

/*
 * -P: the fds this image inherited open on one of its paths (an execve
 * keeps the fds without O_CLOEXEC, and the table of the image before is
 * gone): what /proc/self/fd says they are. Runs in the constructor, before
 * the program; the link's buffer is static, the signal stack is not in use.
 */
static void inherited_fds(void)
{
	limen_proc_numbers("/proc/self/fd", inherited_fd, 0);
}

void limen_filter_load(const void *area)
{
	const struct limen_filter *shared = area;

	limen_filter_on = 0;
	if (__atomic_load_n(&shared->magic, __ATOMIC_ACQUIRE) !=
	    LIMEN_FILTER_MAGIC)
		return;
	memcpy(&fp, shared, sizeof(fp));
	if (!validate())
		return;
	limen_filter_on = 1;
	if (fp.pset_len)
		inherited_fds();
}

/* The string args[i] points to, into fc->buf; 0 if it cannot be read or
   does not fit. */
static int load_str(struct limen_fcall *fc, const long *a, int i, int *used)
{
	uint32_t room = LIMEN_FSTR_BYTES - (uint32_t)*used, got = 0;
	char *dst = fc->buf + *used;

	while (got < room) {
		/* up to the end of the page: the next one may be unmapped */
		uint64_t src = (uint64_t)a[i] + got;
		uint32_t n = 4096 - (uint32_t)(src & 4095);
		long r;

		if (n > room - got)
			n = room - got;
		r = limen_safe_read(dst + got, src, n);
		if (r <= 0)
			return 0;
		for (uint32_t k = got; k < got + (uint32_t)r; k++)
			if (!dst[k]) {
				fc->off[i] = (uint16_t)*used;
				fc->len[i] = (uint16_t)k;
				fc->loaded |= 1u << i;
				*used += (int)k + 1;
				return 1;
			}
		got += (uint32_t)r;
	}
	return 0;
}

/* Copy the strings mask names; with stable inputs the call uses them. */
static void load_strs(struct limen_fcall *fc, long *a, unsigned mask)
{
	int used = 0;

	for (int i = 0; i < 6; i++) {
		if (!(mask & (1u << i)) || (fc->loaded & (1u << i)))
			continue;
		if (load_str(fc, a, i, &used) &&
		    (fp.flags & LIMEN_FILTER_STABLE))
			a[i] = (long)(uintptr_t)(fc->buf + fc->off[i]);
	}
}

/* fnmatch without flags: '*' matches any bytes ('/' too), '?' one byte,
   [...] a set ([!...] or [^...] its complement, a-z ranges), '\' quotes.
   One backtracking point: linear in practice, quadratic at worst. */
static int set_match(const char *p, const char *pe, unsigned char c,
		     const char **after)
{
	int neg = 0, hit = 0;
	const char *q = p;

	if (q < pe && (*q == '!' || *q == '^')) {
		neg = 1;
		q++;
	}
	for (int first = 1; q < pe && (first || *q != ']'); first = 0) {
		unsigned char lo = (unsigned char)*q++, hi = lo;

		if (lo == '\\' && q < pe)
			lo = hi = (unsigned char)*q++;
		if (q + 1 < pe && *q == '-' && q[1] != ']') {
			hi = (unsigned char)q[1];
			q += 2;
		}
		if (c >= lo && c <= hi)
			hit = 1;
	}
	if (q >= pe)
		return -1; /* no closing ']': the '[' is literal */
	*after = q + 1;
	return hit != neg;
}

static int glob(const char *p, const char *pe, const char *s, const char *se)
{
	const char *star_p = 0, *star_s = 0;

	while (s < se) {
		const char *next;
		int m;

		if (p < pe && *p == '*') {
			star_p = ++p;
			star_s = s;
			continue;
		}
		if (p < pe && *p == '?') {
			p++;
			s++;
			continue;
		}
		if (p < pe && *p == '[' &&
		    (m = set_match(p + 1, pe, (unsigned char)*s, &next)) >= 0) {
			if (m) {
				p = next;
				s++;
				continue;
			}
		} else if (p < pe) {
			const char *q = p;

			if (*q == '\\' && q + 1 < pe)
				q++;
			if (*q == *s) {
				p = q + 1;
				s++;
				continue;
			}
		}
		if (!star_p)
			return 0;
		p = star_p;
		s = ++star_s;
	}
	while (p < pe && *p == '*')
		p++;
	return p == pe;
}

static int str_eq(const char *a, uint32_t na, const char *b, uint32_t nb)
{
	if (na != nb)
		return 0;
	for (uint32_t i = 0; i < na; i++)
		if (a[i] != b[i])
			return 0;
	return 1;
}

/* One of -P's paths (NUL-separated in the pool). */
static int in_pset(const char *s, uint32_t n)
{
	const char *p = fp.str + fp.pset_off, *end = p + fp.pset_len;

	while (p < end) {
		const char *q = p;

		while (q < end && *q)
			q++;
		if (str_eq(p, (uint32_t)(q - p), s, n))
			return 1;
		p = q + 1;
	}
	return 0;
}

static int pathset_fds(const long *a, unsigned fds)
{
	for (int i = 0; i < 6; i++)
		if ((fds & (1u << i)) && fd_tracked((int)a[i]))
			return 1;
	return 0;
}

static int pathset(struct limen_fcall *fc, const long *a, unsigned paths,
		   unsigned fds)
{
	for (int i = 0; i < 6; i++) {
		if ((paths & (1u << i)) && (fc->loaded & (1u << i)) &&
		    in_pset(fc->buf + fc->off[i], fc->len[i]))
			return 1;
		if ((fds & (1u << i)) && fd_tracked((int)a[i]))
			return 1;
	}
	return 0;
}

static int status_of(long nr, long ret, int at_exit)
{
	const struct limen_sysent *se = limen_sysent_get((unsigned long)nr);

	if (se && se->ret == LIMEN_RET_NONE)
		return LIMEN_FST_UNFINISHED;
	if (!at_exit) /* execve: decided at entry, either result */
		return LIMEN_FST_SUCCESSFUL | LIMEN_FST_FAILED;
	return limen_is_err(ret) ? LIMEN_FST_FAILED : LIMEN_FST_SUCCESSFUL;
}

/* Run the program at pc: 1 keeps the call, 0 rejects it, -1: it ran
   off the end. Forward jumps only: at most ninsn steps. The stack cannot
   overflow or underflow: validate proved every depth (check_stack). */
/* The kernel's ids, asked each time: limen_tls's copies lag behind a
   fork until the child's first record */
static int64_t task_id(int tid)
{
	return limen_sys0(tid ? SYS_gettid : SYS_getpid);
}

static int eval(uint32_t pc, struct limen_fcall *fc, long nr, const long *a,
		long ret, int at_exit)
{
	int64_t st[LIMEN_FILTER_STACK + 1];
	int64_t *sp = st; /* the next free slot */

	for (; pc < fp.ninsn; pc++) {
		const struct limen_finsn *in = &fp.insn[pc];

		switch (in->op) {
		case LIMEN_FOP_END:
			return sp[-1] != 0;
		case LIMEN_FOP_CONST:
			*sp++ = in->imm;
			break;
		case LIMEN_FOP_SHL32OR:
			sp[-1] = (int64_t)((uint64_t)sp[-1] << 32 |
					   (uint32_t)in->imm);
			break;
		case LIMEN_FOP_ARG:
			*sp++ = in->b == LIMEN_FARG_S32 ? (int32_t)a[in->a] :
				in->b == LIMEN_FARG_U32 ? (uint32_t)a[in->a] :
				a[in->a];
			break;
		case LIMEN_FOP_TASK:
			*sp++ = task_id(in->a);
			break;
		case LIMEN_FOP_RET:
			*sp++ = at_exit ? ret : 0;
			break;
		case LIMEN_FOP_STATUS:
			*sp++ = (status_of(nr, ret, at_exit) & in->imm) != 0;
			break;
		case LIMEN_FOP_EQ: sp--; sp[-1] = sp[-1] == *sp; break;
		case LIMEN_FOP_NE: sp--; sp[-1] = sp[-1] != *sp; break;
		case LIMEN_FOP_LT: sp--; sp[-1] = sp[-1] < *sp; break;
		case LIMEN_FOP_LE: sp--; sp[-1] = sp[-1] <= *sp; break;
		case LIMEN_FOP_GT: sp--; sp[-1] = sp[-1] > *sp; break;
		case LIMEN_FOP_GE: sp--; sp[-1] = sp[-1] >= *sp; break;
		case LIMEN_FOP_BAND: sp--; sp[-1] = sp[-1] & *sp; break;
		case LIMEN_FOP_NOT:
			sp[-1] = !sp[-1];
			break;
		case LIMEN_FOP_JFALSE:
		case LIMEN_FOP_JTRUE:
			if ((sp[-1] != 0) == (in->op == LIMEN_FOP_JTRUE))
				pc += in->b - 1u; /* the loop adds one */
			else
				sp--;
			break;
		case LIMEN_FOP_STREQ:
		case LIMEN_FOP_GLOB: {
			int hit = 0;

			/* a string that could not be read matches nothing */
			if (fc && (fc->loaded & (1u << in->a))) {
				const char *s = fc->buf + fc->off[in->a];
				const char *p = fp.str + in->b;

				hit = in->op == LIMEN_FOP_STREQ ?
					str_eq(s, fc->len[in->a], p,
					       (uint32_t)in->imm) :
					glob(p, p + in->imm, s,
					     s + fc->len[in->a]);
			}
			*sp++ = hit;
			break;
		}
		case LIMEN_FOP_PATHSET:
			*sp++ = fc ? pathset(fc, a, in->a, in->b) :
				     pathset_fds(a, in->b);
			break;
		default:
			return -1;
		}
	}
	return -1;
}

static int is_open(long nr)
{
	return nr == SYS_open || nr == SYS_openat || nr == SYS_openat2 ||
	       nr == SYS_creat;
}

static int path_arg(long nr)
{
	return nr == SYS_openat || nr == SYS_openat2 ? 1 : 0;
}

/* An EXIT (or ENTER) as limen_record_sys writes it, with flags. */
static void rec(uint16_t type, long nr, const long *a, long ret,
		uint16_t flags)
{
	limen_record_sys_flags(type, nr, a, ret, 0, flags);
}

/* The calling thread's counters, and the thread id they belong to */
static struct counters *my_counters(int32_t *tid)
{
	struct counters *k;

	if (limen_tls.vfork_child) {
		*tid = (int32_t)limen_sys0(SYS_gettid);
		return &cnt_vfork;
	}
	k = gs_counters();
	return k ? k : &cnt_nomap;
}

/*
 * strace's tracee keeps its when= counts across execve (the same tracee
 * goes on in the new image), so the calling thread's counts go with the
 * execve, in the environment (exec.c), as "LIMEN_WHEN=C.LEFT,...": each
 * call number counted and the calls it saw (folded). The session
 * and its filter are the same on the other side, so are the indices.
 * Returns the length written (0: nothing started, no variable).
 */
size_t limen_filter_when_note(char *out, size_t cap)
{
	int32_t tid = limen_tls.tid;
	struct counters *k;

	if (!limen_filter_on)
		return 0;
	k = my_counters(&tid);
	if (k->tid != tid)
		return 0;
	return limen_when_note_write(out, cap, k->seen, LIMEN_NSYSENT);
}

/* The new image's first thread takes the counts its execve carried. */
void limen_filter_when_restore(const char *v)
{
	int32_t tid = (int32_t)limen_sys0(SYS_gettid);
	struct counters *k;
	uint64_t num[2];

	if (!v || !limen_filter_on)
		return;
	k = my_counters(&tid);
	k->tid = tid;
	memset(k->seen, 0, sizeof(k->seen));
	while (*v) {
		for (int i = 0; i < 2; i++) {
			num[i] = 0;
			if (*v < '0' || *v > '9')
				return;
			while (*v >= '0' && *v <= '9' && num[i] <= UINT32_MAX)
				num[i] = num[i] * 10 + (uint64_t)(*v++ - '0');
			if (*v++ != (i ? ',' : '.'))
				return;
		}
		if (num[0] >= LIMEN_NSYSENT)
			return;
		/* folded as counted() folds: no value the runtime writes
		   is larger, and the note's room counts on it */
		if (num[1] > LIMEN_WHEN_SEEN_MAX)
			num[1] = LIMEN_WHEN_SEEN_MAX;
		k->seen[num[0]] = (uint32_t)num[1];
	}
}

/* when=first[..last]+step, counted per thread and per system call as
   strace counts (its counters are per tracee, copied fresh for a new
   one): the Nth call is injected if first <= N <= last and step divides
   N - first (step 0: N == first only) */
static int counted(struct limen_fcall *fc, long nr, const struct limen_fsys *s,
		   const struct limen_frule *r)
{
	struct counters *k;
	int32_t tid = limen_tls.tid;
	uint32_t n;

	if (!s->counter)
		return 1;
	if ((unsigned long)nr >= LIMEN_NSYSENT)
		return 0;       /* never: the program was checked */
	k = my_counters(&tid);
	if (k->tid != tid) {
		k->tid = tid;
		memset(k->seen, 0, sizeof(k->seen));
	}
	/* what limen_filter_exit puts back if the call is not made */
	fc->cnt_idx = (int16_t)nr;
	fc->cnt_seen = k->seen[nr];
	n = k->seen[nr] + 1;
	/* folded: past last, or past first with no step, nothing more is
	   injected; with a step only N - first modulo step matters */
	if (r->last && n > r->last)
		n = r->last + 1;
	else if (!r->step && n > r->first)
		n = r->first + 1;
	else if (!r->last && r->step && n >= r->first + r->step)
		n = r->first + (n - r->first) % r->step;
	k->seen[nr] = n;
	return n >= r->first && (!r->last || n <= r->last) &&
	       (r->step ? (n - r->first) % r->step == 0 : n == r->first);
}

/* An ENTER written by the filter, as limen_sigsys writes one: with the
   call site (-i) and followed by the stack (-k). */
static void enter_rec(struct limen_fcall *fc, long nr, const long *a)
{
	int stack = fc->uc && (limen_rt.ctl->flags & LIMEN_CTL_STACK);

	/* an exit's before its entry, as limen_sigsys's */
	if (stack && limen_stack_first(nr))
		limen_capture_stack(nr, a, fc->uc);
	rec(LIMEN_REC_ENTER, nr, a, fc->site,
	    limen_filter_replaces(fc) ? LIMEN_RECF_REPLACED : 0);
	if (stack && !limen_stack_first(nr))
		limen_capture_stack(nr, a, fc->uc);
}

int limen_filter_enter(struct limen_fcall *fc, long nr, long *a, int sel)
{
	const struct limen_fsys *s;
	unsigned paths;
	int keep;

	fc->sel = (uint8_t)sel;
	fc->defer = fc->inject = fc->entered = fc->replaced = 0;
	fc->loaded = fc->pmatch = 0;
	fc->cnt_idx = -1;
	if ((unsigned long)nr >= LIMEN_FILTER_NR)
		return sel;
	s = &fp.sys[nr];
	paths = s->paths;
	/* -P follows the fds opened on its paths, selected or not */
	if (fp.pset_len && is_open(nr))
		paths |= 1u << path_arg(nr);
	if (paths)
		load_strs(fc, a, paths);
	if (fp.pset_len && is_open(nr) && (fc->loaded & (1u << path_arg(nr))))
		fc->pmatch = (uint8_t)in_pset(fc->buf + fc->off[path_arg(nr)],
					      fc->len[path_arg(nr)]);
	if (s->inject) {
		const struct limen_frule *r = &fp.rules[s->inject - 1];

		if ((s->when == LIMEN_FILTER_NONE ||
		     eval(s->when, fc, nr, a, 0, 0) == 1) &&
		    counted(fc, nr, s, r))
			fc->inject = s->inject;
	}
	if (!sel)
		return 0;
	if (s->prog == LIMEN_FILTER_NONE) {
		keep = 1;
	} else if (s->flags & LIMEN_FSYS_AT_EXIT) {
		fc->defer = 1;
		return 0;
	} else {
		keep = eval(s->prog, fc, nr, a, 0, 0) != 0;
	}
	if (keep && fc->inject) {
		/* its exit says INJECTED: written here and by
		   limen_filter_exit, not by the handler */
		enter_rec(fc, nr, a);
		fc->entered = 1;
		return 0;
	}
	return keep;
}

static void delay(uint64_t ns)
{
	struct timespec ts = { (time_t)(ns / 1000000000u),
			       (long)(ns % 1000000000u) };

	/* a signal ends it early, as it ends strace's delay */
	if (!limen_tls.strict)
		limen_sys2(SYS_nanosleep, &ts, 0);
}

/* -e inject=...:error= or :retval=: limen_filter_tamper will answer for
   the call, which is not made (an exit_group then returns, and does not
   end the process: its ENTER says so, and no bookkeeping is needed) */
int limen_filter_replaces(const struct limen_fcall *fc)
{
	return fc->inject && (fp.rules[fc->inject - 1].flags &
			      (LIMEN_RULE_ERROR | LIMEN_RULE_RETVAL));
}

int limen_filter_tamper(struct limen_fcall *fc, long nr, long *ret)
{
	const struct limen_frule *r;

	if (!fc->inject)
		return 0;
	r = &fp.rules[fc->inject - 1];
	if (r->flags & LIMEN_RULE_DELAY_ENTER)
		delay(r->delay_enter_ns);
	if (!(r->flags & (LIMEN_RULE_ERROR | LIMEN_RULE_RETVAL)))
		return 0;
	/* syscall=: strace makes this call (a pure one: the collector
	   checked) in place of the one it answers for, so the kernel sees
	   it (seccomp, audit, raw_syscalls); its result is not the answer */
	if (r->flags & LIMEN_RULE_SYSCALL)
		limen_sys0(r->scno);
	*ret = r->retval;
	fc->replaced = 1;
	return 1;
}

/* -P: the fd table after the call */
static void track_fds(struct limen_fcall *fc, long nr, const long *a,
		      long ret)
{
	if (limen_is_err(ret)) {
		if (nr == SYS_close)
			fd_set_tracked(a[0], 0);
		return;
	}
	switch (nr) {
	case SYS_open:
	case SYS_openat:
	case SYS_openat2:
	case SYS_creat:
		fd_set_tracked(ret, fc->pmatch);
		return;
	case SYS_dup:
		fd_set_tracked(ret, fd_tracked(a[0]));
		return;
	case SYS_dup2:
	case SYS_dup3:
		if (a[0] != a[1])
			fd_set_tracked(a[1], fd_tracked(a[0]));
		return;
	case SYS_fcntl:
		if (a[1] == F_DUPFD || a[1] == F_DUPFD_CLOEXEC)
			fd_set_tracked(ret, fd_tracked(a[0]));
		return;
	case SYS_close:
		fd_set_tracked(a[0], 0);
		return;
	case SYS_close_range:
		if (!((unsigned long)a[2] & CLOSE_RANGE_CLOEXEC))
			for (unsigned long fd = (unsigned long)a[0];
			     fd <= (unsigned long)a[1] && fd < PFD_MAX; fd++)
				fd_set_tracked((long)fd, 0);
		return;
	}
	{
		const struct limen_sysent *se =
			limen_sysent_get((unsigned long)nr);

		/* any other new fd is not on a -P path */
		if (se && se->ret == LIMEN_RET_FD)
			fd_set_tracked(ret, 0);
	}
}

/* Put back what counted() took for a call that was not made. */
static void uncount(const struct limen_fcall *fc)
{
	uint32_t c = (uint32_t)fc->cnt_idx;
	int32_t tid = limen_tls.tid;
	struct counters *k = my_counters(&tid);

	if (k->tid != tid || c >= LIMEN_NSYSENT)
		return;
	k->seen[c] = fc->cnt_seen;
}

void limen_filter_exit(struct limen_fcall *fc, long nr, const long *a,
		       long ret)
{
	const struct limen_frule *r =
		fc->inject ? &fp.rules[fc->inject - 1] : 0;
	uint16_t flags = 0;
	int child = ret == 0 && (nr == SYS_clone || nr == SYS_clone3 ||
				 nr == SYS_fork || nr == SYS_vfork);

	if (ret == LIMEN_RET_DEFERRED) {
		/* not made: made again after the signal handlers, and
		   counted for when= then, once, as strace counts it */
		if (fc->cnt_idx >= 0)
			uncount(fc);
		if (fc->entered)
			limen_record_unmade(nr, a, 0);
		return;
	}
	if (fp.pset_len && !child)
		track_fds(fc, nr, a, ret);
	if (r && (r->flags & LIMEN_RULE_DELAY_EXIT))
		delay(r->delay_exit_ns);
	if (fc->replaced)
		flags |= LIMEN_RECF_INJECTED;
	if (r && (r->flags & (LIMEN_RULE_DELAY_ENTER | LIMEN_RULE_DELAY_EXIT)))
		flags |= LIMEN_RECF_DELAYED;
	if (fc->entered && !child) {
		rec(LIMEN_REC_EXIT, nr, a, ret, flags);
	} else if (fc->defer && !child &&
		   eval(fp.sys[nr].prog, fc, nr, a, ret, 1) != 0) {
		/* decided now: the entry and the exit together */
		enter_rec(fc, nr, a);
		rec(LIMEN_REC_EXIT, nr, a, ret, flags);
	}
	/* strace delivers it as the call returns, as the kernel's own
	   (SI_KERNEL, which a process may queue to itself) */
	if (r && (r->flags & LIMEN_RULE_SIGNAL) && !limen_tls.strict) {
		uint8_t info[128];
		siginfo_t *si = (siginfo_t *)info;

		memset(info, 0, sizeof(info));
		si->si_signo = r->signo;
		si->si_code = SI_KERNEL;
		limen_sys4(SYS_rt_tgsigqueueinfo, limen_sys0(SYS_getpid),
			   limen_sys0(SYS_gettid), r->signo, info);
	}
}

int limen_filter_plain(long nr, const long *a, long ret)
{
	uint16_t pc;

	if ((unsigned long)nr >= LIMEN_FILTER_NR)
		return 1;
	pc = fp.sys[nr].prog;
	return pc == LIMEN_FILTER_NONE || eval(pc, 0, nr, a, ret, 1) != 0;
}

int limen_filter_signal(int sig)
{
	if (!(fp.flags & LIMEN_FILTER_SIGNALS) || sig < 1 || sig > 64)
		return 1;
	return (fp.sigmask >> (sig - 1)) & 1;
}

/*
 * Whether the loaded filter acts on, or must see, a call nr that -e trace=
 * does not select (lean.c: every other number may take the lean path,
 * where the filter is not asked). Unselected, limen_filter_enter and
 * limen_filter_exit do three things only: a rule of -e inject= (its
 * when= counts, its when={EXPR}, the injection, its delays and signal);
 * -P's descriptor table (track_fds: the opens, dup, dup2, dup3, fcntl,
 * close, close_range, and any other call returning a new fd, which
 * clears a number reused); and the private copy of a path argument the
 * call is made on, which the kernel reads the same. A selected number's
 * decision (prog, at entry or exit) is the full path's already: fast.S
 * reads the live ctl->trace_mask first. Reads only the validated copy,
 * in bounds for any nr: a bogus program in the session was refused by
 * limen_filter_load (filter off: nothing needed) and cannot make this
 * read outside fp.
 */
int limen_filter_needs(long nr)
{
	const struct limen_sysent *se;

	if (!limen_filter_on)
		return 0;
	if ((unsigned long)nr >= LIMEN_FILTER_NR)
		return 1; /* never asked: fast.S's numbers are below */
	if (fp.sys[nr].inject)
		return 1;
	if (!fp.pset_len)
		return 0;
	switch (nr) {
	case SYS_open:
	case SYS_openat:
	case SYS_openat2:
	case SYS_creat:
	case SYS_dup:
	case SYS_dup2:
	case SYS_dup3:
	case SYS_fcntl:
	case SYS_close:
	case SYS_close_range:
		return 1;
	}
	se = limen_sysent_get((unsigned long)nr);
	return se && se->ret == LIMEN_RET_FD;
}
