/* SPDX-License-Identifier: MIT */
/*
 * user_events_data files as the kernel has them: one file per open, its
 * state (the kernel's user_event_file_info: the refs array, whose
 * position is each event's write_index, user_events_ref_add) shared by
 * every descriptor dup'ed or inherited from it, in the parent and the
 * child of a fork alike, and kept across an exec; released when the last
 * descriptor of any process is closed (user_events_release), its events
 * losing its references. What is a process's own is elsewhere
 * (uevent_abi.c): the enablers, bits of its memory (the kernel's
 * user_event_mm: copied at fork, user_event_mm_dup, dropped at exec).
 *
 * The state lives in the session (uevent_area.h: files, frefs, fholds,
 * under the event table's reg_lock). A process finds it from a
 * descriptor: the stand-in the runtime opens is a memfd of its own, whose
 * (dev, ino) is the file's name to every process that has a descriptor
 * of it, inherited or kept across an exec, and to nothing else (the
 * kernel gives a new memfd a new inode). A file counts the processes
 * that hold it (holders, saturating: a count that reached the top stays,
 * the file never released rather than released in use), each with an
 * entry (fholds) so that the holders that ended without closing are
 * subtracted (limen_uevf_reap, as the kernel's exit closes their
 * descriptors). A fork counts its child before the child exists
 * (limen_uevf_fork_hold, from the parent): the parent closing at once
 * cannot release what the child still has.
 *
 * Every process of the tree can write the session: slots, indexes and
 * event ids read from it are bounded before use; a garbled table gives
 * wrong answers (ENOENT), never an access outside it.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include "raw.h"
#include "rt.h"
#include "session/uevent_area.h"

static struct limen_uev_area *area(void)
{
	return limen_rt.ctl ? limen_uev_area(limen_rt.ctl) : 0;
}

/* slot is the open file of generation gen (reg_lock held), or 0 */
static struct limen_uev_file *file_at(struct limen_uev_area *a, uint32_t slot,
				      uint32_t gen)
{
	struct limen_uev_file *f;

	if (slot >= LIMEN_UEV_FILES)
		return 0;
	f = &a->files[slot];
	return f->holders && f->gen == gen ? f : 0;
}

/* The file at slot goes: its events lose its references, as in
   user_events_release (reg_lock held). */
static void release(struct limen_uev_area *a, uint32_t slot)
{
	for (uint32_t i = 0; i < LIMEN_UEV_FREFS; i++) {
		struct limen_uev_fref *g = &a->frefs[i];

		if (g->file != slot + 1)
			continue;
		g->file = 0;
		limen_uev_file_ref((int32_t)LIMEN_UEV_SLOT(g->tag), -1);
	}
	for (uint32_t i = 0; i < LIMEN_UEV_FHOLDS; i++)
		if (a->fholds[i].file == slot + 1)
			a->fholds[i].tgid = 0;
	a->files[slot].dev = 0;
	a->files[slot].ino = 0;
	__atomic_store_n(&a->files[slot].holders, 0, __ATOMIC_RELEASE);
}

/* One holder of slot less: the last one releases it; a saturated count
   stays (reg_lock held). */
static void unhold(struct limen_uev_area *a, uint32_t slot)
{
	struct limen_uev_file *f = &a->files[slot];

	if (f->holders == LIMEN_UEV_REF_MAX || !f->holders)
		return;
	if (!--f->holders)
		release(a, slot);
}

/* This process's hold entry of slot, or 0 (reg_lock held). */
static struct limen_uev_fhold *my_hold(struct limen_uev_area *a,
				       uint32_t slot)
{
	uint32_t tgid;
	uint64_t start;

	limen_uev_me(&tgid, &start);
	for (uint32_t i = 0; i < LIMEN_UEV_FHOLDS; i++) {
		struct limen_uev_fhold *h = &a->fholds[i];

		if (h->tgid == tgid && h->start == start &&
		    h->file == slot + 1 && !h->flight)
			return h;
	}
	return 0;
}

/*
 * This process holds slot: its entry, and one more holder when count
 * (the child of a fork was counted by its parent). With no entry free,
 * the count alone: should the process end without closing, the file
 * stays (reg_lock held).
 */
