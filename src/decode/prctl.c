// SPDX-License-Identifier: MIT
/*
 * prctl and seccomp, as strace 6.1 renders them: each prctl option shows
 * the arguments it uses, named (PR_SET_SECCOMP, SECCOMP_MODE_FILTER,
 * {len=4, filter=0x...}), the options strace does not know show all five
 * in hex. The bytes behind the pointers are captured as
 * runtime/special_prctl.c says. A seccomp filter prints as {len=N,
 * filter=ADDR}, with -v too: strace -v lists the BPF instructions, limen
 * does not capture them.
 */
#include <linux/prctl.h>
#include <linux/seccomp.h>
#include <string.h>

#include "decode/dec_int.h"

static const struct dxl seccomp_mode[] = {
	DXL(SECCOMP_MODE_DISABLED), DXL(SECCOMP_MODE_STRICT),
	DXL(SECCOMP_MODE_FILTER),
};
static const struct dxl seccomp_filter_flags[] = {
	DXL(SECCOMP_FILTER_FLAG_TSYNC), DXL(SECCOMP_FILTER_FLAG_LOG),
	DXL(SECCOMP_FILTER_FLAG_SPEC_ALLOW),
	DXL(SECCOMP_FILTER_FLAG_NEW_LISTENER),
	DXL(SECCOMP_FILTER_FLAG_TSYNC_ESRCH),
	DXL(SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV),
};
static const struct dxl seccomp_ret_action[] = {
	DXL(SECCOMP_RET_KILL_PROCESS), DXL(SECCOMP_RET_KILL_THREAD),
	DXL(SECCOMP_RET_TRAP), DXL(SECCOMP_RET_ERRNO),
	DXL(SECCOMP_RET_USER_NOTIF), DXL(SECCOMP_RET_TRACE),
	DXL(SECCOMP_RET_LOG), DXL(SECCOMP_RET_ALLOW),
};
static const struct dxl pr_cap_ambient[] = {
	DXL(PR_CAP_AMBIENT_IS_SET), DXL(PR_CAP_AMBIENT_RAISE),
	DXL(PR_CAP_AMBIENT_LOWER), DXL(PR_CAP_AMBIENT_CLEAR_ALL),
};
static const struct dxl pr_mce_kill[] = {
	DXL(PR_MCE_KILL_CLEAR), DXL(PR_MCE_KILL_SET),
};
static const struct dxl pr_mce_kill_policy[] = {
	DXL(PR_MCE_KILL_LATE), DXL(PR_MCE_KILL_EARLY),
	DXL(PR_MCE_KILL_DEFAULT),
};
static const struct dxl pr_set_mm[] = {
	DXL(PR_SET_MM_START_CODE), DXL(PR_SET_MM_END_CODE),
	DXL(PR_SET_MM_START_DATA), DXL(PR_SET_MM_END_DATA),
	DXL(PR_SET_MM_START_STACK), DXL(PR_SET_MM_START_BRK),
	DXL(PR_SET_MM_BRK), DXL(PR_SET_MM_ARG_START), DXL(PR_SET_MM_ARG_END),
	DXL(PR_SET_MM_ENV_START), DXL(PR_SET_MM_ENV_END),
	DXL(PR_SET_MM_AUXV), DXL(PR_SET_MM_EXE_FILE), DXL(PR_SET_MM_MAP),
	DXL(PR_SET_MM_MAP_SIZE),
};
static const struct dxl pr_set_vma[] = { DXL(PR_SET_VMA_ANON_NAME) };
static const struct dxl pr_tsc[] = { DXL(PR_TSC_ENABLE), DXL(PR_TSC_SIGSEGV) };
static const struct dxl pr_unalign[] = {
	DXL(PR_UNALIGN_NOPRINT), DXL(PR_UNALIGN_SIGBUS),
};
static const struct dxl pr_fp_mode[] = { DXL(PR_FP_MODE_FR), DXL(PR_FP_MODE_FRE) };
static const struct dxl pr_spec_cmds[] = {
	DXL(PR_SPEC_STORE_BYPASS), DXL(PR_SPEC_INDIRECT_BRANCH),
	DXL(PR_SPEC_L1D_FLUSH),
};
static const struct dxl pr_spec_flags[] = {
	DXL(PR_SPEC_PRCTL), DXL(PR_SPEC_ENABLE), DXL(PR_SPEC_DISABLE),
	DXL(PR_SPEC_FORCE_DISABLE), DXL(PR_SPEC_DISABLE_NOEXEC),
};
static const struct dxl secbits[] = {
	{ 1u << 0, "SECBIT_NOROOT" }, { 1u << 1, "SECBIT_NOROOT_LOCKED" },
	{ 1u << 2, "SECBIT_NO_SETUID_FIXUP" },
	{ 1u << 3, "SECBIT_NO_SETUID_FIXUP_LOCKED" },
	{ 1u << 4, "SECBIT_KEEP_CAPS" }, { 1u << 5, "SECBIT_KEEP_CAPS_LOCKED" },
	{ 1u << 6, "SECBIT_NO_CAP_AMBIENT_RAISE" },
	{ 1u << 7, "SECBIT_NO_CAP_AMBIENT_RAISE_LOCKED" },
};

