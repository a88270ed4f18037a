// SPDX-License-Identifier: MIT
/*
 * -Y, --decode-pids=SET, -e decode-pids=SET as strace 6.1 parses them:
 * SET is a comma list of comm, pidns, all, none, a leading ! negates.
 * comm is honoured (src/sinks/pidcomm.c); pidns (what a pid is in
 * strace's own PID namespace) is refused: limen does not translate pids
 * between namespaces.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

#define PIDS_COMM 1
#define PIDS_PIDNS 2

void limen_opt_decode_pids(struct limen_opts *o, const char *set)
{
	const char *p = set;
	unsigned bits = 0;
	int neg = 0;

	if (*p == '!')
		neg = 1, p++;
	if (!*p)
		limen_die(1, "invalid decode-pids '%s'", set);
	while (*p) {
		size_t n = strcspn(p, ",");

		if (n == 4 && !strncmp(p, "comm", n))
			bits |= PIDS_COMM;
		else if (n == 5 && !strncmp(p, "pidns", n))
			bits |= PIDS_PIDNS;
		else if (n == 3 && !strncmp(p, "all", n))
			bits |= PIDS_COMM | PIDS_PIDNS;
		else if (!(n == 4 && !strncmp(p, "none", n)))
			limen_die(1, "invalid decode-pids '%s'", set);
		p += n;
		if (*p == ',')
			p++;
	}
	if (neg)
		bits = ~bits & (PIDS_COMM | PIDS_PIDNS);
	if (bits & PIDS_PIDNS)
		limen_die(1, "--decode-pids=%s: limen does not translate pids between "
		     "PID namespaces (pidns); comm is supported", set);
	o->decode_pids = !!(bits & PIDS_COMM);
}

int limen_opt_pidexpr(struct limen_opts *o, const char *name, size_t n,
		      const char *set)
{
	if (n == 11 && !strncmp(name, "decode-pids", n)) {
		limen_opt_decode_pids(o, set);
		return 1;
	}
	return 0;
}
