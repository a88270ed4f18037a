/* SPDX-License-Identifier: MIT */
/*
 * The reference count of each user event across the traced tree, for
 * DIAG_IOCSDEL's (and "!u:NAME"'s) EBUSY: the kernel refuses to delete an
 * event while any process has it registered, each registration (an
 * enabler of the process's mm) holding a reference until it is
 * unregistered, or the process execs or exits, and each user_events file
 * that registered it one until the file is released (uevent_files.c: one
 * count per file, whichever processes have descriptors of it, taken away
 * when its last holder closes it or ends; limen_uev_file_ref).
 *
 * The session keeps refs[id], saturating (a count that reached the top
 * stays there: the event is never deleted rather than deleted in use),
 * and a table of holds, (process, event, count), so that the registrations
 * of a process that ended without unregistering are subtracted: the next
 * deleter finds it gone (no /proc/PID/stat, a zombie, or another start
 * time: the pid was reused) and takes its counts away. A fork child adds
 * the registrations it inherited (limen_uev_child), an exec'd image drops
 * those of the image before it (limen_uev_refs_exec). With the table
 * full, a registration saturates its event's count instead.
 *
 * An event goes with its last reference, as on Linux 6.5 and later
 * (user_event_put: the last put of an event registered without
 * USER_EVENT_REG_PERSIST schedules delayed_destroy_user_event, which
 * destroys it unless a registration found it meanwhile): here at once,
 * under the event table's lock (the kernel's event_mutex), when a count
 * drops to 0 and no tracer has the event (its `on` bit: the collector's
 * -e uevent=, an enable file; user_event_reg holds a reference while a
 * tracer has it). Events made through dynamic_events persist
 * (user_event_create registers them with USER_EVENT_REG_PERSIST). The
 * counts of processes that ended unseen are taken away, and their events
 * deleted, by limen_uev_reap before anyone could see them still there.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <sys/syscall.h>

#include "raw.h"
#include "rt.h"
#include "session/uevent_area.h"

static uint32_t me_tgid;
static uint64_t me_start;

/*
 * The state letter and start time (field 22) of process pid from
 * /proc/PID/stat: 0, or -ESRCH when it is gone, another error when /proc
 * cannot say.
 */
static int proc_stat(uint32_t pid, char *state, uint64_t *start)
{
	char path[24] = "/proc/", buf[1024], digits[12];
	uint32_t nd = 0, o = 6;
	long n;
	char *p = 0;
	int field = 3, helper;

	do
		digits[nd++] = (char)('0' + pid % 10);
	while ((pid /= 10));
	while (nd)
		path[o++] = digits[--nd];
	memcpy(path + o, "/stat", 6);
	n = limen_proc_read(path, buf, sizeof(buf), &helper);
	if (n == -ENOENT || n == -ESRCH)
		return -ESRCH; /* gone, or reaped between the open and the
				  read */
	if (n < 0)
		return (int)n;
	if (!n)
		return -EIO;
	/* the command name may hold anything: fields start after its ')' */
	for (long i = 0; i < n; i++)
		if (buf[i] == ')')
			p = buf + i + 1;
	if (!p || p[0] != ' ' || !p[1])
		return -EIO;
	*state = p[1];
	p++;
	*start = 0;
	while (*p && field < 22)
		if (*p++ == ' ')
			field++;
	while (*p >= '0' && *p <= '9')
		*start = *start * 10 + (uint64_t)(*p++ - '0');
	return 0;
}

static void who_am_i(void)
{
	char st;

	if (me_tgid)
		return;
	me_tgid = (uint32_t)limen_sys0(SYS_getpid);
	if (proc_stat(me_tgid, &st, &me_start) < 0)
		me_start = 0; /* no /proc: kill(pid, 0) tells gone ones */
}

/* The holder of h has ended (its registrations are gone with its mm). */
static int ended(const struct limen_uev_hold *h)
{
	char st = 0;
	uint64_t start = 0;
	int e = proc_stat(h->tgid, &st, &start);

	if (e == -ESRCH)
		return 1;
	if (e < 0)
		return limen_sys2(SYS_kill, (long)h->tgid, 0) == -ESRCH;
	return st == 'Z' || st == 'X' || (h->start && start != h->start);
}

/*
 * Take n of h's registrations (LIMEN_UEV_REF_MAX: all of them, its
 * process ended or exec'd) from the event's count: h's own, never the
 * other holders' (a count held by several processes loses only the
 * ended one's). A saturated hold cannot say how many it had: its event's
 * count saturates and stays, never deleted rather than deleted in use.
 */
