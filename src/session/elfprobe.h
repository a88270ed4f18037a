/* SPDX-License-Identifier: MIT */
/*
 * What an execve of a file will start, as far as a preloaded runtime is
 * concerned: a script (judged by its interpreter), a dynamic x86_64 program
 * (LD_PRELOAD works), the dynamic loader run as a program (it honours
 * LD_PRELOAD for the program it loads), a static program or a program of
 * another architecture (no loader of ours runs, so no runtime).
 *
 * Used by both sides: the collector before it starts the command, the
 * runtime at every execve. So: no libc, reads go through a callback.
 */
#ifndef LIMEN_ELFPROBE_H
#define LIMEN_ELFPROBE_H

#include <stdint.h>

/* limen's loader (src/loader/loader.c), installed next to liblimen.so: it
   runs a static program, named in LIMEN_EXEC, with the runtime inside */
#define LIMEN_LOADER_NAME "limen-loader"
#define LIMEN_EXEC_ENV "LIMEN_EXEC"
/* the name execve was given, when it is not LIMEN_EXEC (/proc/self/exe) */
#define LIMEN_EXEC_NAME_ENV "LIMEN_EXEC_NAME"
/* the command's first image, and the path limen gave execve: the loader
   records that execve (src/loader/first_exec.c) */
#define LIMEN_FIRST_ENV "LIMEN_FIRST"
/* a script's: where the command's argv now is (loader.c, run_script) */
#define LIMEN_FIRST_ARGV_ENV "LIMEN_FIRST_ARGV"
/* Under LD_PRELOAD the runtime hides variables by moving the
   environment's end up, and a program that finds its auxv past envp on
   the stack (Go) reads the freed slots as (type, value) pairs, so their
   number must stay even: spawn.c adds this one, hidden too (init.c), when
   it is odd */
#define LIMEN_PAD_ENV "LIMEN_PAD"

enum limen_image {
	LIMEN_IMAGE_UNKNOWN = 0, /* not ELF, no #!: binfmt_misc, or failure */
	LIMEN_IMAGE_SCRIPT,      /* #!: interp names the interpreter */
	LIMEN_IMAGE_DYNAMIC,     /* x86_64 with PT_INTERP */
	LIMEN_IMAGE_LOADER,      /* a shared object with no PT_INTERP that is
				    run as a program: ld.so itself */
	LIMEN_IMAGE_STATIC,      /* x86_64 with no PT_INTERP (static, static-pie) */
	LIMEN_IMAGE_FOREIGN,     /* another ELF class or machine */
};

struct limen_probe {
	enum limen_image kind;
	char interp[256];        /* SCRIPT: the interpreter's path */
	/* DYNAMIC: the DT_NEEDED name of AddressSanitizer's runtime, "" if
	   none. ASan refuses to start unless its runtime is the first
	   library loaded, so the preload list must start with it. */
	char asan[64];
};

/* pread(2) on the file being probed: bytes read, or < 0. */
typedef long (*limen_pread_fn)(void *ctx, void *buf, unsigned long n,
			       uint64_t off);

/*
 * Which ASan runtime goes first in LD_PRELOAD. ASan checks that the first
 * library loaded is its runtime: bare, that holds when the program's own
 * list is empty (the program's DT_NEEDED runtime, `needed`, is first) or
 * starts with an ASan runtime (the user preloaded it). Either must still
 * hold with limen's runtime in the list, so that runtime goes before ours;
 * otherwise (the user preloads something else first) ASan refuses bare and
 * must refuse under limen too: nothing goes first. `theirs` is the
 * program's own list. Writes the name (or "") to out, n bytes at most.
 */
/* ld.so run as a program (`ld.so [OPTIONS] PROGRAM [ARGS]`): what one of
   its arguments is */
enum limen_ldso_arg {
	LIMEN_LDSO_PROGRAM = 0,  /* not an option: the program to run */
	LIMEN_LDSO_OPTION,       /* an option alone */
	LIMEN_LDSO_VALUE,        /* an option followed by its value */
	LIMEN_LDSO_NO_PROGRAM,   /* --list, --verify...: no program runs */
};
enum limen_ldso_arg limen_loader_option(const char *arg);

/* name[0..len) names an ASan runtime (the names ASan itself checks for) */
int limen_is_asan_runtime(const char *name, unsigned long len);

void limen_asan_first(char *out, unsigned long n, const char *theirs,
		      const char *needed);

void limen_probe_image(struct limen_probe *p, limen_pread_fn rd, void *ctx);

#endif
