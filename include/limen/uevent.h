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
 * The program needs no library: the functions liblimen.so exports (when
 * limen preloads it) are reached through weak references; when limen's
 * loader started the program (no liblimen.so: the runtime is inside the
 * loader, README "limen's loader"), through a table whose address the
 * loader puts in the auxiliary vector under LIMEN_UEVENT_AT, found with
 * getauxval (no system call). Without limen, registration succeeds, the
 * event stays disabled forever and the check is all an emit costs.
 * Emitting is safe from several threads and from signal handlers, and
 * makes no system call.
 *
 * Header-only, C and C++.
 */
#ifndef LIMEN_UEVENT_H
#define LIMEN_UEVENT_H

#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/auxv.h>

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

/* The same functions when limen's loader runs the program: the auxv
   entry LIMEN_UEVENT_AT holds the table's address ("lime": a type no
   kernel defines). */
#define LIMEN_UEVENT_AT 0x6c696d65ul
#define LIMEN_UEVENT_API_MAGIC 0x31697061756d696cull /* "limuapi1" */
struct limen_uevent_api {
	uint64_t magic;
	int (*reg)(const char *name_args, uint32_t flags,
		   volatile uint32_t *enabled, int32_t *id);
	int (*emit)(int32_t id, const void *data, size_t len);
	int (*unreg)(volatile uint32_t *enabled);
};

/* The loader's table, or 0 (liblimen.so's functions, or no limen). Looked
   up once per translation unit; getauxval's errno is not the program's. */
static inline const struct limen_uevent_api *limen_uevent_api_(void)
{
	static const struct limen_uevent_api *api;
	static int looked;
	const struct limen_uevent_api *a;
	int err;

	if (__atomic_load_n(&looked, __ATOMIC_ACQUIRE))
		return __atomic_load_n(&api, __ATOMIC_RELAXED);
	err = errno;
	a = (const struct limen_uevent_api *)(uintptr_t)getauxval(
		LIMEN_UEVENT_AT);
	errno = err;
	if (a && a->magic != LIMEN_UEVENT_API_MAGIC)
		a = 0;
	__atomic_store_n(&api, a, __ATOMIC_RELAXED);
	__atomic_store_n(&looked, 1, __ATOMIC_RELEASE);
	return a;
}

/* 0, or -errno from limen; 0 without limen (the event stays disabled). */
static inline int limen_uevent_init(struct limen_uevent *e)
{
	const struct limen_uevent_api *a;

	if (limen_uevent_register)
		return limen_uevent_register(e->name_args, e->flags,
					     &e->enabled, &e->id);
	a = limen_uevent_api_();
	if (!a)
		return 0;
	return a->reg(e->name_args, e->flags, &e->enabled, &e->id);
}

/* Before an event's memory goes away (a run-time event on the stack, in
   freed memory): limen stops updating its enable word, which reads 0.
   The last registration of an event in the session gone, and no tracer
   holding it, the event goes (as the kernel's user_events, 6.5 on); an
   emit still in flight in another thread is recorded as this event. */
static inline int limen_uevent_fini(struct limen_uevent *e)
{
	int r = 0;

	if (limen_uevent_unregister && e->id >= 0)
		r = limen_uevent_unregister(&e->enabled);
	else if (e->id >= 0 && limen_uevent_api_())
		r = limen_uevent_api_()->unreg(&e->enabled);
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
	if (limen_uevent_emit)
		return limen_uevent_emit(e->id, data, len);
	/* enabled: registered through the loader's table */
	return limen_uevent_api_()->emit(e->id, data, len);
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
