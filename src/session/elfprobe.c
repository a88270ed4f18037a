/* SPDX-License-Identifier: MIT */
/*
 * Reading just enough of an executable to know whether a preloaded runtime
 * will run in it (elfprobe.h). The file is not trusted: every count and
 * offset is bounded, and a short read gives LIMEN_IMAGE_UNKNOWN (the kernel
 * will judge the file itself).
 */
#include <elf.h>

#include "session/elfprobe.h"

#define MAX_PHDRS 64u   /* more than any loader-produced program has */
#define MAX_LOADS 16u
#define PHDR_BLOCK 16u /* program headers read at once: 896 bytes */
#define MAX_DYN 512u    /* dynamic entries looked at */

struct load {
	uint64_t vaddr, off, filesz;
};

static int same(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return *a == *b;
}

enum limen_ldso_arg limen_loader_option(const char *arg)
{
	static const char *const with_value[] = {
		"--library-path", "--inhibit-rpath", "--audit", "--preload",
		"--argv0", "--glibc-hwcaps-prepend", "--glibc-hwcaps-mask",
	};
	/* with these the loader runs nothing, and --list would list our
	   runtime, as ldd would */
	static const char *const no_program[] = {
		"--list", "--verify", "--help", "--version", "--list-tunables",
		"--list-diagnostics",
	};

	if (arg[0] != '-' || arg[1] != '-')
		return LIMEN_LDSO_PROGRAM;
	for (unsigned k = 0; k < sizeof(no_program) / sizeof(*no_program); k++)
		if (same(arg, no_program[k]))
			return LIMEN_LDSO_NO_PROGRAM;
	for (unsigned k = 0; k < sizeof(with_value) / sizeof(*with_value); k++)
		if (same(arg, with_value[k]))
			return LIMEN_LDSO_VALUE;
	return LIMEN_LDSO_OPTION;
}

int limen_is_asan_runtime(const char *name, unsigned long len)
{
	static const char *const names[] = { "libasan.so", "libclang_rt.asan" };

	for (unsigned k = 0; k < 2; k++) {
		unsigned long m = 0;

		while (names[k][m])
			m++;
		for (unsigned long i = 0; i + m <= len; i++) {
			unsigned long j = 0;

			while (j < m && name[i + j] == names[k][j])
				j++;
			if (j == m)
				return 1;
		}
	}
	return 0;
}

static int is_asan(const char *name)
{
	unsigned long n = 0;

	while (name[n])
		n++;
	return limen_is_asan_runtime(name, n);
}

void limen_asan_first(char *out, unsigned long n, const char *theirs,
		      const char *needed)
{
	const char *e;
	unsigned long k = 0;

	out[0] = 0;
	while (*theirs == ':' || *theirs == ' ')
		theirs++;
	if (!*theirs) {
		for (; needed[k] && k + 1 < n; k++)
			out[k] = needed[k];
		out[k] = 0;
		return;
	}
	for (e = theirs; *e && *e != ':' && *e != ' '; e++)
		;
	if ((unsigned long)(e - theirs) + 1 > n)
		return;
	for (; theirs + k < e; k++)
		out[k] = theirs[k];
	out[k] = 0;
	if (!is_asan(out))
		out[0] = 0;
}

static int is_space(char c)
{
	return c == ' ' || c == '\t';
}

/* The kernel's binfmt_script: "#!", blanks, the path up to a blank. */
static void script(struct limen_probe *p, const char *b, long n)
{
	long i = 2, k = 0;

	while (i < n && is_space(b[i]))
		i++;
	while (i < n && b[i] && b[i] != '\n' && !is_space(b[i]) &&
	       k < (long)sizeof(p->interp) - 1)
		p->interp[k++] = b[i++];
	p->interp[k] = 0;
	p->kind = k ? LIMEN_IMAGE_SCRIPT : LIMEN_IMAGE_UNKNOWN;
}

static int file_off(const struct load *ld, unsigned nld, uint64_t vaddr,
		    uint64_t *off)
{
	for (unsigned i = 0; i < nld; i++) {
		if (vaddr >= ld[i].vaddr && vaddr - ld[i].vaddr < ld[i].filesz) {
			*off = vaddr - ld[i].vaddr + ld[i].off;
			return 0;
		}
	}
	return -1;
}

struct dyninfo {
	uint64_t strtab, soname, flags_1;
	int has_strtab, has_soname;
	uint64_t needed[32];
	unsigned nneeded;
};

static void read_dynamic(struct dyninfo *d, limen_pread_fn rd, void *ctx,
			 uint64_t off, uint64_t size)
{
	Elf64_Dyn dyn[16];
	unsigned seen = 0;

	for (uint64_t at = off; at < off + size && seen < MAX_DYN;) {
		long got = rd(ctx, dyn, sizeof(dyn), at);
		unsigned n;

		if (got < (long)sizeof(dyn[0]))
			return;
		n = (unsigned)got / sizeof(dyn[0]);
		for (unsigned i = 0; i < n; i++, seen++) {
			switch (dyn[i].d_tag) {
			case DT_NULL:
				return;
			case DT_STRTAB:
				d->strtab = dyn[i].d_un.d_ptr;
				d->has_strtab = 1;
				break;
			case DT_SONAME:
				d->soname = dyn[i].d_un.d_val;
				d->has_soname = 1;
				break;
			case DT_FLAGS_1:
				d->flags_1 = dyn[i].d_un.d_val;
				break;
			case DT_NEEDED:
				if (d->nneeded < 32)
					d->needed[d->nneeded++] =
						dyn[i].d_un.d_val;
				break;
			}
		}
		at += (uint64_t)n * sizeof(dyn[0]);
	}
}