static void add_hold(struct limen_uev_area *a, uint32_t slot, int count)
{
	struct limen_uev_file *f = &a->files[slot];
	uint32_t tgid;
	uint64_t start;

	limen_uev_me(&tgid, &start);
	if (count && f->holders != LIMEN_UEV_REF_MAX)
		f->holders++;
	if (my_hold(a, slot))
		return;
	for (uint32_t i = 0; i < LIMEN_UEV_FHOLDS; i++) {
		struct limen_uev_fhold *h = &a->fholds[i];

		if (!h->tgid) {
			*h = (struct limen_uev_fhold){ .tgid = tgid,
						       .file = (uint16_t)(slot + 1),
						       .start = start };
			return;
		}
	}
}

/*
 * The holders that ended (killed, or exited without closing): the
 * kernel closed their descriptors; the files that only they held are
 * released. reg_lock held (limen_uev_reap).
 */
void limen_uevf_reap(void)
{
	struct limen_uev_area *a = area();

	if (!a)
		return;
	for (uint32_t i = 0; i < LIMEN_UEV_FHOLDS; i++) {
		struct limen_uev_fhold *h = &a->fholds[i];
		uint32_t slot = (uint32_t)h->file - 1;

		/* a message in flight holds its file whether its sender
		   lives or not: the socket's queue has it */
		if (!h->tgid || h->flight ||
		    !limen_uev_gone(h->tgid, h->start))
			continue;
		h->tgid = 0;
		if (slot < LIMEN_UEV_FILES)
			unhold(a, slot);
	}
}

/* A free slot, or LIMEN_UEV_FILES (reg_lock held). */
static uint32_t free_slot(struct limen_uev_area *a)
{
	uint32_t s;

	for (s = 0; s < LIMEN_UEV_FILES; s++)
		if (!a->files[s].holders)
			break;
	return s;
}

/*
 * A new file, for the memfd (dev, ino) just made: its slot (its
 * generation in *gen), held by this process; -ENFILE when every slot is
 * taken by a file still open.
 */
long limen_uevf_open(uint64_t dev, uint64_t ino, uint32_t *gen)
{
	struct limen_uev_area *a = area();
	uint32_t s;

	if (!a)
		return -ENOENT;
	uint64_t old = limen_area_lock(&a->reg_lock);
	/* a file named by this inode is gone: the kernel gives a new memfd
	   an inode no open file has (it is stale: its holders ended) */
	for (s = 0; s < LIMEN_UEV_FILES; s++)
		if (a->files[s].holders && a->files[s].dev == dev &&
		    a->files[s].ino == ino)
			release(a, s);
	s = free_slot(a);
	if (s == LIMEN_UEV_FILES) {
		limen_uev_reap(); /* the files of processes that ended */
		s = free_slot(a);
	}
	if (s == LIMEN_UEV_FILES) {
		limen_area_unlock(&a->reg_lock, old);
		return -ENFILE;
	}
	/* no reference may be left of a slot's earlier file */
	for (uint32_t i = 0; i < LIMEN_UEV_FREFS; i++)
		if (a->frefs[i].file == s + 1)
			a->frefs[i].file = 0;
	for (uint32_t i = 0; i < LIMEN_UEV_FHOLDS; i++)
		if (a->fholds[i].file == s + 1)
			a->fholds[i].tgid = 0;
	a->files[s].dev = dev;
	a->files[s].ino = ino;
	*gen = ++a->files[s].gen;
	limen_uev_mark_used(limen_rt.ctl);
	a->files[s].holders = 1;
	add_hold(a, s, 0);
	limen_area_unlock(&a->reg_lock, old);
	return s;
}

/* This process has no descriptor of the file any more. */
void limen_uevf_drop(uint32_t slot, uint32_t gen)
{
	struct limen_uev_area *a = area();

	if (!a)
		return;
	uint64_t old = limen_area_lock(&a->reg_lock);
	if (file_at(a, slot, gen)) {
		struct limen_uev_fhold *h = my_hold(a, slot);

		if (h)
			h->tgid = 0;
		unhold(a, slot);
	}
	limen_area_unlock(&a->reg_lock, old);
}

/* Before a fork: the child to come holds the file (0), or the file is
   not open any more (-ENOENT). */
int limen_uevf_fork_hold(uint32_t slot, uint32_t gen)
{
	struct limen_uev_area *a = area();
	struct limen_uev_file *f;
	int e = -ENOENT;

	if (!a)
		return e;
	uint64_t old = limen_area_lock(&a->reg_lock);
	f = file_at(a, slot, gen);
	if (f) {
		if (f->holders != LIMEN_UEV_REF_MAX)
			f->holders++;
		e = 0;
	}
	limen_area_unlock(&a->reg_lock, old);
	return e;
}

