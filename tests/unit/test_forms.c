/* SPDX-License-Identifier: MIT */
/*
 * The forms of a rewritable call site (src/runtime/rewrite_forms.c), on
 * bytes built by hand (TAP), and, with --count ELF, how many of the
 * `syscall`s at the addresses on stdin (objdump's) fit one: forms.t.
 */
#include <elf.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "runtime/rewrite_forms.c"
#include "runtime/insn_len.c"

static int ntest, nfail;
static uint8_t stack[256];       /* the stack the loads read: rsp = 128 */

static long load(void *dst, uint64_t addr, size_t n)
{
	if (addr + n > sizeof(stack))
		return -1;
	memcpy(dst, stack + addr, n);
	return (long)n;
}

/* The registers of a trap: those named, the rest 0; rsp 128. */
static struct form_regs R;

static void regs(void)
{
	memset(&R, 0, sizeof(R));
	R.known = (uint16_t)~(1u << 1 | 1u << 11);
	R.r[4] = 128;
	R.load = load;
}

/* bytes: what is before the `syscall`, then 0f 05 is appended; expect the
 * bytes the stub copies (0: stays on SUD). */
static void check(const char *name, const uint8_t *b, size_t n,
		  uint32_t want)
{
	uint8_t buf[64];
	struct form f;
	int got;

	memset(buf, 0x90, sizeof(buf)); /* nops before: not prefixes */
	memcpy(buf + 40 - n, b, n);
	buf[40] = 0x0f;
	buf[41] = 0x05;
	got = limen_form_find(buf + 40, FORM_WINDOW, &R, &f) ? (int)f.len : 0;
	ntest++;
	if ((uint32_t)got == want) {
		printf("ok %d - %s\n", ntest, name);
	} else {
		nfail++;
		printf("not ok %d - %s\n#   got %d, want %u\n", ntest, name, got,
		       want);
	}
}

#define CHECK(name, want, ...)                                            \
	do {                                                              \
		static const uint8_t b_[] = { __VA_ARGS__ };              \
		check(name, b_, sizeof(b_), want);                        \
	} while (0)

static void result(const char *name, int ok, long got, long want)
{
	ntest++;
	if (ok) {
		printf("ok %d - %s\n", ntest, name);
	} else {
		nfail++;
		printf("not ok %d - %s\n#   got %ld, want %ld\n", ntest, name,
		       got, want);
	}
}

/* bytes from a function's entry to its `syscall` (0f 05 appended):
 * expect the bytes from the replaced instruction to the `syscall` (0:
 * stays on SUD) and where it starts. */
static void check_entry(const char *name, const uint8_t *b, size_t n,
			uint32_t want, uint32_t want_off)
{
	uint8_t code[FORM_ENTRY_MAX + 2];
	struct form f;
	long got;

	memcpy(code, b, n);
	code[n] = 0x0f;
	code[n + 1] = 0x05;
	got = limen_form_entry(code, n + 2, &f) ? (long)f.len : 0;
	result(name, got == want && (!got || (f.rip && f.entry_off == want_off)),
	       got, want);
}

#define ENTRY(name, want, off, ...)                                       \
	do {                                                              \
		static const uint8_t b_[] = { __VA_ARGS__ };              \
		check_entry(name, b_, sizeof(b_), want, off);             \
	} while (0)

/* glibc 2.36's read at 0xf82a0: cmpb $0,0xe3331(%rip); je +0x17;
   xor %eax,%eax */
static const uint8_t glibc_read[] = {
	0x80, 0x3d, 0x31, 0x33, 0x0e, 0x00, 0x00, 0x74, 0x17, 0x31, 0xc0,
	0x0f, 0x05,
};

