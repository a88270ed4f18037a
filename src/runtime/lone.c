/* SPDX-License-Identifier: MIT */
/*
 * The clock of a thread alone in the session.
 *
 * A record's stamp (limen_now) serves two ends in the collector: the
 * times it shows or counts (-t, -r, -T, -c, --latency, the sinks that
 * write times, the flight recorder, limen record) and the order in which
 * the records of different threads and processes are merged. When the
 * collector needs no time (LIMEN_CTL_NO_TIME: set by the options,
 * session.c), only the order is left, and with one thread alive in the
 * whole session there is no other ring to merge with: its records may
 * take a counter instead of RDTSC (about 9 ns a read here, two reads a
 * recorded call).
 *
 * The count. ctl->live holds the threads of the session that may write a
 * record (bits 0-31), and a generation bumped at every increment (bits
 * 32-63). A thread is counted
 *   - by its image's runtime at start (limen_lone_start, before its
 *     first record), whoever made the process: the collector's spawn, an
 *     untraced parent, an execve;
 *   - by the thread that makes it, BEFORE the clone, fork or vfork
 *     (limen_lone_clone; taken back if the call fails).
 * It takes itself off ("parks", limen_lone_park) when it writes no record
 * for a while:
 *   - at exit (after limen_thread_done: no record after that) and
 *     exit_group (after its entry record, just before the call);
 *   - across execve (the new image counts it again; a failed execve
 *     unparks);
 *   - across wait4 and waitid (limen_lone_wait): a parent waiting for
 *     its child would keep the child from ever being alone.
 * A parked thread that writes a record after all (a signal's record, a
 * note) counts itself again first (limen_now -> limen_lone_now ->
 * limen_lone_unpark): whatever stamps a record is counted. A thread that
 * dies otherwise (killed, or the other threads at exit_group or execve)
 * stays counted: the count is then too high, which only keeps the real
 * clock from then on.
 *
 * What else reads a stamp: the collector's test of a call blocked for
 * 200 ms (collector.c, limen_collector_stale) counts, under
 * LIMEN_CTL_NO_TIME, from when a drain took the entry, since a counter
 * stamp lags the clock by the length of the stretch.
 *
 * The clock. While the count is 1 the thread reading it is the only one
 * that may stamp a record. At the first record of such a stretch it reads
 * RDTSC (after the count: LFENCE) as base and keeps ctl->live's word;
 * each further record takes base + 1, + 2..., as long as the word is the
 * same one. A changed word (any increment bumps the generation, a park
 * lowers the count) ends the stretch: the next record reads the count
 * again, and the real clock if it is not 1.
 *
 * Why the order is the real clock's. Two facts:
 *   (F1) a counter stamp is never ahead of the real time at which it is
 *        taken: base is a real reading, and between two records of a
 *        thread far more than one tick passes (a record costs tens of
 *        nanoseconds, a tick is under a nanosecond);
 *   (F2) within a thread, stamps rise in the order they are taken, as
 *        RDTSC's do (the counter from a base read after every earlier
 *        stamp of the thread, F1), so a thread's own records sort as
 *        with the real clock, including a signal handler's records taken
 *        while another record was being filled.
 * Let X be a counter-stamped record of thread A, from a stretch whose
 * base B was read after the count was seen at 1, and Y a record of
 * another thread C.
 *   - Y before X (Y's stamp taken, then something that makes X happen
 *     after it): C was counted when it stamped Y (every stamper is
 *     counted). For the count to read 1 at B, C must have parked or be
 *     parked: C's park comes after Y (a park is after the thread's last
 *     record; a record after it unparks first, which changes the word).
 *     If C parked before A read the count for B, Y's stamp < park <
 *     count read < B <= X (the park's locked instruction waits for
 *     Y's store of its stamp; LFENCE keeps B after the read). If C
 *     stamped Y after A's read (C unparked or was added: the word
 *     changed), then X, happening after Y, reads the changed word at its
 *     stamp (the acquire load, after whatever made X follow Y) and takes
 *     the real clock: not a counter stamp, a contradiction.
 *   - X before Y: stamp(X) <= real time of X (F1) < real time of Y <=
 *     stamp(Y) if Y's is real; if Y's is a counter stamp of C's own
 *     stretch, C's base was read after C saw the count at 1, which means
 *     A had parked (or changed the word) before then, after X: X < B_C.
 * Cases, each an instance of the above:
 *   - a new thread's first records vs its parent's clone exit: the
 *     parent counts the child and bumps the word before the clone; its
 *     clone entry record is stamped before the call, the child's first
 *     record (real: count 2) after it; the parent's exit record reads
 *     the changed word: real.
 *   - a fork child: counted by its parent before the fork; it inherits
 *     a copy of the parent's state with lone_word reset
 *     (limen_lone_clone clears it first): its first record reads the
 *     count.
 *   - a thread that exits while another goes on: it parks after its
 *     last record; the other sees 1 only after that, and its base is
 *     read later still.
 *   - execve: parked across the call, counted again by the new image
 *     before its first record; a failed execve counts it back before
 *     its exit record.
 *   - vfork (and posix_spawn's CLONE_VM|CLONE_VFORK): the child runs on
 *     the parent's TLS while the parent sleeps; the child's park (at its
 *     exec or exit) is left in that TLS, and the parent, once back,
 *     drops the mark without counting (limen_lone_vfork_back): the
 *     child's count was taken off by its park, its new image counted
 *     itself.
 *   - a CLONE_VM thread that shares our TLS (limen_rt.shared_tls): the
 *     real clock, always (the per-thread state would be shared).
 *   - records stamped with RDTSC elsewhere: user events the program
 *     emits itself (the process keeps the real clock once it asks for
 *     them, limen_lone_off), a note (limen_lone_real: unparked first,
 *     and the next record takes a new base).
 *   - a program writing into ctl->live: only the count can be wrong,
 *     and with it the order of that session's records, never more; the
 *     collector still reads every record through its checks, and its
 *     bounds (drain, next_tsc) hold any value.
 */
