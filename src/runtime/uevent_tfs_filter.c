/* SPDX-License-Identifier: MIT */
/*
 * events/user_events/NAME/filter, as the kernel's (trace_events.c's
 * event_filter_write and trace_events_filter.c's apply_event_filter and
 * print_event_filter):
 *
 *  - a write of PAGE_SIZE bytes or more is EINVAL; the string is the
 *    bytes written up to a NUL, its trailing blanks dropped;
 *  - "0" (blanks around it allowed) removes the filter: the file reads
 *    "none";
 *  - a filter the parser takes (uevent_filter.c) is in force: the
 *    event's writes that do not match it never reach `trace` or
 *    `trace_pipe` (nor their counts); the file reads it back as written;
 *  - one it refuses fails the write with the parser's errno, and still
 *    replaces the filter: none is in force, and the file reads the string
 *    with a caret under the error's place and "parse_error: ..." (or
 *    "Error: (N)" where the kernel has no text for it).
 *
 * The strings live in the session (uevent_area.h), one slot per filtered
 * event, shared by the whole tree. Every process reads them defensively:
 * bounded lengths, the parser's bounded scan; a slot's tag (the event's id
 * and generation) ties it to one event, so a slot left by an event
 * deleted is nobody's.
 */
#include <errno.h>
#include <stdint.h>
#include <sys/syscall.h>

#include "raw.h"
#include "rt.h"
#include "session/uevent_area.h"
#include "session/uevent_fmt.h"
#include "uevent_filter.h"

#define PR_GET_NAME_ 16
#define ID_BASE 2000u /* as uevent_tracefs.c numbers the events */

static struct limen_uev_area *area(void)
{
	return limen_rt.ctl ? limen_uev_area(limen_rt.ctl) : 0;
}

static int32_t tag_of(struct limen_uev_area *a, uint32_t id)
{
	uint32_t gen = __atomic_load_n(&a->uevents[id].gen, __ATOMIC_ACQUIRE);

	return LIMEN_UEV_TAG(id, gen);
}

/* The slot of event id's filter (lock held), 0 if it has none. */
static struct limen_uev_filt *slot_of(struct limen_uev_area *a, uint32_t id)
{
	int32_t tag = tag_of(a, id);

	for (uint32_t i = 0; i < LIMEN_UEV_FILTS; i++)
		if (a->filts[i].state != LIMEN_UEVF_FREE &&
		    a->filts[i].tag == tag)
			return &a->filts[i];
	return 0;
}

/* tag is an event still there (a slot whose event went without
   limen_tfs_filter_forget, its process killed in between, is free) */
static int live(struct limen_uev_area *a, int32_t tag)
{
	uint32_t id = LIMEN_UEV_SLOT(tag);

	return tag >= 0 && id < LIMEN_UEVENT_MAX &&
	       __atomic_load_n(&a->uevents[id].state, __ATOMIC_ACQUIRE) ==
		       LIMEN_UEVENT_READY &&
	       tag_of(a, id) == tag;
}

/* the event's name_args and format, parsed again from the table */
struct evd {
	char args[LIMEN_UEVENT_ARGS];
	struct limen_uev_fmt fmt;
};

static int ev_read(struct limen_uev_area *a, uint32_t id, struct evd *e)
{
	const struct limen_uevent_ent *u = &a->uevents[id];

	if (__atomic_load_n(&u->state, __ATOMIC_ACQUIRE) != LIMEN_UEVENT_READY)
		return -1;
	memcpy(e->args, u->name_args, sizeof(e->args));
	e->args[sizeof(e->args) - 1] = 0;
	return limen_uev_parse(e->args, &e->fmt) < 0 ? -1 : 0;
}

static int blank(char c)
{
	return c == ' ' || (c >= 9 && c <= 13);
}

long limen_tfs_filter_write(uint32_t id, uint64_t buf, long n)
{
	struct limen_uev_area *a = area();
	struct limen_uev_filt *f, *scratch;
	struct limen_uevf_err pe;
	struct evd e;
	uint32_t len = 0, b = 0;
	uint64_t old;
	long r;

	if (!a || id >= LIMEN_UEVENT_MAX)
		return -ENODEV;
	if (n < 0 || (uint64_t)n >= LIMEN_UEVF_MAX)
		return -EINVAL;
	if (ev_read(a, id, &e) < 0)
		return -ENODEV; /* deleted since it was opened */
	old = limen_area_lock(&a->filt_lock);
	scratch = &a->filts[LIMEN_UEV_FILTS];
	if (n && limen_safe_read(scratch->text, buf, (size_t)n) != n) {
		limen_area_unlock(&a->filt_lock, old);
		return -EFAULT;
	}
	/* the string: up to a NUL, trailing blanks dropped (strstrip) */
	while (len < (uint32_t)n && scratch->text[len])
		len++;
	while (len && blank(scratch->text[len - 1]))
		len--;
	while (b < len && blank(scratch->text[b]))
		b++;
	f = slot_of(a, id);
	if (len - b == 1 && scratch->text[b] == '0') {
		if (f)
			__atomic_store_n(&f->state, LIMEN_UEVF_FREE,
					 __ATOMIC_RELEASE);
		limen_area_unlock(&a->filt_lock, old);
		return n;
	}
	for (uint32_t i = 0; !f && i < LIMEN_UEV_FILTS; i++)
		if (a->filts[i].state == LIMEN_UEVF_FREE ||
		    !live(a, a->filts[i].tag))
			f = &a->filts[i];
	if (!f) {
		limen_area_unlock(&a->filt_lock, old);
		return -ENOMEM; /* the kernel's allocation failing */
	}
	r = limen_uevf_run(scratch->text, len, e.args, &e.fmt, 0, 0, &pe);
	memcpy(f->text, scratch->text, len);
	f->len = len;
	f->tag = tag_of(a, id);
	f->lasterr = pe.lasterr;
	f->pos = pe.pos;
	__atomic_store_n(&f->state, r < 0 ? LIMEN_UEVF_BAD : LIMEN_UEVF_ON,
			 __ATOMIC_RELEASE);
	limen_area_unlock(&a->filt_lock, old);
	return r < 0 ? r : n;
}

