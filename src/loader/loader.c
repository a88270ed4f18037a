/* SPDX-License-Identifier: MIT */
/*
 * limen's loader (build/limen-loader): how a program that never runs ld.so,
 * a static program (busybox-static, musl -static, every Go program), is
 * traced. LD_PRELOAD cannot bring the runtime into such a program, so the
 * collector, and the runtime at an execve (exec.c), run this instead:
 *
 *	execve(limen-loader, the program's own argv, its envp +
 *	       LIMEN_EXEC=<the path execve was given> + LIMEN_SESSION=...)
 *
 * It is a static-pie with no libc that carries a second build of the
 * runtime (src/runtime/, compiled with LIMEN_GS_TLS). It relocates itself,
 * maps the program's ELF image (and its PT_INTERP, if it has one) as the
 * kernel's binfmt_elf would, rewrites the auxiliary vector so that the
 * program finds itself (AT_PHDR, AT_PHNUM, AT_ENTRY, AT_BASE, AT_EXECFN),
 * names the process after the program (comm), starts the runtime (which
 * arms Syscall User Dispatch over this file's code), takes limen's
 * variables out of the environment and jumps to the entry point on the
 * stack the kernel built, with argc, argv and envp where the program
 * expects them. The program's first instruction is its own: every call it
 * makes is traced, and the calls made here (reading and mapping the ELF)
 * are not the program's and are not shown.
 *
 * argv is the program's own, so /proc/self/cmdline is what it would be. What
 * still shows (README, "limen's loader"): /proc/self/exe names the loader
 * (changing it needs CAP_SYS_ADMIN; the kernel's auxv and code bounds are
 * set to the program's: kernel_view); limen's environment strings stay in the stack's string
 * area (/proc/self/environ), as with LD_PRELOAD; the loader's own mapping
 * is in /proc/self/maps, and the heap (brk) starts after it rather than
 * after the program's bss.
 *
 * The runtime has no TLS here: %fs belongs to the program, so the
 * runtime's per-thread state is found through %gs (rt.h, LIMEN_GS_TLS).
 */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <link.h>
#include <linux/prctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>

#include "raw.h"
#include "rt.h"
#include "limen/uevent.h"
#include "session/elfprobe.h"
#include "runtime/filter.h"
#include "runtime/rewrite_known.h"
#include "loader.h"

#define PAGE 4096ul
#define PHDRS_MAX 32 /* the frame stays small; programs have ~12 */
#define ARCH_SET_GS 0x1001
#define COMM_LEN 16 /* TASK_COMM_LEN */
#define EXIT_LOAD_FAILED 127

extern const ElfW(Ehdr) __ehdr_start LIMEN_HIDDEN;
extern ElfW(Dyn) _DYNAMIC[] LIMEN_HIDDEN;

void limen_loader_main(uint64_t *sp) LIMEN_HIDDEN __attribute__((noreturn));
void limen_loader_jump(uint64_t *sp, uint64_t entry) LIMEN_HIDDEN
	__attribute__((noreturn));

/*
 * A static-pie has no ld.so to relocate it: apply its R_X86_64_RELATIVE
 * relocations before anything reads a pointer from its data. Nothing in
 * here may use such a pointer (it runs first).
 */
static void relocate_self(void)
{
	uintptr_t base = (uintptr_t)&__ehdr_start;
	const ElfW(Rela) *rela = 0;
	uint64_t relasz = 0;

	for (ElfW(Dyn) *d = _DYNAMIC; d->d_tag != DT_NULL; d++) {
		if (d->d_tag == DT_RELA)
			rela = (const ElfW(Rela) *)(base + d->d_un.d_ptr);
		else if (d->d_tag == DT_RELASZ)
			relasz = d->d_un.d_val;
	}
	for (uint64_t i = 0; rela && i < relasz / sizeof(*rela); i++)
		if (ELF64_R_TYPE(rela[i].r_info) == R_X86_64_RELATIVE)
			*(uint64_t *)(base + rela[i].r_offset) =
				base + (uint64_t)rela[i].r_addend;
}

static void say(const char *s)
{
	limen_sys3(SYS_write, 2, s, limen_strlen(s));
}

static void __attribute__((noreturn)) fail(const char *path, const char *why)
{
	say("limen: ");
	say(path);
	say(": ");
	say(why);
	say("\n");
	limen_sys1(SYS_exit_group, EXIT_LOAD_FAILED);
	__builtin_unreachable();
}

