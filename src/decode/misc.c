// SPDX-License-Identifier: MIT
/*
 * syslog, keyctl, landlock_create_ruleset, getrandom.
 * Each call's decoder is named in tables/syscalls.tbl's DECODER column.
 */
#include <string.h>

#include "decode/dec_int.h"

static void getrandom_arg(const struct dctx *d)
{
	const struct limen_blob *b;
	uint64_t v = d->c->args[0];
	size_t n;

	if (!v || d->failed || !(b = dd_blob(d, 0, 1))) {
		dx_ptr(d->sb, v);
		return;
	}
	n = b->len;
	if (d->c->has_ret && (uint64_t)d->c->ret < n)
		n = (size_t)d->c->ret;
	if (n > d->strsize) {
		dq_bytes(d->sb, b->data, d->strsize, 1, 1);
		return;
	}
	dq_bytes(d->sb, b->data, n, (b->flags & LIMEN_BLOB_TRUNC) != 0, 1);
}

static const char *const syslog_acts[] = { "CLOSE", "OPEN", "READ",
	"READ_ALL", "READ_CLEAR", "CLEAR", "CONSOLE_OFF", "CONSOLE_ON",
	"CONSOLE_LEVEL", "SIZE_UNREAD", "SIZE_BUFFER" };
static const char *const loglevels[] = { "EMERG", "ALERT", "CRIT", "ERR",
	"WARNING", "NOTICE", "INFO", "DEBUG" };

static unsigned syslog_nargs(int type)
{
	switch (type) {
	case 0: case 1: case 5: case 6: case 7: case 9: case 10:
		return 1;
	}
	return 3;
}

static void syslog_arg(const struct dctx *d, unsigned i)
{
	struct limen_sb *sb = d->sb;
	int type = (int)d->c->args[0];

	if (i == 0) {
		limen_sb_printf(sb, "%d /* SYSLOG_ACTION_%s */", type,
				type >= 0 && (size_t)type < ARRAY_LEN(syslog_acts) ?
				syslog_acts[type] : "???");
	} else if (i == 1) {
		if (type >= 2 && type <= 4)
			dd_default_arg(d, 1);
		else
			dx_ptr(sb, d->c->args[1]);
	} else {
		int v = (int)d->c->args[2];

		if (type == 8 && v >= 0 && (size_t)v < ARRAY_LEN(loglevels))
			limen_sb_printf(sb, "%d /* LOGLEVEL_%s */", v,
					loglevels[v]);
		else
			limen_sb_printf(sb, "%d", v);
	}
}

/* keyctl: the command's arguments; k key serial, i int, u unsigned, x hex,
   U uid/gid, p pointer (strings and buffers are not captured yet) */
static const struct {
	const char *name;
	const char *args;
} keyctl_cmds[] = {
	{ "GET_KEYRING_ID", "ki" }, { "JOIN_SESSION_KEYRING", "p" },
	{ "UPDATE", "kpu" }, { "REVOKE", "k" }, { "CHOWN", "kUU" },
	{ "SETPERM", "kx" }, { "DESCRIBE", "kpu" }, { "CLEAR", "k" },
	{ "LINK", "kk" }, { "UNLINK", "kk" }, { "SEARCH", "kppk" },
	{ "READ", "kpu" }, { "INSTANTIATE", "kpuk" }, { "NEGATE", "kuk" },
	{ "SET_REQKEY_KEYRING", "i" }, { "SET_TIMEOUT", "ku" },
	{ "ASSUME_AUTHORITY", "k" }, { "GET_SECURITY", "kpu" },
	{ "SESSION_TO_PARENT", "" }, { "REJECT", "kuuk" },
	{ "INSTANTIATE_IOV", "kpuk" }, { "INVALIDATE", "k" },
	{ "GET_PERSISTENT", "Uk" }, { "DH_COMPUTE", NULL },
	{ "PKEY_QUERY", NULL }, { "PKEY_ENCRYPT", NULL },
	{ "PKEY_DECRYPT", NULL }, { "PKEY_SIGN", NULL },
	{ "PKEY_VERIFY", NULL }, { "RESTRICT_KEYRING", NULL },
	{ "MOVE", NULL }, { "CAPABILITIES", NULL }, { "WATCH_KEY", NULL },
};
static const char *const key_specs[] = { "THREAD_KEYRING",
	"PROCESS_KEYRING", "SESSION_KEYRING", "USER_KEYRING",
	"USER_SESSION_KEYRING", "GROUP_KEYRING", "REQKEY_AUTH_KEY",
	"REQUESTOR_KEYRING" };

