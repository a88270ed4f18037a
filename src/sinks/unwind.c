/* SPDX-License-Identifier: MIT */
/*
 * -k's unwinder (unwind.h): libdwfl with the process's mappings reported
 * from the MAPS record's text (the process may be gone by the time its
 * records are drained), the initial registers from the STACK record and
 * every memory read served from the record's copy of the stack, so that
 * the executables' CFI (.eh_frame) unwinds code built without frame
 * pointers, as libc is. Reads outside the copy fail: the unwinding stops
 * there, as it would at the end of the copy.
 */
#include <stdint.h>
#include <stdlib.h>

#include "sinks/unwind.h"

#ifndef LIMEN_HAVE_LIBDW
/* Built without libdw's headers: -k is refused (main.c asks here). */
int limen_unwind_available(void)
{
	return 0;
}

struct limen_unwind *limen_unwind_new(void)
{
	return NULL;
}

void limen_unwind_free(struct limen_unwind *u)
{
}

void limen_unwind_maps(struct limen_unwind *u, int32_t pid, const char *maps,
		       uint32_t len)
{
}

char *limen_unwind_stack(struct limen_unwind *u, int32_t pid, int32_t tid,
			 const uint8_t *rec, uint32_t size)
{
	return NULL;
}
#else
#include <elfutils/libdwfl.h>
#include <gelf.h>
#include <dwarf.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "session/session.h"
#include "sinks/unwind.h"
#include "sinks/libdw_dl.h"
#include "decode/oom.h"

#define MAX_FRAMES 256
/* formatted frames by pc: symbol lookups cost microseconds each, and the
   same call sites come back call after call */
#define NCACHE 4096

/* what the thread callbacks read: the capture being unwound */
struct capture {
	int32_t tid;
	uint64_t regs[LIMEN_STACK_REGS];
	uint64_t sp;
	const uint8_t *stack;
	uint32_t len;
};

struct frame_line {
	uint64_t key;            /* pc * 2 + activation, + 1 (0: empty) */
	char *text;
};

struct proc {
	int32_t pid;
	Dwfl *dwfl;
	char *maps;               /* the text dwfl was reported from */
	uint32_t maps_len;
	struct capture cap;
	int attached;
	struct frame_line *cache; /* NCACHE, for this dwfl's modules */
	struct proc *next;
};

struct limen_unwind {
	struct proc *procs;
};

static char *debuginfo_path;

/* libdw's own functions: filled in once it is loaded */
static Dwfl_Callbacks callbacks = {
	.debuginfo_path = &debuginfo_path,
};

static pid_t next_thread(Dwfl *dwfl, void *arg, void **thread_argp)
{
	struct capture *c = arg;

	if (*thread_argp)
		return 0;
	*thread_argp = c;
	return c->tid;
}

static bool memory_read(Dwfl *dwfl, Dwarf_Addr addr, Dwarf_Word *result,
			void *arg)
{
	struct capture *c = arg;

	if (addr < c->sp || addr - c->sp > c->len ||
	    c->len - (addr - c->sp) < sizeof(*result))
		return false;
	memcpy(result, c->stack + (addr - c->sp), sizeof(*result));
	return true;
}

static bool set_initial_registers(Dwfl_Thread *thread, void *thread_arg)
{
	struct capture *c = thread_arg;

	return dwfl_thread_state_registers(thread, 0, LIMEN_STACK_REGS,
					   (const Dwarf_Word *)c->regs);
}

static const Dwfl_Thread_Callbacks thread_callbacks = {
	.next_thread = next_thread,
	.memory_read = memory_read,
	.set_initial_registers = set_initial_registers,
};

struct limen_unwind *limen_unwind_new(void)
{
	struct limen_unwind *u = calloc(1, sizeof(*u));

	if (!u)
		limen_out_of_memory();
	/* libdw opened (once): without it, nothing is unwound */
	limen_unwind_available();
	return u;
}

static void cache_clear(struct proc *p)
{
	if (!p->cache)
		return;
	for (int i = 0; i < NCACHE; i++)
		free(p->cache[i].text);
	free(p->cache);
	p->cache = NULL;
}

static void proc_free(struct proc *p)
{
	if (p->dwfl)
		dwfl_end(p->dwfl);
	cache_clear(p);
	free(p->maps);
	free(p);
}

void limen_unwind_free(struct limen_unwind *u)
{
	struct proc *p, *n;

	if (!u)
		return;
	for (p = u->procs; p; p = n) {
		n = p->next;
		proc_free(p);
	}
	free(u);
}

