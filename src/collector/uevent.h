/* SPDX-License-Identifier: MIT */
/* User events in the collector (uevent.c). */
#ifndef LIMEN_COLLECTOR_UEVENT_H
#define LIMEN_COLLECTOR_UEVENT_H

#include <stdint.h>

#include "decode/decode.h"
#include "session/session.h"

struct limen_uev_defs;
struct limen_uev_defs *limen_uev_defs_new(void);
void limen_uev_defs_free(struct limen_uev_defs *t);
/* A LIMEN_REC_UEVDEF record (size: the record's, as drained). */
void limen_uev_define(struct limen_uev_defs *t, const uint8_t *rec,
		      uint32_t size);
/* A LIMEN_REC_UEVENT record as name(field=value, ...); -1: not known. */
int limen_uev_render(const struct limen_uev_defs *t, const uint8_t *rec,
		     uint32_t size, struct limen_sb *sb);

#endif
