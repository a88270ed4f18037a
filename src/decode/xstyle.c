/* SPDX-License-Identifier: MIT */
/*
 * strace -X: how named constants are printed. abbrev (the default) prints
 * the names; raw the numbers, as the kernel got them (flags and enums in
 * hex, a directory descriptor in decimal: -100 for AT_FDCWD); verbose the
 * number with the names in a comment, "0x80000 /" "* O_RDONLY|O_CLOEXEC *" "/".
 * Applied to the flag, enum and dirfd arguments of a call; the values
 * inside structs keep their names.
 */
#include <stdlib.h>
#include <string.h>

#include "decode/dec_int.h"

/*
 * After the number -X verbose prints, the names abbrev printed, as strace
 * puts them: nothing for a bare number ("0x4", "-5"); the comment alone for
 * a value none of whose bits has a name ("0x4 /" "* MLOCK_??? *" "/");
 * else all of it in one comment, strace's nesting included
 * ("0x2a /" "* 0xa /" "* MAP_??? *" "/|MAP_ANONYMOUS *" "/").
 */
static void names_comment(struct limen_sb *sb, const char *names)
{
	size_t n;

	if (!names || !*names)
		return;
	n = *names == '-';
	n += strspn(names + n, "0123456789abcdefx");
	if (n > (size_t)(*names == '-')) {
		if (!names[n])
			return;
		if (!strncmp(names + n, " /* ", 4) && !strchr(names + n, '|')) {
			limen_sb_puts(sb, names + n);
			return;
		}
	}
	limen_sb_printf(sb, " /* %s */", names);
}

int dd_xstyle_arg(const struct dctx *d, unsigned i,
		  const struct limen_argdesc *a)
{
	struct limen_sb *sb = d->sb;
	int style = sb->xstyle;
	uint64_t v = d->c->args[i];
	size_t at;
	char *names;

	if (a->type != LIMEN_AT_FLAGS && a->type != LIMEN_AT_ENUM &&
	    a->type != LIMEN_AT_DIRFD)
		return 0;
	if (a->type == LIMEN_AT_ENUM)
		v = dd_enum_value(d->c, i);
	if (style == 2) {
		/* the names as abbrev prints them, put aside */
		at = sb->len;
		sb->xstyle = 0;
		dd_default_arg(d, i);
		sb->xstyle = style;
		names = strndup(sb->p + at, sb->len - at);
		sb->len = at;
	} else {
		names = NULL;
	}
	if (a->type == LIMEN_AT_DIRFD)
		limen_sb_printf(sb, "%d", (int)v);
	else if (!v)
		limen_sb_putc(sb, '0');
	else
		limen_sb_printf(sb, "%#llx", (unsigned long long)v);
	names_comment(sb, names);
	free(names);
	return 1;
}

#define NO_STYLE ((size_t)-1)

static void number(struct limen_sb *sb, uint64_t v)
{
	if (!v)
		limen_sb_putc(sb, '0');
	else
		limen_sb_printf(sb, "%#llx", (unsigned long long)v);
}

int dx_style_pre(struct limen_sb *sb, uint64_t v, size_t *at)
{
	*at = NO_STYLE;
	if (sb->xstyle == 1) {
		number(sb, v);
		return 1;
	}
	if (sb->xstyle == 2) {
		/* the names are printed as abbrev would, then moved */
		*at = sb->len;
		sb->xstyle = 0;
	}
	return 0;
}

void dx_style_post(struct limen_sb *sb, uint64_t v, size_t at)
{
	char *names;

	if (at == NO_STYLE)
		return;
	sb->xstyle = 2;
	names = strndup(sb->p + at, sb->len - at);
	sb->len = at;
	number(sb, v);
	names_comment(sb, names);
	free(names);
}

void dx_named_dec(struct limen_sb *sb, uint64_t v, const char *name)
{
	if (!sb->xstyle) {
		limen_sb_puts(sb, name);
		return;
	}
	limen_sb_printf(sb, "%llu", (unsigned long long)v);
	if (sb->xstyle == 2)
		limen_sb_printf(sb, " /* %s */", name);
}

void dx_named(struct limen_sb *sb, uint64_t v, const char *name)
{
	if (!sb->xstyle) {
		limen_sb_puts(sb, name);
		return;
	}
	number(sb, v);
	if (sb->xstyle == 2)
		limen_sb_printf(sb, " /* %s */", name);
}
