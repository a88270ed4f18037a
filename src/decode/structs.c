// SPDX-License-Identifier: MIT
/*
 * Struct printers, strace's default (non -v) forms. Layouts are the x86_64
 * kernel ABI, read by offset so that any byte buffer will do.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "decode/dec_int.h"

#define S64(p, o) ((long long)r64(p, o))
#define U64(p, o) ((unsigned long long)r64(p, o))
#define S32(p, o) ((int)r32(p, o))

/* ------------------------------------------------------------ time */

void ds_timespec(struct limen_sb *sb, const uint8_t *p)
{
	limen_sb_printf(sb, "{tv_sec=%lld, tv_nsec=%lld}", S64(p, 0), S64(p, 8));
}

void ds_timeval(struct limen_sb *sb, const uint8_t *p)
{
	limen_sb_printf(sb, "{tv_sec=%lld, tv_usec=%lld}", S64(p, 0), S64(p, 8));
}

/* strace's date comment after a time it sets (utimensat, utimes):
   " /" "* 1970-01-01T00:00:01.000000002+0000 *" "/", local time, the
   fraction in width digits when not 0; none for 0.0 or a fraction out of
   range (strace's sprinttime_ex) */
static void set_time_comment(struct limen_sb *sb, int64_t sec, uint64_t part,
			     uint64_t max, int width)
{
	time_t tt = (time_t)sec;
	struct tm tm;
	char buf[64], zone[16];

	if ((!sec && !part) || part > max || !localtime_r(&tt, &tm) ||
	    !strftime(buf, sizeof(buf), "%FT%T", &tm) ||
	    !strftime(zone, sizeof(zone), "%z", &tm))
		return;
	if (part)
		limen_sb_printf(sb, " /* %s.%0*llu%s */", buf, width,
				(unsigned long long)part, zone);
	else
		limen_sb_printf(sb, " /* %s%s */", buf, zone);
}

static void ds_utimens(struct limen_sb *sb, const uint8_t *p)
{
	int i;

	limen_sb_putc(sb, '[');
	for (i = 0; i < 2; i++) {
		long long ns = S64(p, 16 * i + 8);

		if (i)
			limen_sb_puts(sb, ", ");
		if (ns == (1LL << 30) - 1)
			limen_sb_puts(sb, "UTIME_NOW");
		else if (ns == (1LL << 30) - 2)
			limen_sb_puts(sb, "UTIME_OMIT");
		else {
			ds_timespec(sb, p + 16 * i);
			set_time_comment(sb, S64(p, 16 * i), (uint64_t)ns,
					 999999999, 9);
		}
	}
	limen_sb_putc(sb, ']');
}

static void ds_timeval2(struct limen_sb *sb, const uint8_t *p)
{
	limen_sb_putc(sb, '[');
	ds_timeval(sb, p);
	set_time_comment(sb, S64(p, 0), r64(p, 8), 999999, 6);
	limen_sb_puts(sb, ", ");
	ds_timeval(sb, p + 16);
	set_time_comment(sb, S64(p, 16), r64(p, 24), 999999, 6);
	limen_sb_putc(sb, ']');
}

static void ds_itimerspec(struct limen_sb *sb, const uint8_t *p)
{
	limen_sb_puts(sb, "{it_interval=");
	ds_timespec(sb, p);
	limen_sb_puts(sb, ", it_value=");
	ds_timespec(sb, p + 16);
	limen_sb_putc(sb, '}');
}

static void ds_itimerval(struct limen_sb *sb, const uint8_t *p)
{
	limen_sb_puts(sb, "{it_interval=");
	ds_timeval(sb, p);
	limen_sb_puts(sb, ", it_value=");
	ds_timeval(sb, p + 16);
	limen_sb_putc(sb, '}');
}

static void ds_timezone(struct limen_sb *sb, const uint8_t *p)
{
	limen_sb_printf(sb, "{tz_minuteswest=%d, tz_dsttime=%d}", S32(p, 0),
			S32(p, 4));
}

/* A clock_t count of ticks, and what it is in seconds in a comment when
   it is not 0 (strace's print_clock_t; USER_HZ is 100 on x86_64), not
   with -X raw */
static void ds_clock_t(struct limen_sb *sb, uint64_t v)
{
	limen_sb_printf(sb, "%llu", (unsigned long long)v);
	if (v && sb->xstyle != 1)
		limen_sb_printf(sb, " /* %llu.%02llu s */",
				(unsigned long long)(v / 100),
				(unsigned long long)(v % 100));
}

static void ds_tms(struct limen_sb *sb, const uint8_t *p)
{
	limen_sb_puts(sb, "{tms_utime=");
	ds_clock_t(sb, U64(p, 0));
	limen_sb_puts(sb, ", tms_stime=");
	ds_clock_t(sb, U64(p, 8));
	limen_sb_puts(sb, ", tms_cutime=");
	ds_clock_t(sb, U64(p, 16));
	limen_sb_puts(sb, ", tms_cstime=");
	ds_clock_t(sb, U64(p, 24));
	limen_sb_putc(sb, '}');
}

/* ------------------------------------------------------------ stat */

void ds_mode(struct limen_sb *sb, uint32_t mode)
{
	const char *t = dx_lookup(&limen_xlats[LIMEN_XLAT_file_type], mode & 0170000);
	int style = sb->xstyle;

	/* a type with no name: the whole mode in octal, as strace */
	if (!t && (mode & 0170000)) {
		limen_sb_printf(sb, "%#03o", mode);
		return;
	}
	if (style) {
		/* -X raw: the number; verbose: with the names, as strace */
		limen_sb_printf(sb, "%#o", mode);
		if (style == 2 && (mode & 0177000)) {
			limen_sb_puts(sb, " /* ");
			sb->xstyle = 0;
			ds_mode(sb, mode);
			sb->xstyle = style;
			limen_sb_puts(sb, " */");
		}
		return;
	}

	if (t) {
		limen_sb_puts(sb, t);
		limen_sb_putc(sb, '|');
		mode &= ~0170000u;
	}
	if (mode & 04000)
		limen_sb_puts(sb, "S_ISUID|");
	if (mode & 02000)
		limen_sb_puts(sb, "S_ISGID|");
	if (mode & 01000)
		limen_sb_puts(sb, "S_ISVTX|");
	limen_sb_printf(sb, "%#03o", mode & ~07000u);
}

void ds_makedev(struct limen_sb *sb, unsigned long long dev)
{
	unsigned maj = (unsigned)(((dev >> 8) & 0xfff) | ((dev >> 32) & ~0xfffULL));
	unsigned min = (unsigned)((dev & 0xff) | ((dev >> 12) & ~0xffULL));
	size_t at;

	/* -X: 0x103, or 0x103 and makedev(0x1, 0x3) in a comment */
	if (dx_style_pre(sb, dev, &at))
		return;
	limen_sb_printf(sb, "makedev(%#x, %#x)", maj, min);
	dx_style_post(sb, dev, at);
}

void ds_stat(struct limen_sb *sb, const uint8_t *p)
{
	uint32_t mode = r32(p, 24);

	limen_sb_puts(sb, "{st_mode=");
	ds_mode(sb, mode);
	if ((mode & 0170000) == 0020000 || (mode & 0170000) == 0060000) {
		limen_sb_puts(sb, ", st_rdev=");
		ds_makedev(sb, U64(p, 40));
	} else {
		limen_sb_printf(sb, ", st_size=%lld", S64(p, 48));
	}
	limen_sb_puts(sb, ", ...}");
}

void ds_statx_mask(struct limen_sb *sb, uint64_t v)
{
	dx_flags(sb, &limen_xlats[LIMEN_XLAT_statx_mask], v, "0");
}

static void ds_statx(struct limen_sb *sb, const uint8_t *p)
{
	limen_sb_puts(sb, "{stx_mask=");
	ds_statx_mask(sb, r32(p, 0));
	limen_sb_puts(sb, ", stx_attributes=");
	dx_flags(sb, &limen_xlats[LIMEN_XLAT_statx_attributes], r64(p, 8), "0");
	limen_sb_puts(sb, ", stx_mode=");
	ds_mode(sb, r16(p, 28));
	limen_sb_printf(sb, ", stx_size=%llu, ...}", U64(p, 40));
}

