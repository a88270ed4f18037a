/* SPDX-License-Identifier: MIT */
/*
 * A call site with no instruction before its `syscall` that a jmp may
 * replace (Go's internal/runtime/syscall.Syscall6 is four 3-byte movs and
 * the `syscall`: every system call of a Go program's syscall package and
 * net poller goes through it) may still have its `syscall` replaced, by a
 * 2-byte jmp into the padding after its function, where a 5-byte jmp leads
 * to its stub (rewrite.c). That needs two proofs, both from the file's
 * symbol table, the compiler's and linker's own account of where each
 * function lies:
 *  - where the function starts: decoded forward from there with
 *    limen_insn_bound, its instructions end exactly at the `syscall`;
 *  - that the bytes after the function's end are no function's: no
 *    symbol starts in them or covers them. Nothing branches there (the
 *    program's code branches to its functions), so a jmp written there is
 *    reached only from the site (rewrite.c checks the bytes are int3s, as
 *    Go's linker pads functions, and leaves them to no other site).
 * The table is .symtab, read from the file (it is not mapped): the file
 * is the one /proc/self/maps says is mapped at the site, opened by its
 * path and taken only if its inode and device are the mapping's.
 * A stripped Go program (Debian strips its packages) still has the table
 * Go's runtime itself unwinds and symbolizes with, its pclntab (Go 1.18
 * and later: pclntab_bounds): every Go function's entry, in order, and
 * the length its stack-pointer table (pcsp) covers, which is the
 * function's size (the compiler writes it over the function's code, to
 * its last byte); the padding lies between that end and the next entry.
 * A function with no such table (pcsp 0: the C code of a cgo program,
 * which the Go linker lists with a placeholder) gives no proof. A file
 * with neither leaves the site on SUD.
 * Every length and count is the file's, checked against what was read:
 * a file that lies gives no proof, never a fault or a long loop.
 */
#include <elf.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include "raw.h"
#include "rt.h"
#include "procmap.h"
#include "rewrite_pad.h"

#define SHDRS_MAX 512
#define PHDRS_MAX 32
#define SYMS_MAX (1u << 22)      /* symbols read at most */
#define SYM_CHUNK 64

static int pread_all(long fd, void *b, uint64_t n, uint64_t off)
{
	return limen_sys4(SYS_pread64, fd, b, n, off) == (long)n;
}

/* The file's segment that maps the executable bytes at file offset fo:
 * its vaddr and file bounds. */
static int segment(long fd, const Elf64_Ehdr *eh, uint64_t fo,
		   Elf64_Phdr *seg)
{
	Elf64_Phdr ph[PHDRS_MAX];

	if (eh->e_phentsize != sizeof(Elf64_Phdr) || !eh->e_phnum ||
	    eh->e_phnum > PHDRS_MAX ||
	    !pread_all(fd, ph, eh->e_phnum * sizeof(Elf64_Phdr), eh->e_phoff))
		return 0;
	for (int i = 0; i < eh->e_phnum; i++)
		if (ph[i].p_type == PT_LOAD && (ph[i].p_flags & PF_X) &&
		    fo >= ph[i].p_offset && fo - ph[i].p_offset < ph[i].p_filesz) {
			*seg = ph[i];
			return 1;
		}
	return 0;
}

static int same(const char *a, const char *b, size_t n)
{
	while (n--)
		if (*a++ != *b++)
			return 0;
	return 1;
}

/* The one SHT_SYMTAB section, or (*go) Go's pclntab: its section,
 * .gopclntab, or .data.rel.ro.gopclntab in a position-independent Go
 * program. */
static int symtab(long fd, const Elf64_Ehdr *eh, Elf64_Shdr *st, int *go)
{
	Elf64_Shdr sh, names;
	int found = 0, pcln = 0;

	if (eh->e_shentsize != sizeof(Elf64_Shdr) || !eh->e_shnum ||
	    eh->e_shnum > SHDRS_MAX || eh->e_shstrndx >= eh->e_shnum ||
	    !pread_all(fd, &names, sizeof(names),
		       eh->e_shoff + (uint64_t)eh->e_shstrndx * sizeof(names)))
		return 0;
	for (int i = 0; i < eh->e_shnum; i++) {
		char n[24];

		if (!pread_all(fd, &sh, sizeof(sh),
			       eh->e_shoff + (uint64_t)i * sizeof(sh)))
			return 0;
		if (sh.sh_type == SHT_SYMTAB) {
			if (found++)
				return 0;
			*st = sh;
		}
		if (!found && sh.sh_type == SHT_PROGBITS &&
		    sh.sh_name < names.sh_size &&
		    pread_all(fd, n, sizeof(n), names.sh_offset + sh.sh_name) &&
		    (same(n, ".gopclntab", 11) ||
		     same(n, ".data.rel.ro.gopclntab", 23))) {
			if (pcln++)
				return 0;
			*st = sh;
		}
	}
	*go = !found && pcln;
	if (*go)
		return 1;
	return found && st->sh_entsize == sizeof(Elf64_Sym) &&
	       st->sh_size / sizeof(Elf64_Sym) <= SYMS_MAX;
}

