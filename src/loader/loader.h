/* SPDX-License-Identifier: MIT */
/* limen's loader: what its runtime needs from it (loader.c, exe_view.c) */
#ifndef LIMEN_LOADER_H
#define LIMEN_LOADER_H

#include <stdint.h>

#define LIMEN_EXE_BYTES 4096
/* the program's file, as /proc/self/exe would name it ("" if unknown) */
extern char limen_loader_exe[LIMEN_EXE_BYTES];
/* uevent_api.c: the user events table the auxv entry LIMEN_UEVENT_AT
   gives the program (include/limen/uevent.h) */
uint64_t limen_uevent_api_addr(void);

#endif
