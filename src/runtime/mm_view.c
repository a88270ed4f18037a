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
#include <linux/prctl.h>
#include <sys/syscall.h>

#include "raw.h"
#include "rt.h"


int limen_mm_view_set(const struct limen_mm_view *w)
{
	struct prctl_mm_map m;
	char buf[1024];
	const char *f;

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
	f = limen_self_stat_line(buf, sizeof(buf));
	if (!f)
		return -EIO;
	/* the break and the rest are read here and set back at once: a
	   thread of the program (a library's constructor may start one)
	   moving the break in between would have it set back */
	if (limen_stat_field(f, 20) != 1)
		return -EBUSY;
	memset(&m, 0, sizeof(m));
	m.start_code = w->end_code ? w->start_code : limen_stat_field(f, 26);
	m.end_code = w->end_code ? w->end_code : limen_stat_field(f, 27);
	m.start_stack = limen_stat_field(f, 28);
	m.start_data = w->end_data ? w->start_data : limen_stat_field(f, 45);
	m.end_data = w->end_data ? w->end_data : limen_stat_field(f, 46);
	m.start_brk = limen_stat_field(f, 47);
	m.brk = (uint64_t)limen_sys1(SYS_brk, 0);
	m.arg_start = limen_stat_field(f, 48);
	m.arg_end = limen_stat_field(f, 49);
	m.env_start = limen_stat_field(f, 50);
	m.env_end = limen_stat_field(f, 51);
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
