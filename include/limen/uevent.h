/* SPDX-License-Identifier: MIT */
/*
 * limen/uevent.h: typed user events, recorded by limen in the same timeline
 * as the system calls (`limen trace -e uevent=NAME,... -- CMD`).
 *
 * An event is described by a string in the grammar of Linux's user_events
 * (name_args): "myevent u32 count; char[20] msg; __rel_loc char[] path".
 * Its payload is the fields packed in that order, as the kernel expects it
 * (a __rel_loc field is a u32: length << 16 | offset of the data from the
 * end of the field; a __data_loc one the same with the offset counted as
 * ftrace counts it, from the start of the kernel's entry, which has 8 bytes
 * of common fields before the payload: payload offset + 8).
 *
 *	LIMEN_UEVENT_DEFINE(ev_hello, "hello u32 count; char[8] msg");
 *	...
 *	if (limen_uevent_on(&ev_hello))           // one load, one branch
 *		limen_uevent_write(&ev_hello, &payload, sizeof(payload));
 *
 * or at run time: struct limen_uevent e = LIMEN_UEVENT_INIT(fmt);
 * limen_uevent_init(&e), and limen_uevent_fini(&e) before e goes away.
 *
 * limen keeps `enabled` in line with the session: `limen trace -e
 * uevent=...` enables events from the start, and a write of 1 or 0 to
 * /sys/kernel/tracing/events/user_events/NAME/enable (emulated where the
 * kernel has no user_events) enables or disables one while the program
 * runs: the writer's words change before its write returns, the other
 * processes' at their next system call.
 *
 * The program needs no library: the functions liblimen.so exports (it is
 * preloaded by limen) are reached through weak references. Without limen,
 * registration succeeds, the event stays disabled forever and the check is
 * all an emit costs. Emitting is safe from several threads and from signal
 * handlers, and makes no system call.
 *
 * Header-only, C and C++.
 */
#ifndef LIMEN_UEVENT_H
#define LIMEN_UEVENT_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* limen_uevent_init flags: as the kernel's USER_EVENT_REG_MULTI_FORMAT,
   the same name may be registered with another format (another id). */
#define LIMEN_UEVENT_MULTI_FORMAT 0x1u

struct limen_uevent {
	volatile uint32_t enabled; /* set by limen when the event is wanted */
	int32_t id;                /* -1: not registered in a session */
	const char *name_args;
	uint32_t flags;
};

#define LIMEN_UEVENT_INIT(name_args) { 0, -1, (name_args), 0 }

/* What liblimen.so exports. register: 0 or -errno (EINVAL: bad format,
   E2BIG: too long, EADDRINUSE: the name is registered with another
   format, ENOSPC: no room); emit: 0 or -errno. */
int limen_uevent_register(const char *name_args, uint32_t flags,
			  volatile uint32_t *enabled, int32_t *id)
	__attribute__((weak));
int limen_uevent_emit(int32_t id, const void *data, size_t len)
	__attribute__((weak));
int limen_uevent_unregister(volatile uint32_t *enabled)
	__attribute__((weak));

/* 0, or -errno from limen; 0 without limen (the event stays disabled). */
static inline int limen_uevent_init(struct limen_uevent *e)
{
	if (!limen_uevent_register)
		return 0;
	return limen_uevent_register(e->name_args, e->flags, &e->enabled,
				     &e->id);
}

/* Before an event's memory goes away (a run-time event on the stack, in
   freed memory): limen stops updating its enable word, which reads 0. */
static inline int limen_uevent_fini(struct limen_uevent *e)
{
	int r = 0;

	if (limen_uevent_unregister && e->id >= 0)
		r = limen_uevent_unregister(&e->enabled);
	e->enabled = 0;
	e->id = -1;
	return r;
}

static inline int limen_uevent_on(const struct limen_uevent *e)
{
	return __builtin_expect(e->enabled != 0, 0);
}

/* Record one event: data is its payload. 0 or -errno (not enabled:
   -ENOENT from limen, 0 when nothing was asked). */
static inline int limen_uevent_write(const struct limen_uevent *e,
				     const void *data, size_t len)
{
	if (!limen_uevent_on(e))
		return 0;
	return limen_uevent_emit(e->id, data, len);
}

/* An event registered before main (a constructor) under the name var. */
#define LIMEN_UEVENT_DEFINE(var, name_args)                                  \
	struct limen_uevent var = LIMEN_UEVENT_INIT(name_args);              \
	__attribute__((constructor)) static void limen_uevent_ctor_##var(void) \
	{                                                                    \
		limen_uevent_init(&var);                                     \
	}                                                                    \
	extern struct limen_uevent var

#ifdef __cplusplus
}
#endif

#endif