static uint64_t op_of(const struct limen_call *c)
{
	return c->args[0] & 0xffffffff;
}

/* Arguments strace shows for each option; 5 for those it shows in hex. */
static unsigned prctl_nargs(const struct limen_call *c, unsigned n)
{
	switch (op_of(c)) {
	case PR_GET_KEEPCAPS: case PR_GET_SECCOMP: case PR_GET_TIMERSLACK:
	case PR_GET_TIMING: case PR_GET_DUMPABLE: case PR_GET_SECUREBITS:
	case PR_GET_FP_MODE: case PR_TASK_PERF_EVENTS_DISABLE:
	case PR_TASK_PERF_EVENTS_ENABLE:
		return 1;
	case PR_SET_PDEATHSIG: case PR_GET_PDEATHSIG: case PR_SET_DUMPABLE:
	case PR_GET_UNALIGN: case PR_SET_UNALIGN: case PR_SET_KEEPCAPS:
	case PR_GET_FPEMU: case PR_SET_FPEMU: case PR_GET_FPEXC:
	case PR_SET_FPEXC: case PR_SET_TIMING: case PR_SET_NAME:
	case PR_GET_NAME: case PR_GET_ENDIAN: case PR_SET_ENDIAN:
	case PR_CAPBSET_READ: case PR_CAPBSET_DROP: case PR_GET_TSC:
	case PR_SET_TSC: case PR_SET_SECUREBITS: case PR_SET_TIMERSLACK:
	case PR_SET_CHILD_SUBREAPER: case PR_GET_CHILD_SUBREAPER:
	case PR_GET_TID_ADDRESS: case PR_SET_FP_MODE:
	case PR_GET_SPECULATION_CTRL: case PR_SET_PTRACER:
		return 2;
	case PR_SET_SPECULATION_CTRL:
		return 3;
	case PR_SET_SECCOMP:
		return c->args[1] == SECCOMP_MODE_STRICT ? 2 :
		       c->args[1] == SECCOMP_MODE_FILTER ? 3 : 5;
	}
	return 5;
}

/* An int the call wrote, "[...]" (its pointer if the call failed). */
static const uint8_t *out_word(const struct dctx *d, unsigned i, size_t len)
{
	const struct limen_blob *b;

	if (!d->c->args[i]) {
		limen_sb_puts(d->sb, "NULL");
		return NULL;
	}
	if (d->failed || !d->c->has_ret ||
	    !(b = dd_exit_blob(d, i, len))) {
		dx_ptr(d->sb, d->c->args[i]);
		return NULL;
	}
	return b->data;
}

static void out_int(const struct dctx *d, uint64_t op)
{
	struct limen_sb *sb = d->sb;
	const uint8_t *p;
	int32_t v;

	if (op == PR_GET_TID_ADDRESS) {
		if (!(p = out_word(d, 1, 8)))
			return;
		limen_sb_putc(sb, '[');
		dx_ptr(sb, r64(p, 0));
		limen_sb_putc(sb, ']');
		return;
	}
	if (!(p = out_word(d, 1, 4)))
		return;
	v = (int32_t)r32(p, 0);
	limen_sb_putc(sb, '[');
	if (op == PR_GET_PDEATHSIG)
		dn_sig(sb, v);
	else if (op == PR_GET_TSC)
		dl_enum(sb, pr_tsc, ARRAY_LEN(pr_tsc), (uint32_t)v,
			"%#llx /* PR_TSC_??? */");
	else if (op == PR_GET_UNALIGN)
		dl_flags(sb, pr_unalign, ARRAY_LEN(pr_unalign), (uint32_t)v, "0");
	else
		limen_sb_printf(sb, "%u", (unsigned)v);
	limen_sb_putc(sb, ']');
}

