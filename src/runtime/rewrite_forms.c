/* SPDX-License-Identifier: MIT */
/*
 * The forms of a call site rewrite.c may rewrite, read backwards from its
 * `syscall`:
 *
 *	M		one 5-byte instruction of the two kinds rewrite.c
 *			proves, which the jmp replaces: mov $imm,%r32 (b8+r)
 *			or mov disp8(%rsp),%r64 (REX.W 8b /r, SIB 24)
 *	C1 .. Cn	0 to FORM_COPY_MAX bytes of straight-line instructions
 *			from the list below, left in place
 *	0f 05		the `syscall`
 *
 * The stub runs M and a copy of C1 .. Cn, then enters limen; a branch that
 * lands on one of the Ci runs the original bytes and reaches the `syscall`,
 * which SUD catches. So the Ci only need to do at the stub what they do in
 * place: instructions with no prefix but REX that neither branch, nor touch
 * memory (but a load from the program's stack, mov disp(%rsp),%r, as M's
 * second kind), nor read rip, nor write rsp, nor fault:
 *	add or adc sbb and sub xor cmp, test, mov, between registers
 *	  (01-3b odd, 85, 89, 8b /r with mod 11);
 *	the same with an immediate (80, 81, 83 /r, mod 11);
 *	shifts and rotates (c1, d1, d3 /0-/5 /7, mod 11); not, neg, test $imm
 *	  (f7 /2 /3 /0, mod 11);
 *	mov $imm (b8+r, REX.W b8+r imm64, c7 /0 mod 11); cmovcc, setcc (0f
 *	  40-4f, 0f 90-9f, mod 11); lea without a rip-relative operand (8d);
 *	  nop (90, no REX);
 *	mov (%rsp),%r, mov disp8(%rsp),%r, mov disp32(%rsp),%r (8b, SIB 24).
 * The flags they leave are those the stub's pushfq saves, so the program's
 * after the call, as the kernel's `syscall` returns with the flags it had.
 *
 * The proof of where instructions start, as rewrite.c asks of M alone:
 * decoded forward from M, the bytes end exactly at the `syscall`; the byte
 * before M is no prefix (or an inert run before a mov $imm, rewrite.c);
 * the trap's registers hold what M did (no Ci writes M's register again),
 * and what each Ci did wherever that can be seen (a mov, or a register
 * zeroed, whose register and source no later Ci writes). Where M fits at
 * two places, they must agree: the nearer one starts an instruction of the
 * farther one's decoding (as in a run of movs); else the site stays on SUD.
 * The nearest is used: the fewest bytes copied.
 */
#include "rewrite_forms.h"
#include "insn_len.h"

#define RSP 4
#define OP_MOV_IMM 0xb8
#define OP_MOV_LOAD 0x8b
#define SIB_RSP 0x24             /* base rsp, no index */
#define MODRM_RIP 0x05           /* mod 00 rm 101: disp32(%rip) */

enum { CHECK_NONE, CHECK_IMM, CHECK_REG, CHECK_LOAD };

/* One instruction of the list, decoded. */
struct insn {
	uint32_t len;
	uint16_t writes;         /* registers written, by x86 number */
	uint8_t check;           /* what the trap's registers can show: */
	uint8_t dst;             /* dst == val (CHECK_IMM), == src */
	uint8_t src;             /* (CHECK_REG), == disp(%rsp) (CHECK_LOAD) */
	uint8_t wide;            /* 64-bit; else 32 bits, zero-extended */
	int64_t val;             /* the immediate, or the displacement */
};

static uint64_t le(const uint8_t *p, unsigned n)
{
	uint64_t v = 0;

	while (n--)
		v = v << 8 | p[n];
	return v;
}


/* Writes register r (rsp: refused) */
static int writes(struct insn *d, unsigned r)
{
	if (r == RSP)
		return 0;
	d->writes |= (uint16_t)(1u << r);
	d->dst = (uint8_t)r;
	return 1;
}

