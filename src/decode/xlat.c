// SPDX-License-Identifier: MIT
/*
 * Flag sets and enumerations, strace style: "O_RDONLY|O_CLOEXEC", leftover
 * bits as "|0x...", 0 as "0"; unknown enum values as "0x7 /" "* SEEK_??? *" "/".
 */
#include <string.h>

#include "decode/dec_int.h"

void dx_ptr(struct limen_sb *sb, uint64_t v)
{
	if (!v)
		limen_sb_puts(sb, "NULL");
	else
		limen_sb_printf(sb, "%#llx", (unsigned long long)v);
}

const char *dx_lookup(const struct limen_xlat *x, uint64_t v)
{
	unsigned i;

	if (!x)
		return NULL;
	for (i = 0; i < x->n; i++)
		if (limen_xlat_items_of(x)[i].val == v)
			return limen_str(limen_xlat_items_of(x)[i].name);
	return NULL;
}

/* "SEEK_" from "SEEK_SET": the prefix strace shows in "/" "* SEEK_??? *" "/". */
static void unknown_comment(struct limen_sb *sb, const char *first)
{
	const char *u = first ? strchr(first, '_') : NULL;

	if (!u) {
		limen_sb_puts(sb, " /* ??? */");
		return;
	}
	/* keep "__W" style leading underscores out of the prefix */
	while (u == first && *u == '_')
		u = strchr(u + 1, '_');
	limen_sb_puts(sb, " /* ");
	limen_sb_putn(sb, first, u ? (size_t)(u - first + 1) : strlen(first));
	limen_sb_puts(sb, "??? */");
}

/* unknown: strace's comment for a value none of whose bits has a name
   ("0x4 /" "* MLOCK_??? *" "/"), or NULL; bits left after a name are
   "|0x..." alone, as strace prints them */
static void flags_items(struct limen_sb *sb,
			const struct limen_xlat_item *it, size_t n,
			const struct dxl *l, uint64_t v, const char *dflt,
			const char *unknown)
{
	uint64_t left = v;
	size_t i;
	int first = 1;

	if (!v) {
		for (i = 0; i < n; i++) {
			uint64_t iv = it ? it[i].val : l[i].val;

			if (!iv) {
				limen_sb_puts(sb, it ? limen_str(it[i].name) :
						       l[i].name);
				return;
			}
		}
		limen_sb_puts(sb, dflt ? dflt : "0");
		return;
	}
	for (i = 0; i < n && left; i++) {
		uint64_t iv = it ? it[i].val : l[i].val;

		if (!iv || (v & iv) != iv || !(left & iv))
			continue;
		if (!first)
			limen_sb_putc(sb, '|');
		first = 0;
		limen_sb_puts(sb, it ? limen_str(it[i].name) : l[i].name);
		left &= ~iv;
	}
	if (left) {
		if (!first)
			limen_sb_putc(sb, '|');
		limen_sb_printf(sb, "%#llx", (unsigned long long)left);
		if (first && unknown)
			limen_sb_printf(sb, " /* %s */", unknown);
	}
}

/* A flags list's comment for a value with no name, or NULL. */
const char *dx_unknown(const struct limen_xlat *x)
{
	return x && x->unknown ? limen_str(x->unknown - 1) : NULL;
}

static void dx_flags_names(struct limen_sb *sb, const struct limen_xlat *x, uint64_t v,
	      const char *dflt)
{
	if (!x) {
		limen_sb_printf(sb, "%#llx", (unsigned long long)v);
		return;
	}
	flags_items(sb, limen_xlat_items_of(x), x->n, NULL, v, dflt,
		    dx_unknown(x));
}

void dx_flags(struct limen_sb *sb, const struct limen_xlat *x, uint64_t v,
	      const char *dflt)
{
	size_t at;

	if (dx_style_pre(sb, v, &at))
		return;
	dx_flags_names(sb, x, v, dflt);
	dx_style_post(sb, v, at);
}

/* fmt: how to print an unknown value; NULL: hex with a comment. */
static void dx_enum_names(struct limen_sb *sb, const struct limen_xlat *x, uint64_t v,
	     const char *fmt)
{
	const char *s = dx_lookup(x, v);

	if (s) {
		limen_sb_puts(sb, s);
		return;
	}
	if (fmt) {
		limen_sb_printf(sb, fmt, (unsigned long long)v);
		return;
	}
	limen_sb_printf(sb, "%#llx", (unsigned long long)v);
	if (dx_unknown(x))
		limen_sb_printf(sb, " /* %s */", dx_unknown(x));
	else
		unknown_comment(sb, x && x->n ?
				limen_str(limen_xlat_items_of(x)[0].name) :
				NULL);
}

void dx_enum(struct limen_sb *sb, const struct limen_xlat *x, uint64_t v,
	     const char *fmt)
{
	size_t at;

	if (dx_style_pre(sb, v, &at))
		return;
	dx_enum_names(sb, x, v, fmt);
	dx_style_post(sb, v, at);
}

int dl_flags(struct limen_sb *sb, const struct dxl *l, size_t n, uint64_t v,
	     const char *dflt)
{
	size_t at;

	if (dx_style_pre(sb, v, &at))
		return 1;
	flags_items(sb, NULL, n, l, v, dflt, NULL);
	dx_style_post(sb, v, at);
	return 1;
}

const char *dl_lookup(const struct dxl *l, size_t n, uint64_t v)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (l[i].val == v)
			return l[i].name;
	return NULL;
}

static void dl_enum_names(struct limen_sb *sb, const struct dxl *l, size_t n, uint64_t v,
	     const char *fmt)
{
	const char *s = dl_lookup(l, n, v);

	if (s) {
		limen_sb_puts(sb, s);
		return;
	}
	if (fmt) {
		limen_sb_printf(sb, fmt, (unsigned long long)v);
		return;
	}
	limen_sb_printf(sb, "%#llx", (unsigned long long)v);
	unknown_comment(sb, n ? l[0].name : NULL);
}

void dl_enum(struct limen_sb *sb, const struct dxl *l, size_t n, uint64_t v,
	     const char *fmt)
{
	size_t at;

	if (dx_style_pre(sb, v, &at))
		return;
	dl_enum_names(sb, l, n, v, fmt);
	dx_style_post(sb, v, at);
}

uint64_t dx_bits(struct limen_sb *sb, const struct limen_xlat *x, uint64_t v,
		 int *first)
{
	uint64_t used = 0;
	size_t i;

	/* once every bit of v is named, no later name can be shown: an
	   item is shown only when some of its bits are not named yet */
	for (i = 0; i < x->n && (v & ~used); i++) {
		uint64_t iv = limen_xlat_items_of(x)[i].val;

		if (!iv || (v & iv) != iv || (used & iv) == iv)
			continue;
		if (!*first)
			limen_sb_putc(sb, '|');
		*first = 0;
		limen_sb_puts(sb, limen_str(limen_xlat_items_of(x)[i].name));
		used |= iv;
	}
	return used;
}

uint64_t dl_bits(struct limen_sb *sb, const struct dxl *l, size_t n,
		 uint64_t v, int *first)
{
	uint64_t used = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		if (!l[i].val || (v & l[i].val) != l[i].val ||
		    (used & l[i].val) == l[i].val)
			continue;
		if (!*first)
			limen_sb_putc(sb, '|');
		*first = 0;
		limen_sb_puts(sb, l[i].name);
		used |= l[i].val;
	}
	return used;
}
