/* SPDX-License-Identifier: MIT */
/*
 * libdw and libelf for -k's unwinder (unwind.c), opened the first time -k
 * asks for them rather than linked: loading and relocating them (and
 * their libz, liblzma, libbz2) cost every limen run about a quarter of a
 * millisecond of start-up, and only -k uses them. The functions are
 * called through the pointers below, named as libdw names them; the
 * macros at the end make unwind.c's calls go through them.
 */
#ifndef LIMEN_LIBDW_DL_H
#define LIMEN_LIBDW_DL_H

#include <dlfcn.h>

#define LIMEN_LIBDW_FNS(X)                                                   \
	X(dwfl_begin) X(dwfl_end) X(dwfl_report_begin) X(dwfl_report_end)    \
	X(dwfl_linux_proc_maps_report) X(dwfl_linux_proc_find_elf)           \
	X(dwfl_standard_find_debuginfo) X(dwfl_thread_state_registers)       \
	X(dwfl_module_getelf) X(dwfl_frame_pc) X(dwfl_addrmodule)            \
	X(dwfl_module_info) X(dwfl_module_addrinfo) X(dwfl_attach_state)     \
	X(dwfl_getthread_frames) X(elf_nextscn) X(elf_getdata)               \
	X(elf_strptr) X(gelf_getshdr) X(gelf_getsym)

static struct {
#define LIMEN_DW_PTR(f) __typeof__(f) *f;
	LIMEN_LIBDW_FNS(LIMEN_DW_PTR)
#undef LIMEN_DW_PTR
} limen_dw;
static int limen_dw_ok;	/* every pointer above is set */

/* 0 once every function is found; -1 if libdw cannot be opened here
   (asked once) */
static int limen_libdw_load(void)
{
	static int state;	/* 1 loaded, -1 not loadable, 0 not tried */
	void *h;

	if (state)
		return state > 0 ? 0 : -1;
	state = -1;
	/* libelf comes in as libdw's dependency: dlsym on the handle
	   searches it too */
	h = dlopen("libdw.so.1", RTLD_NOW | RTLD_LOCAL);
	if (!h)
		return -1;
#define LIMEN_DW_SYM(f)                                          \
	if (!(limen_dw.f = (__typeof__(limen_dw.f))dlsym(h, #f))) \
		return -1;
	LIMEN_LIBDW_FNS(LIMEN_DW_SYM)
#undef LIMEN_DW_SYM
	state = 1;
	limen_dw_ok = 1;
	return 0;
}

#define dwfl_begin (*limen_dw.dwfl_begin)
#define dwfl_end (*limen_dw.dwfl_end)
#define dwfl_report_begin (*limen_dw.dwfl_report_begin)
#define dwfl_report_end (*limen_dw.dwfl_report_end)
#define dwfl_linux_proc_maps_report (*limen_dw.dwfl_linux_proc_maps_report)
#define dwfl_linux_proc_find_elf (*limen_dw.dwfl_linux_proc_find_elf)
#define dwfl_standard_find_debuginfo (*limen_dw.dwfl_standard_find_debuginfo)
#define dwfl_thread_state_registers (*limen_dw.dwfl_thread_state_registers)
#define dwfl_module_getelf (*limen_dw.dwfl_module_getelf)
#define dwfl_frame_pc (*limen_dw.dwfl_frame_pc)
#define dwfl_addrmodule (*limen_dw.dwfl_addrmodule)
#define dwfl_module_info (*limen_dw.dwfl_module_info)
#define dwfl_module_addrinfo (*limen_dw.dwfl_module_addrinfo)
#define dwfl_attach_state (*limen_dw.dwfl_attach_state)
#define dwfl_getthread_frames (*limen_dw.dwfl_getthread_frames)
#define elf_nextscn (*limen_dw.elf_nextscn)
#define elf_getdata (*limen_dw.elf_getdata)
#define elf_strptr (*limen_dw.elf_strptr)
#define gelf_getshdr (*limen_dw.gelf_getshdr)
#define gelf_getsym (*limen_dw.gelf_getsym)

#endif