static void entry_cases(void)
{
	uint8_t code[FORM_ENTRY_MAX + 2], out[FORM_STUB_MAX];
	uint64_t site = 0x7f0000f82a0ull, stub = site - 0x1000;
	struct form f;
	int32_t v;
	int ok;

	ENTRY("glibc_236_read_rip_cmp_je_xor_fits_from_its_entry", 11, 0,
	      0x80, 0x3d, 0x31, 0x33, 0x0e, 0x00, 0x00, 0x74, 0x17, 0x31, 0xc0);
	ENTRY("endbr64_then_the_rip_cmp_fits_after_it", 11, 4,
	      0xf3, 0x0f, 0x1e, 0xfa,
	      0x80, 0x3d, 0x31, 0x33, 0x0e, 0x00, 0x00, 0x74, 0x17, 0x31, 0xc0);
	ENTRY("a_copied_mov_before_the_rip_cmp_is_decoded_not_copied", 11, 3,
	      0x49, 0x89, 0xca,
	      0x80, 0x3d, 0x31, 0x33, 0x0e, 0x00, 0x00, 0x74, 0x17, 0x31, 0xc0);
	ENTRY("an_unknown_instruction_between_entry_and_syscall_stays_on_SUD", 0, 0,
	      0xe8, 0, 0, 0, 0,
	      0x80, 0x3d, 0x31, 0x33, 0x0e, 0x00, 0x00, 0x74, 0x17, 0x31, 0xc0);
	ENTRY("a_syscall_inside_an_instruction_decoded_from_the_entry_stays_on_SUD", 0, 0,
	      0x31, 0xc0, 0x80, 0x3d, 0, 0, 0, 0);
	ENTRY("a_branch_into_the_middle_of_the_cmp_stays_on_SUD", 0, 0,
	      0x80, 0x3d, 0x31, 0x33, 0x0e, 0x00, 0x00, 0x74, 0xf8, 0x31, 0xc0);
	ENTRY("a_branch_back_to_the_start_of_the_cmp_fits", 11, 0,
	      0x80, 0x3d, 0x31, 0x33, 0x0e, 0x00, 0x00, 0x74, 0xf7, 0x31, 0xc0);
	ENTRY("a_rip_relative_load_is_not_a_cmp_and_stays_on_SUD", 0, 0,
	      0x8b, 0x05, 0, 0, 0, 0, 0x31, 0xc0);
	ENTRY("more_than_24_bytes_after_the_cmp_stay_on_SUD", 0, 0,
	      0x80, 0x3d, 0, 0, 0, 0, 0, 0x90, 0x90, 0x90, 0x90, 0x90, 0x90,
	      0x90, 0x90, 0x90, 0x90, 0x90, 0x90, 0x90, 0x90, 0x90, 0x90, 0x90,
	      0x90, 0x90, 0x90, 0x90, 0x90, 0x90, 0x90, 0x90);
	ENTRY("a_store_after_the_cmp_stays_on_SUD", 0, 0,
	      0x80, 0x3d, 0, 0, 0, 0, 0, 0x89, 0x07, 0x31, 0xc0);

	/* the stub of glibc's read 4 KiB below it: the cmp reads the same
	   byte, the je goes to read+0x20, xor as it is */
	memcpy(code, glibc_read, sizeof(glibc_read));
	ok = limen_form_entry(code, sizeof(glibc_read), &f) &&
	     f.stub_len == 7 + 6 + 2 &&
	     limen_form_stub(out, code, &f, site, stub);
	memcpy(&v, out + 2, 4);
	ok = ok && out[0] == 0x80 && out[1] == 0x3d &&
	     stub + 7 + v == site + 7 + 0xe3331 && out[6] == 0;
	memcpy(&v, out + 9, 4);
	ok = ok && out[7] == 0x0f && out[8] == 0x84 &&
	     stub + 13 + v == site + 0x20 && out[13] == 0x31 && out[14] == 0xc0;
	result("the_stub_re_aims_the_cmp_and_sends_the_je_to_its_original_target",
	       ok, ok, 1);
	result("a_cmp_whose_target_the_stub_cannot_reach_stays_on_SUD",
	       !limen_form_stub(out, code, &f, site, site - (3ull << 30)), 1, 0);
}