static const char *keyctl_args(uint64_t cmd)
{
	if (cmd < ARRAY_LEN(keyctl_cmds) && keyctl_cmds[cmd].args)
		return keyctl_cmds[cmd].args;
	return NULL;
}

static unsigned keyctl_nargs(uint64_t cmd)
{
	const char *a = keyctl_args(cmd);

	return a ? 1 + (unsigned)strlen(a) : 5;
}

static void keyctl_arg(const struct dctx *d, unsigned i)
{
	struct limen_sb *sb = d->sb;
	uint64_t cmd = d->c->args[0] & 0xffffffff, v = d->c->args[i];
	const char *a = keyctl_args(cmd);
	int k;

	if (i == 0) {
		if (cmd < ARRAY_LEN(keyctl_cmds))
			limen_sb_printf(sb, "KEYCTL_%s", keyctl_cmds[cmd].name);
		else
			limen_sb_printf(sb, "%#llx /* KEYCTL_??? */",
					(unsigned long long)cmd);
		return;
	}
	switch (a ? a[i - 1] : 'x') {
	case 'k':
		k = (int)v;
		if (k < 0 && k >= -(int)ARRAY_LEN(key_specs))
			limen_sb_printf(sb, "KEY_SPEC_%s", key_specs[-k - 1]);
		else
			limen_sb_printf(sb, "%d", k);
		return;
	case 'i':
		limen_sb_printf(sb, "%d", (int)v);
		return;
	case 'u':
		limen_sb_printf(sb, "%u", (unsigned)v);
		return;
	case 'U':
		if ((uint32_t)v == UINT32_MAX)
			limen_sb_puts(sb, "-1");
		else
			limen_sb_printf(sb, "%u", (unsigned)v);
		return;
	case 'p':
		dx_ptr(sb, v);
		return;
	}
	limen_sb_printf(sb, "%#llx", (unsigned long long)v);
}

static unsigned syslog_dec_nargs(const struct limen_call *c, unsigned n)
{
	return syslog_nargs((int)c->args[0]);
}

static int syslog_dec_arg(const struct dctx *d, unsigned i)
{
	syslog_arg(d, i);
	return 1;
}
const struct dsys dsys_syslog = { .nargs = syslog_dec_nargs,
				  .arg = syslog_dec_arg };

static unsigned keyctl_dec_nargs(const struct limen_call *c, unsigned n)
{
	return keyctl_nargs(c->args[0] & 0xffffffff);
}

static int keyctl_dec_arg(const struct dctx *d, unsigned i)
{
	keyctl_arg(d, i);
	return 1;
}
const struct dsys dsys_keyctl = { .nargs = keyctl_dec_nargs,
				  .arg = keyctl_dec_arg };

static int getrandom_dec_arg(const struct dctx *d, unsigned i)
{
	if (i != 0)
		return 0;
	getrandom_arg(d);
	return 1;
}
const struct dsys dsys_getrandom = { .arg = getrandom_dec_arg };

static int landlock_create_ruleset_arg(const struct dctx *d, unsigned i)
{

	if (i == 2)
		dx_flags(d->sb, &limen_xlats[LIMEN_XLAT_landlock_create_flags], d->c->args[2] & 0xffffffff,
			 "0");
	else if (i == 0 && d->c->args[0] && d->c->args[1] < 8)
		dx_ptr(d->sb, d->c->args[0]);
	else
		return 0;
	return 1;
}
const struct dsys dsys_landlock_create_ruleset = {
	.arg = landlock_create_ruleset_arg };

/* membarrier as strace 6.1: cpu_id only with MEMBARRIER_CMD_FLAG_CPU;
   MEMBARRIER_CMD_QUERY's result is the commands supported, in hex with
   their names */
static unsigned membarrier_nargs(const struct limen_call *c, unsigned n)
{
	return c->args[1] & LIMEN_XV_membarrier_flags_MEMBARRIER_CMD_FLAG_CPU ?
	       3 : 2;
}

