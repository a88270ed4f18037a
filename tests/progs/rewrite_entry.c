/* SPDX-License-Identifier: MIT */
/*
 * Call sites with no 5-byte mov before the `syscall`, only a rip-relative
 * cmp at the function's entry (glibc 2.36's read: cmpb $0,
 * __libc_single_threaded(%rip); je; xor %eax,%eax; syscall). limen proves
 * the cmp's boundary from the function's FDE (src/runtime/rewrite_entry.c)
 * and replaces it with a jmp; its stub runs the cmp re-aimed and the je as
 * a jcc to the original target. stdout is the same bare and traced;
 * stderr says "site NAME XX": the site's first byte, 80 as built, e9
 * rewritten.
 *
 *   rewrite_entry hot N    site_entry N times with the flag 1 (the read
 *                          through the stub), N times alternating 1 and 0
 *                          (0: the je taken, from the stub, to the other
 *                          path), reads of fd -1 (EBADF): each checks its
 *                          result, the flags after the `syscall` and the
 *                          flags and return address the je's target found
 *   libc N                 glibc's read N times from /dev/zero; the first
 *                          byte of read
 *   late N                 4 threads and main call site_entry N times each
 *                          from the start (the flag 1): it is patched while
 *                          they run it (int3 first; a thread that meets
 *                          it goes to the stub)
 *   int3 N                 late, then (traced only: bare, it dies of
 *                          SIGTRAP) an int3 of the program's own over the
 *                          live-patched jmp, as a thread meets limen's
 *                          int3 while the site is patched: limen's SIGTRAP
 *                          handler sends it to the stub; N calls with the
 *                          flag 1 and 0 alternating
 */
#include <fcntl.h>
#include <pthread.h>
#include <sys/mman.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define FLAGS 0x8d5 /* CF PF AF ZF SF OF */

long site_entry(long fd, void *buf, long n);
unsigned char entry_flag = 1;
unsigned long entry_flags_out, entry_path, entry_ret, entry_je_flags;

__asm__(".section .text.entry, \"ax\", @progbits\n"
	".balign 4096\n"
	".globl site_entry\n"
	".type site_entry, @function\n"
	"site_entry:\n"
	".cfi_startproc\n"
	"	cmpb $0x0, entry_flag(%rip)\n"
	"	je 1f\n"
	"	xor %eax, %eax\n"
	"	syscall\n"
	"	pushfq\n"
	"	popq entry_flags_out(%rip)\n"
	"	movq $1, entry_path(%rip)\n"
	"	mov (%rsp), %rcx\n"
	"	mov %rcx, entry_ret(%rip)\n"
	"	ret\n"
	/* the je's target: what the cmp left, and the stack as it was */
	"1:	pushfq\n"
	".cfi_adjust_cfa_offset 8\n"
	"	popq entry_je_flags(%rip)\n"
	".cfi_adjust_cfa_offset -8\n"
	"	mov (%rsp), %rcx\n"
	"	mov %rcx, entry_ret(%rip)\n"
	"	mov $0, %eax\n"
	"	syscall\n"
	"	pushfq\n"
	"	popq entry_flags_out(%rip)\n"
	"	movq $2, entry_path(%rip)\n"
	"	ret\n"
	".cfi_endproc\n"
	".size site_entry, .-site_entry\n"
	".balign 4096\n"
	".text\n");

static int zero;

/* One call with the flag f: its result, path, flags and return address
 * as expected; 1 if not. */
static int round_entry(int f, long fd, long want)
{
	char c = 1;
	long r;
	int bad;

	entry_flag = (unsigned char)f;
	entry_ret = entry_je_flags = 0;
	r = site_entry(fd, &c, 1);
	bad = r != want || entry_path != (f ? 1u : 2u) ||
	      (want == 1 && c != 0) ||
	      /* xor %eax,%eax or mov $0: the flags as the code left them */
	      (f && (entry_flags_out & FLAGS) != 0x44) || !entry_ret;
	/* the je taken: cmp $0 with 0 left ZF (and PF) */
	if (!f && (entry_je_flags & FLAGS) != 0x44)
		bad = 1;
	return bad;
}

