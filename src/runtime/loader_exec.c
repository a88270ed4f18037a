/* SPDX-License-Identifier: MIT */
/*
 * A static program started by a traced one: the execve runs limen's loader
 * (src/loader/loader.c) instead, with the program's own argv and the path
 * it named in LIMEN_EXEC, so that the program is traced from its first
 * instruction like any other. The loader lives next to liblimen.so, whose
 * path the session variable gives (init.c).
 */
#include <fcntl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "raw.h"
#include "rt.h"
#include "session/elfprobe.h"

uint64_t limen_exec_name;

/* the loader's path, "" if there is none we may run */
static char loader_path[sizeof(limen_rt.preload) + sizeof(LIMEN_LOADER_NAME)];

const char *limen_loader_path(void)
{
	size_t dir = 0, n = limen_strlen(limen_rt.preload);

	if (loader_path[0])
		return loader_path;
	for (size_t i = 0; i < n; i++)
		if (limen_rt.preload[i] == '/')
			dir = i + 1;
	if (!dir)
		return 0;
	memcpy(loader_path, limen_rt.preload, dir);
	memcpy(loader_path + dir, LIMEN_LOADER_NAME, sizeof(LIMEN_LOADER_NAME));
	if (limen_sys2(SYS_access, loader_path, X_OK) < 0) {
		loader_path[0] = 0;
		return 0;
	}
	return loader_path;
}