/* Go's pclntab (src/runtime/symtab.go's pcHeader, Go 1.18 on: magic
 * fffffff0, 1.20 on fffffff1; the fields read are where both have them) */
#define PCLN_MAGIC_118 0xfffffff0u
#define PCLN_MAGIC_120 0xfffffff1u
#define PCLN_HDR 72
#define PCLN_FUNCS_MAX (1u << 22)
#define PCLN_TABLE_MAX (1u << 16) /* bytes of one function's pcsp read */

/* An unsigned varint of the table at *at (in the section's first n
 * bytes), read through the window b: 0 past its end. */
struct pcread {
	long fd;
	uint64_t base, n, at;    /* the table's bytes: [base, base + n) */
	uint8_t b[64];
	uint64_t b_at, b_len;
};

static int pc_byte(struct pcread *r, uint8_t *v)
{
	if (r->at >= r->n)
		return 0;
	if (r->at < r->b_at || r->at >= r->b_at + r->b_len) {
		uint64_t k = r->n - r->at < sizeof(r->b) ? r->n - r->at
							  : sizeof(r->b);

		if (!pread_all(r->fd, r->b, k, r->base + r->at))
			return 0;
		r->b_at = r->at;
		r->b_len = k;
	}
	*v = r->b[r->at++ - r->b_at];
	return 1;
}

static int pc_varint(struct pcread *r, uint32_t *v)
{
	uint32_t x = 0;
	uint8_t b;

	for (int shift = 0; shift < 35; shift += 7) {
		if (!pc_byte(r, &b))
			return 0;
		x |= (uint32_t)(b & 0x7f) << shift;
		if (!(b & 0x80)) {
			*v = x;
			return 1;
		}
	}
	return 0;
}

/* The Go function that holds v (file addresses): [*lo, *hi) its code,
 * *gap the next function's entry. */
static int pclntab_bounds(long fd, const Elf64_Shdr *sh,
			  const Elf64_Phdr *seg, uint64_t v, uint64_t *lo,
			  uint64_t *hi, uint64_t *gap)
{
	uint8_t h[PCLN_HDR];
	uint64_t nfunc, text, pctab, pcln, ft, size = 0;
	uint32_t magic, e[4], f[5], lo_i = 0, hi_i, uv, pcd;
	struct pcread r = { .fd = fd };

	if (sh->sh_size < PCLN_HDR || !pread_all(fd, h, sizeof(h), sh->sh_offset))
		return 0;
	memcpy(&magic, h, 4);
	memcpy(&nfunc, h + 8, 8);
	memcpy(&text, h + 24, 8);
	memcpy(&pctab, h + 56, 8);
	memcpy(&pcln, h + 64, 8);
	if ((magic != PCLN_MAGIC_118 && magic != PCLN_MAGIC_120) || h[4] ||
	    h[5] || h[6] != 1 || h[7] != 8 || !nfunc ||
	    nfunc > PCLN_FUNCS_MAX || v < text || pctab >= sh->sh_size ||
	    pcln >= sh->sh_size || (nfunc + 1) * 8 > sh->sh_size - pcln)
		return 0;
	ft = sh->sh_offset + pcln;
	/* the functions lie in the site's segment, from textStart to the
	   table's last entry (a textStart the file leaves to a relocation,
	   0, or any other, gives no proof) */
	if (!pread_all(fd, e, 4, ft + 8 * nfunc) || text < seg->p_vaddr ||
	    text + e[0] > seg->p_vaddr + seg->p_filesz)
		return 0;
	/* the last entry at or below v, by its entry offset */
	hi_i = (uint32_t)nfunc;
	while (hi_i - lo_i > 1) {
		uint32_t mid = lo_i + (hi_i - lo_i) / 2;

		if (!pread_all(fd, e, 4, ft + 8ull * mid))
			return 0;
		if (text + e[0] <= v)
			lo_i = mid;
		else
			hi_i = mid;
	}
	/* its entry and _func, the next entry; in order around v */
	if (!pread_all(fd, e, 16, ft + 8ull * lo_i) || text + e[0] > v ||
	    text + e[2] <= v || e[2] <= e[0] ||
	    e[1] >= sh->sh_size - pcln || sh->sh_size - pcln - e[1] < 20 ||
	    !pread_all(fd, f, 20, ft + e[1]) || f[0] != e[0] || !f[4] ||
	    f[4] >= sh->sh_size - pctab)
		return 0;
	/* the pcsp table: (value delta, pc delta) pairs from the entry,
	   until a value delta of 0 after the first */
	r.base = sh->sh_offset + pctab + f[4];
	r.n = sh->sh_size - pctab - f[4];
	if (r.n > PCLN_TABLE_MAX)
		r.n = PCLN_TABLE_MAX;
	for (int first = 1;; first = 0) {
		if (!pc_varint(&r, &uv))
			return 0;
		if (!uv && !first)
			break;
		if (!pc_varint(&r, &pcd))
			return 0;
		size += pcd; /* minLC 1 */
		if (size > e[2] - e[0])
			return 0; /* past the next entry: not a table of this */
	}
	if (text + e[0] + size <= v)
		return 0;
	*lo = text + e[0];
	*hi = text + e[0] + size;
	*gap = text + e[2];
	return 1;
}

