// SPDX-License-Identifier: MIT
/*
 * The --filter language and the runtime's filter program under libFuzzer,
 * AddressSanitizer and UBSan. The first byte chooses:
 *   even: the rest is an expression: parsed (src/cli/filter_compile.c);
 *         if it parses, compiled as --filter and as an injection's
 *         when={...}, and the compiled program must pass the runtime's
 *         validation (src/runtime/filter.c) and run on calls;
 *   odd:  the rest is a program as a hostile traced process could write it
 *         into the session: the runtime validates it and, if it takes it,
 *         runs it on calls without reading out of bounds or looping.
 * The runtime's ring and memory reads are stubbed here: only the parts
 * that decide are under test.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/filter_compile.h"
#include "runtime/filter.h"
#include "runtime/filter_host.h"
#include "session/filter_abi.h"

/* the program's memory: strings the arguments point to */
static char mem[2][300];

long limen_safe_read(void *dst, uint64_t src, size_t n)
{
	for (int i = 0; i < 2; i++) {
		uint64_t lo = (uint64_t)(uintptr_t)mem[i];

		if (src >= lo && src < lo + sizeof(mem[i])) {
			size_t room = lo + sizeof(mem[i]) - src;

			if (n > room)
				n = room;
			memcpy(dst, (void *)(uintptr_t)src, n);
			return (long)n;
		}
	}
	return -EFAULT;
}

/* procdir.c's reads run in place here: one thread (aside.c) */
void limen_aside(long (*fn)(void *, int), void *arg, long *ret);
void limen_aside(long (*fn)(void *, int), void *arg, long *ret)
{
	*ret = fn(arg, 0);
}

static struct limen_filter prog;

/* some calls, their string arguments pointing to the fake memory */
static void run_calls(void)
{
	static const long nrs[] = { 0, 1, 2, 3, 21, 59, 80, 82, 87, 257, 110,
				    231, 437, 1023 };
	static struct limen_fcall fc;

	snprintf(mem[0], sizeof(mem[0]), "/etc/passwd");
	memset(mem[1], 'a', sizeof(mem[1])); /* no NUL: does not fit */
	for (size_t i = 0; i < sizeof(nrs) / sizeof(nrs[0]); i++) {
		long a[6] = { (long)(uintptr_t)mem[0], (long)(uintptr_t)mem[1],
			      3, 0x40, -100, (long)(uintptr_t)mem[0] };

		limen_filter_enter(&fc, nrs[i], a, 1);
		limen_filter_enter(&fc, nrs[i], a, 0);
		limen_filter_plain(nrs[i], a, -2);
		limen_filter_signal((int)i);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[512];

	if (!size)
		return 0;
	if (!(data[0] & 1)) {
		char *src = malloc(size);
		struct limen_fexpr *e;
		uint8_t mask[LIMEN_FILTER_NR / 8];
		int r;

		memcpy(src, data + 1, size - 1);
		src[size - 1] = 0;
		e = limen_fexpr_parse(src, err, sizeof(err));
		if (!e) {
			if (!err[0])
				abort(); /* an error says why */
			free(src);
			return 0;
		}
		limen_fexpr_free(e);
		limen_filter_reset();
		if (limen_filter_expr(src, err, sizeof(err)) < 0)
			abort(); /* it parsed once */
		{
			size_t n = strlen(src) + 64;
			char *spec = malloc(n);

			snprintf(spec, n, "openat,chdir,read:error=ENOENT:when={%s}",
				 src);
			/* a '}' in the expression may end it early: an error
			   is fine, a crash is not */
			limen_filter_inject(spec, 0, err, sizeof(err));
			free(spec);
		}
		memset(mask, 0, sizeof(mask));
		mask[0] = 0xff;
		r = limen_filter_build(&prog, mask, (data[0] & 2) != 0, err,
				       sizeof(err));
		if (r > 0) {
			limen_filter_load(&prog);
			/* what the compiler writes, the runtime takes */
			if (!limen_filter_on)
				abort();
			run_calls();
		}
		limen_filter_reset();
		free(src);
		return 0;
	}
	/* data[1]: flags, data[2..3]: where the calls' programs start,
	   data[4]: pset length, the rest: instructions */
	memset(&prog, 0, sizeof(prog));
	if (size < 5)
		return 0;
	prog.magic = LIMEN_FILTER_MAGIC;
	prog.size = sizeof(prog);
	prog.flags = data[1];
	prog.sigmask = 0x5555;
	prog.ninsn = (uint32_t)((size - 5) / sizeof(struct limen_finsn));
	if (prog.ninsn > LIMEN_FILTER_INSNS)
		prog.ninsn = LIMEN_FILTER_INSNS;
	memcpy(prog.insn, data + 5, prog.ninsn * sizeof(struct limen_finsn));
	prog.nstr = 64;
	{
		static const char pool[] = "/etc/passwd\0/etc/*\0[a-z]*\\?";

		memcpy(prog.str, pool, sizeof(pool));
	}
	prog.pset_off = 0;
	prog.pset_len = data[4] % 80;
	prog.nrules = 1;
	prog.rules[0].first = 1 + (data[1] >> 4);
	prog.rules[0].step = data[1] & 3;
	prog.rules[0].last = (data[4] & 0x80) ?
		prog.rules[0].first + (data[4] & 7) : 0;
	for (unsigned nr = 0; nr < LIMEN_FILTER_NR; nr++) {
		prog.sys[nr].prog = LIMEN_FILTER_NONE;
		prog.sys[nr].when = LIMEN_FILTER_NONE;
	}
	for (unsigned nr = 0; nr < 300 && prog.ninsn; nr++) {
		prog.sys[nr].prog = (uint16_t)((data[2] + nr % 7) % prog.ninsn);
		prog.sys[nr].when = (uint16_t)((data[3] + nr % 5) % prog.ninsn);
		prog.sys[nr].paths = (uint8_t)(nr & 63);
		prog.sys[nr].flags = (uint8_t)(nr & 3);
		prog.sys[nr].inject = (nr & 1);
		/* counted where injected: a counter elsewhere is refused */
		prog.sys[nr].counter = (uint8_t)((nr & 1) && (nr & 2));
	}
	/* and an entry as it comes: the validator must refuse a bad one */
	if (data[1] & 0x80)
		prog.sys[5].prog = data[2];
	limen_filter_load(&prog);
	if (limen_filter_on)
		run_calls();
	return 0;
}
