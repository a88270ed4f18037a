// SPDX-License-Identifier: MIT
/* Unit tests of the struct decoders added for the "more" family: hand-built
 * calls and captures against strace 6.1 text (cachestat, statmount, listmount:
 * newer strace forms, strace 6.1 does not know them). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decode/decode.h"

#include "harness.h"


#define P1 0x7ffc1234a000ULL
#define P2 0x7ffc1234b000ULL
#define ERR(e) ret(-(int64_t)(e))


static void put32(uint8_t *p, uint32_t v) { memcpy(p, &v, 4); }
static void put64(uint8_t *p, uint64_t v) { memcpy(p, &v, 8); }

static void t_structs(void)
{
	uint8_t b[512];

	/* sched_attr: VER0 size stops before the util fields */
	call("sched_setattr", 0, P1, 0, 0, 0, 0);
	memset(b, 0, 56);
	put32(b, 48);
	put32(b + 4, 3);
	put64(b + 8, 0x61);
	put32(b + 16, 3);
	IN(1, b, 56);
	ERR(22);
	check("sched_setattr VER0", "sched_setattr(0, {size=48, sched_policy=SCHED_BATCH, "
	      "sched_flags=SCHED_FLAG_RESET_ON_FORK|SCHED_FLAG_UTIL_CLAMP_MIN|"
	      "SCHED_FLAG_UTIL_CLAMP_MAX, sched_nice=3, sched_priority=0, sched_runtime=0, "
	      "sched_deadline=0, sched_period=0}, 0) = -1 EINVAL (Invalid argument)");

	/* sched_attr whose size (56) runs past what was captured (52): the
	   struct straddled into unmapped memory; never read past the capture
	   (the 0xff bytes after it would show as sched_util_max) */
	call("sched_setattr", 0, P1, 0, 0, 0, 0);
	memset(b, 0xff, 56);
	memset(b, 0, 48);
	put32(b, 56);
	IN(1, b, 56);
	IN(1, b, 52);
	ERR(7);
	check("sched_attr_cut_short_stays_inside_capture",
	      "sched_setattr(0, {size=56, sched_policy=SCHED_OTHER, sched_flags=0, "
	      "sched_nice=0, sched_priority=0, sched_runtime=0, sched_deadline=0, "
	      "sched_period=0, ...}, 0) = -1 E2BIG (Argument list too long)");

	/* timex out, return state */
	call("adjtimex", P1, 0, 0, 0, 0, 0);
	memset(b, 0, 208);
	put32(b, 0xa001);
	put32(b + 40, 0x40);
	put64(b + 72, 5);
	IN(0, b, 208);
	OUT(0, b, 208);
	ret(5);
	check("adjtimex", "adjtimex({modes=ADJ_OFFSET_SS_READ, offset=0, freq=0, maxerror=0, "
	      "esterror=0, status=STA_UNSYNC, constant=0, precision=0, tolerance=0, "
	      "time={tv_sec=5, tv_usec=0}, tick=0, ppsfreq=0, jitter=0, shift=0, stabil=0, "
	      "jitcnt=0, calcnt=0, errcnt=0, stbcnt=0, tai=0}) = 5 (TIME_ERROR)");
	call("clock_adjtime", 0, P1, 0, 0, 0, 0);
	IN(1, b, 208);
	ERR(1);
	check("clock_adjtime failed", "clock_adjtime(CLOCK_REALTIME, 0x7ffc1234a000) = -1 EPERM "
	      "(Operation not permitted)");

	/* capset v1: one element; v3 with unknown high bits */
	call("capset", P1, P2, 0, 0, 0, 0);
	put32(b, 0x19980330);
	put32(b + 4, 0);
	IN(0, b, 8);
	memset(b, 0, 24);
	put32(b, 0x21);
	put32(b + 12, 3);
	IN(1, b, 24);
	ret(0);
	check("capset v1", "capset({version=_LINUX_CAPABILITY_VERSION_1, pid=0}, "
	      "{effective=1<<CAP_CHOWN|1<<CAP_KILL, permitted=0, inheritable=0}) = 0");
	call("capset", P1, P2, 0, 0, 0, 0);
	put32(b, 0x20080522);
	IN(0, b, 8);
	memset(b, 0, 24);
	put32(b + 16, 0xfffffe01);
	IN(1, b, 24);
	ERR(1);
	check("capset v3 unknown bits", "capset({version=_LINUX_CAPABILITY_VERSION_3, pid=0}, "
	      "{effective=0, permitted=1<<CAP_MAC_OVERRIDE|0xfffffe00, inheritable=0}) = -1 EPERM "
	      "(Operation not permitted)");

	/* user_desc */
	call("set_thread_area", P1, 0, 0, 0, 0, 0);
	memset(b, 0, 16);
	put32(b, 0xffffffff);
	put32(b + 4, 0x1000);
	put32(b + 8, 0xfffff);
	put32(b + 12, 0x51);
	IN(0, b, 16);
	ERR(38);
	check("set_thread_area", "set_thread_area({entry_number=4294967295, base_addr=0x001000, "
	      "limit=0x0fffff, seg_32bit=1, contents=0, read_exec_only=0, limit_in_pages=1, "
	      "seg_not_present=0, useable=1, lm=0}) = -1 ENOSYS (Function not implemented)");
	call("get_thread_area", P1, 0, 0, 0, 0, 0);
	put32(b, 12);
	IN(0, b, 16);
	OUT(0, b, 16);
	ret(0);
	check("get_thread_area", "get_thread_area({entry_number=12, base_addr=0x001000, "
	      "limit=0x0fffff, seg_32bit=1, contents=0, read_exec_only=0, limit_in_pages=1, "
	      "seg_not_present=0, useable=1, lm=0}) = 0");

	/* file_handle in, perf attr sizes */
	call("open_by_handle_at", 3, P1, 0, 0, 0, 0);
	put32(b, 4);
	put32(b + 4, 1);
	memcpy(b + 8, "\x01\x02\xab\xff", 4);
	IN(1, b, 12);
	ret(4);
	check("open_by_handle_at", "open_by_handle_at(3, {handle_bytes=4, handle_type=1, "
	      "f_handle=\"\\x01\\x02\\xab\\xff\"}, O_RDONLY) = 4");
	call("perf_event_open", P1, 0xffffffff, 1, 0xffffffff, 3, 0);
	memset(b, 0, 128);
	put32(b, 9);
	put32(b + 4, 0);
	put64(b + 8, 0x77);
	put64(b + 40, 1ULL << 37 | 3ULL << 15);
	IN(0, b, 128);
	ERR(2);
	check("perf_event_open unknown", "perf_event_open({type=9 /* PERF_TYPE_??? */, "
	      "size=0 /* PERF_ATTR_SIZE_??? */, config=0x77, sample_period=0, sample_type=0, "
	      "read_format=0, precise_ip=3 /* must have 0 skid */, sigtrap=1, ...}, -1, 1, -1, "
	      "PERF_FLAG_FD_NO_GROUP|PERF_FLAG_FD_OUTPUT) = -1 ENOENT (No such file or directory)");

	/* cachestat, mnt_id_req */
	call("listmount", P1, P2, 2, 0, 0, 0);
	memset(b, 0, 24);
	put32(b, 24);
	put64(b + 8, UINT64_MAX);
	IN(0, b, 24);
	put64(b + 32, 1);
	put64(b + 40, 2);
	OUT(1, b + 32, 16);
	ret(2);
	check("listmount", "listmount({size=24, mnt_id=LSMT_ROOT, param=0}, [1, 2], 2, 0) = 2");
	call("statmount", P1, P2, 64, 0, 0, 0);
	memset(b, 0, 24);
	put32(b, 24);
	put64(b + 8, 0x7fffffff);
	put64(b + 16, 0x21);
	IN(0, b, 24);
	ERR(22);
	check("statmount", "statmount({size=24, mnt_id=0x7fffffff, "
	      "param=STATMOUNT_SB_BASIC|STATMOUNT_FS_TYPE}, 0x7ffc1234b000, 64, 0) = -1 EINVAL "
	      "(Invalid argument)");
	call("cachestat", 3, P1, P2, 0, 0, 0);
	memset(b, 0, 64);
	put64(b + 8, 4096);
	IN(1, b, 16);
	put64(b + 16, 1);
	put64(b + 24, 2);
	OUT(2, b + 16, 40);
	ret(0);
	check("cachestat", "cachestat(3, {off=0, len=4096}, {nr_cache=1, nr_dirty=2, "
	      "nr_writeback=0, nr_evicted=0, nr_recently_evicted=0}, 0) = 0");
}

