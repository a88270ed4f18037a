/* SPDX-License-Identifier: MIT */
/*
 * What the kernel tells of the process's memory layout, made the
 * program's: /proc/PID/auxv (and a core file's notes, where gdb looks for
 * the program), /proc/PID/stat's code and data bounds, and the end of the
 * environment's strings that /proc/PID/environ shows. prctl(PR_SET_MM,
 * PR_SET_MM_MAP), made for checkpoint/restore, sets them all at once with
 * no privilege as long as the exe link is left alone: the fields not
 * given are passed back as the kernel has them (/proc/self/stat and
 * brk). A kernel without CONFIG_CHECKPOINT_RESTORE refuses, and keeps its
 * own (README).
 */
#include <fcntl.h>
#include <linux/prctl.h>
#include <sys/syscall.h>

#include "raw.h"
#include "rt.h"


/* Field n (1-based, as proc(5) counts) of a /proc/PID/stat line, 0 if
   absent (comm, field 2, may hold anything: counted from its last ')') */
static uint64_t stat_field(const char *buf, int n)
{
	const char *p, *close = 0;
	uint64_t v = 0;

	for (p = buf; *p; p++)
		if (*p == ')')
			close = p;
	if (!close || !close[1])
		return 0;
	p = close + 2; /* field 3 */
	for (int f = 3; f < n && *p; f++) {
		while (*p && *p != ' ')
			p++;
		if (*p)
			p++;
	}
	while (*p >= '0' && *p <= '9')
		v = v * 10 + (uint64_t)(*p++ - '0');
	return v;
}

int limen_mm_view_set(const struct limen_mm_view *w)
{
	struct prctl_mm_map m;
	char buf[1024];
	long fd, got;

	/* a filter of the program's may kill at a prctl it does not know
	   (limen_seccomp_filtered): the kernel's view stays the loader's */
	if (limen_seccomp_filtered() && !limen_seccomp_outer_only())
		return -EPERM;

	if (w->start_stack) {
		/* all given (the loader, which knows them at the start) */
		m = (struct prctl_mm_map){
			.start_code = w->start_code, .end_code = w->end_code,
			.start_data = w->start_data, .end_data = w->end_data,
			.start_brk = w->start_brk, .brk = w->brk,
			.start_stack = w->start_stack,
			.arg_start = w->arg_start, .arg_end = w->arg_end,
			.env_start = w->env_start, .env_end = w->env_end,
			.auxv = (__u64 *)(uintptr_t)w->auxv,
			.auxv_size = w->auxv ? w->auxv_size : 0,
			.exe_fd = (uint32_t)-1,
		};
		return (int)limen_sys5(SYS_prctl, PR_SET_MM, PR_SET_MM_MAP,
				       (long)&m, sizeof(m), 0);
	}
	fd = limen_sys3(SYS_open, "/proc/self/stat", O_RDONLY | O_CLOEXEC, 0);
	if (fd < 0)
		return (int)fd;
	got = limen_sys3(SYS_read, fd, buf, sizeof(buf) - 1);
	limen_sys1(SYS_close, fd);
	if (got <= 0)
		return -EIO;
	buf[got] = 0;
	/* the break and the rest are read here and set back at once: a
	   thread of the program (a library's constructor may start one)
	   moving the break in between would have it set back */
	if (stat_field(buf, 20) != 1)
		return -EBUSY;
	memset(&m, 0, sizeof(m));
	m.start_code = w->end_code ? w->start_code : stat_field(buf, 26);
	m.end_code = w->end_code ? w->end_code : stat_field(buf, 27);
	m.start_stack = stat_field(buf, 28);
	m.start_data = w->end_data ? w->start_data : stat_field(buf, 45);
	m.end_data = w->end_data ? w->end_data : stat_field(buf, 46);
	m.start_brk = stat_field(buf, 47);
	m.brk = (uint64_t)limen_sys1(SYS_brk, 0);
	m.arg_start = stat_field(buf, 48);
	m.arg_end = stat_field(buf, 49);
	m.env_start = stat_field(buf, 50);
	m.env_end = stat_field(buf, 51);
	/* (equal to env_start: the program has no variable of its own) */
	if (w->env_end >= m.env_start && w->env_end < m.env_end)
		m.env_end = w->env_end;
	m.auxv = (__u64 *)(uintptr_t)w->auxv;
	m.auxv_size = w->auxv ? w->auxv_size : 0;
	m.exe_fd = (uint32_t)-1;
	if (m.start_code >= m.end_code)
		return -EINVAL;
	return (int)limen_sys5(SYS_prctl, PR_SET_MM, PR_SET_MM_MAP, (long)&m,
			       sizeof(m), 0);
}