static struct proc *find(struct limen_unwind *u, int32_t pid)
{
	for (struct proc *p = u->procs; p; p = p->next)
		if (p->pid == pid)
			return p;
	return NULL;
}

void limen_unwind_maps(struct limen_unwind *u, int32_t pid, const char *maps,
		       uint32_t len)
{
	struct proc *p;
	FILE *f;

	if (!limen_dw_ok)	/* libdw could not be opened */
		return;
	p = find(u, pid);
	if (!p) {
		p = calloc(1, sizeof(*p));
		if (!p)
			limen_out_of_memory();
		p->pid = pid;
		p->next = u->procs;
		u->procs = p;
	}
	/* the same again: threads that capture while the maps are read
	   each record them (the runtime's kstack.c); the modules, their
	   files opened and the frames named stay */
	if (p->maps && len == p->maps_len && memcmp(p->maps, maps, len) == 0)
		return;
	free(p->maps);
	p->maps = malloc(len ? len : 1);
	if (!p->maps)
		limen_out_of_memory();
	memcpy(p->maps, maps, len);
	p->maps_len = len;
	if (p->dwfl)
		dwfl_end(p->dwfl);
	cache_clear(p);
	p->attached = 0;
	p->dwfl = dwfl_begin(&callbacks);
	if (!p->dwfl)
		return;
	f = fmemopen((void *)maps, len, "r");
	dwfl_report_begin(p->dwfl);
	if (!f || dwfl_linux_proc_maps_report(p->dwfl, f) != 0) {
		dwfl_end(p->dwfl);
		p->dwfl = NULL;
	} else {
		dwfl_report_end(p->dwfl, NULL, NULL);
	}
	if (f)
		fclose(f);
}

struct walk {
	Dwfl *dwfl;
	struct proc *p;
	char *out;
	size_t len, cap;
	int frames;
	int at_entry;   /* LIMEN_RECF_AT_ENTRY: "(+0x0)" for no symbol */
};

