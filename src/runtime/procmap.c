/* SPDX-License-Identifier: MIT */
/*
 * One mapping of ours, asked of the kernel by address: the PROCMAP_QUERY
 * ioctl on /proc/self/maps (Linux 6.11), which finds the mapping in the
 * process's tree and formats nothing else. Reading /proc/self/maps makes
 * the kernel print every mapping: tens of microseconds with a few dozen
 * (a program's start, where most call sites are rewritten), against a
 * fraction of one for the query. Where the kernel has no such ioctl the
 * caller reads the text as before.
 */
#include <errno.h>
#include <fcntl.h>
#include <sys/syscall.h>

#include "raw.h"
#include "rt.h"
#include "procmap.h"

/* The kernel's struct procmap_query (include/uapi/linux/fs.h, 6.11). */
struct procmap_query {
	uint64_t size;
	uint64_t query_flags;
	uint64_t query_addr;
	uint64_t vma_start;
	uint64_t vma_end;
	uint64_t vma_flags;
	uint64_t vma_page_size;
	uint64_t vma_offset;
	uint64_t inode;
	uint32_t dev_major;
	uint32_t dev_minor;
	uint32_t vma_name_size;
	uint32_t build_id_size;
	uint64_t vma_name_addr;
	uint64_t build_id_addr;
};

/* _IOWR('f', 17, struct procmap_query) */
#define PROCMAP_QUERY \
	((3ul << 30) | ((unsigned long)sizeof(struct procmap_query) << 16) | \
	 ('f' << 8) | 17)
#define QUERY_READABLE 0x01
#define QUERY_EXECUTABLE 0x04
#define QUERY_SHARED 0x08
#define QUERY_COVERING_OR_NEXT 0x10

long limen_procmap_open(void)
{
	return limen_sys3(SYS_open, "/proc/self/maps", O_RDONLY | O_CLOEXEC, 0);
}

/* The kernel's answer for the mapping at or above addr, its name (if
   any) into name (size bytes): 0 or -errno */
static long query(long fd, uint64_t addr, char *name, uint32_t size,
		  struct procmap_query *q)
{
	uint64_t flags = q->query_flags;

	memset(q, 0, sizeof(*q));
	q->size = sizeof(*q);
	q->query_flags = flags;
	q->query_addr = addr;
	q->vma_name_addr = (uint64_t)(uintptr_t)name;
	q->vma_name_size = size;
	return limen_sys3(SYS_ioctl, fd, PROCMAP_QUERY, q);
}

int limen_procmap_query(long fd, uint64_t addr, struct limen_vma *v)
{
	struct procmap_query q = { .query_flags = 0 };
	/* the name only says whether it is a path ('/'): its first bytes
	   do, but a longer one is an error (ENAMETOOLONG), not cut short */
	long r = query(fd, addr, v->name, sizeof(v->name), &q);

	if (r == -ENOENT)
		return LIMEN_VMA_NONE;
	if (r < 0)
		return LIMEN_VMA_ASK_TEXT;
	v->start = q.vma_start;
	v->end = q.vma_end;
	v->read = !!(q.vma_flags & QUERY_READABLE);
	v->exec = !!(q.vma_flags & QUERY_EXECUTABLE);
	v->shared = !!(q.vma_flags & QUERY_SHARED);
	v->inode = q.inode;
	v->offset = q.vma_offset;
	v->major = q.dev_major;
	v->minor = q.dev_minor;
	if (!q.vma_name_size)
		v->name[0] = 0;
	return LIMEN_VMA_FOUND;
}

int limen_procmap_next(long fd, uint64_t addr, uint64_t *start,
		       uint64_t *end)
{
	struct procmap_query q = { .query_flags = QUERY_COVERING_OR_NEXT };
	long r = query(fd, addr, 0, 0, &q);

	if (r == -ENOENT)
		return LIMEN_VMA_NONE;
	if (r < 0)
		return LIMEN_VMA_ASK_TEXT;
	*start = q.vma_start;
	*end = q.vma_end;
	return LIMEN_VMA_FOUND;
}

/* The path of the file mapped at addr, as the kernel names it (d_path:
   what /proc/self/exe's link gives for it), into name (size bytes), with
   the file's inode and device; -errno, -ENOENT where no file is mapped
   there, -ENAMETOOLONG for a longer name */
long limen_procmap_file(long fd, uint64_t addr, char *name, uint32_t size,
			uint64_t *ino, uint32_t *major, uint32_t *minor)
{
	struct procmap_query q = { .query_flags = 0 };
	long r = query(fd, addr, name, size, &q);

	if (r < 0)
		return r;
	if (q.vma_start > addr || !q.inode || !q.vma_name_size ||
	    name[0] != '/')
		return -ENOENT;
	*ino = q.inode;
	*major = q.dev_major;
	*minor = q.dev_minor;
	return 0;
}
