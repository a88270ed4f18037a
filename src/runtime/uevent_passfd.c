/* SPDX-License-Identifier: MIT */
/*
 * Descriptors of user_events files that a process sends to another or
 * receives from one (SCM_RIGHTS over a unix socket: sendmsg, sendmmsg,
 * recvmsg, recvmmsg; pidfd_getfd). On Linux the receiver gets the
 * sender's struct file: for user_events_data the same
 * user_event_file_info, so the write_indexes the sender registered write
 * through it, a DIAG_IOCSREG of the receiver goes into the same table,
 * and the file stays open while the receiver has it. The stand-in the
 * receiver gets is the sender's memfd, whose inode names the file in the
 * session (uevent_files.c): the runtime follows it as one of the
 * receiver's files (uevent_abi.c, limen_uev_adopt_fd), as it does for a
 * descriptor kept across an exec; a tracefs file's memfd is known by its
 * name (uevent_tfs_proc.c). Between the send and the receipt the message
 * holds the file (counted before the call, given back for a message
 * that was not sent), as the kernel's socket queue holds the struct
 * file.
 *
 * The program's msghdrs and control bytes are read through the bounded
 * accessors: at most SCM_MAX_FD descriptors a message, CONTROL_MAX bytes
 * of control, UIO_MAXIOV messages a call.
 */
#include <stdint.h>
#include <sys/syscall.h>

#include "raw.h"
#include "rt.h"

#define MSG_CONTROL_AT 32u    /* struct msghdr, x86_64: msg_control */
#define MSG_CONTROLLEN_AT 40u /* msg_controllen */
#define MMSGHDR_BYTES 64u     /* struct mmsghdr */
#define CMSG_HDR_BYTES 16u    /* struct cmsghdr: len, level, type */
#define SOL_SOCKET_ 1
#define SCM_RIGHTS_ 1
#define SCM_MAX_FD 253u       /* the kernel's bound per message */
#define CONTROL_MAX (64u << 10) /* control bytes looked at (the kernel's
				   optmem_max is 20 KiB by default) */
#define UIO_MAXIOV_ 1024u     /* messages a sendmmsg/recvmmsg moves */

enum { ADOPT, SEND, UNSEND };

/*
 * The descriptors a message (its struct msghdr at msg) carries: one
 * received (as the kernel left it), each followed as the file it stands
 * for (ADOPT); one to send, each held by it (SEND), or not any more
 * (UNSEND: it was not sent).
 */
static void scan(uint64_t msg, int what)
{
	uint64_t ctl, len, off = 0;
	uint32_t fds = 0;

	if (limen_safe_read(&ctl, msg + MSG_CONTROL_AT, 8) != 8 ||
	    limen_safe_read(&len, msg + MSG_CONTROLLEN_AT, 8) != 8 || !ctl)
		return;
	if (len > CONTROL_MAX)
		len = CONTROL_MAX;
	/* as the kernel's __cmsg_nxthdr walks them */
	while (off + CMSG_HDR_BYTES <= len && fds < SCM_MAX_FD) {
		uint64_t clen;
		int32_t lt[2];

		if (limen_safe_read(&clen, ctl + off, 8) != 8 ||
		    limen_safe_read(lt, ctl + off + 8, 8) != 8)
			return;
		if (clen < CMSG_HDR_BYTES || clen > len - off)
			return;
		if (lt[0] == SOL_SOCKET_ && lt[1] == SCM_RIGHTS_)
			for (uint64_t i = CMSG_HDR_BYTES;
			     i + 4 <= clen && fds < SCM_MAX_FD; i += 4) {
				int32_t fd;

				if (limen_safe_read(&fd, ctl + off + i, 4) != 4)
					return;
				if (what == ADOPT)
					limen_uev_adopt_fd(fd);
				else
					limen_uev_send_fd(fd, what == UNSEND);
				fds++;
			}
		off += (clen + 7) & ~7ull;
	}
}

/* the messages from first to n of a sendmmsg or recvmmsg */
static void scan_mm(const long *a, long first, long n, int what)
{
	if (n > (long)UIO_MAXIOV_)
		n = UIO_MAXIOV_;
	for (long i = first < 0 ? 0 : first; i < n; i++)
		scan((uint64_t)a[1] + (uint64_t)i * MMSGHDR_BYTES, what);
}

/*
 * sendmsg, sendmmsg, recvmsg, recvmmsg, pidfd_getfd: made here, the
 * descriptors sent held by their messages, those received followed.
 * 1 with *ret; 0 to let the caller make the call.
 */
long limen_uev_passfd_hook(long nr, const long *a, long *ret)
{
	long r;

	if (!limen_rt.ctl)
		return 0;
	if (nr == SYS_sendmsg)
		scan((uint64_t)a[1], SEND);
	else if (nr == SYS_sendmmsg)
		scan_mm(a, 0, (unsigned int)a[2], SEND);
	r = limen_app_syscall(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
	*ret = r;
	switch (nr) {
	case SYS_sendmsg:
		if (r < 0)
			scan((uint64_t)a[1], UNSEND);
		break;
	case SYS_sendmmsg:
		scan_mm(a, r < 0 ? 0 : r, (unsigned int)a[2], UNSEND);
		break;
	case SYS_recvmsg:
		if (r >= 0)
			scan((uint64_t)a[1], ADOPT);
		break;
	case SYS_recvmmsg:
		scan_mm(a, 0, r, ADOPT);
		break;
	case SYS_pidfd_getfd:
		if (r >= 0)
			limen_uev_adopt_fd(r);
		break;
	}
	return 1;
}