/* mmsghdr capture: u32 n, u32 total, per message u32 msg_len, u32 len, MSGHDR */
static size_t mk_msghdr(uint8_t *p, uint64_t iov, const char *data, uint64_t iovlen)
{
	size_t n = strlen(data), off;
	uint32_t one = 1, c = (uint32_t)n;

	memset(p, 0, 56);
	put64(p + 16, iov);
	put64(p + 24, 1);
	off = 56;
	memset(p + off, 0, 8);	/* no name */
	off += 8;
	memcpy(p + off, &one, 4);
	memset(p + off + 4, 0, 4);
	off += 8;
	put64(p + off, P2);
	put64(p + off + 8, iovlen);
	memcpy(p + off + 16, &c, 4);
	memset(p + off + 20, 0, 4);
	memcpy(p + off + 24, data, n);
	off += 24 + ((n + 7) & ~(size_t)7);
	memset(p + off, 0, 8);	/* no control */
	return off + 8;
}

static void t_arrays(void)
{
	uint8_t b[1024];
	size_t off, len;
	uint32_t v;

	call("recvmmsg", 3, P1, 4, 0x40, 0, 0);
	v = 1;
	memcpy(b, &v, 4);
	memcpy(b + 4, &v, 4);
	len = mk_msghdr(b + 16, P2, "hi", 16);
	v = 2;
	memcpy(b + 8, &v, 4);
	v = (uint32_t)len;
	memcpy(b + 12, &v, 4);
	OUT(1, b, 16 + len);
	ret(1);
	check("recvmmsg one", "recvmmsg(3, [{msg_hdr={msg_name=NULL, msg_namelen=0, "
	      "msg_iov=[{iov_base=\"hi\", iov_len=16}], msg_iovlen=1, msg_controllen=0, "
	      "msg_flags=0}, msg_len=2}], 4, MSG_DONTWAIT, NULL) = 1");
	call("sendmmsg", 3, P1, 2, 0, 0, 0);
	ERR(9);
	check("sendmmsg failed", "sendmmsg(3, 0x7ffc1234a000, 2, 0) = -1 EBADF (Bad file descriptor)");

	/* io_submit: one PWRITE iocb, one unreadable */
	call("io_submit", 0x7f0000001000ULL, 2, P1, 0, 0, 0);
	memset(b, 0, sizeof b);
	v = 2;
	memcpy(b, &v, 4);
	memcpy(b + 4, &v, 4);
	off = 8;
	put64(b + off, P2);
	put32(b + off + 8, 72 + 8);
	off += 16;
	put64(b + off, 0xab);
	b[off + 16] = 1;
	put32(b + off + 20, 4);
	put64(b + off + 24, 0x1000);
	put64(b + off + 32, 3);
	put64(b + off + 40, 10);
	put32(b + off + 56, 1);
	put32(b + off + 60, 9);
	put32(b + off + 64, 3);
	memcpy(b + off + 72, "ab\n", 3);
	off += 80;
	put64(b + off, 0x10);
	put32(b + off + 12, LIMEN_BLOB_FAULT);
	off += 16;
	IN(2, b, off);
	ret(1);
	check("io_submit", "io_submit(0x7f0000001000, 2, [{aio_data=0xab, "
	      "aio_lio_opcode=IOCB_CMD_PWRITE, aio_fildes=4, aio_buf=\"ab\\n\", aio_nbytes=3, "
	      "aio_offset=10, aio_flags=IOCB_FLAG_RESFD, aio_resfd=9}, 0x10]) = 1");
}

