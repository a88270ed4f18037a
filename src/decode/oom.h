/* SPDX-License-Identifier: MIT */
#ifndef LIMEN_OOM_H
#define LIMEN_OOM_H
#include <sys/types.h>

struct limen_ctl;

/* What limen_out_of_memory needs to end well: the session the runtimes
   write (its producers are told the collector is gone), the command
   (waited for) and what to undo before the end (the rendezvous socket's
   path). main.c sets them once the command runs. */
void limen_oom_watch(struct limen_ctl *ctl, pid_t command,
		     void (*cleanup)(void));
/* The collector, its sinks or the CLI could not get memory: say so once,
   stop tracing, and end as the command ends (before it runs: status 1). */
void limen_out_of_memory(void) __attribute__((noreturn));

#endif
