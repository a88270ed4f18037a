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
 * is the one the kernel says is mapped at the site (PROCMAP_QUERY), opened
 * by its path and taken only if its inode and device are the mapping's.
 * A stripped file, or a kernel without the query, leaves the site on SUD.
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

/* The one SHT_SYMTAB section. */
static int symtab(long fd, const Elf64_Ehdr *eh, Elf64_Shdr *st)
{
	Elf64_Shdr sh;
	int found = 0;

	if (eh->e_shentsize != sizeof(Elf64_Shdr) || !eh->e_shnum ||
	    eh->e_shnum > SHDRS_MAX)
		return 0;
	for (int i = 0; i < eh->e_shnum; i++) {
		if (!pread_all(fd, &sh, sizeof(sh),
			       eh->e_shoff + (uint64_t)i * sizeof(sh)))
			return 0;
		if (sh.sh_type == SHT_SYMTAB) {
			if (found++)
				return 0;
			*st = sh;
		}
	}
	return found && st->sh_entsize == sizeof(Elf64_Sym) &&
	       st->sh_size / sizeof(Elf64_Sym) <= SYMS_MAX;
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

	if (!pread_all(fd, &eh, sizeof(eh), 0) || eh.e_ident[EI_MAG0] != ELFMAG0 ||
	    eh.e_ident[EI_MAG1] != ELFMAG1 || eh.e_ident[EI_MAG2] != ELFMAG2 ||
	    eh.e_ident[EI_MAG3] != ELFMAG3 || eh.e_ident[EI_CLASS] != ELFCLASS64 ||
	    eh.e_machine != EM_X86_64 || !segment(fd, &eh, fo, &seg) ||
	    !symtab(fd, &eh, &st))
		return 0;
	v = seg.p_vaddr + (fo - seg.p_offset);
	bias = sc - v;
	if (!scan(fd, &st, v, 0, &lo, &hi, 0) || !hi)
		return 0;
	gap = seg.p_vaddr + seg.p_filesz; /* no further than the segment */
	if (hi > gap || !scan(fd, &st, v, 1, &lo, &hi, &gap))
		return 0;
	p->entry = lo + bias;
	p->gap_lo = hi + bias;
	p->gap_hi = gap + bias;
	p->map_lo = m->start;
	p->map_hi = m->end;
	return 1;
}

int limen_pad_symbols(uint64_t sc, struct pad_proof *p)
{
	struct limen_vma m;
	struct stat sb;
	long mfd = limen_procmap_open(), fd;
	int ok = 0;

	if (mfd < 0)
		return 0;
	if (limen_procmap_query(mfd, sc, &m) != LIMEN_VMA_FOUND || !m.exec ||
	    m.shared || !m.inode || m.name[0] != '/') {
		limen_sys1(SYS_close, mfd);
		return 0;
	}
	limen_sys1(SYS_close, mfd);
	fd = limen_sys3(SYS_open, m.name, O_RDONLY | O_CLOEXEC, 0);
	if (fd < 0)
		return 0;
	if (limen_sys2(SYS_fstat, fd, &sb) == 0 && sb.st_ino == m.inode &&
	    ((sb.st_dev >> 8) & 0xfff) == m.major &&
	    ((sb.st_dev & 0xff) | ((sb.st_dev >> 12) & ~0xffull)) == m.minor)
		ok = from_file(fd, &m, sc, p);
	limen_sys1(SYS_close, fd);
	return ok;
}
