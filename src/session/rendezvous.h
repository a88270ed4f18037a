/* SPDX-License-Identifier: MIT */
/*
 * The unix sockets where the collector hands out the session to images
 * that cannot open /proc/<collector>/fd/<n> (runtime/reach.c,
 * cli/rendezvous.c): an abstract one, whose name is derived from what
 * LIMEN_SESSION already carries, and, for an image in another network
 * namespace (where abstract names are others), a pathname one, which
 * LIMEN_SESSION names in its last field. Who may have the session is
 * decided by the collector (only processes of its own tree).
 */
#ifndef LIMEN_RENDEZVOUS_H
#define LIMEN_RENDEZVOUS_H

/* Write "\0limen-session.<pid>.<fd>" to dst (108 bytes at least); returns
   its length (abstract: the leading NUL counts, no trailing one). */
static inline int limen_rendezvous_name(char *dst, int pid, int fd)
{
	static const char pre[] = "limen-session.";
	int vals[2] = { pid, fd }, n = 0;

	dst[n++] = 0;
	for (unsigned i = 0; i < sizeof(pre) - 1; i++)
		dst[n++] = pre[i];
	for (int k = 0; k < 2; k++) {
		char num[12];
		int d = 0;
		unsigned v = (unsigned)vals[k];

		do {
			num[d++] = (char)('0' + v % 10);
			v /= 10;
		} while (v);
		while (d)
			dst[n++] = num[--d];
		if (k == 0)
			dst[n++] = '.';
	}
	return n;
}

/* Longest path of the pathname socket: a sun_path holds 108 bytes, its
   NUL among them */
#define LIMEN_RENDEZVOUS_PATH_MAX 107

#endif
