// SPDX-License-Identifier: MIT
/*
 * Process calls strace renders irregularly (prctl: prctl.c): personality,
 * arch_prctl, execve's envp, CPU affinity, scheduling policy, capabilities, thread
 * areas and the LDT, kexec_load, perf_event_open.
 * Each call's decoder is named in tables/syscalls.tbl's DECODER column.
 */
#include <string.h>

#include "decode/dec_int.h"

/* sched_{get,set}affinity: the CPU numbers set in the mask, "[0 1]" */
static void cpu_mask(const struct dctx *d, unsigned i, int out)
{
	const struct limen_blob *b = dd_blob(d, i, out);
	size_t len;
	int first = 1;

	if (!b || (out && (!d->c->has_ret || d->failed))) {
		dx_ptr(d->sb, d->c->args[i]);
		return;
	}
	len = out ? (size_t)d->c->ret : (size_t)d->c->args[1];
	if (len > b->len)
		len = b->len;
	limen_sb_putc(d->sb, '[');
	for (size_t bit = 0; bit < len * 8; bit++) {
		if (!(b->data[bit / 8] & (1u << (bit % 8))))
			continue;
		limen_sb_printf(d->sb, "%s%zu", first ? "" : " ", bit);
		first = 0;
	}
	if (b->flags & LIMEN_BLOB_TRUNC)
		limen_sb_puts(d->sb, first ? "..." : " ...");
	limen_sb_putc(d->sb, ']');
}

/* "PER_LINUX32|ADDR_NO_RANDOMIZE": the type in the low byte, then flags */
static void personality_p(struct limen_sb *sb, uint32_t v)
{
	const struct limen_xlat *x =
		&limen_xlats[LIMEN_XLAT_personality_flags];
	uint32_t fl = v & ~0xffu;
	unsigned k;

	dx_enum(sb, &limen_xlats[LIMEN_XLAT_personality_type], v & 0xff, NULL);
	for (k = 0; k < x->n; k++) {
		const struct limen_xlat_item *it = &limen_xlat_items_of(x)[k];
		uint32_t bit = (uint32_t)it->val;

		if (bit && (fl & bit) == bit) {
			limen_sb_printf(sb, "|%s", limen_str(it->name));
			fl &= ~bit;
		}
	}
	if (fl)
		limen_sb_printf(sb, "|%#x", fl);
}

/* named constants of tables/xlat.tbl */
#define ARCH_GET_FS_ LIMEN_XV_arch_prctl_code_ARCH_GET_FS
#define ARCH_GET_GS_ LIMEN_XV_arch_prctl_code_ARCH_GET_GS
#define ARCH_GET_CPUID_ LIMEN_XV_arch_prctl_code_ARCH_GET_CPUID

static void arch_prctl_arg(const struct dctx *d)
{
	struct limen_sb *sb = d->sb;
	uint64_t op = d->c->args[0] & 0xffffffff, v = d->c->args[1];
	const struct limen_blob *b;
	uint64_t x;

	if (op != ARCH_GET_FS_ && op != ARCH_GET_GS_) {
		limen_sb_printf(sb, "%#llx", (unsigned long long)v);
		return;
	}
	if (!v || d->failed || !d->c->has_ret ||
	    !(b = dd_blob_min(d, 1, 1, 8)) ||
	    !(d->c->cap_out[1].flags & LIMEN_BLOB_PRESENT)) {
		dx_ptr(sb, v);
		return;
	}
	memcpy(&x, b->data, 8);
	limen_sb_putc(sb, '[');
	dx_ptr(sb, x);
	limen_sb_putc(sb, ']');
}

/* one 32-bit word of capabilities starting at capability `base` */
static void cap_word(struct limen_sb *sb, uint32_t w, unsigned base)
{
	uint32_t left = w;
	int first = 1;
	unsigned k;

	if (!w) {
		limen_sb_putc(sb, '0');
		return;
	}
	for (k = 0; k < 32; k++) {
		const char *n = (w & (1u << k)) ?
			dx_lookup(&limen_xlats[LIMEN_XLAT_capability], base + k) :
			NULL;

		if (!n)
			continue;
		limen_sb_printf(sb, "%s1<<%s", first ? "" : "|", n);
		first = 0;
		left &= ~(1u << k);
	}
	if (left && first)
		limen_sb_printf(sb, "%#x /* CAP_??? */", left);
	else if (left)
		limen_sb_printf(sb, "|%#x", left);
}

static void cap_set(struct limen_sb *sb, uint32_t lo, uint32_t hi)
{
	if (lo || !hi)
		cap_word(sb, lo, 0);
	if (hi) {
		if (lo)
			limen_sb_putc(sb, '|');
		cap_word(sb, hi, 32);
	}
}