static void hot(long n)
{
	long bad = 0, bad_alt = 0, bad_err = 0;

	for (long i = 0; i < n; i++)
		bad += round_entry(1, zero, 1);
	for (long i = 0; i < n; i++)
		bad_alt += round_entry((int)(i & 1), zero, 1);
	for (long i = 0; i < n; i++)
		bad_err += round_entry((int)(i & 1), -1, -9);
	printf("flag 1: %ld rounds, %ld wrong\n", n, bad);
	printf("flag 0 and 1: %ld rounds, %ld wrong\n", n, bad_alt);
	printf("EBADF: %ld rounds, %ld wrong\n", n, bad_err);
	/* the return address the je's target saw, as an offset: as bare */
	entry_flag = 0;
	site_entry(zero, &(char){ 0 }, 1);
	printf("return address: site_entry%+ld\n",
	       (long)(entry_ret - (unsigned long)site_entry));
	fprintf(stderr, "site entry %02x\n", *(volatile unsigned char *)site_entry);
}

static void libc(long n)
{
	int fd = open("/dev/zero", O_RDONLY);
	long bad = 0;
	char c;

	for (long i = 0; i < n; i++) {
		c = 1;
		bad += read(fd, &c, 1) != 1 || c != 0;
	}
	printf("libc read: %ld calls, %ld wrong\n", n, bad);
	fprintf(stderr, "site read %02x\n", *(volatile unsigned char *)read);
}

static long n_calls;

static void *thread_main(void *arg)
{
	long bad = 0;
	char c;

	(void)arg;
	for (long i = 0; i < n_calls; i++) {
		c = 1;
		bad += site_entry(zero, &c, 1) != 1 || c != 0;
	}
	return (void *)bad;
}

static void late(void)
{
	pthread_t t[4];
	long bad;
	void *r;

	entry_flag = 1;
	for (int i = 0; i < 4; i++)
		pthread_create(&t[i], 0, thread_main, 0);
	bad = (long)thread_main(0);
	for (int i = 0; i < 4; i++) {
		pthread_join(t[i], &r);
		bad += (long)r;
	}
	printf("late: 5 threads, %ld calls each, %ld wrong\n", n_calls, bad);
	fprintf(stderr, "site late %02x\n", *(volatile unsigned char *)site_entry);
}

/* the byte at p becomes b (the page is the site's own) */
static int poke(const void *p, unsigned char b)
{
	long pg = sysconf(_SC_PAGESIZE);
	void *page = (void *)((unsigned long)p & ~(pg - 1));

	if (mprotect(page, pg, PROT_READ | PROT_WRITE))
		return -1;
	*(volatile unsigned char *)p = b;
	return mprotect(page, pg, PROT_READ | PROT_EXEC);
}

static void int3(void)
{
	long bad = 0;

	late();
	if (*(volatile unsigned char *)site_entry != 0xe9) {
		printf("int3: the site was not patched live\n");
		return;
	}
	if (poke(site_entry, 0xcc)) {
		printf("int3: cannot write our text\n");
		return;
	}
	for (long i = 0; i < n_calls; i++) {
		bad += round_entry((int)(i & 1), zero, 1);
		bad += round_entry((int)(i & 1), -1, -9);
	}
	printf("int3: %ld rounds through the int3, %ld wrong\n", n_calls, bad);
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "hot";
	long n = argc > 2 ? atol(argv[2]) : 1000;

	setvbuf(stderr, 0, _IONBF, 0);
	zero = open("/dev/zero", O_RDONLY);
	if (!strcmp(mode, "hot"))
		hot(n);
	else if (!strcmp(mode, "libc"))
		libc(n);
	n_calls = n;
	if (!strcmp(mode, "late"))
		late();
	else if (!strcmp(mode, "int3"))
		int3();
	return 0;
}
