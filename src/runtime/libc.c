/* SPDX-License-Identifier: MIT */
/*
 * The few memory functions the compiler may emit calls to. Hidden, so they
 * never interpose the program's own, and free of any libc state.
 */
#include "rt.h"

LIMEN_HIDDEN void *memcpy(void *d, const void *s, size_t n)
{
	void *ret = d;
	__asm__ volatile("rep movsb" : "+D"(d), "+S"(s), "+c"(n) : : "memory");
	return ret;
}

LIMEN_HIDDEN void *memset(void *d, int c, size_t n)
{
	void *ret = d;
	__asm__ volatile("rep stosb" : "+D"(d), "+c"(n) : "a"(c) : "memory");
	return ret;
}

LIMEN_HIDDEN void *memmove(void *d, const void *s, size_t n)
{
	unsigned char *dp = d;
	const unsigned char *sp = s;

	if (dp <= sp || dp >= sp + n)
		return memcpy(d, s, n);
	while (n--)
		dp[n] = sp[n];
	return d;
}

size_t limen_strlen(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	return n;
}

int limen_strncmp(const char *a, const char *b, size_t n)
{
	for (; n; n--, a++, b++) {
		if (*a != *b)
			return (unsigned char)*a - (unsigned char)*b;
		if (!*a)
			return 0;
	}
	return 0;
}
