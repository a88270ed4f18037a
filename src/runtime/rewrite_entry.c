/* SPDX-License-Identifier: MIT */
/*
 * The proof of a call site's instruction boundaries from its function's
 * entry (rewrite_forms.c, limen_form_entry): for a site with no 5-byte
 * instruction of the kinds the bytes alone prove (glibc 2.36's read: a
 * rip-relative cmp, a je, xor %eax,%eax, the `syscall`), the start of the
 * FDE that covers it, found in its object's .eh_frame_hdr.
 *
 * The object: rewrite.c reads /proc/self/maps for the site's mapping
 * (private, executable, file-backed); the ELF header is at the start of
 * the same file's mapping of offset 0 below it (limen_entry_line; the
 * state is the caller's: threads may read the maps at once). From
 * there its program headers, in memory as the dynamic loader mapped them:
 * the load bias (the PT_LOAD of offset 0), a PT_LOAD with PF_X that holds
 * the site and whose file offset the site's mapping maps where that bias
 * says (else the header is not this code's: another mapping of the same
 * file's start), and PT_GNU_EH_FRAME, the
 * .eh_frame_hdr whose sorted table gives the FDE start at or before the
 * `syscall` (limen_fde_start). Every read is limen_safe_read: a header
 * that is not what it says leaves the site on SUD, never a fault.
 */
#include <elf.h>

#include "raw.h"
#include "rt.h"
#include "rewrite_entry.h"

#define PAGE 4096ul
#define PHDRS_MAX 32

void limen_entry_line(struct entry_maps *m, const char *l, uint64_t site)
{
	const char *p = l, *dev;
	uint64_t lo, hi, off, ino;
	size_t n = 0;

	lo = limen_proc_num(&p, 16);
	if (*p++ != '-')
		return;
	hi = limen_proc_num(&p, 16);
	p = limen_proc_field(limen_proc_field(p)); /* past the perms */
	off = limen_proc_num(&p, 16);
	dev = p = limen_proc_field(p);
	p = limen_proc_field(p);
	ino = limen_proc_num(&p, 10);
	if (!ino)
		return;
	if (site >= lo && site < hi) {
		/* the site's own line, for the pad form (rewrite_pad.c) */
		m->line_lo = lo;
		m->line_off = off;
		m->site_hi = hi;
		m->site_ino = ino;
		for (n = 0; n < ENTRY_DEV_MAX - 1 && dev[n] && dev[n] != ' '; n++)
			m->site_dev[n] = dev[n];
		m->site_dev[n] = 0;
		while (*p == ' ')
			p++;
		for (n = 0; n < ENTRY_PATH_MAX - 1 && p[n]; n++)
			m->site_path[n] = p[n];
		m->site_path[p[n] ? 0 : n] = 0;
		n = 0;
	}
	if (off == 0) {
		m->zero_lo = lo;
		m->zero_ino = ino;
		while (n < ENTRY_DEV_MAX - 1 && dev[n] && dev[n] != ' ') {
			m->zero_dev[n] = dev[n];
			n++;
		}
		m->zero_dev[n] = 0;
	}
	if (site < lo || site >= hi || ino != m->zero_ino)
		return;
	n = 0;
	while (m->zero_dev[n] && m->zero_dev[n] == dev[n])
		n++;
	if (!m->zero_dev[n] && dev[n] == ' ') {
		m->elf = m->zero_lo;
		m->site_lo = lo;
		m->site_off = off;
	}
}

uint64_t limen_entry_find(const struct entry_maps *m, uint64_t pc)
{
	uint64_t elf_base = m->elf;
	Elf64_Ehdr eh;
	Elf64_Phdr ph[PHDRS_MAX];
	uint64_t bias = 0, hdr = 0;
	int have_bias = 0, in_x = 0;

	if (!elf_base || limen_safe_read(&eh, elf_base, sizeof(eh)) != sizeof(eh) ||
	    eh.e_ident[EI_MAG0] != ELFMAG0 || eh.e_ident[EI_MAG1] != ELFMAG1 ||
	    eh.e_ident[EI_MAG2] != ELFMAG2 || eh.e_ident[EI_MAG3] != ELFMAG3 ||
	    eh.e_ident[EI_CLASS] != ELFCLASS64 ||
	    (eh.e_type != ET_DYN && eh.e_type != ET_EXEC) ||
	    eh.e_phentsize != sizeof(Elf64_Phdr) || !eh.e_phnum ||
	    eh.e_phnum > PHDRS_MAX ||
	    limen_safe_read(ph, elf_base + eh.e_phoff,
			    eh.e_phnum * sizeof(Elf64_Phdr)) !=
		    (long)(eh.e_phnum * sizeof(Elf64_Phdr)))
		return 0;
	for (int i = 0; i < eh.e_phnum; i++)
		if (ph[i].p_type == PT_LOAD && ph[i].p_offset == 0 && !have_bias) {
			bias = elf_base - (ph[i].p_vaddr & ~(PAGE - 1));
			have_bias = 1;
		}
	if (!have_bias)
		return 0;
	for (int i = 0; i < eh.e_phnum; i++) {
		/* and the site's mapping maps that segment's bytes of the
		   file where this header says (else it is another mapping
		   of the same file's start: no proof) */
		if (ph[i].p_type == PT_LOAD && (ph[i].p_flags & PF_X) &&
		    pc >= ph[i].p_vaddr + bias &&
		    pc < ph[i].p_vaddr + bias + ph[i].p_memsz &&
		    m->site_lo - m->site_off ==
			    ph[i].p_vaddr + bias - ph[i].p_offset)
			in_x = 1;
		if (ph[i].p_type == PT_GNU_EH_FRAME)
			hdr = ph[i].p_vaddr + bias;
	}
	if (!in_x || !hdr)
		return 0;
	return limen_fde_start(hdr, pc, limen_safe_read);
}