static void ds_statfs(struct limen_sb *sb, const uint8_t *p)
{
	limen_sb_puts(sb, "{f_type=");
	dx_enum(sb, &limen_xlats[LIMEN_XLAT_fs_magic], U64(p, 0), "%#llx");
	limen_sb_printf(sb, ", f_bsize=%lld, f_blocks=%llu, f_bfree=%llu, "
			"f_bavail=%llu, f_files=%llu, f_ffree=%llu, "
			"f_fsid={val=[%#x, %#x]}, f_namelen=%lld, f_frsize=%lld, "
			"f_flags=", S64(p, 8), U64(p, 16), U64(p, 24),
			U64(p, 32), U64(p, 40), U64(p, 48), r32(p, 56),
			r32(p, 60), S64(p, 64), S64(p, 72));
	dx_flags(sb, &limen_xlats[LIMEN_XLAT_statfs_flags], r64(p, 80), "0");
	limen_sb_putc(sb, '}');
}

/* ------------------------------------------------------------ signals */

static void ds_handler(struct limen_sb *sb, uint64_t h)
{
	if (h == 0)
		dx_named(sb, h, "SIG_DFL");
	else if (h == 1)
		dx_named(sb, h, "SIG_IGN");
	else if (h == UINT64_MAX)
		limen_sb_puts(sb, "SIG_ERR");
	else
		limen_sb_printf(sb, "%#llx", (unsigned long long)h);
}

static void ds_sigaction(struct limen_sb *sb, const uint8_t *p)
{
	uint64_t fl = r64(p, 8);

	limen_sb_puts(sb, "{sa_handler=");
	ds_handler(sb, r64(p, 0));
	limen_sb_puts(sb, ", sa_mask=");
	dn_sigset(sb, p + 24, 8);
	limen_sb_puts(sb, ", sa_flags=");
	dx_flags(sb, &limen_xlats[LIMEN_XLAT_sa_flags], fl, "0");
	if (fl & 0x04000000) {
		limen_sb_puts(sb, ", sa_restorer=");
		dx_ptr(sb, r64(p, 16));
	}
	limen_sb_putc(sb, '}');
}

static void ds_stack(struct limen_sb *sb, const uint8_t *p)
{
	limen_sb_puts(sb, "{ss_sp=");
	dx_ptr(sb, r64(p, 0));
	limen_sb_puts(sb, ", ss_flags=");
	dx_flags(sb, &limen_xlats[LIMEN_XLAT_ss_flags], r32(p, 8), "0");
	limen_sb_printf(sb, ", ss_size=%llu}", U64(p, 16));
}

static const char *const cld_codes[] = { NULL, "CLD_EXITED", "CLD_KILLED",
	"CLD_DUMPED", "CLD_TRAPPED", "CLD_STOPPED", "CLD_CONTINUED" };
static const char *const segv_codes[] = { NULL, "SEGV_MAPERR", "SEGV_ACCERR",
	"SEGV_BNDERR", "SEGV_PKUERR", "SEGV_ACCADI", "SEGV_ADIDERR",
	"SEGV_ADIPERR", "SEGV_MTEAERR", "SEGV_MTESERR" };
static const char *const bus_codes[] = { NULL, "BUS_ADRALN", "BUS_ADRERR",
	"BUS_OBJERR", "BUS_MCEERR_AR", "BUS_MCEERR_AO" };
static const char *const ill_codes[] = { NULL, "ILL_ILLOPC", "ILL_ILLOPN",
	"ILL_ILLADR", "ILL_ILLTRP", "ILL_PRVOPC", "ILL_PRVREG", "ILL_COPROC",
	"ILL_BADSTK", "ILL_BADIADDR" };
static const char *const fpe_codes[] = { NULL, "FPE_INTDIV", "FPE_INTOVF",
	"FPE_FLTDIV", "FPE_FLTOVF", "FPE_FLTUND", "FPE_FLTRES", "FPE_FLTINV",
	"FPE_FLTSUB", "FPE_FLTUNK", "FPE_CONDTRAP" };
static const char *const trap_codes[] = { NULL, "TRAP_BRKPT", "TRAP_TRACE",
	"TRAP_BRANCH", "TRAP_HWBKPT", "TRAP_UNK", "TRAP_PERF" };
static const char *const poll_codes[] = { NULL, "POLL_IN", "POLL_OUT",
	"POLL_MSG", "POLL_ERR", "POLL_PRI", "POLL_HUP" };

#define CODE(tab, c) ((c) > 0 && (size_t)(c) < ARRAY_LEN(tab) ? (tab)[c] : NULL)

void limen_decode_siginfo(struct limen_sb *sb, const void *si128)
{
	const uint8_t *p = si128;
	int sig = S32(p, 0), err = S32(p, 4), code = S32(p, 8);
	const char *cn = NULL;

	/* nothing in it (waitid's WNOHANG that found no child): strace's
	   "{}" */
	if (!sig) {
		limen_sb_puts(sb, "{}");
		return;
	}
	limen_sb_puts(sb, "{si_signo=");
	dn_sig(sb, sig);
	if (code > 0 && code != 0x80) {
		switch (sig) {
		case 17: cn = CODE(cld_codes, code); break;
		case 11: cn = CODE(segv_codes, code); break;
		case 7: cn = CODE(bus_codes, code); break;
		case 4: cn = CODE(ill_codes, code); break;
		case 8: cn = CODE(fpe_codes, code); break;
		case 5: cn = CODE(trap_codes, code); break;
		case 29: cn = CODE(poll_codes, code); break;
		case 31: cn = code == 1 ? "SYS_SECCOMP" :
			      code == 2 ? "SYS_USER_DISPATCH" : NULL; break;
		}
	} else {
		cn = dx_lookup(&limen_xlats[LIMEN_XLAT_si_code], (uint32_t)code);
	}
	limen_sb_puts(sb, ", si_code=");
	if (cn)
		limen_sb_puts(sb, cn);
	else
		limen_sb_printf(sb, "%d", code);
	if (err) {
		const char *en = limen_errname(err < 0 ? (int)(0u - (unsigned)err) : err);

		limen_sb_puts(sb, ", si_errno=");
		if (en)
			limen_sb_printf(sb, "%s%s", err < 0 ? "-" : "", en);
		else
			limen_sb_printf(sb, "%d", err);
	}
	if (code <= 0) {
		if (code == -2) {
			limen_sb_printf(sb, ", si_timerid=%#x, si_overrun=%d",
					r32(p, 16), S32(p, 20));
		} else {
			limen_sb_printf(sb, ", si_pid=%d, si_uid=%u", S32(p, 16),
					r32(p, 20));
		}
		if (code == -1 || code == -2 || code == -3) {
			/* strace's printaddr: NULL for 0 (a timer's sigval
			   most often) */
			limen_sb_printf(sb, ", si_int=%d, si_ptr=", S32(p, 24));
			dx_ptr(sb, U64(p, 24));
		}
	} else {
		/* the kernel's (si_code > 0, SI_KERNEL too): by the signal,
		   as strace shows it */
		switch (sig) {
		case 17:
			limen_sb_printf(sb, ", si_pid=%d, si_uid=%u, si_status=",
					S32(p, 16), r32(p, 20));
			if (code == 1)
				limen_sb_printf(sb, "%d", S32(p, 24));
			else
				dn_sig(sb, S32(p, 24));
			limen_sb_puts(sb, ", si_utime=");
			ds_clock_t(sb, U64(p, 32));
			limen_sb_puts(sb, ", si_stime=");
			ds_clock_t(sb, U64(p, 40));
			break;
		case 11: case 7: case 4: case 8: case 5:
			limen_sb_puts(sb, ", si_addr=");
			dx_ptr(sb, r64(p, 16));
			break;
		case 29:
			if (code <= 6) /* POLL_IN to POLL_HUP */
				limen_sb_printf(sb, ", si_band=%lld, si_fd=%d",
						S64(p, 16), S32(p, 24));
			break;
		case 31: {
			/* strace names the call when it is one of ours */
			const struct limen_sysent *se =
				r32(p, 28) == 0xc000003e
					? limen_sysent_get((unsigned)S32(p, 24))
					: NULL;

			limen_sb_puts(sb, ", si_call_addr=");
			dx_ptr(sb, r64(p, 16));
			if (se && se->name)
				limen_sb_printf(sb, ", si_syscall=__NR_%s, si_arch=",
						limen_str(se->name));
			else
				limen_sb_printf(sb, ", si_syscall=%d, si_arch=",
						S32(p, 24));
			if (r32(p, 28) == 0xc000003e)
				limen_sb_puts(sb, "AUDIT_ARCH_X86_64");
			else
				limen_sb_printf(sb, "%#x", r32(p, 28));
			break;
		}
		default:
			/* a sender, a value: those that are there */
			if (S32(p, 16) || r32(p, 20))
				limen_sb_printf(sb, ", si_pid=%d, si_uid=%u",
						S32(p, 16), r32(p, 20));
			if (U64(p, 24))
				limen_sb_printf(sb, ", si_int=%d, si_ptr=%#llx",
						S32(p, 24), U64(p, 24));
		}
	}
	limen_sb_putc(sb, '}');
}

