/* SPDX-License-Identifier: MIT */
/*
 * Syscall coverage: how many x86_64 system calls limen knows fully.
 *
 *  - memory-effect rules: the table row is typed (every argument has a type,
 *    and every pointer a direction and a size rule the runtime follows);
 *  - argument decoding: with memory captured behind every pointer argument,
 *    the decoder prints something other than the bare pointer for each.
 *    This is a black-box probe of the decoder, so it cannot be fooled by a
 *    printer table that lists a struct without really printing it.
 *
 * As a test (no argument) it prints TAP: the totals must not fall below the
 * floors below, raised as coverage grows. `coverage --table` (make
 * coverage-table) prints one line per syscall.
 */
#include <stdio.h>
#include <string.h>

#include "decode/decode.h"

/* Floors: raise them when coverage grows; never lower them. The probe's
 * zero-filled memory is not a valid header for capget/capset (version 0) nor
 * a useful length for getsockopt (optlen 0), where strace prints the pointer
 * too: those three count as not decoded here although real calls are
 * (tests/syscalls/fam_more.t, fam_network.t). */
#define FLOOR_TYPED 383
#define FLOOR_DECODED 380

#define PROBE_PTR 0x10000ull

static uint8_t zeros[8192];
static const uint32_t socklen16 = 16;

/* Values tried for the by-value arguments (commands, options, sizes), so
 * that command-dependent pointers (ioctl, prctl, arch_prctl, fcntl...) get
 * a command that uses them. The first argument takes each of them in turn
 * with the others taking each too, so that a pointer used by a command's
 * sub-command is reached (prctl PR_SET_SECCOMP (22) with
 * SECCOMP_MODE_FILTER (2), PR_SET_VMA with PR_SET_VMA_ANON_NAME (0));
 * an argument of type special other than the one probed is tried both as
 * a pointer and as such a value (prctl's second argument is a
 * sub-command for some options, a pointer for others). */
static const uint64_t probe_vals[] = { 8,  0,	  1,	  2,	  3,
				       15, 16,	  0x1003, 0x5401, 0x5413,
				       11, 0x400, 22,	  0x53564d41 };

/* Render argument i of nr with memory behind every pointer; 1 if it prints
 * as more than its address. */
static int probe(unsigned nr, unsigned i, uint64_t v0, uint64_t v, int sv,
		 int64_t ret)
{
	const struct limen_sysent *se = limen_sysent_get(nr);
	struct limen_call c;
	struct limen_sb sb = { 0 };
	struct limen_dopts o = { .strsize = 32 };
	char ptr[32];
	int ok;

	memset(&c, 0, sizeof(c));
	c.nr = nr;
	for (unsigned k = 0; k < 6; k++) {
		int ptr_arg = k < se->nargs &&
			      se->args[k].type >= LIMEN_AT_PATH &&
			      !(sv && k != i &&
				se->args[k].type == LIMEN_AT_SPECIAL);

		c.args[k] = ptr_arg ? PROBE_PTR + 0x1000 * k : k ? v : v0;
	}
	c.has_ret = 1;
	c.ret = ret;
	for (unsigned k = 0; k < 6; k++) {
		c.cap_in[k] = (struct limen_blob){ zeros, sizeof(zeros),
						   LIMEN_BLOB_PRESENT };
		c.cap_out[k] = c.cap_in[k];
		/* a socket address's length: room for one (of length 0 the
		   address is shown as its pointer, as strace shows it) */
		if (k < se->nargs && se->args[k].type == LIMEN_AT_SOCKLEN) {
			c.cap_in[k] = (struct limen_blob){ (const uint8_t *)&socklen16,
							   4, LIMEN_BLOB_PRESENT };
			c.cap_out[k] = c.cap_in[k];
		}
	}
	limen_decode_arg(&sb, &c, i, &o);
	snprintf(ptr, sizeof(ptr), "%#llx",
		 (unsigned long long)(PROBE_PTR + 0x1000 * i));
	ok = sb.p && strcmp(sb.p, ptr) != 0;
	limen_sb_free(&sb);
	return ok;
}

static int arg_decoded(unsigned nr, unsigned i)
{
	size_t n = sizeof(probe_vals) / sizeof(probe_vals[0]);

	for (int sv = 0; sv < 2; sv++)
		for (size_t j = 0; j < n; j++)
			for (size_t k = 0; k < n; k++)
				if (probe(nr, i, probe_vals[j], probe_vals[k],
					  sv, 1) ||
				    probe(nr, i, probe_vals[j], probe_vals[k],
					  sv, -4 /* EINTR */))
					return 1;
	return 0;
}

int main(int argc, char **argv)
{
	int table = argc > 1 && !strcmp(argv[1], "--table");
	unsigned total = 0, typed = 0, decoded = 0;

	if (table)
		printf("%-4s %-24s %-6s %s\n", "nr", "name", "typed",
		       "pointer arguments decoded");
	for (unsigned nr = 0; nr < LIMEN_NSYSENT; nr++) {
		const struct limen_sysent *se = limen_sysent_get(nr);
		unsigned ptrs = 0, good = 0;
		char miss[128] = "";

		if (!se)
			continue;
		total++;
		if (se->decoded)
			typed++;
		for (unsigned i = 0; i < se->nargs; i++) {
			if (se->args[i].type < LIMEN_AT_PATH)
				continue;
			ptrs++;
			if (se->decoded && arg_decoded(nr, i))
				good++;
			else
				snprintf(miss + strlen(miss),
					 sizeof(miss) - strlen(miss), " %s",
					 se->args[i].name ?
						 limen_str(se->args[i].name) : "?");
		}
		if (se->decoded && good == ptrs)
			decoded++;
		if (table)
			printf("%-4u %-24s %-6s %u/%u%s%s\n", nr,
			       limen_str(se->name),
			       se->decoded ? "yes" : "no", good, ptrs,
			       *miss ? "  missing:" : "", miss);
	}
	if (table) {
		printf("\n%u system calls; %u with memory-effect rules (typed); "
		       "%u with full argument decoding\n", total, typed,
		       decoded);
		return 0;
	}
	printf("1..2\n");
	printf("# %u system calls; %u typed; %u fully decoded "
	       "(make coverage-table lists them)\n", total, typed, decoded);
	printf("%s 1 - typed rows (memory-effect rules): %u >= %u\n",
	       typed >= FLOOR_TYPED ? "ok" : "not ok", typed, FLOOR_TYPED);
	printf("%s 2 - fully decoded rows: %u >= %u\n",
	       decoded >= FLOOR_DECODED ? "ok" : "not ok", decoded,
	       FLOOR_DECODED);
	return !(typed >= FLOOR_TYPED && decoded >= FLOOR_DECODED);
}