static void sub(struct limen_uev_area *a, struct limen_uev_hold *h,
		uint32_t n)
{
	uint32_t id = (uint32_t)h->id, all = n == LIMEN_UEV_REF_MAX;

	if (all)
		n = h->n;
	if (id < LIMEN_UEVENT_MAX) {
		if (n == LIMEN_UEV_REF_MAX)
			a->refs[id] = LIMEN_UEV_REF_MAX;
		else if (a->refs[id] != LIMEN_UEV_REF_MAX)
			a->refs[id] = a->refs[id] > n ? a->refs[id] - n : 0;
	}
	if (h->n != LIMEN_UEV_REF_MAX)
		h->n -= n < h->n ? n : h->n;
	if (!h->n || all)
		h->tgid = 0;
}

/*
 * Event id has no reference left: unless it persists or a tracer has it,
 * it is deleted, as delayed_destroy_user_event does once user_event_put
 * dropped the last reference (reg_lock and hold_lock held: no
 * registration can find it meanwhile, as find_user_event under
 * event_mutex).
 */
static void put_last(struct limen_uev_area *a, uint32_t id)
{
	struct limen_uevent_ent *u = &a->uevents[id];

	if (a->refs[id] ||
	    __atomic_load_n(&u->state, __ATOMIC_ACQUIRE) !=
		    LIMEN_UEVENT_READY ||
	    (u->gen & LIMEN_UEV_PERSIST) || limen_uev_bit(a->on, id))
		return;
	limen_uev_forget(id);
	__atomic_store_n(&u->state, LIMEN_UEVENT_FREE, __ATOMIC_RELEASE);
}

/* Holds of processes that ended: subtracted (hold_lock held). */
static void reconcile(struct limen_uev_area *a)
{
	for (uint32_t i = 0; i < LIMEN_UEV_HOLDS; i++) {
		struct limen_uev_hold *h = &a->holds[i];

		if (h->tgid && h->tgid != me_tgid && ended(h))
			sub(a, h, LIMEN_UEV_REF_MAX);
	}
}

/* This process has one more (delta 1) or one less (-1) registration of
   event id. */
void limen_uev_ref(int32_t id, int delta)
{
	struct limen_ctl *c = limen_rt.ctl;
	struct limen_uev_hold *h = 0, *free = 0;

	if (!c || id < 0 || (uint32_t)id >= LIMEN_UEVENT_MAX)
		return;
	who_am_i();
	struct limen_uev_area *a = limen_uev_area(c);
	/* a put may be the last: the table's lock first, as for a delete
	   (the order everywhere: reg_lock, then hold_lock) */
	uint64_t rold = delta < 0 ? limen_area_lock(&a->reg_lock) : 0;
	uint64_t old = limen_area_lock(&a->hold_lock);
	for (int pass = 0; pass < 2 && !h; pass++) {
		for (uint32_t i = 0; i < LIMEN_UEV_HOLDS; i++) {
			struct limen_uev_hold *g = &a->holds[i];

			if (g->tgid == me_tgid && g->start == me_start &&
			    g->id == id) {
				h = g;
				break;
			}
			if (!g->tgid && !free)
				free = g;
		}
		if (h || free || delta < 0)
			break;
		reconcile(a); /* full: room from processes gone */
	}
	if (delta > 0) {
		if (!h && free) {
			limen_uev_mark_used(limen_rt.ctl);
			*free = (struct limen_uev_hold){ .tgid = me_tgid,
							 .id = id,
							 .start = me_start };
		}
		h = h ? h : free;
		if (a->refs[id] != LIMEN_UEV_REF_MAX)
			a->refs[id]++;
		if (!h)
			a->refs[id] = LIMEN_UEV_REF_MAX; /* nobody to subtract */
		else if (h->n != LIMEN_UEV_REF_MAX)
			h->n++;
	} else if (h) {
		sub(a, h, 1);
		put_last(a, (uint32_t)id);
	}
	limen_area_unlock(&a->hold_lock, old);
	if (delta < 0)
		limen_area_unlock(&a->reg_lock, rold);
}

/*
 * Before the table is looked at (a registration's lookup, a delete, a
 * tracefs file's listing): the counts of processes that ended are taken
 * away and the events they were the last to hold deleted, as the
 * kernel's exit (user_event_mm_remove, user_events_release) would have
 * done already. reg_lock held.
 */
void limen_uev_reap(void)
{
	struct limen_ctl *c = limen_rt.ctl;

	if (!c)
		return;
	who_am_i();
	limen_uevf_reap(); /* files whose holders all ended (their refs) */
	struct limen_uev_area *a = limen_uev_area(c);
	uint64_t old = limen_area_lock(&a->hold_lock);
	reconcile(a);
	for (uint32_t i = 0; i < LIMEN_UEVENT_MAX; i++)
		put_last(a, i);
	limen_area_unlock(&a->hold_lock, old);
}