/* struct sigevent: the value only when set; the signal named only when
   the notification sends one */
static void ds_sigevent(struct limen_sb *sb, const uint8_t *p)
{
	uint64_t val = r64(p, 0);
	int signo = S32(p, 8), notify = S32(p, 12);

	limen_sb_putc(sb, '{');
	if (val)
		limen_sb_printf(sb, "sigev_value={sival_int=%d, sival_ptr=%#llx}, ",
				(int)val, (unsigned long long)val);
	limen_sb_puts(sb, "sigev_signo=");
	switch (notify) {
	case 0: case 2: case 4:
		dn_sig(sb, signo);
		break;
	default:
		limen_sb_printf(sb, "%d", signo);
		break;
	}
	limen_sb_puts(sb, ", sigev_notify=");
	dx_enum(sb, &limen_xlats[LIMEN_XLAT_sigev_notify], (uint32_t)notify,
		NULL);
	if (notify == 2) {
		limen_sb_puts(sb, ", sigev_notify_function=");
		dx_ptr(sb, r64(p, 16));
		limen_sb_puts(sb, ", sigev_notify_attributes=");
		dx_ptr(sb, r64(p, 24));
	} else if (notify == 4) {
		limen_sb_printf(sb, ", sigev_notify_thread_id=%d", S32(p, 16));
	}
	limen_sb_putc(sb, '}');
}

/* ------------------------------------------------------------ misc */

/* a limit as strace shows it: RLIM64_INFINITY, 8192*1024, 100; under -X
   raw the number in decimal, under verbose the name or product in a
   comment after it */
static void rlim(struct limen_sb *sb, uint64_t v)
{
	char t[32];

	if (v == UINT64_MAX) {
		dx_named_dec(sb, v, "RLIM64_INFINITY");
	} else if (v > 1024 && v % 1024 == 0) {
		snprintf(t, sizeof(t), "%llu*1024", (unsigned long long)(v / 1024));
		dx_named_dec(sb, v, t);
	} else {
		limen_sb_printf(sb, "%llu", (unsigned long long)v);
	}
}

static void ds_rlimit(struct limen_sb *sb, const uint8_t *p)
{
	limen_sb_puts(sb, "{rlim_cur=");
	rlim(sb, r64(p, 0));
	limen_sb_puts(sb, ", rlim_max=");
	rlim(sb, r64(p, 8));
	limen_sb_putc(sb, '}');
}

static void ds_rusage(struct limen_sb *sb, const uint8_t *p)
{
	limen_sb_puts(sb, "{ru_utime=");
	ds_timeval(sb, p);
	limen_sb_puts(sb, ", ru_stime=");
	ds_timeval(sb, p + 16);
	limen_sb_puts(sb, ", ...}");
}

static void cfield(struct limen_sb *sb, const uint8_t *p, size_t max)
{
	size_t n = strnlen((const char *)p, max);

	dq_bytes(sb, p, n, 0, 0);
}

static void ds_utsname(struct limen_sb *sb, const uint8_t *p)
{
	limen_sb_puts(sb, "{sysname=");
	cfield(sb, p, 65);
	limen_sb_puts(sb, ", nodename=");
	cfield(sb, p + 65, 65);
	limen_sb_puts(sb, ", ...}");
}

/* -v: every field, as strace -v */
static void utsname_verbose(struct limen_sb *sb, const uint8_t *p)
{
	static const char *const f[] = { "sysname", "nodename", "release",
					 "version", "machine", "domainname" };

	for (unsigned i = 0; i < 6; i++) {
		limen_sb_printf(sb, "%s%s=", i ? ", " : "{", f[i]);
		cfield(sb, p + 65 * i, 65);
	}
	limen_sb_putc(sb, '}');
}

static void rusage_verbose(struct limen_sb *sb, const uint8_t *p)
{
	static const char *const f[] = {
		"ru_maxrss", "ru_ixrss", "ru_idrss", "ru_isrss", "ru_minflt",
		"ru_majflt", "ru_nswap", "ru_inblock", "ru_oublock",
		"ru_msgsnd", "ru_msgrcv", "ru_nsignals", "ru_nvcsw",
		"ru_nivcsw",
	};

	limen_sb_puts(sb, "{ru_utime=");
	ds_timeval(sb, p);
	limen_sb_puts(sb, ", ru_stime=");
	ds_timeval(sb, p + 16);
	for (unsigned i = 0; i < ARRAY_LEN(f); i++)
		limen_sb_printf(sb, ", %s=%lld", f[i], S64(p, 32 + 8 * i));
	limen_sb_putc(sb, '}');
}

static void ds_sysinfo(struct limen_sb *sb, const uint8_t *p)
{
	limen_sb_printf(sb, "{uptime=%lld, loads=[%llu, %llu, %llu], "
			"totalram=%llu, freeram=%llu, sharedram=%llu, "
			"bufferram=%llu, totalswap=%llu, freeswap=%llu, "
			"procs=%u, totalhigh=%llu, freehigh=%llu, mem_unit=%u}",
			S64(p, 0), U64(p, 8), U64(p, 16), U64(p, 24),
			U64(p, 32), U64(p, 40), U64(p, 48), U64(p, 56),
			U64(p, 64), U64(p, 72), r16(p, 80), U64(p, 88),
			U64(p, 96), r32(p, 104));
}

void ds_pollev(struct limen_sb *sb, uint32_t v)
{
	dx_flags(sb, &limen_xlats[LIMEN_XLAT_poll_events], v, "0");
}

static void ds_pollfd(struct limen_sb *sb, const uint8_t *p)
{
	limen_sb_printf(sb, "{fd=%d, events=", S32(p, 0));
	ds_pollev(sb, r16(p, 4));
	limen_sb_putc(sb, '}');
}

static void ds_epoll_event(struct limen_sb *sb, const uint8_t *p)
{
	uint64_t data = r64(p, 4);

	limen_sb_puts(sb, "{events=");
	dx_flags(sb, &limen_xlats[LIMEN_XLAT_epoll_events], r32(p, 0), "0");
	limen_sb_printf(sb, ", data={u32=%u, u64=%llu}}", (uint32_t)data,
			(unsigned long long)data);
}

void ds_wstatus(struct limen_sb *sb, int st)
{
	int sig = st & 0x7f;

	limen_sb_putc(sb, '[');
	/* before WIFSTOPPED, whose low 7 bits it shares */
	if (st == 0xffff) {
		limen_sb_puts(sb, "{WIFCONTINUED(s)}");
	} else if (sig == 0) {
		limen_sb_printf(sb, "{WIFEXITED(s) && WEXITSTATUS(s) == %d}",
				(st >> 8) & 0xff);
	} else if (sig == 0x7f) {
		limen_sb_puts(sb, "{WIFSTOPPED(s) && WSTOPSIG(s) == ");
		dn_signame(sb, (st >> 8) & 0xff);
		limen_sb_putc(sb, '}');
		if (st >> 16)
			limen_sb_printf(sb, " | %#x", (unsigned)st >> 16 << 16);
	} else {
		limen_sb_puts(sb, "{WIFSIGNALED(s) && WTERMSIG(s) == ");
		dn_signame(sb, sig);
		if (st & 0x80)
			limen_sb_puts(sb, " && WCOREDUMP(s)");
		limen_sb_putc(sb, '}');
	}
	limen_sb_putc(sb, ']');
}