/* a struct sock_fprog: "{len=4, filter=0x...}"; strace -v would list the
   instructions, which are not captured */
static void fprog(const struct dctx *d, unsigned i)
{
	const struct limen_blob *b = dd_in_or_ptr(d, i, 16);

	if (!b)
		return;
	limen_sb_printf(d->sb, "{len=%u, filter=", r16(b->data, 0));
	dx_ptr(d->sb, r64(b->data, 8));
	limen_sb_putc(d->sb, '}');
}

static void set_name(const struct dctx *d, int out)
{
	const struct limen_blob *b;
	uint64_t v = d->c->args[1];

	if (out && d->failed) {
		dx_ptr(d->sb, v);
		return;
	}
	b = dd_blob_any(d, 1, out);	/* strace's printstr */
	if (!b || !v) {
		dx_ptr(d->sb, v);
		return;
	}
	dq_blob(d->sb, b, b->len ? strnlen((const char *)b->data, b->len) : 0,
		d->strsize);
}

/* PR_SET_VMA_ANON_NAME's name, strace's printstr: up to -s, to its NUL */
static void vma_name(const struct dctx *d)
{
	const struct limen_blob *b = d->c->args[4] ? dd_blob_any(d, 4, 0)
						   : NULL;
	size_t n;

	if (!b || !b->len) {
		dx_ptr(d->sb, d->c->args[4]);
		return;
	}
	n = strnlen((const char *)b->data, b->len);
	dq_blob(d->sb, b, n, d->strsize);
}

static void arg2(const struct dctx *d, uint64_t op, uint64_t v)
{
	struct limen_sb *sb = d->sb;

	switch (op) {
	case PR_SET_PDEATHSIG:
		if (v > 128)
			limen_sb_printf(sb, "%llu", (unsigned long long)v);
		else
			dn_sig(sb, (int)v);
		return;
	case PR_GET_PDEATHSIG: case PR_GET_CHILD_SUBREAPER: case PR_GET_TSC:
	case PR_GET_UNALIGN: case PR_GET_FPEMU: case PR_GET_FPEXC:
	case PR_GET_ENDIAN: case PR_GET_TID_ADDRESS:
		out_int(d, op);
		return;
	case PR_SET_NAME: case PR_GET_NAME:
		set_name(d, op == PR_GET_NAME);
		return;
	case PR_SET_DUMPABLE:
		dx_enum(sb, &limen_xlats[LIMEN_XLAT_suid_dumpable], v,
			"%#llx /* SUID_DUMP_??? */");
		return;
	case PR_SET_CHILD_SUBREAPER: case PR_SET_ENDIAN: case PR_SET_FPEMU:
	case PR_SET_FPEXC: case PR_SET_KEEPCAPS: case PR_SET_TIMING:
	case PR_SET_NO_NEW_PRIVS: case PR_SET_THP_DISABLE:
	case PR_SET_IO_FLUSHER:
		limen_sb_printf(sb, "%llu", (unsigned long long)v);
		return;
	case PR_SET_TIMERSLACK:
		limen_sb_printf(sb, "%lld", (long long)v);
		return;
	case PR_CAPBSET_READ: case PR_CAPBSET_DROP:
		dx_enum(sb, &limen_xlats[LIMEN_XLAT_capability], v,
			"%#llx /* CAP_??? */");
		return;
	case PR_CAP_AMBIENT:
		dl_enum(sb, pr_cap_ambient, ARRAY_LEN(pr_cap_ambient), v,
			"%#llx /* PR_CAP_AMBIENT_??? */");
		return;
	case PR_MCE_KILL:
		dl_enum(sb, pr_mce_kill, ARRAY_LEN(pr_mce_kill), v,
			"%#llx /* PR_MCE_KILL_??? */");
		return;
	case PR_SET_MM:
		dl_enum(sb, pr_set_mm, ARRAY_LEN(pr_set_mm), v & 0xffffffff,
			"%#llx /* PR_SET_MM_??? */");
		return;
	case PR_SET_VMA:
		dl_enum(sb, pr_set_vma, ARRAY_LEN(pr_set_vma), v & 0xffffffff,
			"%#llx /* PR_SET_VMA_??? */");
		return;
	case PR_SET_PTRACER:
		if ((int)v == -1)
			dx_named(sb, v, "PR_SET_PTRACER_ANY");
		else
			limen_sb_printf(sb, "%llu", (unsigned long long)v);
		return;
	case PR_SET_SECCOMP:
		dl_enum(sb, seccomp_mode, ARRAY_LEN(seccomp_mode), v,
			"%#llx /* SECCOMP_MODE_??? */");
		return;
	case PR_SET_SECUREBITS:
		dl_flags(sb, secbits, ARRAY_LEN(secbits), v, "0");
		return;
	case PR_SET_TSC:
		dl_enum(sb, pr_tsc, ARRAY_LEN(pr_tsc), v & 0xffffffff,
			"%#llx /* PR_TSC_??? */");
		return;
	case PR_SET_UNALIGN:
		dl_flags(sb, pr_unalign, ARRAY_LEN(pr_unalign), v & 0xffffffff, "0");
		return;
	case PR_SET_FP_MODE:
		dl_flags(sb, pr_fp_mode, ARRAY_LEN(pr_fp_mode), v & 0xffffffff, "0");
		return;
	case PR_GET_SPECULATION_CTRL: case PR_SET_SPECULATION_CTRL:
		dl_enum(sb, pr_spec_cmds, ARRAY_LEN(pr_spec_cmds), v,
			"%#llx /* PR_SPEC_??? */");
		return;
	case PR_SET_SYSCALL_USER_DISPATCH:
		dx_enum(sb, &limen_xlats[LIMEN_XLAT_sud_mode], v,
			"%#llx /* PR_SYS_DISPATCH_??? */");
		return;
	}
	limen_sb_printf(sb, "%#llx", (unsigned long long)v);
}