/* The instruction at p (n bytes readable) is one of the list: 1 and *d. */
static int decode(const uint8_t *p, size_t n, struct insn *d)
{
	unsigned rex = 0, op, modrm, mod, sub, reg, rm;
	uint32_t i = 0, k;

	d->writes = 0;
	d->check = CHECK_NONE;
	d->dst = d->src = 0;
	d->val = 0;
	if (n && (p[0] & 0xf0) == 0x40)
		rex = p[i++];
	d->wide = (rex & 8) != 0;
	if (i >= n)
		return 0;
	op = p[i++];
	if (op >= OP_MOV_IMM && op < OP_MOV_IMM + 8) {
		/* mov $imm32,%r32, or REX.W: mov $imm64,%r64 */
		k = d->wide ? 8 : 4;
		if (i + k > n || !writes(d, (op & 7) | (rex & 1) << 3))
			return 0;
		d->val = (int64_t)le(p + i, k);
		d->check = CHECK_IMM;
		d->len = i + k;
		return 1;
	}
	if (op == 0x90) { /* nop; with REX.B it is xchg %r8,%rax */
		d->len = i;
		return !rex;
	}
	if (i >= n)
		return 0;
	if (op == 0x0f) {
		op = p[i++];
		if (i >= n || p[i] >> 6 != 3)
			return 0; /* between registers only */
		d->len = i + 1;
		rm = (p[i] & 7) | (rex & 1) << 3;
		if (op >= 0x40 && op <= 0x4f) /* cmovcc */
			return writes(d, ((p[i] >> 3) & 7) | (rex & 4) << 1);
		if (op >= 0x90 && op <= 0x9f && !(p[i] & 0x38)) /* setcc */
			return writes(d, !rex && rm >= 4 ? rm - 4 : rm);
		return 0;
	}
	modrm = p[i];
	mod = modrm >> 6;
	sub = (modrm >> 3) & 7;
	reg = sub | (rex & 4) << 1;
	rm = (modrm & 7) | (rex & 1) << 3;
	if ((op < 0x40 && (op & 5) == 1) || op == 0x85 || op == 0x89 ||
	    (op == OP_MOV_LOAD && mod == 3)) {
		/* ALU (op >> 3: add or adc sbb and sub xor cmp), test, mov:
		   register to register */
		int to_reg = (op & 2) != 0;
		unsigned alu = op < 0x40 ? op >> 3 : 8;

		if (mod != 3)
			return 0;
		d->len = i + 1;
		if (alu == 7 || op == 0x85)
			return 1; /* cmp, test: the flags only */
		if (!writes(d, to_reg ? reg : rm))
			return 0;
		d->src = (uint8_t)(to_reg ? rm : reg);
		if (op == 0x89 || op == OP_MOV_LOAD) {
			d->check = CHECK_REG;
		} else if ((alu == 5 || alu == 6) && d->src == d->dst) {
			d->check = CHECK_IMM; /* sub or xor with itself: 0 */
			d->val = 0;
		}
		return 1;
	}
	if (op == OP_MOV_LOAD) {
		/* mov disp(%rsp),%r: base rsp, no index (no REX.X, REX.B) */
		if ((modrm & 7) != 4 || i + 1 >= n || p[i + 1] != SIB_RSP ||
		    (rex & 3))
			return 0;
		k = mod == 1 ? 1 : mod == 2 ? 4 : 0;
		if (i + 2 + k > n || !writes(d, reg))
			return 0;
		d->val = k == 1 ? (int8_t)p[i + 2] :
			 k == 4 ? (int32_t)le(p + i + 2, 4) : 0;
		d->check = CHECK_LOAD;
		d->len = i + 2 + k;
		return 1;
	}
	if (op == 0x8d) { /* lea: computes, reads no memory; not of rip */
		k = limen_modrm_len(p + i, n - i);
		if (!k || mod == 3 || (modrm & 0xc7) == MODRM_RIP)
			return 0;
		d->len = i + k;
		return writes(d, reg);
	}
	if (mod != 3)
		return 0;
	d->len = i + 1;
	switch (op) {
	case 0x80: /* ALU $imm8,%r8 */
		d->len += 1;
		if (sub == 7)
			break;
		/* without REX, 4-7 are ah, ch, dh, bh: of registers 0-3 */
		if (!writes(d, !rex && rm >= 4 ? rm - 4 : rm))
			return 0;
		break;
	case 0x81:
	case 0x83:
		d->len += op == 0x81 ? 4 : 1;
		if (sub != 7 && !writes(d, rm))
			return 0;
		break;
	case 0xc1:
	case 0xd1:
	case 0xd3:
		d->len += op == 0xc1;
		if (sub == 6 || !writes(d, rm))
			return 0;
		break;
	case 0xf7:
		if (sub == 0)
			d->len += 4; /* test $imm32 */
		else if ((sub != 2 && sub != 3) || !writes(d, rm))
			return 0; /* not, neg; never mul or div */
		break;
	case 0xc7:
		if (sub != 0 || d->len + 4 > n || !writes(d, rm))
			return 0;
		d->val = (int32_t)le(p + d->len, 4);
		if (!d->wide)
			d->val = (int64_t)(uint32_t)d->val;
		d->check = CHECK_IMM;
		d->len += 4;
		break;
	default:
		return 0;
	}
	return d->len <= n;
}