void ds_flock(struct limen_sb *sb, const uint8_t *p, int with_pid)
{
	limen_sb_puts(sb, "{l_type=");
	dx_enum(sb, &limen_xlats[LIMEN_XLAT_lease_type], r16(p, 0), NULL);
	limen_sb_puts(sb, ", l_whence=");
	dx_enum(sb, &limen_xlats[LIMEN_XLAT_whence], r16(p, 2), NULL);
	limen_sb_printf(sb, ", l_start=%lld, l_len=%lld", S64(p, 8), S64(p, 16));
	if (with_pid)
		limen_sb_printf(sb, ", l_pid=%d", S32(p, 24));
	limen_sb_putc(sb, '}');
}

static void ds_flock_full(struct limen_sb *sb, const uint8_t *p)
{
	ds_flock(sb, p, 1);
}

static void ds_int(struct limen_sb *sb, const uint8_t *p)
{
	limen_sb_printf(sb, "[%d]", S32(p, 0));
}

static void ds_uint(struct limen_sb *sb, const uint8_t *p)
{
	limen_sb_printf(sb, "[%u]", r32(p, 0));
}

static void ds_u64(struct limen_sb *sb, const uint8_t *p)
{
	limen_sb_printf(sb, "[%llu]", U64(p, 0));
}

static void ds_fdpair(struct limen_sb *sb, const uint8_t *p)
{
	limen_sb_printf(sb, "[%d, %d]", S32(p, 0), S32(p, 4));
}

static void ds_wst(struct limen_sb *sb, const uint8_t *p)
{
	ds_wstatus(sb, S32(p, 0));
}

static void ds_sched_param(struct limen_sb *sb, const uint8_t *p)
{
	limen_sb_printf(sb, "[%d]", S32(p, 0));
}

static void ds_open_how(struct limen_sb *sb, const uint8_t *p)
{
	uint64_t fl = r64(p, 0), mode = r64(p, 8);

	limen_sb_puts(sb, "{flags=");
	dd_open_flags(sb, fl);
	if (mode || (fl & 0100) || (fl & 020000000))
		limen_sb_printf(sb, ", mode=%#03llo", (unsigned long long)mode);
	limen_sb_puts(sb, ", resolve=");
	dx_flags(sb, &limen_xlats[LIMEN_XLAT_resolve_flags], r64(p, 16), "0");
	limen_sb_putc(sb, '}');
}

static void ds_cap_header(struct limen_sb *sb, const uint8_t *p)
{

	const char *n = dx_lookup(&limen_xlats[LIMEN_XLAT_cap_version], r32(p, 0));

	if (n)
		limen_sb_printf(sb, "{version=%s", n);
	else
		limen_sb_printf(sb, "{version=%#x /* _LINUX_CAPABILITY_VERSION_??? */",
				r32(p, 0));
	limen_sb_printf(sb, ", pid=%d}", S32(p, 4));
}

/* A field of an address in network order, as -X says: "name=text"
   (inet_addr("127.0.0.1"), whose text may name the field itself:
   inet_pton(AF_INET6, "::1", &sin6_addr)), its bytes in hex under raw
   (name="\x7f\x00\x00\x01"), both under verbose with the text in a
   comment (its own name, "&sin6_addr", dropped); name NULL: a value
   with no field name (a netlink attribute's) */
void ds_sa_field(struct limen_sb *sb, const char *name, const uint8_t *p,
		 size_t n, const char *text, const char *tail)
{
	if (!sb->xstyle) {
		if (!tail && name)
			limen_sb_printf(sb, "%s=", name);
		limen_sb_printf(sb, "%s%s", text, tail ? tail : "");
		return;
	}
	if (name)
		limen_sb_printf(sb, "%s=", name);
	dq_bytes(sb, p, n, 0, 1);
	if (sb->xstyle == 2)
		limen_sb_printf(sb, " /* %s%s */", text, tail ? ")" : "");
}

/* "{sa_family=AF_INET, sin_port=htons(53)" and its -X forms */
static void sa_inet_head(struct limen_sb *sb, unsigned fam, const char *name,
			 const char *port, const uint8_t *p)
{
	char t[24];

	limen_sb_puts(sb, "{sa_family=");
	dx_named(sb, fam, name);
	limen_sb_puts(sb, ", ");
	snprintf(t, sizeof(t), "htons(%u)", (unsigned)(p[2] << 8 | p[3]));
	ds_sa_field(sb, port, p + 2, 2, t, NULL);
	limen_sb_puts(sb, ", ");
}

void ds_sockaddr(struct limen_sb *sb, const uint8_t *p, size_t len)
{
	char t[80];
	unsigned fam;

	if (len < 2) {
		limen_sb_puts(sb, "{}");
		return;
	}
	fam = r16(p, 0);
	switch (fam) {
	case 0:
		limen_sb_puts(sb, "{sa_family=");
		dx_named(sb, fam, "AF_UNSPEC");
		break;
	case 1: { /* AF_UNIX */
		size_t n = len - 2, k;

		limen_sb_puts(sb, "{sa_family=");
		dx_named(sb, fam, "AF_UNIX");
		if (n > 108)
			n = 108;
		if (!n)
			break;
		if (p[2] == 0) { /* abstract */
			k = n - 1;
			limen_sb_puts(sb, ", sun_path=@");
			dq_bytes(sb, p + 3, k, 0, 0);
		} else {
			k = strnlen((const char *)p + 2, n);
			limen_sb_puts(sb, ", sun_path=");
			dq_bytes(sb, p + 2, k, 0, 0);
		}
		break;
	}
	case 2: /* AF_INET */
		if (len < 16)
			goto raw;
		sa_inet_head(sb, fam, "AF_INET", "sin_port", p);
		snprintf(t, sizeof(t), "inet_addr(\"%u.%u.%u.%u\")", p[4], p[5],
			 p[6], p[7]);
		ds_sa_field(sb, "sin_addr", p + 4, 4, t, NULL);
		break;
	case 10: { /* AF_INET6 */
		char buf[64];
		uint16_t w[8];
		int i, best = -1, bestn = 0, cur = -1, curn = 0;
		size_t o = 0;

		if (len < 24)
			goto raw;
		for (i = 0; i < 8; i++) {
			w[i] = (uint16_t)(p[8 + 2 * i] << 8 | p[9 + 2 * i]);
			if (!w[i]) {
				if (cur < 0) {
					cur = i;
					curn = 0;
				}
				if (++curn > bestn) {
					best = cur;
					bestn = curn;
				}
			} else {
				cur = -1;
			}
		}
		if (bestn < 2)
			best = -1;
		buf[0] = 0;
		/* IPv4-mapped */
		if (best == 0 && bestn == 5 && w[5] == 0xffff) {
			snprintf(buf, sizeof buf, "::ffff:%u.%u.%u.%u", p[20],
				 p[21], p[22], p[23]);
		} else {
			for (i = 0; i < 8; i++) {
				if (i == best) {
					o += (size_t)snprintf(buf + o, sizeof buf - o,
							      "::");
					i += bestn - 1;
					continue;
				}
				if (o && buf[o - 1] != ':')
					buf[o++] = ':';
				o += (size_t)snprintf(buf + o, sizeof buf - o,
						      "%x", w[i]);
			}
		}
		sa_inet_head(sb, fam, "AF_INET6", "sin6_port", p);
		snprintf(t, sizeof(t), "htonl(%u)",
			 (unsigned)p[4] << 24 | (unsigned)p[5] << 16 |
			 (unsigned)p[6] << 8 | p[7]);
		ds_sa_field(sb, "sin6_flowinfo", p + 4, 4, t, NULL);
		limen_sb_puts(sb, ", ");
		snprintf(t, sizeof(t), "inet_pton(AF_INET6, \"%s\"", buf);
		ds_sa_field(sb, "sin6_addr", p + 8, 16, t, ", &sin6_addr)");
		if (len >= 28)
			limen_sb_printf(sb, ", sin6_scope_id=%u", r32(p, 24));
		break;
	}
	case 16: /* AF_NETLINK */
		if (len < 12)
			goto raw;
		limen_sb_puts(sb, "{sa_family=");
		dx_named(sb, fam, "AF_NETLINK");
		limen_sb_printf(sb, ", nl_pid=%d, nl_groups=%08x", S32(p, 4),
				r32(p, 8));
		break;
	default:
raw:
		limen_sb_printf(sb, "{sa_family=");
		{
			dx_enum(sb, &limen_xlats[LIMEN_XLAT_socket_domain], fam, "%llu");
		}
		if (len > 2) {
			limen_sb_puts(sb, ", sa_data=");
			dq_bytes(sb, p + 2, len - 2, 0, 0);
		}
		break;
	}
	limen_sb_putc(sb, '}');
}