#include "rt.h"

#define LONE_ADD ((1ull << 32) + 1) /* one more, and a new generation */

static void lone_add(struct limen_ctl *c)
{
	__atomic_add_fetch(&c->live, LONE_ADD, __ATOMIC_SEQ_CST);
}

static void lone_sub(struct limen_ctl *c)
{
	__atomic_sub_fetch(&c->live, 1, __ATOMIC_SEQ_CST);
}

/* The runtime starts in a new image, before its first record. */
void limen_lone_start(void)
{
	struct limen_ctl *c = limen_rt.ctl;

	if (!c)
		return;
	lone_add(c);
	limen_rt.notime = !!(c->flags & LIMEN_CTL_NO_TIME);
}

/* Before a clone, fork or vfork: the child is counted before it can run. */
void limen_lone_clone(void)
{
	struct limen_ctl *c = limen_rt.ctl;

	limen_tls.lone_word = 0; /* a fork child's copy too */
	if (c)
		lone_add(c);
}

/* No child after all. */
void limen_lone_clone_failed(void)
{
	struct limen_ctl *c = limen_rt.ctl;

	if (c)
		lone_sub(c);
}

/* A vfork parent awake again: its child ran on this TLS and may have
   parked there (its exec, its exit); the child's count, not ours. */
void limen_lone_vfork_back(void)
{
	limen_tls.lone_parked = 0;
	limen_tls.lone_word = 0;
}

/* The thread writes no record until it unparks (or ever). The
   exchange: a CLONE_VM thread sharing the TLS parks at most once for
   both, so the count is short by exactly the mark. */
void limen_lone_park(void)
{
	struct limen_ctl *c = limen_rt.ctl;

	limen_tls.lone_word = 0;
	if (c && !__atomic_exchange_n(&limen_tls.lone_parked, 1,
				      __ATOMIC_SEQ_CST))
		lone_sub(c);
}

void limen_lone_unpark(void)
{
	struct limen_ctl *c = limen_rt.ctl;

	if (c && __atomic_exchange_n(&limen_tls.lone_parked, 0,
				     __ATOMIC_SEQ_CST))
		lone_add(c);
}

/*
 * The process stamps records with the real clock from now on: user
 * events emitted by the program's own code (include/limen/uevent.h) read
 * RDTSC themselves, and a counter stamp after one would sort before it.
 * The counter stamps before it are not ahead of it (F1).
 */
void limen_lone_off(void)
{
	limen_rt.notime = 0;
	limen_tls.lone_word = 0;
}

/* Before a record stamped with RDTSC outside limen_now (a note, which
   execve's hook may write while parked): whatever stamps is counted, and
   the next counter stamp takes a new base after this one. */
void limen_lone_real(void)
{
	limen_lone_unpark();
	limen_tls.lone_word = 0;
}

/* limen_now's way when the word changed or no stretch is open. */
uint64_t limen_lone_now(void)
{
	struct limen_ctl *c = limen_rt.ctl;
	uint64_t w;

	limen_tls.lone_word = 0;
	if (!c)
		return limen_rdtsc();
	if (__atomic_load_n(&limen_tls.lone_parked, __ATOMIC_RELAXED))
		limen_lone_unpark();
	w = __atomic_load_n(&c->live, __ATOMIC_ACQUIRE);
	if ((uint32_t)w != 1 || limen_rt.shared_tls)
		return limen_rdtsc();
	/* the base is read after the count: RDTSC waits for the load */
	__asm__ volatile("lfence" ::: "memory");
	limen_tls.lone_tsc = limen_rdtsc();
	limen_tls.lone_word = w;
	return limen_tls.lone_tsc;
}

/*
 * wait4, waitid: a parent waiting for its child (a shell, a wrapper that
 * times its command) makes no record until the call returns, and left
 * counted it would keep the child from ever being alone. Parked across
 * the call: its entry record is stamped before, its exit record after the
 * unpark (a record in between, a signal's, unparks first). On the quick
 * way only (quickrec.c): the full way is taken with what makes the
 * collector keep the clock anyway (a filter, -k, --uaccess), and a lean
 * wait (not selected) enters no runtime: not parked, only too high a
 * count.
 */
long limen_lone_wait(long nr, const long *a)
{
	long r;

	limen_lone_park();
	r = limen_app_syscall(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
	limen_lone_unpark();
	return r;
}