static void t_special(void)
{
	call("syslog", 1, 0, 0, 0, 0, 0);
	ret(0);
	check("syslog open", "syslog(1 /* SYSLOG_ACTION_OPEN */) = 0");
	call("syslog", 8, 0, 4, 0, 0, 0);
	ret(0);
	check("syslog level", "syslog(8 /* SYSLOG_ACTION_CONSOLE_LEVEL */, NULL, "
	      "4 /* LOGLEVEL_WARNING */) = 0");
	call("keyctl", 4, (uint64_t)-4, 1000, 0xffffffff, 0, 0);
	ret(0);
	check("keyctl chown", "keyctl(KEYCTL_CHOWN, KEY_SPEC_USER_KEYRING, 1000, -1) = 0");
	call("keyctl", 18, 0, 0, 0, 0, 0);
	ret(0);
	check("keyctl session_to_parent", "keyctl(KEYCTL_SESSION_TO_PARENT) = 0");
	call("kexec_load", 0, 0, 0, 62 << 16 | 1, 0, 0);
	ERR(1);
	check("kexec_load", "kexec_load(NULL, 0, NULL, KEXEC_ARCH_X86_64|KEXEC_ON_CRASH) = -1 "
	      "EPERM (Operation not permitted)");
	call("modify_ldt", 1, P1, 10, 0, 0, 0);
	ret(4294967274LL);
	check("modify_ldt error", "modify_ldt(1, 0x7ffc1234a000, 10) = 4294967274 EINVAL "
	      "(Invalid argument)");
	call("rseq", P1, 32, 0, 0x53053053, 0, 0);
	ERR(16);
	check("rseq raw", "rseq(0x7ffc1234a000, 0x20, 0, 0x53053053) = -1 EBUSY "
	      "(Device or resource busy)");
	call("security", 1, 2, 3, 0, 0, 0);
	ERR(38);
	check("security raw", "security(0x1, 0x2, 0x3) = -1 ENOSYS (Function not implemented)");
	call("get_robust_list", 0, P1, P2, 0, 0, 0);
	{
		uint64_t h = 0x7f00000a20ULL, l = 24;

		OUT(1, &h, 8);
		OUT(2, &l, 8);
	}
	ret(0);
	check("get_robust_list", "get_robust_list(0, [0x7f00000a20], [24]) = 0");
}

int main(void)
{
	t_structs();
	t_arrays();
	t_special();
	printf("1..%d\n", ntest);
	return nfail ? 1 : 0;
}