/* ------------------------------------------------------------ termios */

static const char *const bauds[] = { "B0", "B50", "B75", "B110", "B134",
	"B150", "B200", "B300", "B600", "B1200", "B1800", "B2400", "B4800",
	"B9600", "B19200", "B38400" };
static const char *const bauds_ext[] = { "BOTHER", "B57600", "B115200",
	"B230400", "B460800", "B500000", "B576000", "B921600", "B1000000",
	"B1152000", "B1500000", "B2000000", "B2500000", "B3000000",
	"B3500000", "B4000000" };

static void tflags(struct limen_sb *sb, unsigned list, uint32_t v, int first)
{
	uint64_t used = dx_bits(sb, &limen_xlats[list], v, &first);

	v &= ~(uint32_t)used;
	if (v)
		limen_sb_printf(sb, "%s%#x", first ? "" : "|", v);
	else if (first)
		limen_sb_putc(sb, '0');
}

void ds_termios(struct limen_sb *sb, const uint8_t *p, int verbose)
{
	uint32_t of = r32(p, 4), cf = r32(p, 8), b = cf & 0x100f;

	limen_sb_puts(sb, "{c_iflag=");
	tflags(sb, LIMEN_XLAT_termios_iflag, r32(p, 0), 1);
	limen_sb_printf(sb, ", c_oflag=NL%u|CR%u|TAB%u|BS%u|VT%u|FF%u",
			(of >> 8) & 1, (of >> 9) & 3, (of >> 11) & 3,
			(of >> 13) & 1, (of >> 14) & 1, (of >> 15) & 1);
	tflags(sb, LIMEN_XLAT_termios_oflag, of & ~0xff00u, 0);
	limen_sb_puts(sb, ", c_cflag=");
	if (b & 0x1000)
		limen_sb_puts(sb, bauds_ext[b & 0xf]);
	else
		limen_sb_puts(sb, bauds[b]);
	limen_sb_printf(sb, "|CS%u", 5 + ((cf >> 4) & 3));
	tflags(sb, LIMEN_XLAT_termios_cflag, cf & ~0x103fu, 0);
	limen_sb_puts(sb, ", c_lflag=");
	tflags(sb, LIMEN_XLAT_termios_lflag, r32(p, 12), 1);
	if (!verbose) {
		limen_sb_puts(sb, ", ...}");
		return;
	}
	/* -v: the line discipline and the 19 control characters of the
	   kernel's struct termios, as strace -v */
	limen_sb_puts(sb, ", c_line=");
	dx_enum(sb, &limen_xlats[LIMEN_XLAT_tty_ldisc], p[16], "%u");
	limen_sb_puts(sb, ", c_cc=[");
	for (unsigned i = 0; i < 19; i++) {
		const char *n = dx_lookup(&limen_xlats[LIMEN_XLAT_termios_cc], i);

		if (i)
			limen_sb_puts(sb, ", ");
		if (n)
			limen_sb_printf(sb, "[%s]=", n);
		else
			limen_sb_printf(sb, "[%u]=", i);
		limen_sb_printf(sb, p[17 + i] ? "%#x" : "%u", p[17 + i]);
	}
	limen_sb_puts(sb, "]}");
}

/* ------------------------------------------------------------ more */

/* struct sched_attr: as many fields as its own size covers (48: VER0) and
 * as were captured (a struct straddling into unmapped memory is cut short:
 * its size field cannot send us past the capture) */
static void ds_sched_attr(struct limen_sb *sb, const uint8_t *p, size_t len)
{
	uint32_t size = r32(p, 0);

	limen_sb_printf(sb, "{size=%u, sched_policy=", size);
	dx_enum(sb, &limen_xlats[LIMEN_XLAT_sched_policy], r32(p, 4), NULL);
	limen_sb_puts(sb, ", sched_flags=");
	dx_flags(sb, &limen_xlats[LIMEN_XLAT_sched_attr_flags], r64(p, 8), "0");
	limen_sb_printf(sb, ", sched_nice=%d, sched_priority=%u, "
			"sched_runtime=%llu, sched_deadline=%llu, "
			"sched_period=%llu", S32(p, 16), r32(p, 20), U64(p, 24),
			U64(p, 32), U64(p, 40));
	if (size >= 56 && len >= 56)
		limen_sb_printf(sb, ", sched_util_min=%u, sched_util_max=%u",
				r32(p, 48), r32(p, 52));
	else if (size >= 56)
		limen_sb_puts(sb, ", ...");
	limen_sb_putc(sb, '}');
}

/* struct __kernel_timex */
static void ds_timex(struct limen_sb *sb, const uint8_t *p)
{
	limen_sb_puts(sb, "{modes=");
	dx_flags(sb, &limen_xlats[LIMEN_XLAT_adjtimex_modes], r32(p, 0), "0");
	limen_sb_printf(sb, ", offset=%lld, freq=%lld, maxerror=%lld, "
			"esterror=%lld, status=", S64(p, 8), S64(p, 16),
			S64(p, 24), S64(p, 32));
	dx_flags(sb, &limen_xlats[LIMEN_XLAT_adjtimex_status], r32(p, 40), "0");
	limen_sb_printf(sb, ", constant=%lld, precision=%lld, tolerance=%lld, "
			"time=", S64(p, 48), S64(p, 56), S64(p, 64));
	ds_timeval(sb, p + 72);
	limen_sb_printf(sb, ", tick=%lld, ppsfreq=%lld, jitter=%lld, shift=%d, "
			"stabil=%lld, jitcnt=%lld, calcnt=%lld, errcnt=%lld, "
			"stbcnt=%lld, tai=%d}", S64(p, 88), S64(p, 96),
			S64(p, 104), S32(p, 112), S64(p, 120), S64(p, 128),
			S64(p, 136), S64(p, 144), S64(p, 152), S32(p, 160));
}

static void ds_mq_attr(struct limen_sb *sb, const uint8_t *p)
{

	limen_sb_puts(sb, "{mq_flags=");
	dx_flags(sb, &limen_xlats[LIMEN_XLAT_mq_flags], r64(p, 0), "0");
	limen_sb_printf(sb, ", mq_maxmsg=%lld, mq_msgsize=%lld, "
			"mq_curmsgs=%lld}", S64(p, 8), S64(p, 16), S64(p, 24));
}

static void ds_io_event(struct limen_sb *sb, const uint8_t *p)
{
	limen_sb_printf(sb, "{data=%#llx, obj=", U64(p, 0));
	dx_ptr(sb, r64(p, 8));
	limen_sb_printf(sb, ", res=%lld, res2=%lld}", S64(p, 16), S64(p, 24));
}

/* struct iocb up to aio_fildes ("{aio_data=..., aio_lio_opcode=...,
   aio_fildes=N"), without the closing brace */
static void ds_iocb_head(struct limen_sb *sb, const uint8_t *p)
{
	limen_sb_printf(sb, "{aio_data=%#llx", U64(p, 0));
	if (r32(p, 8))
		limen_sb_printf(sb, ", aio_key=%u", r32(p, 8));
	if (r32(p, 12)) {
		limen_sb_puts(sb, ", aio_rw_flags=");
		dx_flags(sb, &limen_xlats[LIMEN_XLAT_rwf_flags], r32(p, 12), "0");
	}
	limen_sb_puts(sb, ", aio_lio_opcode=");
	dx_enum(sb, &limen_xlats[LIMEN_XLAT_iocb_cmd], r16(p, 16), NULL);
	if (r16(p, 18))
		limen_sb_printf(sb, ", aio_reqprio=%d", (int16_t)r16(p, 18));
	limen_sb_printf(sb, ", aio_fildes=%d", S32(p, 20));
}