static int cases(void)
{
	regs();
	R.r[0] = 0xca;
	CHECK("mov $nr,%eax alone", 5, 0xb8, 0xca, 0, 0, 0);
	CHECK("futex_wake_form_mov_eax_then_xor_0x80_sil", 9,
	      0xb8, 0xca, 0, 0, 0, 0x40, 0x80, 0xf6, 0x80);
	CHECK("mov_r8d_eax_alone_has_no_5_byte_instruction_in_reach", 0,
	      0x44, 0x89, 0xc0);
	CHECK("mov_eax_then_and_imm32_esi_then_xor_sil", 15,
	      0xb8, 0xca, 0, 0, 0, 0x81, 0xe6, 0x80, 0, 0, 0,
	      0x40, 0x80, 0xf6, 0x80);
	R.r[8] = 7;
	R.r[6] = 3;
	CHECK("cmp_and_cmovbe_are_copied", 12,
	      0xb8, 0xca, 0, 0, 0, 0x49, 0x39, 0xf0, 0x49, 0x0f, 0x46, 0xf0);
	/* glibc's rwlock: mov $0xca,%eax; test %r8d,%r8d; setne %sil;
	   xor %r10d,%r10d; shl $7,%esi; xor $0x81,%sil */
	R.r[6] = 0x81;
	R.r[10] = 0;
	CHECK("test_setne_shl_xor_between_are_copied", 22,
	      0xb8, 0xca, 0, 0, 0, 0x45, 0x85, 0xc0, 0x40, 0x0f, 0x95, 0xc6,
	      0x45, 0x31, 0xd2, 0xc1, 0xe6, 0x07, 0x40, 0x80, 0xf6, 0x81);
	CHECK("a_rip_relative_lea_stays_on_SUD", 0,
	      0xb8, 0xca, 0, 0, 0, 0x48, 0x8d, 0x35, 0, 0, 0, 0);
	CHECK("a_store_between_stays_on_SUD", 0,
	      0xb8, 0xca, 0, 0, 0, 0x89, 0x44, 0x24, 0x08);
	CHECK("a_branch_between_stays_on_SUD", 0,
	      0xb8, 0xca, 0, 0, 0, 0xeb, 0x00);
	CHECK("a_write_of_rsp_between_stays_on_SUD", 0,
	      0xb8, 0xca, 0, 0, 0, 0x48, 0x83, 0xec, 0x08);
	CHECK("a_load_through_another_base_stays_on_SUD", 0,
	      0xb8, 0xca, 0, 0, 0, 0x41, 0x8b, 0x70, 0x08);
	CHECK("a_division_between_stays_on_SUD", 0,
	      0xb8, 0xca, 0, 0, 0, 0xf7, 0xf1);
	CHECK("the_replaced_register_written_again_stays_on_SUD", 0,
	      0xb8, 0x01, 0, 0, 0, 0x44, 0x89, 0xc0);
	CHECK("an_operand_size_prefix_before_stays_on_SUD", 0,
	      0x66, 0xb8, 0xca, 0, 0, 0, 0x40, 0x80, 0xf6, 0x80);
	CHECK("a_prefix_on_a_copied_instruction_stays_on_SUD", 0,
	      0xb8, 0xca, 0, 0, 0, 0x66, 0x31, 0xff);
	R.r[7] = 5;
	CHECK("registers_that_disagree_with_a_copied_xor_stay_on_SUD", 0,
	      0xb8, 0xca, 0, 0, 0, 0x31, 0xff);
	R.r[7] = 0;
	CHECK("a_copied_xor_whose_register_agrees", 7,
	      0xb8, 0xca, 0, 0, 0, 0x31, 0xff);
	R.r[0] = 0xcb;
	CHECK("registers_that_disagree_with_the_replaced_mov_stay_on_SUD", 0,
	      0xb8, 0xca, 0, 0, 0, 0x40, 0x80, 0xf6, 0x80);
	R.r[0] = 0xca;
	R.r[2] = 1;
	CHECK("a_run_of_movs_agrees: the nearest is replaced", 5,
	      0xba, 1, 0, 0, 0, 0xb8, 0xca, 0, 0, 0);
	/* mov $7,%edi; movabs $0xcab8332211,%rsi: its immediate reads as
	   mov $0xca,%eax at the end: two decodings that disagree */
	R.r[7] = 7;
	R.r[6] = 0xcab8332211ull;
	CHECK("two_decodings_that_disagree_stay_on_SUD", 0,
	      0xbf, 7, 0, 0, 0, 0x48, 0xbe, 0x11, 0x22, 0x33, 0xb8, 0xca, 0,
	      0, 0);
	regs();
	R.r[0] = 0xe8;
	R.r[7] = 0x11223344;
	R.r[6] = 0x5566778899aabbccull;
	memcpy(stack + 128 + 8, "\x44\x33\x22\x11\xff\xff\xff\xff", 8);
	memcpy(stack + 128 + 0x10, "\xcc\xbb\xaa\x99\x88\x77\x66\x55", 8);
	CHECK("a_stack_load_run_agrees: the nearest mov is replaced", 9,
	      0x48, 0x8b, 0x74, 0x24, 0x10, 0xb8, 0xe8, 0, 0, 0,
	      0x8b, 0x7c, 0x24, 0x08);
	CHECK("mov_eax_then_a_32_bit_stack_load_that_agrees", 9,
	      0xb8, 0xe8, 0, 0, 0, 0x8b, 0x7c, 0x24, 0x08);
	R.r[7] = 0x11223345;
	CHECK("a_stack_load_that_disagrees_stays_on_SUD", 0,
	      0xb8, 0xe8, 0, 0, 0, 0x8b, 0x7c, 0x24, 0x08);
	entry_cases();
	printf("1..%d\n", ntest);
	return nfail != 0;
}