/* The fork failed: the child counted before it does not hold it. */
void limen_uevf_unfork(uint32_t slot, uint32_t gen)
{
	struct limen_uev_area *a = area();

	if (!a)
		return;
	uint64_t old = limen_area_lock(&a->reg_lock);
	if (file_at(a, slot, gen))
		unhold(a, slot);
	limen_area_unlock(&a->reg_lock, old);
}

/* The fork child: its entry of a file its parent counted it in. */
void limen_uevf_child(uint32_t slot, uint32_t gen)
{
	struct limen_uev_area *a = area();

	if (!a)
		return;
	uint64_t old = limen_area_lock(&a->reg_lock);
	if (file_at(a, slot, gen))
		add_hold(a, slot, 0);
	limen_area_unlock(&a->reg_lock, old);
}

/*
 * The file's reference on the event tag (user_events_ref_add): the
 * index it has, or the next one, the file's count of events, with the
 * reference taken; -ENOMEM when the table is full (the kernel's
 * allocation failing), -ENOENT when the file is not open.
 */
long limen_uevf_ref(uint32_t slot, uint32_t gen, int32_t tag, uint32_t fixed,
		    uint32_t has_loc)
{
	struct limen_uev_area *a = area();
	struct limen_uev_fref *free = 0;
	uint32_t id = LIMEN_UEV_SLOT(tag), count = 0;
	long r = -ENOENT;

	if (!a || id >= LIMEN_UEVENT_MAX)
		return r;
	uint64_t old = limen_area_lock(&a->reg_lock);
	if (!file_at(a, slot, gen))
		goto out;
	for (uint32_t i = 0; i < LIMEN_UEV_FREFS; i++) {
		struct limen_uev_fref *g = &a->frefs[i];

		if (!g->file) {
			if (!free)
				free = g;
			continue;
		}
		if (g->file != slot + 1)
			continue;
		if (LIMEN_UEV_SLOT(g->tag) == id) {
			r = g->index;
			goto out;
		}
		count++;
	}
	r = -ENOMEM;
	if (!free)
		goto out;
	*free = (struct limen_uev_fref){ .file = (uint16_t)(slot + 1),
					 .has_loc = !!has_loc,
					 .index = count,
					 .tag = tag,
					 .fixed = fixed };
	limen_uev_file_ref((int32_t)id, 1);
	r = count;
out:
	limen_area_unlock(&a->reg_lock, old);
	return r;
}

/* The event of write_index index on the file: 0, or -ENOENT. */
int limen_uevf_find(uint32_t slot, uint32_t gen, uint32_t index, int32_t *tag,
		    uint32_t *fixed, uint32_t *has_loc)
{
	struct limen_uev_area *a = area();
	int e = -ENOENT;

	if (!a)
		return e;
	uint64_t old = limen_area_lock(&a->reg_lock);
	if (file_at(a, slot, gen))
		for (uint32_t i = 0; i < LIMEN_UEV_FREFS; i++) {
			struct limen_uev_fref *g = &a->frefs[i];

			if (g->file != slot + 1 || g->index != index ||
			    LIMEN_UEV_SLOT(g->tag) >= LIMEN_UEVENT_MAX ||
			    g->tag < 0)
				continue;
			*tag = g->tag;
			*fixed = g->fixed;
			*has_loc = g->has_loc;
			e = 0;
			break;
		}
	limen_area_unlock(&a->reg_lock, old);
	return e;
}

/*
 * Descriptor fd is an open file's stand-in: fd_file and gens say so. Or,
 * a memfd removed (no link: what a memfd is), the stand-in of a tracefs
 * file, known by its name (limen_tfs_memfd): fd_file says which.
 */
static int adopt(struct limen_uev_area *a, long fd, uint16_t *fd_file,
		 uint32_t *gens)
{
	struct stat st;
	int found = 0;

	if (limen_sys2(SYS_fstat, fd, &st) < 0)
		return 0;
	if (S_ISFIFO(st.st_mode) || (S_ISDIR(st.st_mode) && !st.st_nlink)) {
		/* trace_pipe's, an emulated directory's */
		uint16_t k = S_ISFIFO(st.st_mode) ?
				     limen_tfs_pipe_of((uint64_t)st.st_dev,
						       (uint64_t)st.st_ino) :
				     limen_tfs_dir_of((uint64_t)st.st_dev,
						      (uint64_t)st.st_ino);

		fd_file[fd] = k;
		return !!k;
	}
	if (S_ISREG(st.st_mode) && !st.st_nlink &&
	    __atomic_load_n(&a->tfs_opened, __ATOMIC_RELAXED)) {
		uint16_t k = limen_tfs_memfd_kind(fd);

		if (k && !limen_tfs_is_data(k)) {
			fd_file[fd] = k;
			return 1;
		}
	}
	uint64_t old = limen_area_lock(&a->reg_lock);
	for (uint32_t s = 0; s < LIMEN_UEV_FILES; s++) {
		struct limen_uev_file *f = &a->files[s];

		if (f->holders && f->dev == (uint64_t)st.st_dev &&
		    f->ino == (uint64_t)st.st_ino) {
			fd_file[fd] = (uint16_t)(s + 1);
			gens[s] = f->gen;
			found = 1;
			break;
		}
	}
	limen_area_unlock(&a->reg_lock, old);
	return found;
}