/* io_cancel's iocb: the header only */
static void ds_iocb(struct limen_sb *sb, const uint8_t *p)
{
	ds_iocb_head(sb, p);
	limen_sb_putc(sb, '}');
}

/*
 * io_submit's iocb: the 64-byte struct, u32 datalen, u32 flags, then the
 * buffer's bytes (PWRITE) or an IOV blob (PREADV, PWRITEV), as the runtime
 * captures them (the io_submit encoding in decode/decode.h).
 */
int ds_iocb_submit(struct limen_sb *sb, const uint8_t *p, size_t len,
			  const struct dctx *d)
{
	unsigned op;
	uint32_t dl = 0, dfl = 0, fl;
	uint64_t nbytes;
	struct limen_blob b;

	if (len < 64)
		return 0;
	if (len >= 72) {
		dl = r32(p, 64);
		dfl = r32(p, 68);
		if (dl > len - 72)
			dl = (uint32_t)(len - 72);
	}
	op = r16(p, 16);
	nbytes = r64(p, 32);
	ds_iocb_head(sb, p);
	switch (op) {
	case 0: case 1: case 7: case 8:
		limen_sb_puts(sb, ", aio_buf=");
		b.data = p + 72;
		b.len = dl;
		b.flags = LIMEN_BLOB_PRESENT;
		if (op == 1 && len >= 72 && !(dfl & LIMEN_BLOB_FAULT)) {
			size_t n = dl < d->strsize ? dl : d->strsize;

			dq_bytes(sb, p + 72, n, nbytes > n, 0);
		} else if (op == 8 && dl >= 8) {
			dd_iov(d, &b, r64(p, 24), 0);
		} else if (op == 7 && dl >= 8) {
			const uint8_t *q = p + 80, *end = p + 72 + dl;
			uint32_t cnt = r32(p, 72), k;

			limen_sb_putc(sb, '[');
			for (k = 0; k < cnt && end - q >= 24; k++) {
				uint32_t cl = r32(q, 16);

				if (k)
					limen_sb_puts(sb, ", ");
				limen_sb_puts(sb, "{iov_base=");
				dx_ptr(sb, r64(q, 0));
				limen_sb_printf(sb, ", iov_len=%llu}", U64(q, 8));
				q += 24 + (((size_t)cl + 7) & ~(size_t)7);
			}
			limen_sb_putc(sb, ']');
		} else {
			dx_ptr(sb, r64(p, 24));
		}
		limen_sb_printf(sb, ", aio_nbytes=%llu, aio_offset=%lld",
				(unsigned long long)nbytes, S64(p, 40));
		break;
	}
	fl = r32(p, 56);
	if (fl & 1) {
		limen_sb_puts(sb, ", aio_flags=IOCB_FLAG_RESFD");
		if (fl & ~1u)
			limen_sb_printf(sb, "|%#x", fl & ~1u);
		limen_sb_printf(sb, ", aio_resfd=%d", S32(p, 60));
	} else if (fl) {
		limen_sb_printf(sb, ", aio_flags=%#x", fl);
	}
	limen_sb_putc(sb, '}');
	return 1;
}

static void ds_futex_waitv(struct limen_sb *sb, const uint8_t *p)
{

	limen_sb_printf(sb, "{val=%#llx, uaddr=", U64(p, 0));
	dx_ptr(sb, r64(p, 8));
	limen_sb_puts(sb, ", flags=");
	dx_flags(sb, &limen_xlats[LIMEN_XLAT_futex_waitv_flags], r32(p, 16), "0");
	limen_sb_putc(sb, '}');
}

static void ds_mount_attr(struct limen_sb *sb, const uint8_t *p)
{

	limen_sb_puts(sb, "{attr_set=");
	dx_flags(sb, &limen_xlats[LIMEN_XLAT_mount_attr_flags], r64(p, 0), "0");
	limen_sb_puts(sb, ", attr_clr=");
	dx_flags(sb, &limen_xlats[LIMEN_XLAT_mount_attr_flags], r64(p, 8), "0");
	limen_sb_puts(sb, ", propagation=");
	dx_enum(sb, &limen_xlats[LIMEN_XLAT_mount_propagation], r64(p, 16), NULL);
	limen_sb_printf(sb, ", userns_fd=%llu}", U64(p, 24));
}

static void ds_landlock_ruleset_attr(struct limen_sb *sb, const uint8_t *p)
{
	limen_sb_puts(sb, "{handled_access_fs=");
	dx_flags(sb, &limen_xlats[LIMEN_XLAT_landlock_access_fs], r64(p, 0), "0");
	limen_sb_putc(sb, '}');
}

/* struct user_desc, every field (set_thread_area, modify_ldt) */
/* process_vm_readv/writev's remote iovecs: addresses in another process,
   never followed (strace: IOV_DECODE_ADDR) */
static void ds_iovec(struct limen_sb *sb, const uint8_t *p)
{
	limen_sb_puts(sb, "{iov_base=");
	dx_ptr(sb, r64(p, 0));
	limen_sb_printf(sb, ", iov_len=%llu}", (unsigned long long)r64(p, 8));
}

static void ds_user_desc(struct limen_sb *sb, const uint8_t *p)
{
	uint32_t f = r32(p, 12);

	limen_sb_printf(sb, "{entry_number=%u, base_addr=%#08x, limit=%#08x, "
			"seg_32bit=%u, contents=%u, read_exec_only=%u, "
			"limit_in_pages=%u, seg_not_present=%u, useable=%u, "
			"lm=%u}", r32(p, 0), r32(p, 4), r32(p, 8), f & 1,
			(f >> 1) & 3, (f >> 3) & 1, (f >> 4) & 1, (f >> 5) & 1,
			(f >> 6) & 1, (f >> 7) & 1);
}

static void ds_cachestat_range(struct limen_sb *sb, const uint8_t *p)
{
	limen_sb_printf(sb, "{off=%llu, len=%llu}", U64(p, 0), U64(p, 8));
}

static void ds_cachestat(struct limen_sb *sb, const uint8_t *p)
{
	limen_sb_printf(sb, "{nr_cache=%llu, nr_dirty=%llu, nr_writeback=%llu, "
			"nr_evicted=%llu, nr_recently_evicted=%llu}", U64(p, 0),
			U64(p, 8), U64(p, 16), U64(p, 24), U64(p, 32));
}

static void ds_mnt_id_req(struct limen_sb *sb, const uint8_t *p)
{

	limen_sb_printf(sb, "{size=%u, mnt_id=", r32(p, 0));
	if (r64(p, 8) == UINT64_MAX)
		limen_sb_puts(sb, "LSMT_ROOT");
	else
		limen_sb_printf(sb, "%#llx", U64(p, 8));
	limen_sb_puts(sb, ", param=");
	dx_flags(sb, &limen_xlats[LIMEN_XLAT_statmount_mask], r64(p, 16), "0");
	limen_sb_putc(sb, '}');
}

/* "{actime=1000 /" "* 1970-01-01T00:16:40+0000 *" "/, modtime=...}" */
static void when(struct limen_sb *sb, int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;
	char buf[64];

	limen_sb_printf(sb, "%lld", (long long)t);
	if (localtime_r(&tt, &tm) && strftime(buf, sizeof(buf), "%FT%T%z", &tm))
		limen_sb_printf(sb, " /* %s */", buf);
}

static void ds_utimbuf(struct limen_sb *sb, const uint8_t *p)
{
	limen_sb_puts(sb, "{actime=");
	when(sb, S64(p, 0));
	limen_sb_puts(sb, ", modtime=");
	when(sb, S64(p, 8));
	limen_sb_putc(sb, '}');
}

/* struct file_handle with its f_handle bytes (always in hex) */
static int ds_file_handle(struct limen_sb *sb, const uint8_t *p, size_t len)
{
	uint32_t hb;
	size_t n;

	if (len < 8)
		return 0;
	hb = r32(p, 0);
	n = hb < len - 8 ? hb : len - 8;
	limen_sb_printf(sb, "{handle_bytes=%u, handle_type=%d, f_handle=", hb,
			S32(p, 4));
	dq_bytes(sb, p + 8, n, n < hb, 1);
	limen_sb_putc(sb, '}');
	return 1;
}

