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

#define RSP 4
#define OP_MOV_IMM 0xb8
#define OP_MOV_LOAD 0x8b
#define SIB_RSP 0x24             /* base rsp, no index */

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

/* The bytes of a ModRM at p[0] with its SIB and displacement; 0 past n,
 * or for a rip-relative operand. */
static uint32_t modrm_bytes(const uint8_t *p, size_t n)
{
	unsigned mod = p[0] >> 6, rm = p[0] & 7;
	uint32_t k = 1;

	if (mod == 3)
		return 1;
	if (rm == 4) {
		if (n < 2)
			return 0;
		k = 2;
		if (mod == 0 && (p[1] & 7) == 5)
			k += 4; /* disp32 and no base */
	} else if (mod == 0 && rm == 5) {
		return 0; /* rip-relative */
	}
	k += mod == 1 ? 1 : mod == 2 ? 4 : 0;
	return k <= n ? k : 0;
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
	if (op == 0x8d) { /* lea: computes, reads no memory */
		k = modrm_bytes(p + i, n - i);
		if (!k || mod == 3)
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