/* An entry of slot in flight (reg_lock held): this process's when mine,
   else anyone's; 0 if none. */
static struct limen_uev_fhold *in_flight(struct limen_uev_area *a,
					 uint32_t slot, int mine)
{
	uint32_t tgid = 0;
	uint64_t start = 0;

	if (mine)
		limen_uev_me(&tgid, &start);
	for (uint32_t i = 0; i < LIMEN_UEV_FHOLDS; i++) {
		struct limen_uev_fhold *h = &a->fholds[i];

		if (h->tgid && h->flight && h->file == slot + 1 &&
		    (!mine || (h->tgid == tgid && h->start == start)))
			return h;
	}
	return 0;
}

/*
 * A descriptor of the file at slot is being sent to another process
 * (sendmsg with SCM_RIGHTS): the message holds the file until a
 * receiver takes it (limen_uevf_adopt), so that the sender closing its
 * own meanwhile does not release it. Without an entry free the message
 * does not hold it (the file may then go before it is received).
 */
void limen_uevf_send(uint32_t slot, uint32_t gen)
{
	struct limen_uev_area *a = area();
	uint32_t tgid;
	uint64_t start;

	if (!a)
		return;
	limen_uev_me(&tgid, &start);
	uint64_t old = limen_area_lock(&a->reg_lock);
	if (file_at(a, slot, gen) && a->files[slot].holders != LIMEN_UEV_REF_MAX)
		for (uint32_t i = 0; i < LIMEN_UEV_FHOLDS; i++) {
			struct limen_uev_fhold *h = &a->fholds[i];

			if (h->tgid)
				continue;
			*h = (struct limen_uev_fhold){
				.tgid = tgid, .file = (uint16_t)(slot + 1),
				.flight = 1, .start = start
			};
			a->files[slot].holders++;
			break;
		}
	limen_area_unlock(&a->reg_lock, old);
}

/* The message was not sent after all: its hold goes. */
void limen_uevf_unsend(uint32_t slot, uint32_t gen)
{
	struct limen_uev_area *a = area();
	struct limen_uev_fhold *h;

	if (!a)
		return;
	uint64_t old = limen_area_lock(&a->reg_lock);
	if (file_at(a, slot, gen) && (h = in_flight(a, slot, 1))) {
		h->tgid = 0;
		unhold(a, slot);
	}
	limen_area_unlock(&a->reg_lock, old);
}

/*
 * Descriptor fd came from another process (SCM_RIGHTS, pidfd_getfd): the
 * stand-in of an open file, which this process holds now, as the
 * receiver holds the kernel's struct file: its slot (its generation in
 * *gen). Else -ENOENT, with *kind the tracefs file a memfd stands for
 * (by its name; trace_pipe's pipe and an emulated directory's stand-in
 * by their inodes; 0: none). Only a memfd (a regular file without a
 * link), that pipe or a directory removed can be one: any other
 * descriptor costs one fstat. A user_events_data
 * memfd whose file was released meanwhile (every other descriptor of it
 * closed while it was in flight, its message not counted) is a new
 * file, empty: its old indexes are ENOENT rather than writes into the
 * memfd.
 */