/* capget/capset data: one element for _LINUX_CAPABILITY_VERSION_1, two
   for 2 and 3, the pointer for other versions */
static void cap_data_arg(const struct dctx *d, int out)
{
	struct limen_sb *sb = d->sb;
	uint64_t v = d->c->args[1];
	const struct limen_blob *h = dd_blob_min(d, 0, 0, 8), *b;
	uint32_t ver, w[6] = { 0 };
	unsigned nel, k;

	if (!v) {
		limen_sb_puts(sb, "NULL");
		return;
	}
	if (!h || (out && (d->failed || !d->c->has_ret))) {
		dx_ptr(sb, v);
		return;
	}
	memcpy(&ver, h->data, 4);
	nel = ver == 0x19980330 ? 1 :
	      (ver == 0x20071026 || ver == 0x20080522) ? 2 : 0;
	b = nel ? dd_blob_min(d, 1, out, 12 * nel) : NULL;
	if (!b) {
		dx_ptr(sb, v);
		return;
	}
	for (k = 0; k < 3 * nel; k++)
		memcpy(&w[k], b->data + 4 * k, 4);
	limen_sb_puts(sb, "{effective=");
	cap_set(sb, w[0], w[3]);
	limen_sb_puts(sb, ", permitted=");
	cap_set(sb, w[1], w[4]);
	limen_sb_puts(sb, ", inheritable=");
	cap_set(sb, w[2], w[5]);
	limen_sb_putc(sb, '}');
}

static void user_desc_rest(struct limen_sb *sb, const uint8_t *p)
{
	uint32_t base, limit, f;

	memcpy(&base, p + 4, 4);
	memcpy(&limit, p + 8, 4);
	memcpy(&f, p + 12, 4);
	limen_sb_printf(sb, ", base_addr=%#08x, limit=%#08x, seg_32bit=%u, "
			"contents=%u, read_exec_only=%u, limit_in_pages=%u, "
			"seg_not_present=%u, useable=%u, lm=%u}", base, limit,
			f & 1, (f >> 1) & 3, (f >> 3) & 1, (f >> 4) & 1,
			(f >> 5) & 1, (f >> 6) & 1, (f >> 7) & 1);
}

/* get_thread_area: entry_number at entry, the rest at exit;
   set_thread_area: all at entry, the entry number the kernel chose */
static void thread_area_arg(const struct dctx *d, int set)
{
	struct limen_sb *sb = d->sb;
	const struct limen_blob *in = dd_in_or_ptr(d, 0, 16), *out = NULL;
	uint32_t ein, eout;

	if (!in)
		return;
	memcpy(&ein, in->data, 4);
	if (d->c->has_ret && !d->failed &&
	    (d->c->cap_out[0].flags & LIMEN_BLOB_PRESENT))
		out = dd_blob_min(d, 0, 1, 16);
	if (out)
		memcpy(&eout, out->data, 4);
	if (set) {
		ds_print(sb, LIMEN_ST_user_desc, in->data, in->len, d);
		if (out && eout != ein)
			limen_sb_printf(sb, " => {entry_number=%u, ...}", eout);
		return;
	}
	limen_sb_printf(sb, "{entry_number=%u", ein);
	if (!out) {
		limen_sb_puts(sb, ", ...}");
		return;
	}
	if (eout != ein)
		limen_sb_printf(sb, " => %u", eout);
	user_desc_rest(sb, out->data);
}

static void kexec_flags(struct limen_sb *sb, uint64_t v)
{
	uint64_t rest = v & 0xffff, used;
	int first = 0;

	dx_enum(sb, &limen_xlats[LIMEN_XLAT_kexec_arch], v & 0xffff0000ULL,
		"%#llx /* KEXEC_ARCH_??? */");
	if (!rest)
		return;
	used = dx_bits(sb, &limen_xlats[LIMEN_XLAT_kexec_flags], rest, &first);
	rest &= ~used;
	if (rest && !used)
		limen_sb_printf(sb, "|%#llx /* KEXEC_??? */",
				(unsigned long long)rest);
	else if (rest)
		limen_sb_printf(sb, "|%#llx", (unsigned long long)rest);
}

static unsigned arch_prctl_nargs(const struct limen_call *c, unsigned n)
{
	return (c->args[0] & 0xffffffff) == ARCH_GET_CPUID_ ? 1 : n;
}

static int arch_prctl_dec_arg(const struct dctx *d, unsigned i)
{
	if (i != 1)
		return 0;
	arch_prctl_arg(d);
	return 1;
}
const struct dsys dsys_arch_prctl = { .nargs = arch_prctl_nargs,
				      .arg = arch_prctl_dec_arg };

