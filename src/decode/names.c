// SPDX-License-Identifier: MIT
/* errno and signal names, sigsets. */
#include <stdio.h>
#include <string.h>

#include "decode/dec_int.h"

/* From the kernel's asm-generic/errno-base.h and errno.h (x86_64). */
static const char *const errnames[] = {
	[1] = "EPERM",
	[2] = "ENOENT",
	[3] = "ESRCH",
	[4] = "EINTR",
	[5] = "EIO",
	[6] = "ENXIO",
	[7] = "E2BIG",
	[8] = "ENOEXEC",
	[9] = "EBADF",
	[10] = "ECHILD",
	[11] = "EAGAIN",
	[12] = "ENOMEM",
	[13] = "EACCES",
	[14] = "EFAULT",
	[15] = "ENOTBLK",
	[16] = "EBUSY",
	[17] = "EEXIST",
	[18] = "EXDEV",
	[19] = "ENODEV",
	[20] = "ENOTDIR",
	[21] = "EISDIR",
	[22] = "EINVAL",
	[23] = "ENFILE",
	[24] = "EMFILE",
	[25] = "ENOTTY",
	[26] = "ETXTBSY",
	[27] = "EFBIG",
	[28] = "ENOSPC",
	[29] = "ESPIPE",
	[30] = "EROFS",
	[31] = "EMLINK",
	[32] = "EPIPE",
	[33] = "EDOM",
	[34] = "ERANGE",
	[35] = "EDEADLK",
	[36] = "ENAMETOOLONG",
	[37] = "ENOLCK",
	[38] = "ENOSYS",
	[39] = "ENOTEMPTY",
	[40] = "ELOOP",
	[42] = "ENOMSG",
	[43] = "EIDRM",
	[44] = "ECHRNG",
	[45] = "EL2NSYNC",
	[46] = "EL3HLT",
	[47] = "EL3RST",
	[48] = "ELNRNG",
	[49] = "EUNATCH",
	[50] = "ENOCSI",
	[51] = "EL2HLT",
	[52] = "EBADE",
	[53] = "EBADR",
	[54] = "EXFULL",
	[55] = "ENOANO",
	[56] = "EBADRQC",
	[57] = "EBADSLT",
	[59] = "EBFONT",
	[60] = "ENOSTR",
	[61] = "ENODATA",
	[62] = "ETIME",
	[63] = "ENOSR",
	[64] = "ENONET",
	[65] = "ENOPKG",
	[66] = "EREMOTE",
	[67] = "ENOLINK",
	[68] = "EADV",
	[69] = "ESRMNT",
	[70] = "ECOMM",
	[71] = "EPROTO",
	[72] = "EMULTIHOP",
	[73] = "EDOTDOT",
	[74] = "EBADMSG",
	[75] = "EOVERFLOW",
	[76] = "ENOTUNIQ",
	[77] = "EBADFD",
	[78] = "EREMCHG",
	[79] = "ELIBACC",
	[80] = "ELIBBAD",
	[81] = "ELIBSCN",
	[82] = "ELIBMAX",
	[83] = "ELIBEXEC",
	[84] = "EILSEQ",
	[85] = "ERESTART",
	[86] = "ESTRPIPE",
	[87] = "EUSERS",
	[88] = "ENOTSOCK",
	[89] = "EDESTADDRREQ",
	[90] = "EMSGSIZE",
	[91] = "EPROTOTYPE",
	[92] = "ENOPROTOOPT",
	[93] = "EPROTONOSUPPORT",
	[94] = "ESOCKTNOSUPPORT",
	[95] = "EOPNOTSUPP",
	[96] = "EPFNOSUPPORT",
	[97] = "EAFNOSUPPORT",
	[98] = "EADDRINUSE",
	[99] = "EADDRNOTAVAIL",
	[100] = "ENETDOWN",
	[101] = "ENETUNREACH",
	[102] = "ENETRESET",
	[103] = "ECONNABORTED",
	[104] = "ECONNRESET",
	[105] = "ENOBUFS",
	[106] = "EISCONN",
	[107] = "ENOTCONN",
	[108] = "ESHUTDOWN",
	[109] = "ETOOMANYREFS",
	[110] = "ETIMEDOUT",
	[111] = "ECONNREFUSED",
	[112] = "EHOSTDOWN",
	[113] = "EHOSTUNREACH",
	[114] = "EALREADY",
	[115] = "EINPROGRESS",
	[116] = "ESTALE",
	[117] = "EUCLEAN",
	[118] = "ENOTNAM",
	[119] = "ENAVAIL",
	[120] = "EISNAM",
	[121] = "EREMOTEIO",
	[122] = "EDQUOT",
	[123] = "ENOMEDIUM",
	[124] = "EMEDIUMTYPE",
	[125] = "ECANCELED",
	[126] = "ENOKEY",
	[127] = "EKEYEXPIRED",
	[128] = "EKEYREVOKED",
	[129] = "EKEYREJECTED",
	[130] = "EOWNERDEAD",
	[131] = "ENOTRECOVERABLE",
	[132] = "ERFKILL",
	[133] = "EHWPOISON",
};