long limen_uevf_adopt(long fd, uint32_t *gen, uint16_t *kind)
{
	struct limen_uev_area *a = area();
	struct stat st;
	long r = -ENOENT;

	*kind = 0;
	if (!a || limen_sys2(SYS_fstat, fd, &st) < 0)
		return r;
	if (S_ISFIFO(st.st_mode)) { /* trace_pipe's */
		*kind = limen_tfs_pipe_of((uint64_t)st.st_dev,
					  (uint64_t)st.st_ino);
		return r;
	}
	if (S_ISDIR(st.st_mode)) { /* an emulated directory's, removed */
		*kind = st.st_nlink ? 0 :
				      limen_tfs_dir_of((uint64_t)st.st_dev,
						       (uint64_t)st.st_ino);
		return r;
	}
	if (!S_ISREG(st.st_mode) || st.st_nlink)
		return r;
	uint64_t old = limen_area_lock(&a->reg_lock);
	for (uint32_t s = 0; s < LIMEN_UEV_FILES; s++) {
		struct limen_uev_file *f = &a->files[s];
		struct limen_uev_fhold *h;

		if (!f->holders || f->dev != (uint64_t)st.st_dev ||
		    f->ino != (uint64_t)st.st_ino)
			continue;
		/* the message's hold becomes this process's (or goes, if
		   it holds the file already) */
		h = in_flight(a, s, 0);
		if (h)
			h->tgid = 0;
		if (!my_hold(a, s))
			add_hold(a, s, !h);
		else if (h)
			unhold(a, s);
		*gen = f->gen;
		r = s;
		break;
	}
	limen_area_unlock(&a->reg_lock, old);
	if (r >= 0)
		return r;
	*kind = limen_tfs_memfd_kind(fd);
	if (!limen_tfs_is_data(*kind))
		return r;
	*kind = 0;
	return limen_uevf_open((uint64_t)st.st_dev, (uint64_t)st.st_ino, gen);
}

/* Some user_events_data file is open in the session, or some tracefs
   file was opened: a descriptor may be the stand-in of one. */
int limen_uevf_any(void)
{
	struct limen_uev_area *a = area();

	if (!a)
		return 0;
	if (__atomic_load_n(&a->tfs_opened, __ATOMIC_RELAXED))
		return 1;
	for (uint32_t s = 0; s < LIMEN_UEV_FILES; s++)
		if (__atomic_load_n(&a->files[s].holders, __ATOMIC_ACQUIRE))
			return 1;
	return 0;
}

struct exec_scan {
	struct limen_uev_area *a;
	uint16_t *fd_file;
	uint32_t nfd;
	uint32_t *gens;
	long found;
};

/* limen_proc_numbers over /proc/self/fd: each descriptor but the
   listing's own */
static int adopt_listed(void *ctx, long fd, const char *name, long dir)
{
	struct exec_scan *st = ctx;

	(void)name;
	if (fd < st->nfd && fd != dir)
		st->found += adopt(st->a, fd, st->fd_file, st->gens);
	return 0;
}

/*
 * A new image of this process (exec): its descriptors that are stand-ins
 * of open files (those without close-on-exec) are those files still, in
 * fd_file (nfd entries) and gens; the files it held and has no
 * descriptor of now (closed by the exec) lose it as a holder, and those
 * it has without being one (a vfork child's exec) gain it. So are those
 * of tracefs files (a shell's "/bin/echo 1 > enable"). Looks at the
 * descriptors only when some file is open in the tree, or some tracefs
 * file was opened: /proc/self/fd listed, else each number tried.
 * Returns how many it found.
 */
long limen_uevf_exec(uint16_t *fd_file, uint32_t nfd, uint32_t *gens)
{
	struct limen_uev_area *a = area();
	struct exec_scan st;
	int open_any = 0;

	if (!a || !limen_uev_used(limen_rt.ctl))
		return 0;
	for (uint32_t s = 0; s < LIMEN_UEV_FILES; s++)
		if (__atomic_load_n(&a->files[s].holders, __ATOMIC_ACQUIRE))
			open_any = 1;
	if (!open_any && !__atomic_load_n(&a->tfs_opened, __ATOMIC_RELAXED))
		return 0;
	st = (struct exec_scan){ a, fd_file, nfd, gens, 0 };
	if (limen_proc_numbers("/proc/self/fd", adopt_listed, &st) < 0)
		for (uint32_t fd = 0; fd < nfd; fd++)
			st.found += adopt(a, fd, fd_file, gens);
	uint64_t old = limen_area_lock(&a->reg_lock);
	for (uint32_t s = 0; s < LIMEN_UEV_FILES; s++) {
		struct limen_uev_fhold *h = my_hold(a, s);
		int have = 0;

		for (uint32_t fd = 0; fd < nfd && !have; fd++)
			have = fd_file[fd] == s + 1;
		if (have && !h)
			add_hold(a, s, 1);
		if (!have && h) {
			h->tgid = 0;
			unhold(a, s);
		}
	}
	limen_area_unlock(&a->reg_lock, old);
	return st.found;
}