static int membarrier_arg(const struct dctx *d, unsigned i)
{
	if (i)
		return 0;
	dx_enum(d->sb, &limen_xlats[LIMEN_XLAT_membarrier_cmd],
		(uint32_t)d->c->args[0], "%#llx /* MEMBARRIER_CMD_??? */");
	return 1;
}

static int membarrier_query(const struct dctx *d)
{
	return (int)d->c->args[0] == LIMEN_XV_membarrier_cmd_MEMBARRIER_CMD_QUERY &&
	       d->c->ret;
}

static int membarrier_ret_style(const struct dctx *d)
{
	return membarrier_query(d) ? 'x' : 0;
}

static void membarrier_ret_aux(const struct dctx *d)
{
	if (!membarrier_query(d))
		return;
	limen_sb_puts(d->sb, " (");
	dx_flags(d->sb, &limen_xlats[LIMEN_XLAT_membarrier_cmd],
		 (uint64_t)d->c->ret, "0");
	limen_sb_putc(d->sb, ')');
}
const struct dsys dsys_membarrier = { .nargs = membarrier_nargs,
				      .arg = membarrier_arg,
				      .ret_style = membarrier_ret_style,
				      .ret_aux = membarrier_ret_aux };

/*
 * An I/O priority as strace 6.1 shows it, ioprio_set's argument and
 * ioprio_get's result (after the number): IOPRIO_PRIO_VALUE(class, data),
 * the class the bits from 13 up, the data the 13 below. -X raw: the
 * argument as an int, no text after the result; -X verbose: the int, the
 * text in a comment with the class as verbose prints an enum.
 */
static void ioprio_text(struct limen_sb *sb, uint32_t v)
{
	limen_sb_puts(sb, "IOPRIO_PRIO_VALUE(");
	dx_enum(sb, &limen_xlats[LIMEN_XLAT_ioprio_class], v >> 13, NULL);
	limen_sb_printf(sb, ", %u)", v & 0x1fff);
}

static int ioprio_arg(const struct dctx *d, unsigned i)
{
	uint32_t v = (uint32_t)d->c->args[2];

	if (d->c->nr != LIMEN_NR_ioprio_set || i != 2)
		return 0;
	if (d->sb->xstyle)
		limen_sb_printf(d->sb, "%d", (int32_t)v);
	if (d->sb->xstyle == 1)
		return 1;
	if (d->sb->xstyle)
		limen_sb_puts(d->sb, " /* ");
	ioprio_text(d->sb, v);
	if (d->sb->xstyle)
		limen_sb_puts(d->sb, " */");
	return 1;
}

static void ioprio_ret_aux(const struct dctx *d)
{
	if (d->c->nr != LIMEN_NR_ioprio_get || d->c->ret < 0 ||
	    d->sb->xstyle == 1)
		return;
	limen_sb_puts(d->sb, " (");
	ioprio_text(d->sb, (uint32_t)d->c->ret);
	limen_sb_putc(d->sb, ')');
}
const struct dsys dsys_ioprio = { .arg = ioprio_arg,
				  .ret_aux = ioprio_ret_aux };

/*
 * memfd_create's flags as strace 6.1 shows them: the flags, then the huge
 * page size's log2 in bits 26-31: MFD_HUGETLB|21<<MFD_HUGE_SHIFT. -X
 * verbose puts all of it in one comment, strace's nesting included
 * (0x100 /" "* 0x100 /" "* MFD_??? *" "/ *" "/).
 */
static int memfd_create_arg(const struct dctx *d, unsigned i)
{
	struct limen_sb *sb = d->sb;
	uint32_t v = (uint32_t)d->c->args[1], huge = v >> 26 & 0x3f;
	uint32_t rest = v & ~(0x3fu << 26);
	int style = sb->xstyle;

	if (i != 1)
		return 0;
	if (style)
		limen_sb_printf(sb, v ? "%#x" : "0", v);
	if (style == 1 || (style && !v))
		return 1;
	if (style)
		limen_sb_puts(sb, " /* ");
	sb->xstyle = 0;
	if (rest || !huge)
		dx_flags(sb, &limen_xlats[LIMEN_XLAT_memfd_flags], rest, "0");
	if (huge)
		limen_sb_printf(sb, "%s%u<<MFD_HUGE_SHIFT", rest ? "|" : "", huge);
	sb->xstyle = style;
	if (style)
		limen_sb_puts(sb, " */");
	return 1;
}
const struct dsys dsys_memfd_create = { .arg = memfd_create_arg };