/* The trap's registers agree with d (a check it can see). */
static int agrees(const struct insn *d, const struct form_regs *regs)
{
	uint64_t v = 0, got = regs->r[d->dst];
	unsigned size = d->wide ? 8 : 4;

	if (!(regs->known >> d->dst & 1))
		return 1;
	switch (d->check) {
	case CHECK_IMM:
		return got == (uint64_t)d->val;
	case CHECK_REG:
		if (!(regs->known >> d->src & 1))
			return 1;
		v = regs->r[d->src];
		return got == (d->wide ? v : (uint32_t)v);
	case CHECK_LOAD:
		return regs->load(&v, regs->r[RSP] + (uint64_t)d->val, size) ==
			       (long)size &&
		       got == v;
	}
	return 1;
}

/* Prefixes that change nothing in a mov $imm,%r32 nor in the jmp that
 * replaces it (rewrite.c, inert_run_ok), and every prefix. */
static int is_inert(uint8_t b)
{
	return b == 0x26 || b == 0x2e || b == 0x36 || b == 0x3e ||
	       b == 0x64 || b == 0x65 || b == 0x67;
}

static int is_prefix(uint8_t b)
{
	return (b >= 0x40 && b <= 0x4f) || b == 0x66 || b == 0xf0 ||
	       b == 0xf2 || b == 0xf3 || is_inert(b);
}

/* The bytes before the instruction at w - len leave it whole: no prefix,
 * or (mov $imm) a run of inert ones after a byte that is no prefix. */
static int before_ok(const uint8_t *w, size_t avail, uint32_t len, int mov_imm)
{
	uint8_t b;

	if (len >= avail)
		return 1; /* unread: rewrite.c asks the mappings */
	b = w[-(long)len - 1];
	if (!is_prefix(b))
		return 1;
	if (!mov_imm || !is_inert(b))
		return 0;
	for (uint32_t k = len + 2; k <= len + FORM_PREFIX_MAX && k <= avail; k++) {
		b = w[-(long)k];
		if (!is_inert(b))
			return !is_prefix(b);
	}
	return 0; /* longer than any instruction, or unread */
}

/*
 * M at w - len: one of the two kinds, the bytes after it the list's up to
 * the `syscall`, the registers agreeing. *starts: the offsets back from the
 * `syscall` where its instructions start.
 */
