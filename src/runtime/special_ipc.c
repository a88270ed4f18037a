/* SPDX-License-Identifier: MIT */
/*
 * System V IPC arguments whose size depends on the command or on another
 * argument (type special in tables/syscalls.tbl): how many bytes to capture.
 * The decoder (decode/ipc.c) prints them as strace 6.1 does:
 *
 *  msgsnd msgp (in), msgrcv msgp (out): struct msgbuf, the 8-byte mtype and
 *    the text. strace shows min(msgsz, -s) bytes of text, for msgrcv too
 *    (msgsz, not the return value), so that is all we take.
 *  shmctl, msgctl, semctl buffer: by command. IPC_SET: the *id_ds struct at
 *    entry; IPC_STAT and the *_STAT(_ANY) commands: the *id_ds struct at
 *    exit; IPC_INFO and the *_INFO commands: the info struct at exit.
 *    Other commands (semctl GETALL/SETALL included) show only the pointer.
 *    A command with IPC_64 (0x100) fails on x86_64 and shows the pointer.
 */
#include "rt.h"

/* Sizes in the x86_64 kernel ABI (checked with sizeof against the uapi
   headers of Linux 6.1). */
#define SHMINFO64_SIZE 72u  /* struct shminfo64 (shmctl IPC_INFO) */
#define SHM_INFO_SIZE 48u   /* struct shm_info (shmctl SHM_INFO) */
#define MSGINFO_SIZE 32u    /* struct msginfo (msgctl IPC_INFO, MSG_INFO) */
#define SEMINFO_SIZE 40u    /* struct seminfo (semctl IPC_INFO, SEM_INFO) */
#define MSG_MTYPE_SIZE 8u   /* long mtype, before mtext */

enum {
	IPC_RMID_ = 0, IPC_SET_ = 1, IPC_STAT_ = 2, IPC_INFO_ = 3,
	IPC_64_ = 0x100, /* strace decodes IPC_64|IPC_SET as IPC_SET */
	/* shmctl */
	SHM_STAT_ = 13, SHM_INFO_ = 14, SHM_STAT_ANY_ = 15,
	/* msgctl */
	MSG_STAT_ = 11, MSG_INFO_ = 12, MSG_STAT_ANY_ = 13,
	/* semctl */
	SEM_STAT_ = 18, SEM_INFO_ = 19, SEM_STAT_ANY_ = 20,
};

/*
 * The buffer of an *ctl call: ds is the size of its *id_ds struct, info
 * that of the info struct of IPC_INFO and xinfo, stat/stat_any/xinfo the
 * family's own commands (-1: none).
 */
static uint64_t ctl_len(int cmd, int at_exit, uint64_t ds, uint64_t info,
			int stat, int stat_any, int xinfo)
{
	if (cmd == IPC_SET_)
		return at_exit ? 0 : ds;
	if (!at_exit)
		return 0;
	if (cmd == IPC_STAT_ || cmd == stat || cmd == stat_any)
		return ds;
	if (cmd == IPC_INFO_ || cmd == xinfo)
		return info;
	return 0;
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
	if (se == &limen_sysent[LIMEN_NR_shmctl]) {
		/* SHM_INFO fills a struct shm_info, not a shminfo64 */
		if ((int)a[1] == SHM_INFO_)
			return at_exit ? SHM_INFO_SIZE : 0;
		return ctl_len((int)a[1] & ~IPC_64_, at_exit,
			       LIMEN_ST_shmid_ds_SIZE, SHMINFO64_SIZE,
			       SHM_STAT_, SHM_STAT_ANY_, -1);
	}
	if (se == &limen_sysent[LIMEN_NR_msgctl])
		return ctl_len((int)a[1] & ~IPC_64_, at_exit,
			       LIMEN_ST_msqid_ds_SIZE, MSGINFO_SIZE,
			       MSG_STAT_, MSG_STAT_ANY_, MSG_INFO_);
	if (se == &limen_sysent[LIMEN_NR_semctl])
		return ctl_len((int)a[2] & ~IPC_64_, at_exit,
			       LIMEN_ST_semid_ds_SIZE, SEMINFO_SIZE,
			       SEM_STAT_, SEM_STAT_ANY_, SEM_INFO_);
	return 0;
}