/* A symbol with an address in the file's image. */
static int placed(const Elf64_Sym *s)
{
	unsigned t = ELF64_ST_TYPE(s->st_info);

	return s->st_shndx != SHN_UNDEF && s->st_shndx < SHN_LORESERVE &&
	       t != STT_TLS && t != STT_FILE && t != STT_SECTION;
}

/* Pass 0: the innermost function symbol holding v (*lo, *hi); pass 1:
 * the end of the gap after *hi (*gap; 0 if a symbol covers *hi). */
static int scan(long fd, const Elf64_Shdr *st, uint64_t v, int pass,
		uint64_t *lo, uint64_t *hi, uint64_t *gap)
{
	Elf64_Sym b[SYM_CHUNK];
	uint64_t n = st->sh_size / sizeof(Elf64_Sym);

	for (uint64_t i = 0; i < n; i += SYM_CHUNK) {
		uint64_t k = n - i < SYM_CHUNK ? n - i : SYM_CHUNK;

		if (!pread_all(fd, b, k * sizeof(Elf64_Sym),
			       st->sh_offset + i * sizeof(Elf64_Sym)))
			return 0;
		for (uint64_t j = 0; j < k; j++) {
			const Elf64_Sym *s = &b[j];
			uint64_t a = s->st_value, e = a + s->st_size;

			if (!placed(s) || e < a)
				continue;
			if (pass == 0) {
				if (ELF64_ST_TYPE(s->st_info) != STT_FUNC ||
				    a > v || e <= v || a < *lo)
					continue;
				if (a == *lo && e != *hi && *hi)
					return 0; /* two sizes: no proof */
				*lo = a;
				*hi = e;
			} else if (a < *hi && e > *hi) {
				*gap = *hi; /* covered */
			} else if (a >= *hi && a < *gap) {
				*gap = a;
			}
		}
	}
	return 1;
}

static int from_file(long fd, const struct limen_vma *m, uint64_t sc,
		     struct pad_proof *p)
{
	Elf64_Ehdr eh;
	Elf64_Phdr seg;
	Elf64_Shdr st;
	uint64_t fo = m->offset + (sc - m->start), v, bias;
	uint64_t lo = 0, hi = 0, gap;
	int go = 0;