static int fits(const uint8_t *w, size_t avail, uint32_t len,
		const struct form_regs *regs, uint32_t *starts, struct form *f)
{
	const uint8_t *m = w - len;
	struct insn mov, c[FORM_COPY_MAX];
	uint16_t later = 0;
	uint32_t at = FORM_INSN;
	int n = 0;

	if (m[0] >= OP_MOV_IMM && m[0] < OP_MOV_IMM + 8) {
		decode(m, FORM_INSN, &mov);
		f->reg = m[0] - OP_MOV_IMM;
		f->imm = (uint32_t)mov.val;
		f->load_reg = -1;
	} else if ((m[0] == 0x48 || m[0] == 0x4c) && m[1] == OP_MOV_LOAD &&
		   (m[2] & 0xc7) == 0x44 && m[3] == SIB_RSP) {
		decode(m, FORM_INSN, &mov);
		f->reg = -1;
		f->load_reg = mov.dst;
		f->disp = (int32_t)mov.val;
	} else {
		return 0;
	}
	/* not rsp (decode refused it), nor rcx, r11: the `syscall` overwrote
	   them, nothing to check them against */
	if (mov.len != FORM_INSN || !mov.writes || mov.dst == 1 ||
	    mov.dst == 11)
		return 0;
	*starts = 1u << len;
	while (at < len) {
		if (!decode(m + at, len - at, &c[n]))
			return 0;
		*starts |= 1u << (len - at);
		at += c[n++].len;
	}
	if (at != len || !before_ok(w, avail, len, f->reg >= 0))
		return 0;
	for (int k = n - 1; k >= 0; k--)
		later |= c[k].writes;
	if (later & mov.writes)
		return 0; /* M's effect must show */
	if (regs) {
		if (!agrees(&mov, regs))
			return 0;
		later = 0;
		for (int k = n - 1; k >= 0; k--) {
			if (!(later >> c[k].dst & 1) &&
			    !(c[k].check == CHECK_REG && (later >> c[k].src & 1)) &&
			    !agrees(&c[k], regs))
				return 0;
			later |= c[k].writes;
		}
	}
	f->len = len;
	f->prev_unread = len == avail;
	f->insn_len = FORM_INSN;
	f->stub_len = len;
	f->entry_off = 0;
	f->rip = 0;
	f->pad = 0;
	return 1;
}

int limen_form_find(const uint8_t *w, size_t avail,
		    const struct form_regs *regs, struct form *f)
{
	struct form cand;
	uint32_t starts;
	int found = 0;

	if (w[0] != 0x0f || w[1] != 0x05)
		return 0;
	for (uint32_t len = FORM_INSN; len <= FORM_INSN + FORM_COPY_MAX &&
				       len <= avail; len++) {
		if (!fits(w, avail, len, regs, &starts, &cand))
			continue;
		if (!found) {
			*f = cand;
			found = 1;
		} else if (!(starts >> f->len & 1)) {
			return 0; /* two decodings that disagree */
		}
	}
	return found;
}

/*
 * The forms proved from the function's entry (limen_form_entry): glibc
 * 2.36's read, whose single-threaded path is
 *	cmpb $0x0,__libc_single_threaded(%rip)	80 3d disp32 00, the entry
 *	je <the multithreaded path>		74 17
 *	xor %eax,%eax				31 c0
 *	syscall
 * has no 5-byte instruction of the kinds above, nor a proof from the bytes
 * alone of where its instructions start. Its entry is one: the start of an
 * FDE (rewrite_entry.c finds it in the object's .eh_frame_hdr), where the
 * compiler began the function, so an instruction. Decoded forward from
 * there with this exact decoder (every byte an instruction it knows, or
 * the site stays on SUD), the instructions end exactly at the `syscall`:
 * each instruction's start is proved, the replaced one's too. Its first 5
 * bytes become the jmp; the rest of it is never executed, since nothing
 * branches into the middle of an instruction (a conditional branch
 * decoded here that would is refused). The stub runs it re-aimed at the
 * same memory (its rip-relative displacement recomputed for the stub's
 * address), then the copied instructions, a conditional branch among them
 * going to its original target: nothing has touched the stack or a
 * register the program did not, so the program's code there finds exactly
 * the state it would have found.
 */
#define OP_JCC8 0x70
#define OP_JCC32 0x80            /* after 0f */

enum { ENTRY_LIST, ENTRY_RIP, ENTRY_JCC, ENTRY_ENDBR };

static void put32(uint8_t *p, int64_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)((uint64_t)v >> (8 * i));
}

