// SPDX-License-Identifier: MIT
/*
 * The options about descriptors, parsed as strace 6.1 parses them:
 *   -y                  --decode-fds=path
 *   -yy                 --decode-fds=all (path, socket, dev, pidfd)
 *   --decode-fds[=SET], -e decode-fds=SET   path, socket, dev, pidfd, all,
 *                       none; a leading ! negates
 *   -e read=SET, -e write=SET   descriptors whose data is dumped in hex
 *                       and ASCII after each read/write-like call: numbers,
 *                       all, none, a leading ! negates
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

void limen_opt_y(struct limen_opts *o)
{
	o->decode_fds = o->decode_fds & LIMEN_FDS_PATH ?
		LIMEN_FDS_PATH | LIMEN_FDS_SOCKET | LIMEN_FDS_DEV |
			LIMEN_FDS_PIDFD :
		o->decode_fds | LIMEN_FDS_PATH;
}

void limen_opt_decode_fds(struct limen_opts *o, const char *set)
{
	static const struct {
		const char *name;
		unsigned bits;
	} names[] = {
		{ "path", LIMEN_FDS_PATH }, { "socket", LIMEN_FDS_SOCKET },
		{ "dev", LIMEN_FDS_DEV },   { "pidfd", LIMEN_FDS_PIDFD },
		{ "all", 15 },              { "none", 0 },
	};
	const char *p = set;
	unsigned bits = 0;
	int neg = 0;

	if (!set) {		/* --decode-fds alone: path */
		o->decode_fds = LIMEN_FDS_PATH;
		return;
	}
	if (*p == '!')
		neg = 1, p++;
	while (*p) {
		size_t n = strcspn(p, ",");
		size_t i;

		for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
			if (strlen(names[i].name) == n &&
			    !strncmp(names[i].name, p, n))
				break;
		if (i == sizeof(names) / sizeof(names[0]))
			limen_die(1, "invalid decode-fds '%s'%s", set,
			     " (path, socket, dev, pidfd, all, none)");
		bits |= names[i].bits;
		p += n + (p[n] == ',');
	}
	o->decode_fds = neg ? 15 & ~bits : bits;
}

static void fd_set_parse(uint8_t *bits, const char *what, const char *set)
{
	const char *p = set;
	int neg = 0;

	memset(bits, 0, LIMEN_DUMP_FDS / 8);
	if (*p == '!')
		neg = 1, p++;
	while (*p) {
		size_t n = strcspn(p, ",");
		char *end;
		long fd;

		if (n == 3 && !strncmp(p, "all", 3)) {
			memset(bits, 0xff, LIMEN_DUMP_FDS / 8);
		} else if (n == 4 && !strncmp(p, "none", 4)) {
			memset(bits, 0, LIMEN_DUMP_FDS / 8);
		} else {
			fd = strtol(p, &end, 10);
			if (end != p + n || !n || fd < 0)
				limen_die(1, "invalid descriptor in -e %s '%s'", what,
				     set);
			/* a set above LIMEN_DUMP_FDS: accepted, never met in
			   practice (RLIMIT_NOFILE's soft default is 1024) */
			if (fd < (long)LIMEN_DUMP_FDS)
				bits[fd / 8] |= (uint8_t)(1u << (fd % 8));
		}
		p += n + (p[n] == ',');
	}
	if (neg)
		for (unsigned i = 0; i < LIMEN_DUMP_FDS / 8; i++)
			bits[i] = (uint8_t)~bits[i];
}

int limen_opt_fdexpr(struct limen_opts *o, const char *name, size_t n,
		     const char *set)
{
	if ((n == 10 && !strncmp(name, "decode-fds", n))) {
		limen_opt_decode_fds(o, set);
		return 1;
	}
	if ((n == 4 && !strncmp(name, "read", n)) ||
	    (n == 1 && name[0] == 'r')) {
		fd_set_parse(o->dump_fds[0], "read", set);
		return 1;
	}
	if ((n == 5 && !strncmp(name, "write", n)) ||
	    (n == 1 && name[0] == 'w')) {
		fd_set_parse(o->dump_fds[1], "write", set);
		return 1;
	}
	return 0;
}