/* The first DT_NEEDED that is an AddressSanitizer runtime (GCC's libasan
   or clang's libclang_rt.asan, the names ASan itself checks for). */
static void find_asan(struct limen_probe *p, const struct dyninfo *d,
		      uint64_t stroff, limen_pread_fn rd, void *ctx)
{
	char name[sizeof(p->asan)];

	for (unsigned i = 0; i < d->nneeded; i++) {
		long got = rd(ctx, name, sizeof(name) - 1, stroff + d->needed[i]);
		long k;

		if (got <= 0)
			continue;
		name[got] = 0;
		for (k = 0; k < got && name[k]; k++)
			;
		if (k == got) /* longer than we keep: not a name we know */
			continue;
		if (is_asan(name)) {
			for (k = 0; name[k]; k++)
				p->asan[k] = name[k];
			p->asan[k] = 0;
			return;
		}
	}
}

void limen_probe_image(struct limen_probe *p, limen_pread_fn rd, void *ctx)
{
	union {
		Elf64_Ehdr eh;
		char b[256];
	} u;
	struct load ld[MAX_LOADS];
	Elf64_Phdr phs[PHDR_BLOCK];
	unsigned nld = 0;
	int interp = 0;
	uint64_t dyn_off = 0, dyn_size = 0;
	struct dyninfo d;
	uint64_t stroff;
	long n;

	p->kind = LIMEN_IMAGE_UNKNOWN;
	p->interp[0] = 0;
	p->asan[0] = 0;
	n = rd(ctx, u.b, sizeof(u.b), 0);
	if (n >= 2 && u.b[0] == '#' && u.b[1] == '!') {
		script(p, u.b, n);
		return;
	}
	if (n < (long)sizeof(u.eh) || u.eh.e_ident[EI_MAG0] != ELFMAG0 ||
	    u.eh.e_ident[EI_MAG1] != ELFMAG1 || u.eh.e_ident[EI_MAG2] != ELFMAG2 ||
	    u.eh.e_ident[EI_MAG3] != ELFMAG3)
		return;
	if (u.eh.e_ident[EI_CLASS] != ELFCLASS64 ||
	    u.eh.e_machine != EM_X86_64) {
		p->kind = LIMEN_IMAGE_FOREIGN;
		return;
	}
	if (u.eh.e_phentsize != sizeof(Elf64_Phdr) || u.eh.e_phnum > MAX_PHDRS)
		return;
	/* PHDR_BLOCK headers a read, not one: the runtime probes each
	   program a traced process execs (13 headers for /bin/true) */
	for (unsigned i = 0; i < u.eh.e_phnum; i++) {
		const Elf64_Phdr *ph = &phs[i % PHDR_BLOCK];

		if (i % PHDR_BLOCK == 0) {
			unsigned k = u.eh.e_phnum - i < PHDR_BLOCK ?
					     u.eh.e_phnum - i :
					     PHDR_BLOCK;
			long want = (long)(k * sizeof(phs[0]));

			if (rd(ctx, phs, (unsigned long)want,
			       u.eh.e_phoff + (uint64_t)i * sizeof(phs[0])) !=
			    want)
				return;
		}
		if (ph->p_type == PT_INTERP) {
			interp = 1;
		} else if (ph->p_type == PT_DYNAMIC) {
			dyn_off = ph->p_offset;
			dyn_size = ph->p_filesz;
		} else if (ph->p_type == PT_LOAD && nld < MAX_LOADS) {
			ld[nld].vaddr = ph->p_vaddr;
			ld[nld].off = ph->p_offset;
			ld[nld++].filesz = ph->p_filesz;
		}
	}
	p->kind = interp ? LIMEN_IMAGE_DYNAMIC : LIMEN_IMAGE_STATIC;
	if (!dyn_size)
		return;
	for (unsigned i = 0; i < sizeof(d); i++)
		((char *)&d)[i] = 0;
	read_dynamic(&d, rd, ctx, dyn_off, dyn_size);
	/* ld.so run as a program: a shared object (not a static-pie, which
	   says DF_1_PIE) with a soname and no interpreter of its own */
	if (!interp && u.eh.e_type == ET_DYN && d.has_soname &&
	    !(d.flags_1 & DF_1_PIE))
		p->kind = LIMEN_IMAGE_LOADER;
	if (p->kind == LIMEN_IMAGE_DYNAMIC && d.has_strtab &&
	    file_off(ld, nld, d.strtab, &stroff) == 0)
		find_asan(p, &d, stroff, rd, ctx);
}