/* A rip-relative cmp or test at p (n bytes readable): its length, else 0. */
static uint32_t rip_cmp(const uint8_t *p, size_t n)
{
	uint32_t i = 0, imm;
	unsigned sub;

	if (n && (p[0] & 0xf0) == 0x40)
		i++; /* REX: W, or R for the register; B is ignored for rip */
	if (i + 2 > n || (p[i + 1] & 0xc7) != MODRM_RIP)
		return 0;
	sub = (p[i + 1] >> 3) & 7;
	switch (p[i]) {
	case 0x38: case 0x39: case 0x3a: case 0x3b: /* cmp %r,m / m,%r */
	case 0x84: case 0x85:                       /* test %r,m */
		imm = 0;
		break;
	case 0x80: case 0x83:                       /* cmp $imm8,m */
		if (sub != 7)
			return 0;
		imm = 1;
		break;
	case 0x81:                                  /* cmp $imm32,m */
		if (sub != 7)
			return 0;
		imm = 4;
		break;
	case 0xf6: case 0xf7:                       /* test $imm,m */
		if (sub != 0)
			return 0;
		imm = p[i] == 0xf6 ? 1 : 4;
		break;
	default:
		return 0;
	}
	i += 2 + 4 + imm;
	return i <= n ? i : 0;
}

/* A conditional branch at p (n bytes): its length and *rel, else 0. */
static uint32_t jcc(const uint8_t *p, size_t n, int32_t *rel)
{
	if (n >= 2 && (p[0] & 0xf0) == OP_JCC8) {
		*rel = (int8_t)p[1];
		return 2;
	}
	if (n >= 6 && p[0] == 0x0f && (p[1] & 0xf0) == OP_JCC32) {
		*rel = (int32_t)le(p + 2, 4);
		return 6;
	}
	return 0;
}

static int is_endbr64(const uint8_t *p, size_t n)
{
	return n >= 4 && p[0] == 0xf3 && p[1] == 0x0f && p[2] == 0x1e &&
	       p[3] == 0xfa;
}

int limen_form_entry(const uint8_t *code, size_t n, struct form *f)
{
	uint32_t off[FORM_ENTRY_MAX], len[FORM_ENTRY_MAX], end, at = 0;
	uint8_t kind[FORM_ENTRY_MAX];
	int32_t rel[FORM_ENTRY_MAX];
	uint64_t starts = 0;
	int k = 0, m = -1;
	struct insn d;

	if (n < 2 || n > FORM_ENTRY_MAX + 2 || code[n - 2] != 0x0f ||
	    code[n - 1] != 0x05)
		return 0;
	end = (uint32_t)n - 2;
	while (at < end) {
		const uint8_t *p = code + at;
		size_t left = end - at;

		rel[k] = 0;
		if (at == 0 && is_endbr64(p, left)) {
			len[k] = 4;
			kind[k] = ENTRY_ENDBR;
		} else if ((len[k] = rip_cmp(p, left))) {
			kind[k] = ENTRY_RIP;
		} else if ((len[k] = jcc(p, left, &rel[k]))) {
			kind[k] = ENTRY_JCC;
		} else if (decode(p, left, &d)) {
			len[k] = d.len;
			kind[k] = ENTRY_LIST;
		} else {
			return 0; /* an instruction this decoder does not know */
		}
		starts |= 1ull << at;
		off[k++] = at;
		at += len[k - 1];
	}
	if (at != end)
		return 0;
	starts |= 1ull << end;
	/* the last rip-relative cmp, only the list's or branches after it */
	for (int j = k - 1; j >= 0 && m < 0; j--) {
		if (kind[j] == ENTRY_RIP)
			m = j;
		else if (kind[j] != ENTRY_LIST && kind[j] != ENTRY_JCC)
			return 0;
	}
	if (m < 0 || end - off[m] - len[m] > FORM_COPY_MAX ||
	    len[m] < FORM_INSN)
		return 0;
	/* a branch into the decoded bytes lands on an instruction's start
	   (never inside the replaced one, whose bytes 1-4 the jmp takes) */
	for (int j = 0; j < k; j++) {
		int64_t t = (int64_t)off[j] + len[j] + rel[j];

		if (kind[j] == ENTRY_JCC && t >= 0 && t <= (int64_t)end &&
		    !(starts >> t & 1))
			return 0;
	}
	f->stub_len = len[m];
	for (int j = m + 1; j < k; j++)
		f->stub_len += kind[j] == ENTRY_JCC && len[j] == 2 ? 6 : len[j];
	f->len = end - off[m];
	f->insn_len = len[m];
	f->entry_off = off[m];
	f->rip = 1;
	f->pad = 0;
	f->reg = -1;
	f->load_reg = -1;
	f->imm = 0;
	f->disp = 0;
	f->prev_unread = 0;
	return 1;
}

