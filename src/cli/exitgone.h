/* SPDX-License-Identifier: MIT */
#ifndef LIMEN_CLI_EXITGONE_H
#define LIMEN_CLI_EXITGONE_H

#include <stddef.h>
#include <stdint.h>

#include "collector/collector.h"

/* Before a drain: the processes that entered exit_group and whose threads
   are all dead now (up to max, in gone; their count). After the drain,
   limen_collector_gone ends each in the trace. */
size_t limen_exit_gone_scan(const struct limen_collector *t, int32_t *gone,
			    size_t max);

#endif