static void put(struct walk *w, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void put(struct walk *w, const char *fmt, ...)
{
	va_list ap;
	int n;

	for (;;) {
		va_start(ap, fmt);
		n = vsnprintf(w->out + w->len, w->cap - w->len, fmt, ap);
		va_end(ap);
		if (n >= 0 && (size_t)n < w->cap - w->len)
			break;
		w->cap = w->cap * 2 + (size_t)(n > 0 ? n : 64);
		w->out = realloc(w->out, w->cap);
		if (!w->out)
			limen_out_of_memory();
	}
	w->len += (size_t)n;
}

/*
 * The function name strace -k gives addr (libunwind's unw_get_proc_name):
 * the closest function symbol at or below addr in the module's own
 * .dynsym and .symtab (in section order, the first of equals: __open64
 * before its aliases open64, open, __open), sizes not looked at, and no
 * separate debug file (libdw's own lookup would name libc's local
 * functions from it: __libc_start_call_main where strace says
 * __libc_init_first+0x8a). *name NULL when the file has none; returns 0
 * when the file could not be read.
 */
static int strace_sym(Dwfl_Module *mod, Dwarf_Addr addr, GElf_Off *off,
		      const char **name)
{
	GElf_Addr bias = 0;
	Elf *elf = dwfl_module_getelf(mod, &bias);
	Elf_Scn *scn = NULL;
	const char *best = NULL;
	GElf_Addr dist = ~(GElf_Addr)0;

	*name = NULL;
	if (!elf)
		return 0;
	while ((scn = elf_nextscn(elf, scn))) {
		GElf_Shdr sh;
		Elf_Data *d;
		size_t n;

		if (!gelf_getshdr(scn, &sh) ||
		    (sh.sh_type != SHT_SYMTAB && sh.sh_type != SHT_DYNSYM) ||
		    !sh.sh_entsize || !(d = elf_getdata(scn, NULL)))
			continue;
		n = sh.sh_size / sh.sh_entsize;
		for (size_t i = 0; i < n; i++) {
			GElf_Sym sym;
			GElf_Addr v;

			if (!gelf_getsym(d, (int)i, &sym) ||
			    GELF_ST_TYPE(sym.st_info) != STT_FUNC ||
			    sym.st_shndx == SHN_UNDEF)
				continue;
			v = sym.st_value + bias;
			if (v <= addr && addr - v < dist) {
				const char *nm = elf_strptr(elf, sh.sh_link,
							    sym.st_name);

				if (!nm || !*nm)
					continue;
				dist = addr - v;
				best = nm;
			}
		}
	}
	if (best)
		*off = dist;
	*name = best;
	return 1;
}

/*
 * One frame as strace -k prints it: the module's path, the symbol with the
 * offset of the frame's pc from it, the pc's offset in the module. A
 * caller's pc is a return address: its function is looked up at pc - 1
 * (a call may be the last instruction of a function).
 */
static int frame(Dwfl_Frame *state, void *arg)
{
	struct walk *w = arg;
	Dwarf_Addr pc, look, start = 0;
	bool activation;
	Dwfl_Module *mod;
	const char *modname = NULL, *sym = NULL;
	GElf_Off off = 0;
	GElf_Sym s;

	struct frame_line *fl = NULL;
	size_t at;

	if (!dwfl_frame_pc(state, &pc, &activation))
		return DWARF_CB_ABORT;
	if (w->len)
		put(w, "\n");
	if (!w->p->cache)
		w->p->cache = calloc(NCACHE, sizeof(*w->p->cache));
	if (w->p->cache) {
		uint64_t key = pc * 4 + activation * 2 + w->at_entry + 1;

		fl = &w->p->cache[(key * 0x9E3779B97F4A7C15ull) >> 52];
		if (fl->key == key) {
			put(w, "%s", fl->text);
			return ++w->frames >= MAX_FRAMES ? DWARF_CB_ABORT :
							   DWARF_CB_OK;
		}
		free(fl->text);
		fl->text = NULL;
		fl->key = key;
	}
	at = w->len;
	look = activation || !pc ? pc : pc - 1;
	mod = dwfl_addrmodule(w->dwfl, look);
	if (mod) {
		modname = dwfl_module_info(mod, NULL, &start, NULL, NULL, NULL,
					   NULL, NULL);
		if (!strace_sym(mod, look, &off, &sym))
			sym = dwfl_module_addrinfo(mod, look, &off, &s, NULL,
						   NULL, NULL);
	}
	if (!modname)
		put(w, " > ?() [0x%llx]", (unsigned long long)pc);
	else if (sym)
		/* without a symbol version ("@@GLIBC_2.34"), as strace */
		put(w, " > %s(%.*s+0x%llx) [0x%llx]", modname,
		    (int)strcspn(sym, "@"), sym,
		    (unsigned long long)(off + (pc - look)),
		    (unsigned long long)(pc - start));
	else if (w->at_entry)
		/* strace formats a stack it captured at the call's entry
		   (execve's, exit's) into its queue, where a frame with no
		   symbol is an empty name at offset 0 */
		put(w, " > %s(+0x0) [0x%llx]", modname,
		    (unsigned long long)(pc - start));
	else
		put(w, " > %s() [0x%llx]", modname,
		    (unsigned long long)(pc - start));
	if (fl) {
		fl->text = strndup(w->out + at, w->len - at);
		if (!fl->text)
			fl->key = 0;
	}
	return ++w->frames >= MAX_FRAMES ? DWARF_CB_ABORT : DWARF_CB_OK;
}

char *limen_unwind_stack(struct limen_unwind *u, int32_t pid, int32_t tid,
			 const uint8_t *rec, uint32_t size)
{
	const struct limen_rec_stack *r = (const void *)rec;
	struct proc *p = find(u, pid);
	struct walk w = { 0 };

	if (!p || !p->dwfl || size < sizeof(*r) ||
	    r->len > size - sizeof(*r))
		return NULL;
	p->cap.tid = tid;
	memcpy(p->cap.regs, r->regs, sizeof(p->cap.regs));
	p->cap.sp = r->regs[7];
	p->cap.stack = rec + sizeof(*r);
	p->cap.len = r->len;
	if (!p->attached) {
		if (!dwfl_attach_state(p->dwfl, NULL, pid, &thread_callbacks,
				       &p->cap))
			return NULL;
		p->attached = 1;
	}
	w.dwfl = p->dwfl;
	w.p = p;
	w.at_entry = (r->h.flags & LIMEN_RECF_AT_ENTRY) != 0;
	dwfl_getthread_frames(p->dwfl, tid, frame, &w);
	return w.out;
}

/* libdw is opened here, when -k is asked for (libdw_dl.h) */
int limen_unwind_available(void)
{
	if (limen_libdw_load() < 0)
		return 0;
	callbacks.find_elf = dwfl_linux_proc_find_elf;
	callbacks.find_debuginfo = dwfl_standard_find_debuginfo;
	return 1;
}
#endif