	if (!pread_all(fd, &eh, sizeof(eh), 0) || eh.e_ident[EI_MAG0] != ELFMAG0 ||
	    eh.e_ident[EI_MAG1] != ELFMAG1 || eh.e_ident[EI_MAG2] != ELFMAG2 ||
	    eh.e_ident[EI_MAG3] != ELFMAG3 || eh.e_ident[EI_CLASS] != ELFCLASS64 ||
	    eh.e_machine != EM_X86_64 || !segment(fd, &eh, fo, &seg) ||
	    !symtab(fd, &eh, &st, &go))
		return 0;
	v = seg.p_vaddr + (fo - seg.p_offset);
	bias = sc - v;
	if (go) {
		if (!pclntab_bounds(fd, &st, &seg, v, &lo, &hi, &gap))
			return 0;
		if (gap > seg.p_vaddr + seg.p_filesz)
			gap = seg.p_vaddr + seg.p_filesz;
		if (hi > gap)
			return 0;
	} else {
		if (!scan(fd, &st, v, 0, &lo, &hi, 0) || !hi)
			return 0;
		gap = seg.p_vaddr + seg.p_filesz; /* no further than the segment */
		if (hi > gap || !scan(fd, &st, v, 1, &lo, &hi, &gap))
			return 0;
	}
	/* in the site's mapping, in order around it, whatever the file's
	   values did when added (a segment or a textStart near 2^64 wraps
	   them: the fuzzer's proof of an entry above the site) */
	if (lo > v || hi <= v || gap < hi || v - lo > sc - m->start ||
	    hi - v > m->end - sc)
		return 0;
	if (gap - v > m->end - sc)
		gap = v + (m->end - sc);
	p->entry = lo + bias;
	p->gap_lo = hi + bias;
	p->gap_hi = gap + bias;
	p->map_lo = m->start;
	p->map_hi = m->end;
	return 1;
}

/* The bytes [lo, hi) of the mapping m in memory are the file's at the
 * same offsets: what the proof rests on is this file's. */
static int same_bytes(long fd, const struct limen_vma *m, uint64_t lo,
		      uint64_t hi)
{
	uint8_t f[256], mem[256];

	while (lo < hi) {
		uint64_t k = hi - lo < sizeof(f) ? hi - lo : sizeof(f);

		if (lo < m->start || hi > m->end ||
		    !pread_all(fd, f, k, m->offset + (lo - m->start)) ||
		    limen_safe_read(mem, lo, k) != (long)k)
			return 0;
		for (uint64_t i = 0; i < k; i++)
			if (f[i] != mem[i])
				return 0;
		lo += k;
	}
	return 1;
}

/* "fd:01": the device's major and minor numbers, in hex */
static int dev_of(const char *d, uint32_t *major, uint32_t *minor)
{
	const char *p = d;

	*major = (uint32_t)limen_proc_num(&p, 16);
	if (p == d || *p++ != ':')
		return 0;
	d = p;
	*minor = (uint32_t)limen_proc_num(&p, 16);
	return p != d && !*p;
}

int limen_pad_symbols(uint64_t sc, const struct entry_maps *em,
		      struct pad_proof *p)
{
	struct limen_vma m = { .start = em->line_lo, .end = em->site_hi,
			       .offset = em->line_off, .inode = em->site_ino };
	struct stat sb;
	long fd;
	int ok = 0, dev;

	/* the maps' line that holds the site, read already for its ELF
	   header (entry_form_here): a kernel without PROCMAP_QUERY (Linux
	   6.11) has it too */
	if (!m.inode || sc < m.start || sc >= m.end || em->site_path[0] != '/' ||
	    !dev_of(em->site_dev, &m.major, &m.minor))
		return 0;
	/* O_NONBLOCK: a FIFO put at the path meanwhile never blocks us (its
	   inode is not the mapping's) */
	fd = limen_sys3(SYS_open, em->site_path,
			O_RDONLY | O_CLOEXEC | O_NONBLOCK, 0);
	if (fd < 0)
		return 0;
	/* the mapping's file: its inode, and its device, or where they
	   differ for the same file (a btrfs subvolume's stat shows a device
	   of its own, the mapping its filesystem's) the bytes the proof is
	   about, the function and the padding after it, as the file has
	   them (a site of the function patched already differs: none) */
	if (limen_sys2(SYS_fstat, fd, &sb) == 0 && sb.st_ino == m.inode) {
		dev = ((sb.st_dev >> 8) & 0xfff) == m.major &&
		      ((sb.st_dev & 0xff) | ((sb.st_dev >> 12) & ~0xffull)) ==
			      m.minor;
		ok = from_file(fd, &m, sc, p) &&
		     (dev || same_bytes(fd, &m, p->entry,
					p->gap_hi < p->gap_lo + 132 ? p->gap_hi
								    : p->gap_lo + 132));
	}
	limen_sys1(SYS_close, fd);
	return ok;
}