static int sched_affinity_arg(const struct dctx *d, unsigned i)
{
	if (i != 2)
		return 0;
	cpu_mask(d, 2, d->c->nr == LIMEN_NR_sched_getaffinity);
	return 1;
}
const struct dsys dsys_sched_affinity = { .arg = sched_affinity_arg };

static int personality_arg(const struct dctx *d, unsigned i)
{
	if (i != 0)
		return 0;
	if ((uint32_t)d->c->args[0] == UINT32_MAX)
		limen_sb_puts(d->sb, "0xffffffff");
	else
		personality_p(d->sb, (uint32_t)d->c->args[0]);
	return 1;
}

static int personality_ret_style(const struct dctx *d)
{
	return 'x';
}

static void personality_ret_aux(const struct dctx *d)
{
	limen_sb_puts(d->sb, " (");
	personality_p(d->sb, (uint32_t)d->c->ret);
	limen_sb_putc(d->sb, ')');
}
const struct dsys dsys_personality = { .arg = personality_arg,
				       .ret_style = personality_ret_style,
				       .ret_aux = personality_ret_aux };

static int cap_arg(const struct dctx *d, unsigned i)
{
	if (i != 1)
		return 0;
	cap_data_arg(d, d->c->nr == LIMEN_NR_capget);
	return 1;
}
const struct dsys dsys_cap = { .arg = cap_arg };

static int thread_area_dec_arg(const struct dctx *d, unsigned i)
{
	if (i != 0)
		return 0;
	thread_area_arg(d, d->c->nr == LIMEN_NR_set_thread_area);
	return 1;
}
const struct dsys dsys_thread_area = { .arg = thread_area_dec_arg };

static int modify_ldt_arg(const struct dctx *d, unsigned i)
{
	if (i != 1 || d->c->args[2] == 16)
		return 0;
	dx_ptr(d->sb, d->c->args[1]);
	return 1;
}

static void modify_ldt_ret_aux(const struct dctx *d)
{
	uint64_t r = (uint64_t)d->c->ret;
	const char *n;
	char buf[64];

	if (r <= 0xfffff000ULL || r > 0xffffffffULL)
		return;
	/* the kernel returns the int result zero-extended: strace still
	   names the error */
	n = limen_errname((int)(0x100000000ULL - r));
	if (n)
		limen_sb_printf(d->sb, " %s (%s)", n,
				dn_errdesc((int)(0x100000000ULL - r), buf));
}
const struct dsys dsys_modify_ldt = { .arg = modify_ldt_arg,
				      .ret_aux = modify_ldt_ret_aux };

static int kexec_load_arg(const struct dctx *d, unsigned i)
{
	if (i != 3)
		return 0;
	kexec_flags(d->sb, d->c->args[3] & 0xffffffff);
	return 1;
}
const struct dsys dsys_kexec_load = { .arg = kexec_load_arg };

static int perf_event_open_arg(const struct dctx *d, unsigned i)
{

	if (i != 4)
		return 0;
	dx_flags(d->sb, &limen_xlats[LIMEN_XLAT_perf_flags], d->c->args[4], "0");
	return 1;
}
const struct dsys dsys_perf_event_open = { .arg = perf_event_open_arg };

static void sched_getscheduler_ret_aux(const struct dctx *d)
{
	const char *n = dx_lookup(&limen_xlats[LIMEN_XLAT_sched_policy],
				  (uint64_t)d->c->ret);

	if (n)
		limen_sb_printf(d->sb, " (%s)", n);
}
const struct dsys dsys_sched_getscheduler = {
	.ret_aux = sched_getscheduler_ret_aux };

static int execve_arg(const struct dctx *d, unsigned i)
{
	const struct limen_blob *b;

	/* envp is shown as a count of variables */
	if (i != (d->c->nr == LIMEN_NR_execveat ? 3u : 2u) || !d->c->args[i])
		return 0;
	b = dd_blob(d, i, 0);
	if (!b)
		return 0;
	dd_argv(d, b, d->c->args[i], 1);
	return 1;
}
const struct dsys dsys_execve = { .arg = execve_arg };

/* wait4: the status and the usage are written only for a child reaped; a
   WNOHANG call that found none (0) shows both as addresses, the usage
   then too, as strace does, whatever they held before */
static int wait4_arg(const struct dctx *d, unsigned i)
{
	if ((i != 1 && i != 3) || !d->c->has_ret || d->c->ret != 0 ||
	    d->failed)
		return 0;
	dx_ptr(d->sb, d->c->args[i]);
	return 1;
}
const struct dsys dsys_wait4 = { .arg = wait4_arg };
