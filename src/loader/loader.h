/* SPDX-License-Identifier: MIT */
/* limen's loader: what its runtime needs from it (loader.c, exe_view.c) */
#ifndef LIMEN_LOADER_H
#define LIMEN_LOADER_H

#include <stdint.h>

#define LIMEN_EXE_BYTES 4096
/* the program's file, as /proc/self/exe would name it, once asked
   (exe_view.c) */
extern char limen_loader_exe[LIMEN_EXE_BYTES];
/* 1: the loader knows the program's file (limen_exe_hook answers) */
extern int limen_loader_exe_on;
/* at the loader's start: the name asked now, or when the program first
   names the link (path absolute, its text mapped at at) */
void limen_exe_resolve(const char *path);
void limen_exe_later(const char *path, uint64_t at, uint64_t ino,
		     uint32_t major, uint32_t minor);
/* uevent_api.c: the user events table the auxv entry LIMEN_UEVENT_AT
   gives the program (include/limen/uevent.h) */
uint64_t limen_uevent_api_addr(void);

#endif