static int prctl_arg(const struct dctx *d, unsigned i)
{
	struct limen_sb *sb = d->sb;
	uint64_t op = op_of(d->c), v = d->c->args[i];

	if (i < 1)
		return 0;
	if (i == 1) {
		arg2(d, op, v);
		return 1;
	}
	if (i == 2 && op == PR_SET_SECCOMP &&
	    d->c->args[1] == SECCOMP_MODE_FILTER) {
		fprog(d, 2);
		return 1;
	}
	if (i == 2 && op == PR_CAP_AMBIENT && d->c->args[1] >= 1 &&
	    d->c->args[1] <= 3) { /* IS_SET, RAISE, LOWER: a capability */
		dx_enum(sb, &limen_xlats[LIMEN_XLAT_capability], v,
			"%#llx /* CAP_??? */");
		return 1;
	}
	if (i == 2 && op == PR_MCE_KILL && d->c->args[1] == PR_MCE_KILL_SET) {
		dl_enum(sb, pr_mce_kill_policy, ARRAY_LEN(pr_mce_kill_policy), v,
			"%#llx /* PR_MCE_KILL_??? */");
		return 1;
	}
	if (i == 2 && op == PR_SET_SPECULATION_CTRL) {
		dl_flags(sb, pr_spec_flags, ARRAY_LEN(pr_spec_flags), v, "0");
		return 1;
	}
	if (op == PR_SET_VMA && d->c->args[1] == PR_SET_VMA_ANON_NAME &&
	    i >= 3) {
		if (i == 3)
			limen_sb_printf(sb, "%llu", (unsigned long long)v);
		else
			vma_name(d);
		return 1;
	}
	if (op == PR_SET_SYSCALL_USER_DISPATCH && i == 4) { /* selector */
		dx_ptr(sb, v);
		return 1;
	}
	limen_sb_printf(sb, "%#llx", (unsigned long long)v);
	return 1;
}

/* the pointers the call writes through print at exit */
static int prctl_arg_is_out(const struct limen_call *c, unsigned i)
{
	switch (op_of(c)) {
	case PR_GET_PDEATHSIG: case PR_GET_CHILD_SUBREAPER: case PR_GET_TSC:
	case PR_GET_UNALIGN: case PR_GET_FPEMU: case PR_GET_FPEXC:
	case PR_GET_ENDIAN: case PR_GET_TID_ADDRESS: case PR_GET_NAME:
		return i == 1;
	}
	return 0;
}

static int prctl_ret_style(const struct dctx *d)
{
	uint64_t op = op_of(d->c);

	if (d->failed)
		return 0;
	return op == PR_GET_SECUREBITS || op == PR_GET_SPECULATION_CTRL ?
		'x' : 0;
}

