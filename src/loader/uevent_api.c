/* SPDX-License-Identifier: MIT */
/*
 * User events' C API (include/limen/uevent.h) for a program limen's loader
 * runs: no liblimen.so is loaded, so the header's weak references stay
 * null, and the header finds these functions of the runtime inside the
 * loader through the table whose address loader.c puts in the auxiliary
 * vector (LIMEN_UEVENT_AT). The functions are the ones liblimen.so
 * exports (src/runtime/uevent.c), called from the program's context.
 */
#include "limen/uevent.h"
#include "loader.h"

static const struct limen_uevent_api api = {
	.magic = LIMEN_UEVENT_API_MAGIC,
	.reg = limen_uevent_register,
	.emit = limen_uevent_emit,
	.unreg = limen_uevent_unregister,
	.size = sizeof(struct limen_uevent_api),
	.self = limen_uevent_self,
};

uint64_t limen_uevent_api_addr(void)
{
	return (uint64_t)(uintptr_t)&api;
}
