/* SPDX-License-Identifier: MIT */
/*
 * The program's flags across a rewritten call site (src/runtime/arch/
 * x86_64/fast.S: the lean path and the recorded way out put them back
 * with sahf, an add for OF and std, popfq only where another differs).
 * Two sites of their own (`mov $110,%eax; syscall`: getppid, and
 * `mov $3,%eax; syscall`: close(999), which fails with -EBADF), each made
 * with the flags set to a pattern first (popfq), the flags read right
 * after the `syscall` (pushfq): every pattern must come back as it went
 * in, and each call return what it returns bare. Patterns: the
 * arithmetic flags, DF, ID, and AC (alignment checking: with it set, a
 * misaligned load on the way through the site faults with SIGBUS, where
 * the bare `syscall` reads no memory), first, so that the sites are
 * rewritten while it is set. Then, with AC set, an openat of a path and
 * a read into a buffer at odd addresses (recorded, their strings copied),
 * and openats of missing files, absolute and relative, at odd addresses
 * (the hooks look at a missing path a word at a time), AC still set after.
 *   fastflags N    N rounds of every pattern through both sites; prints
 *                  "bad 0" and the sites' first bytes on stderr
 *                  ("site ppid e9" once rewritten)
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define FLAGS_SEEN 0x2c0fd7 /* CF PF AF ZF SF TF IF DF OF AC ID, bit 1 */

/* NAME(flags, &after, arg): flags set, then `mov $NR,%eax; syscall` with
   rdi = arg; the flags right after in *after (AC cleared before any C
   code runs again); returns the call's rax */
#define SITE(name, nr)							\
	long name(uint64_t fl, uint64_t *after, long arg);		\
	extern const unsigned char name##_mov[];			\
	__asm__(".text\n.globl " #name "\n" #name ":\n"			\
		"	push %rbx\n	mov %rsi, %rbx\n"		\
		"	push %rdi\n	mov %rdx, %rdi\n	popfq\n" \
		".globl " #name "_mov\n" #name "_mov:\n"		\
		"	mov $" #nr ", %eax\n	syscall\n"		\
		"	pushfq\n	pop %rcx\n"			\
		"	pushfq\n	andq $~0x40000, (%rsp)\n	popfq\n" \
		"	cld\n	mov %rcx, (%rbx)\n	pop %rbx\n	ret\n");

SITE(site_ppid, 110)
SITE(site_close, 3)

/* openat(AT_FDCWD, path, O_RDONLY) and read(fd, buf, n) with AC set */
long ac_openat(const char *path);
long ac_read(long fd, char *buf, long n);
__asm__(".text\n.globl ac_openat\nac_openat:\n"
	"	mov %rdi, %rsi\n	mov $-100, %rdi\n	xor %edx, %edx\n"
	"	pushfq\n	orq $0x40000, (%rsp)\n	popfq\n"
	"	mov $257, %eax\n	syscall\n"
	"	pushfq\n	andq $~0x40000, (%rsp)\n	popfq\n	ret\n"
	".globl ac_read\nac_read:\n"
	"	pushfq\n	orq $0x40000, (%rsp)\n	popfq\n"
	"	mov $0, %eax\n	syscall\n"
	"	pushfq\n	andq $~0x40000, (%rsp)\n	popfq\n	ret\n");

/* openat(AT_FDCWD, path, O_RDONLY) with AC set, the flags right after
   the `syscall` in *after: a path that does not exist is looked at by
   the emulation's hooks after the kernel's ENOENT, a word at a time */
long ac_openat_flags(const char *path, uint64_t *after);
__asm__(".text\n.globl ac_openat_flags\nac_openat_flags:\n"
	"	mov %rsi, %r8\n	mov %rdi, %rsi\n	mov $-100, %rdi\n"
	"	xor %edx, %edx\n"
	"	pushfq\n	orq $0x40000, (%rsp)\n	popfq\n"
	"	mov $257, %eax\n	syscall\n"
	"	pushfq\n	pop %rcx\n"
	"	pushfq\n	andq $~0x40000, (%rsp)\n	popfq\n"
	"	mov %rcx, (%r8)\n	ret\n");

/* AC's first: the sites become hot (rewritten) with it set */
static const uint64_t pats[] = {
	0x40202, 0x40ed7, 0x240ad7,
	0x202, 0x2d7, 0xad7, 0xa02, 0x602, 0xed7, 0x200202, 0x200ed7,
};

/* a path and a buffer at odd addresses */
static char odd[96] __attribute__((aligned(16)));

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 0, bad = 0, ppid = getppid();

	for (long i = 0; i < n; i++)
		for (unsigned p = 0; p < sizeof(pats) / sizeof(*pats); p++) {
			uint64_t after;
			long r = site_ppid(pats[p], &after, 0);

			if (r != ppid || (after & FLAGS_SEEN) != pats[p])
				if (bad++ < 5)
					fprintf(stderr, "getppid %#lx: %ld, "
						"flags %#lx\n", (long)pats[p],
						r, (long)after);
			r = site_close(pats[p], &after, 999);
			if (r != -9 || (after & FLAGS_SEEN) != pats[p])
				if (bad++ < 5)
					fprintf(stderr, "close %#lx: %ld, "
						"flags %#lx\n", (long)pats[p],
						r, (long)after);
		}
	memcpy(odd + 3, "/dev/zero", 10);
	for (long i = 0; i < n; i++) {
		long fd = ac_openat(odd + 3), r = ac_read(fd, odd + 17, 5);

		site_close(0x40202, &(uint64_t){ 0 }, fd);
		if (fd < 0 || r != 5)
			if (bad++ < 5)
				fprintf(stderr, "openat %ld, read %ld\n", fd,
					r);
	}
	/* missing files, absolute and relative, at odd addresses */
	memcpy(odd + 33, "/nonexistent/limen", 19);
	memcpy(odd + 53, "limen-nonexistent", 18);
	for (long i = 0; i < n; i++)
		for (int k = 0; k < 2; k++) {
			uint64_t after = 0;
			long r = ac_openat_flags(k ? odd + 53 : odd + 33,
						 &after);

			if (r != -2 || !(after & 0x40000))
				if (bad++ < 5)
					fprintf(stderr, "missing openat %ld, "
						"flags %#lx\n", r,
						(long)after);
		}
	fprintf(stderr, "site ppid %02x\nsite close %02x\n",
		*(volatile const unsigned char *)site_ppid_mov,
		*(volatile const unsigned char *)site_close_mov);
	printf("bad %ld\n", bad);
	return 0;
}