/* The ELF file being counted, read by virtual address (its PT_LOADs). */
static const uint8_t *elf_map;

static long elf_read(void *dst, uint64_t addr, size_t n)
{
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)elf_map;
	const Elf64_Phdr *ph = (const Elf64_Phdr *)(elf_map + eh->e_phoff);

	for (int i = 0; i < eh->e_phnum; i++)
		if (ph[i].p_type == PT_LOAD && addr >= ph[i].p_vaddr &&
		    addr + n <= ph[i].p_vaddr + ph[i].p_filesz) {
			memcpy(dst, elf_map + ph[i].p_offset + (addr - ph[i].p_vaddr),
			       n);
			return (long)n;
		}
	return -1;
}

/* The site at va (a `syscall`) proved from its function's entry, as the
 * runtime does it (rewrite_entry.c): the FDE start from .eh_frame_hdr,
 * decoded forward from there. */
static int entry_fits(uint64_t va, struct form *f)
{
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)elf_map;
	const Elf64_Phdr *ph = (const Elf64_Phdr *)(elf_map + eh->e_phoff);
	uint8_t code[FORM_ENTRY_MAX + 2], out[FORM_STUB_MAX];
	uint64_t entry = 0;

	for (int i = 0; i < eh->e_phnum; i++)
		if (ph[i].p_type == PT_GNU_EH_FRAME)
			entry = limen_fde_start(ph[i].p_vaddr, va, elf_read);
	if (!entry || va - entry > FORM_ENTRY_MAX ||
	    elf_read(code, entry, va - entry + 2) < 0 ||
	    !limen_form_entry(code, va - entry + 2, f))
		return 0;
	/* its stub as the runtime would build it 1 GiB below */
	return limen_form_stub(out, code + f->entry_off, f, entry + f->entry_off,
			       entry - (1ul << 30));
}

/* --count ELF [-v]: vaddrs of `syscall`s (hex) on stdin; "FIT of ALL"
 * and, per bytes copied, how many (-v: and each that stays on SUD);
 * "entry: N", how many more are proved from their function's entry. */
static int count(const char *path, int verbose)
{
	unsigned long entry = 0;

	int fd = open(path, O_RDONLY);
	struct stat st;
	const uint8_t *m;
	const Elf64_Ehdr *eh;
	const Elf64_Phdr *ph;
	unsigned long va, all = 0, fit = 0, by[FORM_COPY_MAX + 1] = { 0 };

	if (fd < 0 || fstat(fd, &st) ||
	    (m = mmap(0, st.st_size, PROT_READ, MAP_PRIVATE, fd, 0)) == MAP_FAILED) {
		perror(path);
		return 2;
	}
	elf_map = m;
	eh = (const Elf64_Ehdr *)m;
	ph = (const Elf64_Phdr *)(m + eh->e_phoff);
	while (scanf("%lx", &va) == 1) {
		for (int i = 0; i < eh->e_phnum; i++) {
			const Elf64_Phdr *p = &ph[i];
			struct form f;
			size_t off, avail;

			if (p->p_type != PT_LOAD || !(p->p_flags & PF_X) ||
			    va < p->p_vaddr || va + 2 > p->p_vaddr + p->p_filesz)
				continue;
			off = p->p_offset + (va - p->p_vaddr);
			avail = va - p->p_vaddr < FORM_WINDOW ?
					va - p->p_vaddr : FORM_WINDOW;
			all++;
			if (limen_form_find(m + off, avail, 0, &f)) {
				fit++;
				by[f.len - FORM_INSN]++;
				if (verbose > 1 && f.len > FORM_INSN)
					printf("copies %lx %u\n", va, f.len);
			} else if (entry_fits(va, &f)) {
				entry++;
				if (verbose)
					printf("entry %lx %u\n", va, f.len);
			} else if (verbose) {
				printf("stays %lx\n", va);
			}
			break;
		}
	}
	printf("%lu of %lu\n", fit, all);
	for (int k = 0; k <= FORM_COPY_MAX; k++)
		if (by[k])
			printf("copied %d: %lu\n", k, by[k]);
	printf("entry: %lu\n", entry);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 3 && !strcmp(argv[1], "--count"))
		return count(argv[2], argc - 3);
	return cases();
}
