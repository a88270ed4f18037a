/* SPDX-License-Identifier: MIT */
/*
 * limen_insn_len (src/runtime/insn_len.c) against objdump: reads
 * `objdump -d --insn-width=16` of whole objects on stdin and, for every
 * instruction the decoder knows, checks its length is objdump's (given the
 * bytes that follow it too, so a decoder that reads too far is caught);
 * then limen_insn_bound on byte strings whose answer is known. TAP.
 * Usage: objdump -d --insn-width=16 OBJ | test_insn_len NAME [MIN_KNOWN%];
 * without arguments, the proofs alone.
 */
#include <stdlib.h>
#include <string.h>

#include "../../src/runtime/insn_len.c"
#include "tap.h"

#define FN_MAX (1 << 20)

static uint8_t fn[FN_MAX];
static uint32_t start[FN_MAX / 2];
static size_t nfn, nstart;
static long known, total, wrong;

/* the function read so far: every instruction, with what follows it */
static void check_fn(void)
{
	for (size_t k = 0; k < nstart; k++) {
		uint32_t at = start[k];
		uint32_t want = (k + 1 < nstart ? start[k + 1] : (uint32_t)nfn) - at;
		int kind;
		int32_t rel;
		uint32_t got = limen_insn_len(fn + at, nfn - at, &kind, &rel);

		total++;
		if (!got)
			continue;
		known++;
		if (got != want) {
			if (wrong++ < 10) {
				printf("# length %u, objdump %u:", got, want);
				for (uint32_t i = 0; i < want && i < 16; i++)
					printf(" %02x", fn[at + i]);
				printf("\n");
			}
		}
	}
	nfn = nstart = 0;
}

static void from_objdump(void)
{
	char line[4096];
	int skip = 0;

	while (fgets(line, sizeof(line), stdin)) {
		char *p = line, *tab;

		if (strchr(line, '<') && strstr(line, ">:")) {
			if (!skip)
				check_fn();
			nfn = nstart = 0;
			skip = 0;
			continue;
		}
		while (*p == ' ')
			p++;
		if (!strchr(p, ':') || !(tab = strchr(p, '\t')))
			continue;
		if (strstr(line, "(bad)") || strstr(line, "..."))
			skip = 1; /* objdump could not decode: not a reference */
		tab++;
		if (nstart < FN_MAX / 2)
			start[nstart++] = (uint32_t)nfn;
		for (;;) {
			char *e;
			unsigned long b;

			while (*tab == ' ')
				tab++;
			b = strtoul(tab, &e, 16);
			if (e != tab + 2 || (*e != ' ' && *e != '\t' && *e != '\n'))
				break;
			if (nfn < FN_MAX)
				fn[nfn++] = (uint8_t)b;
			tab = e;
		}
	}
	if (!skip)
		check_fn();
}

static int bound(const char *hex)
{
	uint8_t b[64];
	size_t n = 0;

	while (*hex && n < sizeof(b)) {
		b[n++] = (uint8_t)strtoul(hex, 0, 16);
		hex += 2;
		while (*hex == ' ')
			hex++;
	}
	return limen_insn_bound(b, n);
}

int main(int argc, char **argv)
{
	char name[256];
	long min = argc > 2 ? atol(argv[2]) : 0;

	if (argc > 1) {
		from_objdump();
		snprintf(name, sizeof(name),
			 "%s: every length known is objdump's (%ld of %ld known, %ld wrong)",
			 argv[1], known, total, wrong);
		ok(total > 0 && !wrong, name);
		snprintf(name, sizeof(name), "%s: at least %ld%% of instructions known",
			 argv[1], min);
		ok(total > 0 && known * 100 >= min * total, name);
		printf("1..%d\n", ntest);
		return nfail != 0;
	}
	/* Go's internal/runtime/syscall.Syscall6 up to its `syscall` */
	ok(bound("49 89 f2 48 89 fa 48 89 ce 48 89 df 0f 05"),
	   "go_syscall6_decodes_to_its_syscall");
	ok(!bound("49 89 f2 48 89 fa 48 89 ce 48 89 0f 05"),
	   "bytes_that_end_inside_an_instruction_are_no_proof");
	ok(!bound("74 01 b8 0f 05 00 00 0f 05"),
	   "a_branch_into_an_instruction_is_no_proof");
	ok(bound("74 05 b8 27 00 00 00 0f 05"),
	   "a_branch_to_the_syscall_itself_is_fine");
	ok(!bound("74 02 90 0f 05"), "a_branch_into_the_syscall_s_second_byte_is_no_proof");
	ok(!bound("0f 28 c1 0f 05"), "an_unknown_instruction_is_no_proof");
	ok(!bound("66 e8 00 00 0f 05"), "a_66_prefixed_call_is_unknown");
	ok(bound("f3 0f 1e fa 64 48 8b 04 25 28 00 00 00 0f 05"),
	   "endbr64_and_an_fs_load_decode");
	ok(bound("48 8b 05 00 00 00 00 0f 05"), "a_rip_relative_load_decodes");
	printf("1..%d\n", ntest);
	return nfail != 0;
}