static void prctl_ret_aux(const struct dctx *d)
{
	uint64_t op = op_of(d->c), r = (uint64_t)d->c->ret;
	const char *n = NULL;
	struct limen_sb *sb = d->sb;

	if (d->failed || !d->c->has_ret)
		return;
	switch (op) {
	case PR_GET_DUMPABLE:
		n = dx_lookup(&limen_xlats[LIMEN_XLAT_suid_dumpable], r);
		break;
	case PR_MCE_KILL_GET:
		n = dl_lookup(pr_mce_kill_policy, ARRAY_LEN(pr_mce_kill_policy), r);
		break;
	case PR_GET_SECUREBITS: case PR_GET_FP_MODE:
	case PR_GET_SPECULATION_CTRL:
		if (!r || (op == PR_GET_SPECULATION_CTRL &&
			   d->c->args[1] > PR_SPEC_L1D_FLUSH))
			return;
		limen_sb_puts(sb, " (");
		if (op == PR_GET_SECUREBITS)
			dl_flags(sb, secbits, ARRAY_LEN(secbits), r, "0");
		else if (op == PR_GET_FP_MODE)
			dl_flags(sb, pr_fp_mode, ARRAY_LEN(pr_fp_mode), r, "0");
		else
			dl_flags(sb, pr_spec_flags, ARRAY_LEN(pr_spec_flags), r, "0");
		limen_sb_putc(sb, ')');
		return;
	}
	if (n)
		limen_sb_printf(sb, " (%s)", n);
}

const struct dsys dsys_prctl = { .nargs = prctl_nargs,
				 .arg = prctl_arg,
				 .arg_is_out = prctl_arg_is_out,
				 .ret_style = prctl_ret_style,
				 .ret_aux = prctl_ret_aux };

/* seccomp(2): the operation, its flags, its uargs by operation */
static int seccomp_arg(const struct dctx *d, unsigned i)
{
	struct limen_sb *sb = d->sb;
	uint64_t op = d->c->args[0] & 0xffffffff;
	uint32_t act;
	uint16_t sz[3];

	switch (i) {
	case 0:
		dx_enum(sb, &limen_xlats[LIMEN_XLAT_seccomp_op], op,
			"%#llx /* SECCOMP_SET_MODE_??? */");
		return 1;
	case 1:
		if (op == SECCOMP_SET_MODE_FILTER)
			dl_flags(sb, seccomp_filter_flags,
				 ARRAY_LEN(seccomp_filter_flags),
				 d->c->args[1] & 0xffffffff, "0");
		else
			limen_sb_printf(sb, "%u", (unsigned)d->c->args[1]);
		return 1;
	}
	if (op == SECCOMP_SET_MODE_FILTER) {
		fprog(d, 2);
		return 1;
	}
	if (op == SECCOMP_GET_ACTION_AVAIL) {
		const struct limen_blob *b = dd_in_or_ptr(d, 2, 4);

		if (!b)
			return 1;
		act = r32(b->data, 0);
		limen_sb_putc(sb, '[');
		dl_enum(sb, seccomp_ret_action, ARRAY_LEN(seccomp_ret_action), act,
			"%#llx /* SECCOMP_RET_??? */");
		limen_sb_putc(sb, ']');
		return 1;
	}
	if (op == SECCOMP_GET_NOTIF_SIZES) {
		const struct limen_blob *b = NULL;

		if (!d->c->args[2]) {
			limen_sb_puts(sb, "NULL");
			return 1;
		}
		if (!d->failed && d->c->has_ret)
			b = dd_exit_blob(d, 2, sizeof(sz));
		if (!b) {
			dx_ptr(sb, d->c->args[2]);
			return 1;
		}
		memcpy(sz, b->data, sizeof(sz));
		limen_sb_printf(sb, "{seccomp_notif=%u, seccomp_notif_resp=%u, "
				"seccomp_data=%u}", sz[0], sz[1], sz[2]);
		return 1;
	}
	dx_ptr(sb, d->c->args[2]);
	return 1;
}

static int seccomp_arg_is_out(const struct limen_call *c, unsigned i)
{
	return i == 2 && (c->args[0] & 0xffffffff) == SECCOMP_GET_NOTIF_SIZES;
}

const struct dsys dsys_seccomp = { .arg = seccomp_arg,
				   .arg_is_out = seccomp_arg_is_out };
