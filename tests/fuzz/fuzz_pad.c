// SPDX-License-Identifier: MIT
/*
 * Fuzz harness (libFuzzer) for what the pad form reads of a program's
 * file (src/runtime/rewrite_pad.c): the ELF headers, the .symtab or Go's
 * pclntab, each length and count the file's own; and the instruction
 * decoder that proves a function's instruction boundaries
 * (src/runtime/insn_len.c). Input: 4 bytes, the site's offset in the
 * executable segment (its low 16 bits), then the file, written to a
 * memfd that the reader preads as it preads the program's file. Nothing
 * it reads may crash it or make it loop long; what it proves must lie
 * around the site. The same bytes, ending in a `syscall`, are decoded.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "runtime/rewrite_pad.c"
#include "runtime/insn_len.c"

/* limen_pad_symbols's own helpers: the harness calls from_file with its
   mapping itself, so they are never reached here */
uint64_t limen_proc_num(const char **p, unsigned base)
{
	(void)p;
	(void)base;
	abort();
}

long limen_safe_read(void *dst, uint64_t src, size_t n)
{
	(void)dst;
	(void)src;
	(void)n;
	abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int fd = -1;
	struct limen_vma m = { .start = 0x401000, .end = 0x411000,
			       .offset = 0x1000 };
	struct pad_proof p;
	uint8_t code[512];
	uint32_t at;
	size_t n;

	if (size < 4)
		return 0;
	if (fd < 0 && (fd = memfd_create("fuzz_pad", 0)) < 0)
		abort();
	memcpy(&at, data, 4);
	at &= 0xffff;
	if (ftruncate(fd, 0) || pwrite(fd, data + 4, size - 4, 0) != (ssize_t)(size - 4))
		abort();
	if (from_file(fd, &m, m.start + at, &p) &&
	    (p.entry > m.start + at || p.gap_lo <= p.entry || p.gap_hi < p.gap_lo))
		abort(); /* a proof that does not hold the site */
	n = size - 4 < sizeof(code) - 2 ? size - 4 : sizeof(code) - 2;
	memcpy(code, data + 4, n);
	code[n] = 0x0f;
	code[n + 1] = 0x05;
	(void)limen_insn_bound(code, n + 2);
	return 0;
}