/* rt.h, limen_tls_self: what its load of %gs:0 is said to read */
struct limen_gs_anchor limen_gs_anchor;

int limen_gs_block_new(void)
{
	long r = limen_sys6(SYS_mmap, 0,
			    (sizeof(struct limen_gs_block) + PAGE - 1) &
				    ~(PAGE - 1),
			    PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
			    -1, 0);
	struct limen_gs_block *b = (struct limen_gs_block *)r;

	if (limen_is_err(r))
		return (int)r;
	b->self = b;
	limen_dontdump(r, sizeof(*b));
	r = limen_sys2(SYS_arch_prctl, ARCH_SET_GS, b);
	if (r < 0) {
		limen_sys2(SYS_munmap, b, sizeof(*b));
		return (int)r;
	}
	return 0;
}

/* n blocks' pages in one mapping (and one madvise), each block's page
   in pages[]; 0, or -1 with pages[] 0 */
int limen_gs_pages_map(void **pages, unsigned n)
{
	const unsigned long one = (sizeof(struct limen_gs_block) + PAGE - 1) &
				  ~(PAGE - 1);
	long r = limen_sys6(SYS_mmap, 0, n * one, PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	for (unsigned j = 0; j < n; j++)
		pages[j] = limen_is_err(r) ? 0 : (void *)(r + j * one);
	if (limen_is_err(r))
		return -1;
	limen_dontdump(r, n * one);
	return 0;
}

void *limen_gs_page_map(void)
{
	void *page;

	limen_gs_pages_map(&page, 1);
	return page;
}

/* a page another thread's block was (a thread gone): zeroed as a new
   mapping is */
int limen_gs_block_use(void *page)
{
	struct limen_gs_block *b = page;
	long r;

	memset(b, 0, sizeof(*b));
	b->self = b;
	r = limen_sys2(SYS_arch_prctl, ARCH_SET_GS, b);
	return r < 0 ? (int)r : 0;
}

void *limen_gs_block_self(void)
{
	struct limen_gs_block *b;

	__asm__ volatile("mov %%gs:0, %0" : "=r"(b));
	return b;
}

/* A thread's last act before it unmaps its signal stack (dispatch.c). */
void limen_gs_block_free(void)
{
	struct limen_gs_block *b;

	__asm__ volatile("mov %%gs:0, %0" : "=r"(b));
	limen_sys2(SYS_arch_prctl, ARCH_SET_GS, 0);
	limen_sys2(SYS_munmap, b, sizeof(*b));
}

/* An ELF image as mapped: where its headers and entry point are. */
struct image {
	uint64_t base;           /* load bias (0 for ET_EXEC) */
	uint64_t entry;
	uint64_t phdr;           /* address of its program headers */
	uint32_t phnum;
	char interp[256];        /* PT_INTERP, "" if none */
	uint64_t start_code, end_code, start_data, end_data; /* as
				    binfmt_elf works them out */
	uint64_t text_lo, text_hi; /* its one executable mapping, as the
				      kernel holds it; 0, 0: not known */
	uint64_t ino;            /* its file's (the program's only; 0: not
				    known), and the device's numbers */
	uint32_t major, minor;
};

static int prot_of(uint32_t f)
{
	return (f & PF_R ? PROT_READ : 0) | (f & PF_W ? PROT_WRITE : 0) |
	       (f & PF_X ? PROT_EXEC : 0);
}

/* The code and data bounds of /proc/PID/stat, as binfmt_elf takes them
   from the PT_LOADs (before the load bias) */
static void code_data(struct image *im, const ElfW(Phdr) *ph)
{
	uint64_t k = ph->p_vaddr;

	if ((ph->p_flags & PF_X) && k < im->start_code)
		im->start_code = k;
	if (im->start_data < k)
		im->start_data = k;
	k = ph->p_vaddr + ph->p_filesz;
	if ((ph->p_flags & PF_X) && im->end_code < k)
		im->end_code = k;
	if (im->end_data < k)
		im->end_data = k;
}

/*
 * The mapping of the image's one executable PT_LOAD, as the kernel holds
 * it once map_image has mapped it: its own mmap's pages, read and execute,
 * private, of the file. Not known (0, 0) where another PT_LOAD shares a
 * page with it (its mmap would have cut the mapping short), the segment
 * has a bss, or more than one segment is executable.
 */
static void text_mapping(struct image *im, const ElfW(Phdr) *ph, int n)
{
	uint64_t lo = 0, hi = 0;
	int x = -1;

	im->text_lo = im->text_hi = 0;
	for (int i = 0; i < n; i++) {
		if (ph[i].p_type != PT_LOAD || !(ph[i].p_flags & PF_X))
			continue;
		if (x >= 0 || prot_of(ph[i].p_flags) != (PROT_READ | PROT_EXEC) ||
		    !ph[i].p_filesz || ph[i].p_memsz > ph[i].p_filesz)
			return;
		x = i;
	}
	if (x < 0)
		return;
	lo = ph[x].p_vaddr & ~(PAGE - 1);
	hi = (ph[x].p_vaddr + ph[x].p_filesz + PAGE - 1) & ~(PAGE - 1);
	for (int i = 0; i < n; i++) {
		uint64_t a, b;

		if (i == x || ph[i].p_type != PT_LOAD)
			continue;
		a = ph[i].p_vaddr & ~(PAGE - 1);
		b = (ph[i].p_vaddr + ph[i].p_memsz + PAGE - 1) & ~(PAGE - 1);
		if (a < hi && b > lo)
			return;
	}
	im->text_lo = im->base + lo;
	im->text_hi = im->base + hi;
}

/*
 * Map one ELF file as binfmt_elf does: each PT_LOAD at its address (plus a
 * bias chosen by mmap for ET_DYN, aligned to the largest p_align), the bss
 * zeroed and backed by anonymous pages, the holes between segments left
 * unmapped. Returns NULL or the reason it cannot.
 */
static const char *map_image(const char *path, struct image *im, int want_interp)
{
	struct {
		ElfW(Ehdr) eh;
	} u;
	ElfW(Phdr) ph[PHDRS_MAX];
	uint64_t lo = ~0ull, hi = 0, align = PAGE, span, prev_end = 0;
	long fd, r;
	const char *why = 0;

	fd = limen_sys3(SYS_open, path, O_RDONLY | O_CLOEXEC, 0);
	if (fd < 0)
		return "cannot be opened";
	r = limen_sys4(SYS_pread64, fd, &u.eh, sizeof(u.eh), 0);
	if (r != sizeof(u.eh) || limen_strncmp((char *)u.eh.e_ident, ELFMAG,
					       SELFMAG) ||
	    u.eh.e_ident[EI_CLASS] != ELFCLASS64 ||
	    u.eh.e_machine != EM_X86_64 ||
	    (u.eh.e_type != ET_EXEC && u.eh.e_type != ET_DYN) ||
	    u.eh.e_phentsize != sizeof(ElfW(Phdr)) || !u.eh.e_phnum ||
	    u.eh.e_phnum > PHDRS_MAX) {
		why = "not an x86_64 ELF program limen's loader can map";
		goto out;
	}
	r = limen_sys4(SYS_pread64, fd, ph, u.eh.e_phnum * sizeof(ph[0]),
		       u.eh.e_phoff);
	if (r != (long)(u.eh.e_phnum * sizeof(ph[0]))) {
		why = "its program headers cannot be read";
		goto out;
	}
	im->interp[0] = 0;
	im->phnum = u.eh.e_phnum;
	im->phdr = 0;
	im->start_code = ~0ull;
	im->end_code = im->start_data = im->end_data = 0;
	for (int i = 0; i < u.eh.e_phnum; i++) {
		if (ph[i].p_type == PT_INTERP && want_interp) {
			if (ph[i].p_filesz >= sizeof(im->interp) ||
			    limen_sys4(SYS_pread64, fd, im->interp,
				       ph[i].p_filesz, ph[i].p_offset) !=
				    (long)ph[i].p_filesz) {
				why = "its PT_INTERP cannot be read";
				goto out;
			}
			im->interp[ph[i].p_filesz] = 0;
		}
		if (ph[i].p_type == PT_PHDR)
			im->phdr = ph[i].p_vaddr;
		if (ph[i].p_type != PT_LOAD)
			continue;
		code_data(im, &ph[i]);
		if (ph[i].p_vaddr < lo)
			lo = ph[i].p_vaddr;
		if (ph[i].p_vaddr + ph[i].p_memsz > hi)
			hi = ph[i].p_vaddr + ph[i].p_memsz;
		if (ph[i].p_align > align)
			align = ph[i].p_align;
		/* no PT_PHDR: the headers are where the segment holding
		   them maps e_phoff (as the kernel works out AT_PHDR) */
		if (!im->phdr && ph[i].p_offset <= u.eh.e_phoff &&
		    u.eh.e_phoff < ph[i].p_offset + ph[i].p_filesz)
			im->phdr = ph[i].p_vaddr + u.eh.e_phoff -
				   ph[i].p_offset;
	}
	if (hi <= lo) {
		why = "it has nothing to load";
		goto out;
	}
	lo &= ~(PAGE - 1);
	span = ((hi + PAGE - 1) & ~(PAGE - 1)) - lo;
	if (u.eh.e_type == ET_DYN) {
		/* room for the whole image, aligned, then given back
		   segment by segment */
		r = limen_sys6(SYS_mmap, 0, span + align, PROT_NONE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (limen_is_err(r)) {
			why = "no room in the address space";
			goto out;
		}
		{
			uint64_t a = ((uint64_t)r + align - 1) & ~(align - 1);

			if (a > (uint64_t)r)
				limen_sys2(SYS_munmap, r, a - (uint64_t)r);
			if ((uint64_t)r + span + align > a + span)
				limen_sys2(SYS_munmap, a + span,
					   (uint64_t)r + span + align -
						   (a + span));
			im->base = a - lo;
		}
	} else {
		/* the image's own addresses, which nothing may hold yet */
		r = limen_sys6(SYS_mmap, lo, span, PROT_NONE,
			       MAP_PRIVATE | MAP_ANONYMOUS |
				       MAP_FIXED_NOREPLACE,
			       -1, 0);
		if (limen_is_err(r) || (uint64_t)r != lo) {
			why = "its addresses are taken";
			goto out;
		}
		im->base = 0;
	}
	prev_end = im->base + lo;
	for (int i = 0; i < u.eh.e_phnum; i++) {
		uint64_t va, start, fend, mend, zero_end;
		int prot = prot_of(ph[i].p_flags);

		if (ph[i].p_type != PT_LOAD)
			continue;
		va = im->base + ph[i].p_vaddr;
		start = va & ~(PAGE - 1);
		fend = va + ph[i].p_filesz;
		mend = va + ph[i].p_memsz;
		if (start > prev_end)
			limen_sys2(SYS_munmap, prev_end, start - prev_end);
		if (ph[i].p_filesz) {
			r = limen_sys6(SYS_mmap, start, fend - start,
				       prot | (mend > fend ? PROT_WRITE : 0),
				       MAP_PRIVATE | MAP_FIXED, fd,
				       (long)(ph[i].p_offset & ~(PAGE - 1)));
			if (limen_is_err(r)) {
				why = "a segment cannot be mapped";
				goto out;
			}
		}
		/* the bss: the rest of the file's last page zeroed, then
		   anonymous pages */
		zero_end = (fend + PAGE - 1) & ~(PAGE - 1);
		if (mend > fend && ph[i].p_filesz) {
			/* to the page's end, as the kernel does: ld.so's
			   first allocations take that space as zeroed */
			memset((void *)fend, 0, zero_end - fend);
			if (!(prot & PROT_WRITE))
				limen_sys3(SYS_mprotect, start,
					   zero_end - start, prot);
		} else if (!ph[i].p_filesz) {
			zero_end = start;
		}
		if (mend > zero_end) {
			r = limen_sys6(SYS_mmap, zero_end,
				       ((mend + PAGE - 1) & ~(PAGE - 1)) -
					       zero_end,
				       prot, MAP_PRIVATE | MAP_ANONYMOUS |
						     MAP_FIXED, -1, 0);
			if (limen_is_err(r)) {
				why = "its bss cannot be mapped";
				goto out;
			}
		}
		prev_end = (mend + PAGE - 1) & ~(PAGE - 1);
	}
	text_mapping(im, ph, u.eh.e_phnum);
	im->ino = 0;
	if (want_interp) {
		/* the file /proc/self/exe will name (exe_view.c) */
		struct stat st;

		if (limen_sys2(SYS_fstat, fd, &st) == 0) {
			im->ino = st.st_ino;
			im->major = (uint32_t)(((st.st_dev >> 8) & 0xfff) |
					       ((st.st_dev >> 32) & ~0xfffull));
			im->minor = (uint32_t)((st.st_dev & 0xff) |
					       ((st.st_dev >> 12) & ~0xffull));
		}
	}
	im->entry = im->base + u.eh.e_entry;
	im->phdr += im->base;
	im->start_code += im->base;
	im->end_code += im->base;
	im->start_data += im->base;
	im->end_data += im->base;
out:
	limen_sys1(SYS_close, fd);
	return why;
}

static int env_is(const char *e, const char *name)
{
	size_t n = limen_strlen(name);

	return !limen_strncmp(e, name, n) && e[n] == '=';
}

/* comm as the kernel sets it at execve: the file name's last part */
static void set_comm(const char *path)
{
	const char *b = path;
	char comm[COMM_LEN];
	size_t n;

	for (const char *p = path; *p; p++)
		if (*p == '/')
			b = p + 1;
	n = limen_strlen(b);
	if (n > COMM_LEN - 1)
		n = COMM_LEN - 1;
	memcpy(comm, b, n);
	comm[n] = 0;
	limen_sys2(SYS_prctl, PR_SET_NAME, comm);
}

/* PROCMAP_QUERY, which exe_view.c asks the program's file of: Linux 6.11 */
static int procmap_query_known(void)
{
	struct utsname u;
	const char *p = u.release;
	long major = 0, minor = 0;

	if (limen_sys1(SYS_uname, &u) < 0)
		return 0;
	while (*p >= '0' && *p <= '9')
		major = major * 10 + (*p++ - '0');
	if (*p++ != '.')
		return 0;
	while (*p >= '0' && *p <= '9')
		minor = minor * 10 + (*p++ - '0');
	return major > 6 || (major == 6 && minor >= 11);
}

/* The name the kernel would give /proc/self/exe: the file's own path, asked
   when the program names the link (exe_view.c) where it can be then */
static void exe_file(const char *path, const struct image *prog)
{
	/* under a filter the program came with, limen's calls for asking
	   later could be refused: asked now, as the loader's start is let
	   through (exe_view.c, limen_exe_settle) */
	if (path[0] == '/' && prog->text_hi > prog->text_lo && prog->ino &&
	    procmap_query_known() && !limen_seccomp_filtered())
		limen_exe_later(path, prog->text_lo, prog->ino, prog->major,
				prog->minor);
	else
		limen_exe_resolve(path);
}

/*
 * LIMEN_EXEC is a script (its interpreter is static, exec.c): do what the
 * kernel's binfmt_script does, and run the loader again on the interpreter
 * with argv = interpreter, its optional argument, the script's path, the
 * script's arguments; the script's path stays the name (AT_EXECFN, comm),
 * as the kernel keeps it. Returns only if path is not a script.
 */
#define SCRIPT_LINE 256 /* BINPRM_BUF_SIZE */
#define FIRST_ARGV_ROOM (sizeof(LIMEN_FIRST_ARGV_ENV) + 24)

/*
 * The command's execve line (first_exec.c) shows the argv it was given,
 * which the kernel, and run_script, replace with the interpreter's: keep
 * the command's argv[0] and where its argv[1] now is, as
 * LIMEN_FIRST_ARGV=<index>:<argv[0]> in var. A script run by a script
 * adds its own shift to the first one's. 0: not the command's first image.
 */
static int first_argv_var(char *var, char **envp, uint64_t envc,
			  const char *arg0, uint64_t shift)
{
	const char *old = 0;
	char *p = var;
	uint64_t idx = 0, d = 1;
	int first = 0;

	for (uint64_t i = 0; i < envc; i++) {
		if (env_is(envp[i], LIMEN_FIRST_ENV))
			first = 1;
		if (env_is(envp[i], LIMEN_FIRST_ARGV_ENV))
			old = envp[i] + sizeof(LIMEN_FIRST_ARGV_ENV);
	}
	if (!first)
		return 0;
	if (old) {
		for (; *old >= '0' && *old <= '9'; old++)
			idx = idx * 10 + (uint64_t)(*old - '0');
		if (*old == ':')
			arg0 = old + 1;
	}
	idx += shift;
	memcpy(p, LIMEN_FIRST_ARGV_ENV "=", sizeof(LIMEN_FIRST_ARGV_ENV));
	p += sizeof(LIMEN_FIRST_ARGV_ENV);
	while (d * 10 <= idx)
		d *= 10;
	for (; d; d /= 10)
		*p++ = (char)('0' + idx / d % 10);
	*p++ = ':';
	memcpy(p, arg0, limen_strlen(arg0) + 1);
	return 1;
}

static void run_script(const char *path, const char *name, uint64_t argc,
		       char **argv, char **envp, uint64_t envc)
{
	char line[SCRIPT_LINE + 1], *interp, *arg = 0, *e;
	char execvar[sizeof(LIMEN_EXEC_ENV) + SCRIPT_LINE + 1];
	char namevar[sizeof(LIMEN_EXEC_NAME_ENV) + LIMEN_EXE_BYTES];
	char **nargv, **nenvp;
	long fd = limen_sys3(SYS_open, path, O_RDONLY | O_CLOEXEC, 0), n;
	uint64_t k = 0, j = 0, room;

	if (fd < 0)
		return;
	n = limen_sys4(SYS_pread64, fd, line, SCRIPT_LINE, 0);
	limen_sys1(SYS_close, fd);
	if (n < 2 || line[0] != '#' || line[1] != '!')
		return;
	line[n] = 0;
	for (e = line + 2; *e && *e != '\n'; e++)
		;
	*e = 0;
	/* trailing blanks go, then: interpreter, blanks, one argument */
	while (e > line + 2 && (e[-1] == ' ' || e[-1] == '\t'))
		*--e = 0;
	for (interp = line + 2; *interp == ' ' || *interp == '\t'; interp++)
		;
	for (e = interp; *e && *e != ' ' && *e != '\t'; e++)
		;
	if (*e) {
		*e++ = 0;
		while (*e == ' ' || *e == '\t')
			e++;
		if (*e)
			arg = e;
	}
	/* the new vectors: off the stack, the exec frees them */
	room = limen_strlen(argv[0]) + FIRST_ARGV_ROOM;
	for (uint64_t i = 0; i < envc; i++)
		if (env_is(envp[i], LIMEN_FIRST_ARGV_ENV))
			room += limen_strlen(envp[i]);
	n = limen_sys6(SYS_mmap, 0,
		       (long)((argc + envc + 8) * sizeof(char *) + room),
		       PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1,
		       0);
	if (!*interp || limen_is_err(n))
		fail(path, "a script limen's loader cannot start");
	nargv = (char **)n;
	nenvp = nargv + argc + 4;
	nargv[k++] = interp;
	if (arg)
		nargv[k++] = arg;
	nargv[k++] = (char *)path;
	for (uint64_t i = 1; i < argc; i++)
		nargv[k++] = argv[i];
	nargv[k] = 0;
	memcpy(execvar, LIMEN_EXEC_ENV "=", sizeof(LIMEN_EXEC_ENV));
	memcpy(execvar + sizeof(LIMEN_EXEC_ENV), interp,
	       limen_strlen(interp) + 1);
	memcpy(namevar, LIMEN_EXEC_NAME_ENV "=", sizeof(LIMEN_EXEC_NAME_ENV));
	n = (long)limen_strlen(name);
	if (n >= LIMEN_EXE_BYTES)
		n = LIMEN_EXE_BYTES - 1;
	memcpy(namevar + sizeof(LIMEN_EXEC_NAME_ENV), name, (size_t)n);
	namevar[sizeof(LIMEN_EXEC_NAME_ENV) + n] = 0;
	for (uint64_t i = 0; i < envc; i++)
		if (!env_is(envp[i], LIMEN_EXEC_ENV) &&
		    !env_is(envp[i], LIMEN_EXEC_NAME_ENV) &&
		    !env_is(envp[i], LIMEN_FIRST_ARGV_ENV))
			nenvp[j++] = envp[i];
	if (first_argv_var((char *)(nenvp + envc + 4), envp, envc, argv[0],
			   k - argc))
		nenvp[j++] = (char *)(nenvp + envc + 4);
	nenvp[j++] = execvar;
	nenvp[j++] = namevar;
	nenvp[j] = 0;
	n = limen_sys3(SYS_execve, "/proc/self/exe", nargv, nenvp);
	fail(path, "limen's loader cannot run its interpreter again");
}

/* One of the variables limen adds to a program's environment? (The
   program's own LIMEN_LOADER, say, is not.) */
static int limens_var(const char *e)
{
	static const char *const ours[] = {
		LIMEN_SESSION_ENV, LIMEN_EXEC_ENV, LIMEN_EXEC_NAME_ENV,
		LIMEN_FIRST_ENV, LIMEN_FIRST_ARGV_ENV, LIMEN_PAD_ENV,
		LIMEN_STACK_ENV, LIMEN_WHEN_ENV, LIMEN_PREV_ENV,
	};

	for (unsigned i = 0; i < sizeof(ours) / sizeof(ours[0]); i++)
		if (env_is(e, ours[i]))
			return 1;
	return 0;
}

/* The bounds of the strings the kernel laid out, as /proc/PID/stat tells
   them (arg_start, arg_end, env_start, env_end), found without reading
   it: argv's then envp's strings, one after the other. env_end stops
   before limen's variables, which are the last ones (exec.c puts them
   after the program's, and the kernel lays the strings out in envp's
   order). All left 0 if the strings are not as expected. */
static void string_bounds(struct limen_mm_view *w, uint64_t argc,
			  char **argv, char **envp, uint64_t envc)
{
	uint64_t lo = ~0ull, hi = 0, end = 0;

	if (!argc || !envc)
		return;
	for (uint64_t i = 0; i < envc; i++) {
		uint64_t a = (uint64_t)(uintptr_t)envp[i];
		uint64_t e = a + limen_strlen(envp[i]) + 1;

		if (limens_var(envp[i])) {
			if (a < lo)
				lo = a;
		} else if (e > hi) {
			hi = e;
		}
		if (e > end)
			end = e;
	}
	w->arg_start = (uint64_t)(uintptr_t)argv[0];
	w->arg_end = (uint64_t)(uintptr_t)argv[argc - 1] +
		     limen_strlen(argv[argc - 1]) + 1;
	w->env_start = (uint64_t)(uintptr_t)envp[0];
	w->env_end = lo != ~0ull && hi <= lo ? (hi ? hi : lo) : end;
	if (w->arg_end != w->env_start || w->arg_start >= w->arg_end)
		w->arg_start = w->arg_end = w->env_start = w->env_end = 0;
}

/*
 * The kernel's own view of the process described the loader it exec'd:
 * its copy of the auxiliary vector (/proc/PID/auxv, a core file's notes,
 * and so where gdb looks for the program), the code and data bounds of
 * /proc/PID/stat and, past the program's, limen's variables in
 * /proc/PID/environ. The program's instead (mm_view.c): its auxv without
 * limen's own entry, the bounds binfmt_elf would have set.
 */
static __attribute__((noinline)) void
kernel_view(const ElfW(auxv_t) *av, uint64_t n, const struct image *prog,
	    const struct limen_mm_view *strings)
{
	ElfW(auxv_t) saved[26];
	struct limen_mm_view w = *strings;
	uint64_t k = 0;

	w.start_code = prog->start_code;
	w.end_code = prog->end_code;
	w.start_data = prog->start_data;
	w.end_data = prog->end_data;
	w.auxv = saved;
	/* nothing moved the break yet: where the kernel put it */
	w.start_brk = w.brk = (uint64_t)limen_sys1(SYS_brk, 0);

	for (uint64_t i = 0; i < n && k + 1 < 26; i++)
		if (av[i].a_type != AT_NULL &&
		    av[i].a_type != LIMEN_UEVENT_AT)
			saved[k++] = av[i];
	saved[k].a_type = AT_NULL;
	saved[k++].a_un.a_val = 0;
	w.auxv_size = (uint32_t)(k * sizeof(saved[0]));
	if (prog->start_code < prog->end_code)
		limen_mm_view_set(&w);
}

void limen_loader_main(uint64_t *sp)
{
	uint64_t argc = sp[0], envc = 0, envc_after = 0, nauxv = 0;
	char **argv = (char **)(sp + 1), **envp = argv + argc + 1;
	const char *path = 0, *name = 0, *first = 0, *first_argv = 0;
	ElfW(auxv_t) *auxv, *nauxv_at;
	struct image prog, interp;
	const char *why;
	uint64_t words, *nsp, *end;
	int session = 0;
	struct limen_mm_view strings = { 0 };

	relocate_self();
	while (envp[envc])
		envc++;
	auxv = (ElfW(auxv_t) *)(envp + envc + 1);
	while (auxv[nauxv++].a_type != AT_NULL)
		;
	for (uint64_t i = 0; i < envc; i++) {
		if (env_is(envp[i], LIMEN_EXEC_ENV))
			path = envp[i] + sizeof(LIMEN_EXEC_ENV);
		if (env_is(envp[i], LIMEN_EXEC_NAME_ENV))
			name = envp[i] + sizeof(LIMEN_EXEC_NAME_ENV);
		if (env_is(envp[i], LIMEN_SESSION_ENV))
			session = 1;
	}
	/* both: the stack below is rebuilt in the room they leave */
	if (!path || !session)
		fail("limen-loader", "run by limen only (no " LIMEN_EXEC_ENV
				     " or " LIMEN_SESSION_ENV
				     " in the environment)");
	string_bounds(&strings, argc, argv, envp, envc);
	run_script(path, name && *name ? name : path, argc, argv, envp, envc);
	if (limen_gs_block_new() < 0)
		fail(path, "no memory for limen's thread state");
	why = map_image(path, &prog, 1);
	if (why)
		fail(path, why);
	interp.base = 0;
	if (prog.interp[0]) {
		why = map_image(prog.interp, &interp, 0);
		if (why)
			fail(prog.interp, why);
	}
	exe_file(path, &prog);
	if (!name || !*name)
		name = path;
	set_comm(name);
	for (uint64_t i = 0; i < nauxv; i++) {
		switch (auxv[i].a_type) {
		case AT_PHDR:
			auxv[i].a_un.a_val = prog.phdr;
			break;
		case AT_PHNUM:
			auxv[i].a_un.a_val = prog.phnum;
			break;
		case AT_ENTRY:
			auxv[i].a_un.a_val = prog.entry;
			break;
		case AT_BASE:
			auxv[i].a_un.a_val = interp.base;
			break;
		case AT_EXECFN:
			auxv[i].a_un.a_val = (uint64_t)(uintptr_t)name;
			break;
		}
	}
	/* the runtime: session, ring, signal stack, SUD armed; it takes
	   LIMEN_SESSION (and LIMEN_STACK) out of envp */
	/* one thread, the exec's: no /proc/self/stat read to say so */
	limen_aside_alone();
	/* ld.so's text (or a static program's), where the first sites
	   are rewritten: what the runtime would ask the kernel about it is
	   what map_image just made (rewrite_known.h) */
	{
		const struct image *t = prog.interp[0] ? &interp : &prog;

		if (t->text_hi > t->text_lo)
			limen_rw_known_set(t->text_lo, t->text_hi,
					   limen_rw_gen(), 0);
		if (prog.interp[0]) {
			limen_ldso_lo = interp.text_lo;
			limen_ldso_hi = interp.text_hi;
		}
	}
	limen_init((int)argc, argv, envp);
	for (char **e = envp, **w = envp;; e++) {
		if (*e && env_is(*e, LIMEN_FIRST_ENV))
			first = *e + sizeof(LIMEN_FIRST_ENV);
		if (*e && env_is(*e, LIMEN_FIRST_ARGV_ENV))
			first_argv = *e + sizeof(LIMEN_FIRST_ARGV_ENV);
		/* every one of limen's, LIMEN_SESSION too should the
		   runtime not have taken it (it did not start): two
		   variables out at least, the room the stack below is
		   rebuilt in */
		if (*e && limens_var(*e))
			continue;
		*w++ = *e;
		if (!*e)
			break;
	}
	while (envp[envc_after])
		envc_after++;
	if (first)
		limen_first_exec(first, first_argv, argc, argv, envp);
	/*
	 * The program finds its auxv right after envp's NULL: move argc,
	 * argv, envp and auxv together so that they end where they ended,
	 * the stack pointer 16-byte aligned as the ABI wants it at entry.
	 */
	/* one auxv entry more before AT_NULL: user events' table
	   (uevent_api.c), in the room of the variables taken out (at least
	   LIMEN_SESSION and LIMEN_EXEC: nothing moves below sp) */
	words = 1 + argc + 1 + envc_after + 1 + 2 * (nauxv + 1);
	end = (uint64_t *)(auxv + nauxv);
	nsp = (uint64_t *)((uintptr_t)(end - words) & ~15ul);
	nauxv_at = (ElfW(auxv_t) *)(nsp + 1 + argc + 1 + envc_after + 1);
	memmove(nauxv_at, auxv, (nauxv - 1) * sizeof(*auxv));
	nauxv_at[nauxv - 1].a_type = LIMEN_UEVENT_AT;
	nauxv_at[nauxv - 1].a_un.a_val = limen_uevent_api_addr();
	nauxv_at[nauxv].a_type = AT_NULL;
	nauxv_at[nauxv].a_un.a_val = 0;
	memmove(nsp, sp, (1 + argc + 1 + envc_after + 1) * 8);
	/* the stack pointer the program starts with, as bare */
	strings.start_stack = strings.env_end ? (uint64_t)(uintptr_t)nsp : 0;
	kernel_view(nauxv_at, nauxv + 1, &prog, &strings);
	limen_loader_jump(nsp, prog.interp[0] ? interp.entry : prog.entry);
}