/* 1..133 by index; the kernel-internal codes that can leak to a tracer
   (512..530, include/linux/errno.h) from xlat.tbl's errno list. */
const char *limen_errname(int err)
{
	if (err > 0 && (size_t)err < ARRAY_LEN(errnames))
		return errnames[err];
	return dx_lookup(&limen_xlats[LIMEN_XLAT_errno], (uint64_t)err);
}

/* The text in parentheses after the errno name. */
const char *dn_errdesc(int err, char buf[64])
{
	const char *s = strerror(err);

	snprintf(buf, 64, "%s", s ? s : "Unknown error");
	return buf;
}

static const char *const signames[] = {
	[1] = "SIGHUP", [2] = "SIGINT", [3] = "SIGQUIT", [4] = "SIGILL",
	[5] = "SIGTRAP", [6] = "SIGABRT", [7] = "SIGBUS", [8] = "SIGFPE",
	[9] = "SIGKILL", [10] = "SIGUSR1", [11] = "SIGSEGV", [12] = "SIGUSR2",
	[13] = "SIGPIPE", [14] = "SIGALRM", [15] = "SIGTERM",
	[16] = "SIGSTKFLT", [17] = "SIGCHLD", [18] = "SIGCONT",
	[19] = "SIGSTOP", [20] = "SIGTSTP", [21] = "SIGTTIN", [22] = "SIGTTOU",
	[23] = "SIGURG", [24] = "SIGXCPU", [25] = "SIGXFSZ",
	[26] = "SIGVTALRM", [27] = "SIGPROF", [28] = "SIGWINCH", [29] = "SIGIO",
	[30] = "SIGPWR", [31] = "SIGSYS",
};

#define K_SIGRTMIN 32
#define K_NSIG 64

const char *limen_signame(int sig, char buf[16])
{
	if (sig > 0 && sig < K_SIGRTMIN)
		return signames[sig];
	if (sig == K_SIGRTMIN)
		return "SIGRTMIN";
	if (sig > K_SIGRTMIN && sig <= K_NSIG) {
		snprintf(buf, 16, "SIGRT_%d", sig - K_SIGRTMIN);
		return buf;
	}
	snprintf(buf, 16, "%d", sig);
	return buf;
}

void dn_sig(struct limen_sb *sb, int sig)
{
	char b[16];

	limen_sb_puts(sb, limen_signame(sig, b));
}

/*
 * Sigset of n bytes: "[INT TERM]"; with more than half of the valid bits
 * set, the complement: "~[RTMIN RT_1]" ("~[]" for all).
 */
void dn_sigset(struct limen_sb *sb, const uint8_t *p, size_t n)
{
	unsigned nbits = (unsigned)n * 8, i, cnt = 0;
	int inv, first = 1;
	char b[16];

	if (nbits > K_NSIG)
		nbits = K_NSIG;
	for (i = 0; i < nbits; i++)
		if (p[i / 8] & (1u << (i % 8)))
			cnt++;
	inv = cnt * 2 > nbits;
	if (inv)
		limen_sb_putc(sb, '~');
	limen_sb_putc(sb, '[');
	for (i = 0; i < nbits; i++) {
		int set = (p[i / 8] >> (i % 8)) & 1;

		if (set == inv)
			continue;
		if (!first)
			limen_sb_putc(sb, ' ');
		first = 0;
		limen_sb_puts(sb, limen_signame((int)i + 1, b) + 3);
	}
	limen_sb_putc(sb, ']');
}