/* perf_event_attr, strace's abbreviated form (up to the flag bits) */
static const char *const perf_hw[] = { "CPU_CYCLES", "INSTRUCTIONS",
	"CACHE_REFERENCES", "CACHE_MISSES", "BRANCH_INSTRUCTIONS",
	"BRANCH_MISSES", "BUS_CYCLES", "STALLED_CYCLES_FRONTEND",
	"STALLED_CYCLES_BACKEND", "REF_CPU_CYCLES" };
static const char *const perf_sw[] = { "CPU_CLOCK", "TASK_CLOCK",
	"PAGE_FAULTS", "CONTEXT_SWITCHES", "CPU_MIGRATIONS", "PAGE_FAULTS_MIN",
	"PAGE_FAULTS_MAJ", "ALIGNMENT_FAULTS", "EMULATION_FAULTS", "DUMMY",
	"BPF_OUTPUT", "CGROUP_SWITCHES" };
static const char *const perf_cache_id[] = { "L1D", "L1I", "LL", "DTLB",
	"ITLB", "BPU", "NODE" };
static const char *const perf_cache_op[] = { "READ", "WRITE", "PREFETCH" };
static const char *const perf_cache_res[] = { "ACCESS", "MISS" };
static const char *const perf_bits[] = { "disabled", "inherit", "pinned",
	"exclusive", "exclude_user", "exclude_kernel", "exclude_hv",
	"exclude_idle", "mmap", "comm", "freq", "inherit_stat",
	"enable_on_exec", "task", "watermark", NULL, NULL, "mmap_data",
	"sample_id_all", "exclude_host", "exclude_guest",
	"exclude_callchain_kernel", "exclude_callchain_user", "mmap2",
	"comm_exec", "use_clockid", "context_switch", "write_backward",
	"namespaces", "ksymbol", "bpf_event", "aux_output", "cgroup",
	"text_poke", "build_id", "inherit_thread", "remove_on_exec",
	"sigtrap" };
static const char *const precise[] = { "arbitrary skid", "constant skid",
	"requested to have 0 skid", "must have 0 skid" };

#define NAMED(tab, v) ((v) < ARRAY_LEN(tab) ? (tab)[v] : NULL)

static void perf_config(struct limen_sb *sb, uint32_t type, uint64_t c)
{
	const char *n = NULL;

	switch (type) {
	case 0:
		n = NAMED(perf_hw, c);
		if (n) {
			limen_sb_printf(sb, "PERF_COUNT_HW_%s", n);
			return;
		}
		break;
	case 1:
		n = NAMED(perf_sw, c);
		if (n) {
			limen_sb_printf(sb, "PERF_COUNT_SW_%s", n);
			return;
		}
		break;
	case 2:
		limen_sb_printf(sb, "%llu", (unsigned long long)c);
		return;
	case 3: {
		const char *id = NAMED(perf_cache_id, c & 0xff);
		const char *op = NAMED(perf_cache_op, (c >> 8) & 0xff);
		const char *res = NAMED(perf_cache_res, (c >> 16) & 0xff);

		if (!(c >> 24) && id && op && res) {
			limen_sb_printf(sb, "PERF_COUNT_HW_CACHE_RESULT_%s<<16|"
					"PERF_COUNT_HW_CACHE_OP_%s<<8|"
					"PERF_COUNT_HW_CACHE_%s", res, op, id);
			return;
		}
		break;
	}
	}
	limen_sb_printf(sb, "%#llx", (unsigned long long)c);
}

static void perf_size(struct limen_sb *sb, uint32_t size)
{
	static const uint32_t vers[] = { 64, 72, 80, 96, 104, 112, 120, 128 };
	unsigned k;

	for (k = 0; k < ARRAY_LEN(vers); k++) {
		if (size == vers[k]) {
			limen_sb_printf(sb, "PERF_ATTR_SIZE_VER%u", k);
			return;
		}
	}
	limen_sb_printf(sb, "%#x /* PERF_ATTR_SIZE_??? */", size);
}

static void ds_perf_event_attr(struct limen_sb *sb, const uint8_t *p)
{
	uint32_t type = r32(p, 0);
	uint64_t fl = r64(p, 40);
	unsigned k;

	limen_sb_puts(sb, "{type=");
	dx_enum(sb, &limen_xlats[LIMEN_XLAT_perf_type], type, "%llu /* PERF_TYPE_??? */");
	limen_sb_puts(sb, ", size=");
	perf_size(sb, r32(p, 4));
	limen_sb_puts(sb, ", config=");
	perf_config(sb, type, r64(p, 8));
	limen_sb_printf(sb, ", %s=%llu, sample_type=",
			(fl & (1u << 10)) ? "sample_freq" : "sample_period",
			U64(p, 16));
	dx_flags(sb, &limen_xlats[LIMEN_XLAT_perf_sample_type], r64(p, 24), "0");
	limen_sb_puts(sb, ", read_format=");
	dx_flags(sb, &limen_xlats[LIMEN_XLAT_perf_read_format], r64(p, 32), "0");
	for (k = 0; k < ARRAY_LEN(perf_bits); k++) {
		if (k == 15) {
			unsigned pi = (unsigned)(fl >> 15) & 3;

			limen_sb_printf(sb, ", precise_ip=%u /* %s */", pi,
					precise[pi]);
			continue;
		}
		if (perf_bits[k] && (fl >> k) & 1)
			limen_sb_printf(sb, ", %s=1", perf_bits[k]);
	}
	limen_sb_puts(sb, ", ...}");
}

/* ------------------------------------------------------------ dispatch */

typedef void (*printer_fn)(struct limen_sb *, const uint8_t *);

/* Printers by struct id (tables/structs.tbl), with the bytes a struct must
   have to be printed; the ids printed otherwise are in ds_print. */
static const struct {
	size_t minlen;
	printer_fn fn;
} printers[LIMEN_NSTRUCT] = {
	[LIMEN_ST_stat] = { 72, ds_stat },
	[LIMEN_ST_statx] = { 48, ds_statx },
	[LIMEN_ST_timespec] = { 16, ds_timespec },
	[LIMEN_ST_timespec2] = { 32, ds_utimens },
	[LIMEN_ST_timeval] = { 16, ds_timeval },
	[LIMEN_ST_timeval2] = { 32, ds_timeval2 },
	[LIMEN_ST_timezone] = { 8, ds_timezone },
	[LIMEN_ST_itimerspec] = { 32, ds_itimerspec },
	[LIMEN_ST_itimerval] = { 32, ds_itimerval },
	[LIMEN_ST_k_sigaction] = { 32, ds_sigaction },
	[LIMEN_ST_rlimit] = { 16, ds_rlimit },
	[LIMEN_ST_rlimit64] = { 16, ds_rlimit },
	[LIMEN_ST_rusage] = { 32, ds_rusage },
	[LIMEN_ST_utsname] = { 130, ds_utsname },
	[LIMEN_ST_sysinfo] = { 108, ds_sysinfo },
	[LIMEN_ST_tms] = { 32, ds_tms },
	[LIMEN_ST_pollfd] = { 8, ds_pollfd },
	[LIMEN_ST_epoll_event] = { 12, ds_epoll_event },
	[LIMEN_ST_int] = { 4, ds_int },
	[LIMEN_ST_uint] = { 4, ds_uint },
	[LIMEN_ST_uid] = { 4, ds_uint },
	[LIMEN_ST_gid] = { 4, ds_uint },
	[LIMEN_ST_wstatus] = { 4, ds_wst },
	[LIMEN_ST_u64] = { 8, ds_u64 },
	[LIMEN_ST_fdpair] = { 8, ds_fdpair },
	[LIMEN_ST_open_how] = { 24, ds_open_how },
	[LIMEN_ST_flock] = { 32, ds_flock_full },
	[LIMEN_ST_stack_t] = { 24, ds_stack },
	[LIMEN_ST_sched_param] = { 4, ds_sched_param },
	[LIMEN_ST_cap_header] = { 8, ds_cap_header },
	[LIMEN_ST_statfs] = { 88, ds_statfs },
	[LIMEN_ST_sigevent] = { 32, ds_sigevent },
	[LIMEN_ST_timex] = { 164, ds_timex },
	[LIMEN_ST_mq_attr] = { 32, ds_mq_attr },
	[LIMEN_ST_io_event] = { 32, ds_io_event },
	[LIMEN_ST_iocb] = { 24, ds_iocb },
	[LIMEN_ST_futex_waitv] = { 24, ds_futex_waitv },
	[LIMEN_ST_mount_attr] = { 32, ds_mount_attr },
	[LIMEN_ST_landlock_ruleset_attr] = { 8, ds_landlock_ruleset_attr },
	[LIMEN_ST_user_desc] = { 16, ds_user_desc },
	[LIMEN_ST_iovec] = { 16, ds_iovec },
	[LIMEN_ST_cachestat_range] = { 16, ds_cachestat_range },
	[LIMEN_ST_cachestat] = { 40, ds_cachestat },
	[LIMEN_ST_mnt_id_req] = { 24, ds_mnt_id_req },
	[LIMEN_ST_utimbuf] = { 16, ds_utimbuf },
	[LIMEN_ST_perf_event_attr] = { 48, ds_perf_event_attr },
};

