/* SPDX-License-Identifier: MIT */
/*
 * System V IPC arguments whose size depends on the command or on another
 * argument (type special in tables/syscalls.tbl): how many bytes to capture.
 * The decoder (decode/ipc.c) prints them as strace 6.1 does:
 *
 *  msgsnd msgp (in), msgrcv msgp (out): struct msgbuf, the 8-byte mtype and
 *    the text. strace shows min(msgsz, -s) bytes of text, for msgrcv too
 *    (msgsz, not the return value), so that is all we take.
 *  shmctl, msgctl, semctl buffer: by command, as src/common/sysv_ipc.h
 *    says for both sides. A command with IPC_64 (0x100) fails on x86_64
 *    (nothing is captured at exit) and shows the pointer.
 */
#include "rt.h"
#include "sysv_ipc.h"

#define MSG_MTYPE_SIZE 8u   /* long mtype, before mtext */

/* The *ctl buffer's bytes at entry or at exit (sysv_ipc.h says which). */
static uint64_t ctl_len(enum limen_ipc_fam fam, long cmd, int at_exit)
{
	struct limen_ipc_ctl k = limen_ipc_ctl(fam, (uint32_t)cmd);

	return k.dir == (at_exit ? LIMEN_DIR_OUT : LIMEN_DIR_IN) ? k.size : 0;
}

static uint64_t msgbuf_len(uint64_t msgsz)
{
	uint64_t s = limen_rt.strsize;

	return MSG_MTYPE_SIZE + (msgsz < s ? msgsz : s);
}

uint64_t limen_special_ipc_len(const struct limen_sysent *se, const long *a,
			       long ret, int at_exit)
{
	(void)ret;
	if (se == &limen_sysent[LIMEN_NR_msgsnd])
		return at_exit ? 0 : msgbuf_len((uint64_t)a[2]);
	if (se == &limen_sysent[LIMEN_NR_msgrcv])
		return at_exit ? msgbuf_len((uint64_t)a[2]) : 0;
	if (se == &limen_sysent[LIMEN_NR_shmctl])
		return ctl_len(LIMEN_IPC_SHM, a[1], at_exit);
	if (se == &limen_sysent[LIMEN_NR_msgctl])
		return ctl_len(LIMEN_IPC_MSG, a[1], at_exit);
	if (se == &limen_sysent[LIMEN_NR_semctl])
		return ctl_len(LIMEN_IPC_SEM, a[2], at_exit);
	return 0;
}