/* A tracer let go of event id (its on bit cleared): it goes if nothing
   else holds it, as user_event_reg's TRACE_REG_UNREGISTER put. */
void limen_uev_untraced(uint32_t id)
{
	struct limen_ctl *c = limen_rt.ctl;

	if (!c || id >= LIMEN_UEVENT_MAX)
		return;
	struct limen_uev_area *a = limen_uev_area(c);
	uint64_t rold = limen_area_lock(&a->reg_lock);
	limen_uev_reap();
	limen_area_unlock(&a->reg_lock, rold);
}

/* The registrations of event id in the whole tree, the ended processes'
   subtracted. */
uint32_t limen_uev_refs(uint32_t id)
{
	struct limen_ctl *c = limen_rt.ctl;
	uint32_t n;

	if (!c || id >= LIMEN_UEVENT_MAX)
		return 0;
	who_am_i();
	struct limen_uev_area *a = limen_uev_area(c);
	uint64_t old = limen_area_lock(&a->hold_lock);
	reconcile(a);
	n = a->refs[id];
	limen_area_unlock(&a->hold_lock, old);
	return n;
}

/* Does any hold say tgid? Read without the lock: at an exec only the
   process itself makes holds of its tgid, and it has one thread, here. */
static int holds_of(const struct limen_uev_area *a, uint32_t tgid)
{
	for (uint32_t i = 0; i < LIMEN_UEV_HOLDS; i++)
		if (__atomic_load_n(&a->holds[i].tgid, __ATOMIC_RELAXED) ==
		    tgid)
			return 1;
	return 0;
}

/* A new process image of this pid: the registrations of the image
   before it went with its mm (exec). With none (the common case), no
   /proc/self/stat read for who we are, no lock taken. */
void limen_uev_refs_exec(void)
{
	struct limen_ctl *c = limen_rt.ctl;

	if (!limen_uev_used(c))
		return;
	struct limen_uev_area *a = limen_uev_area(c);
	if (!holds_of(a, me_tgid ? me_tgid :
				   (uint32_t)limen_sys0(SYS_getpid)))
		return;
	who_am_i();
	uint64_t rold = limen_area_lock(&a->reg_lock);
	uint64_t old = limen_area_lock(&a->hold_lock);
	for (uint32_t i = 0; i < LIMEN_UEV_HOLDS; i++)
		if (a->holds[i].tgid == me_tgid) {
			uint32_t id = (uint32_t)a->holds[i].id;

			sub(a, &a->holds[i], LIMEN_UEV_REF_MAX);
			if (id < LIMEN_UEVENT_MAX)
				put_last(a, id);
		}
	limen_area_unlock(&a->hold_lock, old);
	limen_area_unlock(&a->reg_lock, rold);
}

/* A fork child: who it is, anew (the parent's answer was copied). */
void limen_uev_refs_child(void)
{
	me_tgid = 0;
	me_start = 0;
}

/* Who this process is, for the holds of user_events files
   (uevent_files.c). */
void limen_uev_me(uint32_t *tgid, uint64_t *start)
{
	char st;

	if (limen_tls.vfork_child) {
		/* itself, not the parent whose memory it runs in: nothing
		   is kept there */
		*tgid = (uint32_t)limen_sys0(SYS_getpid);
		if (proc_stat(*tgid, &st, start) < 0)
			*start = 0;
		return;
	}
	who_am_i();
	*tgid = me_tgid;
	*start = me_start;
}

/* Process tgid (started at start, 0: unknown) has ended. */
int limen_uev_gone(uint32_t tgid, uint64_t start)
{
	struct limen_uev_hold h = { .tgid = tgid, .start = start };
	uint32_t me;
	uint64_t my_start;

	limen_uev_me(&me, &my_start);
	return tgid != me && ended(&h);
}

/*
 * A user_events file's reference on event id (uevent_files.c), taken
 * (delta 1) or let go when the file is released (-1): counted in the
 * event's refs with no process's hold, since the file, not a process,
 * holds it; saturating. reg_lock held: a put may be the last.
 */
void limen_uev_file_ref(int32_t id, int delta)
{
	struct limen_ctl *c = limen_rt.ctl;

	if (!c || id < 0 || (uint32_t)id >= LIMEN_UEVENT_MAX)
		return;
	struct limen_uev_area *a = limen_uev_area(c);
	uint64_t old = limen_area_lock(&a->hold_lock);
	if (a->refs[id] == LIMEN_UEV_REF_MAX) {
		/* stays: never deleted rather than deleted in use */
	} else if (delta > 0) {
		a->refs[id]++;
	} else if (a->refs[id]) {
		a->refs[id]--;
		put_last(a, (uint32_t)id);
	}
	limen_area_unlock(&a->hold_lock, old);
}
