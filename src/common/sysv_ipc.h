/* SPDX-License-Identifier: MIT */
/*
 * System V IPC *ctl commands, in one place for both sides: which buffer
 * shmctl, msgctl and semctl read or fill for a command, in which direction
 * and how big it is. The runtime captures by it (runtime/special_ipc.c), the
 * decoder prints by it (decode/ipc.c), so what is captured is what is shown.
 *
 * libc-free: the runtime includes it.
 */
#ifndef LIMEN_SYSV_IPC_H
#define LIMEN_SYSV_IPC_H

#include <stdint.h>

#include "systab.h"

enum limen_ipc_fam { LIMEN_IPC_SHM, LIMEN_IPC_MSG, LIMEN_IPC_SEM };

enum limen_ipc_buf {
	LIMEN_IPCB_NONE = 0, /* only the pointer is shown */
	LIMEN_IPCB_DS,       /* the family's *id64_ds: IPC_SET in, STAT out */
	LIMEN_IPCB_INFO,     /* IPC_INFO (and MSG_INFO, SEM_INFO): *info */
	LIMEN_IPCB_SHM_INFO, /* shmctl SHM_INFO: struct shm_info */
};

struct limen_ipc_ctl {
	uint8_t buf;   /* enum limen_ipc_buf */
	uint8_t dir;   /* LIMEN_DIR_IN (at entry), LIMEN_DIR_OUT (at exit), 0 */
	uint16_t size; /* bytes, x86_64 kernel ABI */
};

#define LIMEN_IPC_64 0x100u        /* strace decodes IPC_64|IPC_SET as IPC_SET */
#define LIMEN_SHMINFO64_SIZE 72u   /* struct shminfo64 (shmctl IPC_INFO) */
#define LIMEN_SHM_INFO_SIZE 48u    /* struct shm_info (shmctl SHM_INFO) */
#define LIMEN_MSGINFO_SIZE 32u     /* struct msginfo (msgctl IPC_INFO, MSG_INFO) */
#define LIMEN_SEMINFO_SIZE 40u     /* struct seminfo (semctl IPC_INFO, SEM_INFO) */

/*
 * The buffer of command cmd of family fam, IPC_64 ignored: IPC_SET (1) reads
 * the *id_ds at entry; IPC_STAT (2) and the family's STAT and STAT_ANY
 * commands fill it; IPC_INFO (3) and the family's INFO command fill an info
 * struct. Other commands (semctl GETALL/SETALL included) show the pointer.
 */
static inline struct limen_ipc_ctl limen_ipc_ctl(enum limen_ipc_fam fam,
						 uint32_t cmd)
{
	/* SHM_STAT 13 SHM_INFO 14 SHM_STAT_ANY 15; MSG_STAT 11 MSG_INFO 12
	   MSG_STAT_ANY 13; SEM_STAT 18 SEM_INFO 19 SEM_STAT_ANY 20 */
	static const uint8_t stat[] = { 13, 11, 18 }, xinfo[] = { 14, 12, 19 },
			     stat_any[] = { 15, 13, 20 };
	static const uint16_t ds[] = { LIMEN_ST_shmid_ds_SIZE,
		LIMEN_ST_msqid_ds_SIZE, LIMEN_ST_semid_ds_SIZE };
	static const uint16_t info[] = { LIMEN_SHMINFO64_SIZE,
		LIMEN_MSGINFO_SIZE, LIMEN_SEMINFO_SIZE };
	struct limen_ipc_ctl r = { LIMEN_IPCB_NONE, 0, 0 };
	uint32_t c = cmd & ~LIMEN_IPC_64;

	if (c == 1) {
		r.buf = LIMEN_IPCB_DS;
		r.dir = LIMEN_DIR_IN;
		r.size = ds[fam];
	} else if (c == 2 || c == stat[fam] || c == stat_any[fam]) {
		r.buf = LIMEN_IPCB_DS;
		r.dir = LIMEN_DIR_OUT;
		r.size = ds[fam];
	} else if (fam == LIMEN_IPC_SHM && c == xinfo[fam]) {
		r.buf = LIMEN_IPCB_SHM_INFO;
		r.dir = LIMEN_DIR_OUT;
		r.size = LIMEN_SHM_INFO_SIZE;
	} else if (c == 3 || c == xinfo[fam]) {
		r.buf = LIMEN_IPCB_INFO;
		r.dir = LIMEN_DIR_OUT;
		r.size = info[fam];
	}
	return r;
}

#endif
