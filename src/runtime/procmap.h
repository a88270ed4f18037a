/* SPDX-License-Identifier: MIT */
/* One mapping of ours by address (procmap.c). */
#ifndef LIMEN_PROCMAP_H
#define LIMEN_PROCMAP_H

#include <stdint.h>

struct limen_vma {
	uint64_t start, end;     /* [start, end) */
	uint64_t inode;          /* 0: no file */
	uint64_t offset;         /* the file's offset mapped at start */
	uint32_t major, minor;   /* the file's device */
	int read, exec, shared;
	char name[256];          /* its path, or "[vdso]"..., "" for none */
};

enum {
	LIMEN_VMA_FOUND,
	LIMEN_VMA_NONE,          /* no mapping holds the address */
	LIMEN_VMA_ASK_TEXT,      /* the kernel cannot say (no PROCMAP_QUERY,
				    a name longer than ours): read the text */
};

/* /proc/self/maps, to query (or read): a descriptor or -errno */
long limen_procmap_open(void) __attribute__((visibility("hidden")));
/* the first mapping that ends above addr, [*start, *end): LIMEN_VMA_... */
int limen_procmap_next(long fd, uint64_t addr, uint64_t *start,
		       uint64_t *end) __attribute__((visibility("hidden")));
int limen_procmap_query(long fd, uint64_t addr, struct limen_vma *v)
	__attribute__((visibility("hidden")));
long limen_procmap_file(long fd, uint64_t addr, char *name, uint32_t size,
			uint64_t *ino, uint32_t *major, uint32_t *minor)
	__attribute__((visibility("hidden")));

#endif