int limen_form_stub(uint8_t *out, const uint8_t *insn, const struct form *f,
		    uint64_t site, uint64_t stub)
{
	uint32_t i, at, o;
	int64_t disp;
	int32_t rel;
	struct insn d;

	if (!f->rip) {
		for (i = 0; i < f->len; i++)
			out[i] = insn[i]; /* position-independent as they are */
		return 1;
	}
	/* the replaced instruction: the same memory from the stub */
	i = (insn[0] & 0xf0) == 0x40;
	disp = (int32_t)le(insn + i + 2, 4) + (int64_t)(site - stub);
	if (disp != (int32_t)disp)
		return 0;
	for (at = 0; at < f->insn_len; at++)
		out[at] = insn[at];
	put32(out + i + 2, disp);
	o = at;
	while (at < f->len) {
		const uint8_t *p = insn + at;
		uint32_t n = jcc(p, f->len - at, &rel);

		if (n) {
			/* to the original target: the program's own code */
			int64_t t = (int64_t)(site + at + n) + rel,
				r = t - (int64_t)(stub + o + 6);

			if (r != (int32_t)r || o + 6 > f->stub_len)
				return 0;
			out[o] = 0x0f;
			out[o + 1] = (uint8_t)(OP_JCC32 | (p[n == 2 ? 0 : 1] & 0xf));
			put32(out + o + 2, r);
			o += 6;
			at += n;
			continue;
		}
		if (!decode(p, f->len - at, &d) || o + d.len > f->stub_len)
			return 0;
		for (i = 0; i < d.len; i++)
			out[o + i] = p[i];
		o += d.len;
		at += d.len;
	}
	return at == f->len && o == f->stub_len;
}

#define DW_EH_PE_udata4 0x03
#define DW_EH_PE_sdata4 0x0b
#define DW_EH_PE_datarel 0x30
#define EH_HDR_TABLE 12          /* version, 3 encodings, 2 words */

uint64_t limen_fde_start(uint64_t hdr, uint64_t pc, form_read_fn read)
{
	uint8_t h[4];
	uint32_t count, lo = 0, hi;
	int32_t e;

	/* version 1; eh_frame_ptr 4 bytes; the count udata4; the table of
	   (start, fde) pairs datarel sdata4, sorted by start */
	if (read(h, hdr, 4) != 4 || h[0] != 1 ||
	    ((h[1] & 0x0f) != DW_EH_PE_udata4 &&
	     (h[1] & 0x0f) != DW_EH_PE_sdata4) ||
	    h[2] != DW_EH_PE_udata4 ||
	    h[3] != (DW_EH_PE_datarel | DW_EH_PE_sdata4) ||
	    read(&count, hdr + 8, 4) != 4 || !count)
		return 0;
	hi = count;
	while (hi - lo > 1) { /* the last start <= pc */
		uint32_t mid = lo + (hi - lo) / 2;

		if (read(&e, hdr + EH_HDR_TABLE + 8ull * mid, 4) != 4)
			return 0;
		if (hdr + (uint64_t)(int64_t)e <= pc)
			lo = mid;
		else
			hi = mid;
	}
	if (read(&e, hdr + EH_HDR_TABLE + 8ull * lo, 4) != 4 ||
	    hdr + (uint64_t)(int64_t)e > pc)
		return 0;
	return hdr + (uint64_t)(int64_t)e;
}