static void siginfo_p(struct limen_sb *sb, const uint8_t *p)
{
	limen_decode_siginfo(sb, p);
}

/* -v: every field of struct stat, times with their date (strace -v) */
static void when_ns(struct limen_sb *sb, int64_t t, uint64_t ns)
{
	time_t tt = (time_t)t;
	struct tm tm;
	char buf[64], zone[16];

	limen_sb_printf(sb, "%lld", (long long)t);
	if (!localtime_r(&tt, &tm) ||
	    !strftime(buf, sizeof(buf), "%FT%T", &tm) ||
	    !strftime(zone, sizeof(zone), "%z", &tm))
		return;
	if (ns)
		limen_sb_printf(sb, " /* %s.%09llu%s */", buf,
				(unsigned long long)ns, zone);
	else
		limen_sb_printf(sb, " /* %s%s */", buf, zone);
}

static void stat_verbose(struct limen_sb *sb, const uint8_t *p)
{
	static const char *const tn[] = { "st_atime", "st_mtime",
					  "st_ctime" };
	uint32_t mode = r32(p, 24);

	limen_sb_puts(sb, "{st_dev=");
	ds_makedev(sb, r64(p, 0));
	limen_sb_printf(sb, ", st_ino=%llu, st_mode=",
			(unsigned long long)r64(p, 8));
	ds_mode(sb, mode);
	limen_sb_printf(sb, ", st_nlink=%llu, st_uid=%u, st_gid=%u, "
			"st_blksize=%lld, st_blocks=%lld",
			(unsigned long long)r64(p, 16), r32(p, 28), r32(p, 32),
			(long long)r64(p, 56), (long long)r64(p, 64));
	if ((mode & 0170000) == 0020000 || (mode & 0170000) == 0060000) {
		limen_sb_puts(sb, ", st_rdev=");
		ds_makedev(sb, r64(p, 40));
	} else {
		limen_sb_printf(sb, ", st_size=%lld", (long long)r64(p, 48));
	}
	for (int k = 0; k < 3; k++) {
		limen_sb_printf(sb, ", %s=", tn[k]);
		when_ns(sb, (int64_t)r64(p, 72 + 16 * k), r64(p, 80 + 16 * k));
		limen_sb_printf(sb, ", %s_nsec=%llu", tn[k],
				(unsigned long long)r64(p, 80 + 16 * k));
	}
	limen_sb_putc(sb, '}');
}

/* statx_timestamp: "{tv_sec=1, tv_nsec=2} /" "* date *" "/" */
static void stx_time(struct limen_sb *sb, const uint8_t *p)
{
	int64_t sec = (int64_t)r64(p, 0);
	uint32_t ns = r32(p, 8);
	time_t tt = (time_t)sec;
	struct tm tm;
	char buf[64], zone[16];

	limen_sb_printf(sb, "{tv_sec=%lld, tv_nsec=%u}", (long long)sec, ns);
	if ((!sec && !ns) || !localtime_r(&tt, &tm) ||
	    !strftime(buf, sizeof(buf), "%FT%T", &tm) ||
	    !strftime(zone, sizeof(zone), "%z", &tm))
		return;
	if (ns)
		limen_sb_printf(sb, " /* %s.%09u%s */", buf, ns, zone);
	else
		limen_sb_printf(sb, " /* %s%s */", buf, zone);
}

/* -v: every field of struct statx, in strace -v's order */
static void statx_verbose(struct limen_sb *sb, const uint8_t *p)
{
	static const char *const tn[] = { "stx_atime", "stx_btime",
					  "stx_ctime", "stx_mtime" };
	uint32_t mask = r32(p, 0);

	limen_sb_puts(sb, "{stx_mask=");
	ds_statx_mask(sb, mask);
	limen_sb_printf(sb, ", stx_blksize=%u, stx_attributes=", r32(p, 4));
	dx_flags(sb, &limen_xlats[LIMEN_XLAT_statx_attributes], r64(p, 8), "0");
	limen_sb_printf(sb, ", stx_nlink=%u, stx_uid=%u, stx_gid=%u, stx_mode=",
			r32(p, 16), r32(p, 20), r32(p, 24));
	ds_mode(sb, r16(p, 28));
	limen_sb_printf(sb, ", stx_ino=%llu, stx_size=%llu, stx_blocks=%llu, "
			"stx_attributes_mask=", (unsigned long long)r64(p, 32),
			(unsigned long long)r64(p, 40),
			(unsigned long long)r64(p, 48));
	dx_flags(sb, &limen_xlats[LIMEN_XLAT_statx_attributes], r64(p, 56), "0");
	for (int k = 0; k < 4; k++) {
		/* the birth time only when the kernel says it filled it in
		   (STATX_BTIME), as strace: ls -l asks for none */
		if (k == 1 && !(mask & 0x800))
			continue;
		limen_sb_printf(sb, ", %s=", tn[k]);
		stx_time(sb, p + 64 + 16 * k);
	}
	limen_sb_printf(sb, ", stx_rdev_major=%u, stx_rdev_minor=%u, "
			"stx_dev_major=%u, stx_dev_minor=%u", r32(p, 128),
			r32(p, 132), r32(p, 136), r32(p, 140));
	if (mask & 0x1000) /* STATX_MNT_ID */
		limen_sb_printf(sb, ", stx_mnt_id=%#llx",
				(unsigned long long)r64(p, 144));
	if (mask & 0x2000) /* STATX_DIOALIGN */
		limen_sb_printf(sb, ", stx_dio_mem_align=%u, "
				"stx_dio_offset_align=%u", r32(p, 152),
				r32(p, 156));
	limen_sb_putc(sb, '}');
}

int ds_print(struct limen_sb *sb, unsigned sid, const uint8_t *p, size_t len,
	     const struct dctx *d)
{
	if (sid >= LIMEN_NSTRUCT)
		return 0;
	switch (sid) {
	case LIMEN_ST_stat:
		if (d && d->verbose && len >= 144) {
			stat_verbose(sb, p);
			return 1;
		}
		break;
	case LIMEN_ST_statx:
		if (d && d->verbose && len >= 160) {
			statx_verbose(sb, p);
			return 1;
		}
		break;
	case LIMEN_ST_utsname:
		if (d && d->verbose && len >= 6 * 65) {
			utsname_verbose(sb, p);
			return 1;
		}
		break;
	case LIMEN_ST_rusage:
		if (d && d->verbose && len >= 144) {
			rusage_verbose(sb, p);
			return 1;
		}
		break;
	case LIMEN_ST_file_handle:
		return ds_file_handle(sb, p, len);
	case LIMEN_ST_sched_attr:
		if (len < 48)
			return 0;
		ds_sched_attr(sb, p, len);
		return 1;
	case LIMEN_ST_siginfo:
		if (len < 48)
			return 0;
		siginfo_p(sb, p);
		return 1;
	}
	if (!printers[sid].fn || len < printers[sid].minlen)
		return 0;
	printers[sid].fn(sb, p);
	return 1;
}