static long wr(long fd, const char *s, uint32_t n)
{
	while (n) {
		long r = limen_sys3(SYS_write, fd, s, n);

		if (r <= 0)
			return r ? r : -EIO;
		s += r;
		n -= (uint32_t)r;
	}
	return 0;
}

/* What reading the filter file of event id gives, written to fd. */
long limen_tfs_filter_fill(uint32_t id, long fd)
{
	struct limen_uev_area *a = area();
	struct limen_uev_filt *f;
	char tail[96];
	uint32_t len, k = 0;
	uint64_t old;
	long r = 0;

	if (!a || id >= LIMEN_UEVENT_MAX)
		return -ENODEV;
	old = limen_area_lock(&a->filt_lock);
	f = slot_of(a, id);
	if (!f) {
		limen_area_unlock(&a->filt_lock, old);
		return wr(fd, "none\n", 5);
	}
	len = __atomic_load_n(&f->len, __ATOMIC_RELAXED);
	if (len >= LIMEN_UEV_FILT_TEXT)
		len = LIMEN_UEV_FILT_TEXT - 1;
	r = wr(fd, f->text, len);
	if (!r && f->state == LIMEN_UEVF_BAD) {
		/* append_filter_err: a caret under the error, one column
		   right of where the parser says it is */
		const char *msg = limen_uevf_errtext(f->lasterr);
		uint32_t pos = f->pos < 0 ? 0 : (uint32_t)f->pos;

		if (pos > len)
			pos = len;
		if (pos)
			pos++;
		r = wr(fd, "\n", 1);
		if (msg) {
			for (uint32_t i = 1; !r && i < pos; i++)
				r = wr(fd, " ", 1);
			if (!r)
				r = wr(fd, "^\nparse_error: ", 15);
			if (!r)
				r = wr(fd, msg, (uint32_t)limen_strlen(msg));
			tail[k++] = '\n';
		} else {
			memcpy(tail, "Error: (", 8);
			k = 8 + limen_fmt_dec(tail + 8, f->lasterr);
			tail[k++] = ')';
			tail[k++] = '\n';
		}
	}
	tail[k++] = '\n';
	if (!r)
		r = wr(fd, tail, k);
	limen_area_unlock(&a->filt_lock, old);
	return r;
}

/*
 * A write of event id (its name_args and format at hand), payload p of
 * len bytes: 1 if it goes to the ftrace text, 0 if the filter in force
 * drops it. The string is read in place, under the lock, by the bounded
 * parser: a scribbled one filters wrongly at worst, never out of bounds.
 */
int limen_tfs_filter_pass(uint32_t id, const char *args,
			  const struct limen_uev_fmt *fmt, const uint8_t *p,
			  uint32_t len)
{
	struct limen_uev_area *a = area();
	struct limen_uev_filt *f;
	struct limen_uevf_ctx x;
	struct limen_uevf_err pe;
	uint32_t cpu = 0, n;
	int match = 1;
	uint64_t old;

	if (!a || id >= LIMEN_UEVENT_MAX)
		return 1;
	/* most events have no filter: a look without the lock first, so
	   that they cost no system call here */
	for (n = 0; n < LIMEN_UEV_FILTS; n++)
		if (__atomic_load_n(&a->filts[n].state, __ATOMIC_ACQUIRE) ==
			    LIMEN_UEVF_ON &&
		    __atomic_load_n(&a->filts[n].tag, __ATOMIC_RELAXED) ==
			    tag_of(a, id))
			break;
	if (n == LIMEN_UEV_FILTS)
		return 1;
	memset(&x, 0, sizeof(x));
	x.p = p;
	x.len = len;
	x.type = (uint16_t)(ID_BASE + id);
	x.pid = (int32_t)limen_sys0(SYS_gettid);
	limen_sys3(SYS_getcpu, &cpu, 0, 0);
	x.cpu = (int32_t)cpu;
	limen_sys2(SYS_prctl, PR_GET_NAME_, x.comm);
	x.comm[15] = 0;
	old = limen_area_lock(&a->filt_lock);
	f = slot_of(a, id);
	if (f && f->state == LIMEN_UEVF_ON) {
		/* read once: a scribbler may change it meanwhile */
		n = __atomic_load_n(&f->len, __ATOMIC_RELAXED);
		if (n >= LIMEN_UEV_FILT_TEXT)
			n = 0;
		if (limen_uevf_run(f->text, n, args, fmt, &x, &match, &pe) < 0)
			match = 1; /* scribbled into something refused */
	}
	limen_area_unlock(&a->filt_lock, old);
	return match;
}

/* Event id is deleted: its filter goes with it (lock: the caller holds
   the registrations' lock, never this one). */
void limen_tfs_filter_forget(uint32_t id)
{
	struct limen_uev_area *a = area();
	uint64_t old;
	struct limen_uev_filt *f;

	if (!a || id >= LIMEN_UEVENT_MAX)
		return;
	old = limen_area_lock(&a->filt_lock);
	f = slot_of(a, id);
	if (f)
		__atomic_store_n(&f->state, LIMEN_UEVF_FREE, __ATOMIC_RELEASE);
	limen_area_unlock(&a->filt_lock, old);
}
