// SPDX-License-Identifier: MIT
/*
 * Unit tests of the System V IPC decoder (src/decode/ipc.c): hand-built
 * calls and captures against strace 6.1's text (each line checked with
 * strace -f on this machine, ids and addresses replaced).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decode/dec_int.h"

#include "harness.h"

/* calls by number with five arguments (the IPC calls take at most five) */
static void call_nr(unsigned long nr, uint64_t a0, uint64_t a1, uint64_t a2,
		    uint64_t a3, uint64_t a4)
{
	memset(&C, 0, sizeof(C));
	C.nr = nr;
	C.args[0] = a0;
	C.args[1] = a1;
	C.args[2] = a2;
	C.args[3] = a3;
	C.args[4] = a4;
	O.strsize = 32;
}

#define ERR(e) ret(-(int64_t)(e))

static void put16(uint8_t *p, uint16_t v) { memcpy(p, &v, 2); }
static void put32(uint8_t *p, uint32_t v) { memcpy(p, &v, 4); }
static void put64(uint8_t *p, uint64_t v) { memcpy(p, &v, 8); }

#define P1 0x7ffc1234a000ULL
#define IPC_64 0x100

/* struct ipc64_perm at p */
static void mkperm(uint8_t *p, int32_t key, uint32_t uid, uint32_t gid,
		   uint32_t mode)
{
	memset(p, 0, 48);
	put32(p, (uint32_t)key);
	put32(p + 4, uid);
	put32(p + 8, gid);
	put32(p + 12, uid);
	put32(p + 16, gid);
	put32(p + 20, mode);
}

static void t_get(void)
{
	call_nr(LIMEN_NR_shmget, 0, 4096, 01000 | 0600, 0, 0);
	ret(3);
	check("shmget IPC_PRIVATE", "shmget(IPC_PRIVATE, 4096, IPC_CREAT|0600) = 3");
	call_nr(LIMEN_NR_shmget, 0x1234, 4096, 0, 0, 0);
	ERR(2);
	check("shmget flags 0",
	      "shmget(0x1234, 4096, 000) = -1 ENOENT (No such file or directory)");
	call_nr(LIMEN_NR_shmget, 0x1234, 4096, 01000 | 02000 | 04000 | (21u << 26) | 0600,
	     0, 0);
	ERR(12);
	check("shmget hugetlb size",
	      "shmget(0x1234, 4096, IPC_CREAT|IPC_EXCL|SHM_HUGETLB|21<<SHM_HUGE_SHIFT|0600)"
	      " = -1 ENOMEM (Cannot allocate memory)");
	call_nr(LIMEN_NR_shmget, 0x1234, 4096, 0x80000000u | 0600, 0, 0);
	ERR(2);
	check("shmget huge size only",
	      "shmget(0x1234, 4096, 32<<SHM_HUGE_SHIFT|0600)"
	      " = -1 ENOENT (No such file or directory)");
	call_nr(LIMEN_NR_shmget, 0x12345678abcdULL, UINT64_MAX, 010000, 0, 0);
	ERR(2);
	check("shmget key 32-bit, SHM_NORESERVE",
	      "shmget(0x5678abcd, 18446744073709551615, SHM_NORESERVE|000)"
	      " = -1 ENOENT (No such file or directory)");
	call_nr(LIMEN_NR_semget, 0x1234, (uint64_t)-1, 0, 0, 0);
	ERR(22);
	check("semget", "semget(0x1234, -1, 000) = -1 EINVAL (Invalid argument)");
	call_nr(LIMEN_NR_semget, 0x1234, 3, 01000 | 04000 | 01777, 0, 0);
	ret(1);
	check("semget IPC_NOWAIT", "semget(0x1234, 3, IPC_CREAT|IPC_NOWAIT|0777) = 1");
	call_nr(LIMEN_NR_msgget, 0xffffffffffffffffULL, 0x200000, 0, 0, 0);
	ERR(2);
	check("msgget unknown flag: no | before the mode",
	      "msgget(0xffffffff, 0x200000000) = -1 ENOENT (No such file or directory)");
}

static void t_shm(void)
{
	uint8_t ds[112], info[72];

	call_nr(LIMEN_NR_shmat, 2, 0, 010000, 0, 0);
	ret((int64_t)P1);
	check("shmat", "shmat(2, NULL, SHM_RDONLY) = 0x7ffc1234a000");
	call_nr(LIMEN_NR_shmat, 2, 0x1000, 0x10000 | 010000, 0, 0);
	ret(0x1000);
	check("shmat leftover", "shmat(2, 0x1000, SHM_RDONLY|0x10000) = 0x1000");
	call_nr(LIMEN_NR_shmat, 2, 0, 0x10000, 0, 0);
	ERR(22);
	check("shmat unknown only",
	      "shmat(2, NULL, 0x10000 /* SHM_??? */) = -1 EINVAL (Invalid argument)");
	call_nr(LIMEN_NR_shmdt, P1, 0, 0, 0, 0);
	ret(0);
	check("shmdt", "shmdt(0x7ffc1234a000) = 0");

	mkperm(ds, 0x5151, 0, 0, 03640);
	put64(ds + 48, 4096);
	put64(ds + 56, 1795316073);
	put64(ds + 64, 0);
	put64(ds + 72, 1795316074);
	put32(ds + 80, 21532);
	put32(ds + 84, 21533);
	put64(ds + 88, 2);
	call_nr(LIMEN_NR_shmctl, 2, 2, P1, 0, 0);
	IN(2, "", 0);
	OUT(2, ds, sizeof(ds));
	ret(0);
	check("shmctl IPC_STAT",
	      "shmctl(2, IPC_STAT, {shm_perm={uid=0, gid=0, mode=03640, key=20817, "
	      "cuid=0, cgid=0}, shm_segsz=4096, shm_cpid=21532, shm_lpid=21533, "
	      "shm_nattch=2, shm_atime=1795316073, shm_dtime=0, "
	      "shm_ctime=1795316074}) = 0");
	call_nr(LIMEN_NR_shmctl, 2, 15, P1, 0, 0);
	OUT(2, ds, sizeof(ds));
	ret(2);
	check("shmctl SHM_STAT_ANY",
	      "shmctl(2, SHM_STAT_ANY, {shm_perm={uid=0, gid=0, mode=03640, key=20817, "
	      "cuid=0, cgid=0}, shm_segsz=4096, shm_cpid=21532, shm_lpid=21533, "
	      "shm_nattch=2, shm_atime=1795316073, shm_dtime=0, "
	      "shm_ctime=1795316074}) = 2");
	call_nr(LIMEN_NR_shmctl, 999, 2, P1, 0, 0);
	ERR(22);
	check("shmctl IPC_STAT failed",
	      "shmctl(999, IPC_STAT, 0x7ffc1234a000) = -1 EINVAL (Invalid argument)");
	call_nr(LIMEN_NR_shmctl, 2, 2, P1, 0, 0);
	check("shmctl IPC_STAT not returned", "shmctl(2, IPC_STAT, 0x7ffc1234a000) = ?");
	call_nr(LIMEN_NR_shmctl, 2, 2, P1, 0, 0);
	OUT(2, ds, 40);
	ret(0);
	check("shmctl IPC_STAT short capture",
	      "shmctl(2, IPC_STAT, 0x7ffc1234a000) = 0");
	mkperm(ds, 0, UINT32_MAX, 5, 0);
	call_nr(LIMEN_NR_shmctl, 999, IPC_64 | 1, P1, 0, 0);
	IN(2, ds, sizeof(ds));
	ERR(22);
	check("shmctl IPC_64|IPC_SET, shown though failed",
	      "shmctl(999, IPC_64|IPC_SET, {shm_perm={uid=-1, gid=5, mode=000}})"
	      " = -1 EINVAL (Invalid argument)");
	call_nr(LIMEN_NR_shmctl, 999, 1, 8, 0, 0);
	C.cap_in[2].flags = LIMEN_BLOB_PRESENT | LIMEN_BLOB_FAULT;
	ERR(14);
	check("shmctl IPC_SET bad pointer",
	      "shmctl(999, IPC_SET, 0x8) = -1 EFAULT (Bad address)");
	call_nr(LIMEN_NR_shmctl, 2, 0, 0, 0, 0);
	ret(0);
	check("shmctl IPC_RMID", "shmctl(2, IPC_RMID, NULL) = 0");
	call_nr(LIMEN_NR_shmctl, 2, 11, 0, 0, 0);
	ret(0);
	check("shmctl SHM_LOCK", "shmctl(2, SHM_LOCK, NULL) = 0");
	call_nr(LIMEN_NR_shmctl, 2, IPC_64 | 11, 0, 0, 0);
	ERR(22);
	check("shmctl IPC_64|SHM_LOCK",
	      "shmctl(2, IPC_64|SHM_LOCK, NULL) = -1 EINVAL (Invalid argument)");
	call_nr(LIMEN_NR_shmctl, 2, 0x63, 0, 0, 0);
	ERR(22);
	check("shmctl unknown command",
	      "shmctl(2, 0x63 /* SHM_??? */, NULL) = -1 EINVAL (Invalid argument)");
	for (int k = 0; k < 9; k++)
		put64(info + 8 * k, k == 0 || k == 4 ? 18446744073692774399ULL :
			       k == 1 ? 1 : 4096);
	call_nr(LIMEN_NR_shmctl, 2, 3, P1, 0, 0);
	OUT(2, info, 72);
	ret(2);
	check("shmctl IPC_INFO",
	      "shmctl(2, IPC_INFO, {shmmax=18446744073692774399, shmmin=1, "
	      "shmmni=4096, shmseg=4096, shmall=18446744073692774399}) = 2");
	memset(info, 0, sizeof(info));
	put32(info, 1);
	put64(info + 8, 3);
	put64(info + 16, 1);
	call_nr(LIMEN_NR_shmctl, 2, 14, P1, 0, 0);
	OUT(2, info, 48);
	ret(2);
	check("shmctl SHM_INFO",
	      "shmctl(2, SHM_INFO, {used_ids=1, shm_tot=3, shm_rss=1, shm_swp=0, "
	      "swap_attempts=0, swap_successes=0}) = 2");
}

static void t_sem(void)
{
	uint8_t ops[36], ds[104], info[40], ts[16];
	static const int16_t v[6][3] = { { 0, 1, 0 }, { 1, 2, 04000 },
		{ 2, -3, 010000 | 04000 }, { 3, 4, 0x10 }, { 4, 5, 0 },
		{ 0, 0, 0 } };
	int k;

	for (k = 0; k < 6; k++) {
		put16(ops + 6 * k, (uint16_t)v[k][0]);
		put16(ops + 6 * k + 2, (uint16_t)v[k][1]);
		put16(ops + 6 * k + 4, (uint16_t)v[k][2]);
	}
	call_nr(LIMEN_NR_semop, 4, P1, 5, 0, 0);
	IN(1, ops, 30);
	ERR(11);
	check("semop",
	      "semop(4, [{sem_num=0, sem_op=1, sem_flg=0}, {sem_num=1, sem_op=2, "
	      "sem_flg=IPC_NOWAIT}, {sem_num=2, sem_op=-3, sem_flg=SEM_UNDO|IPC_NOWAIT}, "
	      "{sem_num=3, sem_op=4, sem_flg=0x10 /* SEM_??? */}, {sem_num=4, "
	      "sem_op=5, sem_flg=0}], 5) = -1 EAGAIN (Resource temporarily unavailable)");
	call_nr(LIMEN_NR_semop, 4, P1, 5, 0, 0);
	IN(1, ops, 30);
	O.strsize = 4;
	ERR(11);
	check("semop -s 4",
	      "semop(4, [{sem_num=0, sem_op=1, sem_flg=0}, {sem_num=1, sem_op=2, "
	      "sem_flg=IPC_NOWAIT}, {sem_num=2, sem_op=-3, sem_flg=SEM_UNDO|IPC_NOWAIT}, "
	      "{sem_num=3, sem_op=4, sem_flg=0x10 /* SEM_??? */}, ...], 5)"
	      " = -1 EAGAIN (Resource temporarily unavailable)");
	call_nr(LIMEN_NR_semop, 4, P1, 0x100000001ULL, 0, 0);
	IN(1, ops + 30, 6);
	ERR(22);
	check("semop nsops is 32-bit",
	      "semop(4, [{sem_num=0, sem_op=0, sem_flg=0}], 1) = -1 EINVAL (Invalid argument)");
	call_nr(LIMEN_NR_semop, 4, P1, 0, 0, 0);
	IN(1, "", 0);
	ERR(22);
	check("semop empty", "semop(4, [], 0) = -1 EINVAL (Invalid argument)");
	call_nr(LIMEN_NR_semop, 4, 0, 0, 0, 0);
	ERR(22);
	check("semop NULL", "semop(4, NULL, 0) = -1 EINVAL (Invalid argument)");
	call_nr(LIMEN_NR_semop, 4, 8, 1, 0, 0);
	C.cap_in[1].flags = LIMEN_BLOB_PRESENT | LIMEN_BLOB_FAULT;
	ERR(14);
	check("semop bad pointer", "semop(4, 0x8, 1) = -1 EFAULT (Bad address)");
	put64(ts, 1);
	put64(ts + 8, 5);
	call_nr(LIMEN_NR_semtimedop, 4, P1, 1, P1 + 64, 0);
	IN(1, ops + 30, 6);
	IN(3, ts, 16);
	ret(0);
	check("semtimedop",
	      "semtimedop(4, [{sem_num=0, sem_op=0, sem_flg=0}], 1, "
	      "{tv_sec=1, tv_nsec=5}) = 0");
	call_nr(LIMEN_NR_semtimedop, 4, P1, 1, 0, 0);
	IN(1, ops + 30, 6);
	ret(0);
	check("semtimedop NULL",
	      "semtimedop(4, [{sem_num=0, sem_op=0, sem_flg=0}], 1, NULL) = 0");

	call_nr(LIMEN_NR_semctl, 4, 0, 17, P1, 0);
	ret(0);
	check("semctl SETALL: the pointer", "semctl(4, 0, SETALL, 0x7ffc1234a000) = 0");
	call_nr(LIMEN_NR_semctl, 4, 1, 16, 5, 0);
	ret(0);
	check("semctl SETVAL", "semctl(4, 1, SETVAL, 0x5) = 0");
	call_nr(LIMEN_NR_semctl, 4, (uint64_t)-1, 16, (uint64_t)-1, 0);
	ERR(34);
	check("semctl SETVAL -1",
	      "semctl(4, -1, SETVAL, 0xffffffffffffffff) = -1 ERANGE (Numerical result out of range)");
	call_nr(LIMEN_NR_semctl, 4, 1, 12, 0, 0);
	ret(5);
	check("semctl GETVAL", "semctl(4, 1, GETVAL, NULL) = 5");
	call_nr(LIMEN_NR_semctl, 4, 1, 11, 0, 0);
	ret(21532);
	check("semctl GETPID", "semctl(4, 1, GETPID, NULL) = 21532");
	call_nr(LIMEN_NR_semctl, 4, 0, 0x77, 0, 0);
	ERR(22);
	check("semctl unknown",
	      "semctl(4, 0, 0x77 /* SEM_??? */, NULL) = -1 EINVAL (Invalid argument)");
	mkperm(ds, 21074, 0, 0, 0600);
	memset(ds + 48, 0, 56);
	put64(ds + 48, 1795316741);
	put64(ds + 64, 1795316742);
	put64(ds + 80, 5);
	call_nr(LIMEN_NR_semctl, 4, 0, 2, P1, 0);
	OUT(3, ds, 104);
	ret(0);
	check("semctl IPC_STAT",
	      "semctl(4, 0, IPC_STAT, {sem_perm={uid=0, gid=0, mode=0600, key=21074, "
	      "cuid=0, cgid=0}, sem_otime=1795316741, sem_ctime=1795316742, "
	      "sem_nsems=5}) = 0");
	call_nr(LIMEN_NR_semctl, 4, 0, IPC_64 | 2, P1, 0);
	ERR(22);
	check("semctl IPC_64|IPC_STAT",
	      "semctl(4, 0, IPC_64|IPC_STAT, 0x7ffc1234a000) = -1 EINVAL (Invalid argument)");
	call_nr(LIMEN_NR_semctl, 99999, 0, 1, P1, 0);
	IN(3, ds, 104);
	ERR(22);
	check("semctl IPC_SET",
	      "semctl(99999, 0, IPC_SET, {sem_perm={uid=0, gid=0, mode=0600}})"
	      " = -1 EINVAL (Invalid argument)");
	for (k = 0; k < 10; k++)
		put32(info + 4 * k, (uint32_t)(k + 1) * 10);
	call_nr(LIMEN_NR_semctl, 4, 0, 19, P1, 0);
	OUT(3, info, 40);
	ret(4);
	check("semctl SEM_INFO",
	      "semctl(4, 0, SEM_INFO, {semmap=10, semmni=20, semmns=30, semmnu=40, "
	      "semmsl=50, semopm=60, semume=70, semusz=80, semvmx=90, semaem=100}) = 4");
}

static void t_msg(void)
{
	uint8_t mb[8 + 40], ds[120], info[32];

	put64(mb, 7);
	memcpy(mb + 8, "x\ty\n\"z\001\0aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", 40);
	call_nr(LIMEN_NR_msgsnd, 2, P1, 8, 0, 0);
	IN(1, mb, 16);
	ret(0);
	check("msgsnd", "msgsnd(2, {mtype=7, mtext=\"x\\ty\\n\\\"z\\1\\0\"}, 8, 0) = 0");
	call_nr(LIMEN_NR_msgsnd, 2, P1, 8, 0, 0);
	IN(1, mb, 12);
	O.strsize = 4;
	ret(0);
	check("msgsnd -s 4", "msgsnd(2, {mtype=7, mtext=\"x\\ty\\n\"...}, 8, 0) = 0");
	call_nr(LIMEN_NR_msgsnd, 2, P1, 0, 0x100000, 0);
	IN(1, mb, 8);
	ERR(22);
	check("msgsnd empty, unknown flag",
	      "msgsnd(2, {mtype=7, mtext=\"\"}, 0, 0x100000 /* MSG_??? */)"
	      " = -1 EINVAL (Invalid argument)");
	call_nr(LIMEN_NR_msgsnd, 2, P1, 5000, 04000 | 0x10, 0);
	IN(1, mb, 40);
	ret(0);
	check("msgsnd long",
	      "msgsnd(2, {mtype=7, mtext=\"x\\ty\\n\\\"z\\1\\0aaaaaaaaaaaaaaaaaaaaaaaa\"...}, "
	      "5000, IPC_NOWAIT|0x10) = 0");
	call_nr(LIMEN_NR_msgsnd, 2, 8, 8, 0, 0);
	C.cap_in[1].flags = LIMEN_BLOB_PRESENT | LIMEN_BLOB_FAULT;
	ERR(14);
	check("msgsnd bad pointer", "msgsnd(2, 0x8, 8, 0) = -1 EFAULT (Bad address)");
	/* msgrcv shows msgsz bytes (cut at -s), whatever it returned */
	call_nr(LIMEN_NR_msgrcv, 2, P1, 64, 0, 04000 | 040000);
	OUT(1, mb, 40);
	ret(0);
	check("msgrcv MSG_COPY",
	      "msgrcv(2, {mtype=7, mtext=\"x\\ty\\n\\\"z\\1\\0aaaaaaaaaaaaaaaaaaaaaaaa\"...}, "
	      "64, 0, MSG_COPY|IPC_NOWAIT) = 0");
	call_nr(LIMEN_NR_msgrcv, 2, P1, 64, (uint64_t)-10, 04000 | 0x100000);
	ERR(7);
	check("msgrcv failed",
	      "msgrcv(2, 0x7ffc1234a000, 64, -10, IPC_NOWAIT|0x100000)"
	      " = -1 E2BIG (Argument list too long)");
	call_nr(LIMEN_NR_msgrcv, 2, P1, 64, 3, 010000 | 020000);
	OUT(1, mb, 12);
	ret(4);
	O.strsize = 4;
	check("msgrcv -s 4",
	      "msgrcv(2, {mtype=7, mtext=\"x\\ty\\n\"...}, 64, 3, MSG_NOERROR|MSG_EXCEPT) = 4");

	mkperm(ds, 21331, 0, 0, 0600);
	memset(ds + 48, 0, 72);
	put64(ds + 48, 11);
	put64(ds + 56, 12);
	put64(ds + 64, 13);
	put64(ds + 80, 1);
	put64(ds + 88, 16384);
	put32(ds + 96, 100);
	put32(ds + 100, 101);
	call_nr(LIMEN_NR_msgctl, 2, 2, P1, 0, 0);
	OUT(2, ds, 120);
	ret(0);
	check("msgctl IPC_STAT",
	      "msgctl(2, IPC_STAT, {msg_perm={uid=0, gid=0, mode=0600, key=21331, "
	      "cuid=0, cgid=0}, msg_stime=11, msg_rtime=12, msg_ctime=13, msg_qnum=1, "
	      "msg_qbytes=16384, msg_lspid=100, msg_lrpid=101}) = 0");
	call_nr(LIMEN_NR_msgctl, 2, 1, P1, 0, 0);
	IN(2, ds, 120);
	ret(0);
	check("msgctl IPC_SET",
	      "msgctl(2, IPC_SET, {msg_perm={uid=0, gid=0, mode=0600}, "
	      "msg_qbytes=16384}) = 0");
	for (int k = 0; k < 7; k++)
		put32(info + 4 * k, (uint32_t)k);
	put16(info + 28, 65535);
	call_nr(LIMEN_NR_msgctl, 2, 12, P1, 0, 0);
	OUT(2, info, 32);
	ret(1);
	check("msgctl MSG_INFO",
	      "msgctl(2, MSG_INFO, {msgpool=0, msgmap=1, msgmax=2, msgmnb=3, "
	      "msgmni=4, msgssz=5, msgtql=6, msgseg=65535}) = 1");
	call_nr(LIMEN_NR_msgctl, 2, 0x55, 0, 0, 0);
	ERR(22);
	check("msgctl unknown",
	      "msgctl(2, 0x55 /* MSG_??? */, NULL) = -1 EINVAL (Invalid argument)");
	call_nr(LIMEN_NR_msgctl, 2, 0, 0, 0, 0);
	ret(0);
	check("msgctl IPC_RMID", "msgctl(2, IPC_RMID, NULL) = 0");
}

static void is_out(const char *name, unsigned i, int want)
{
	int got = dsp_ipc_arg_is_out(&C, i);

	ntest++;
	if (got == want) {
		printf("ok %d - is_out %s\n", ntest, name);
	} else {
		nfail++;
		printf("not ok %d - is_out %s # got %d want %d\n", ntest, name,
		       got, want);
	}
}

/* which arguments print after "resumed>" in a split line */
static void t_is_out(void)
{
	call_nr(LIMEN_NR_shmctl, 2, 2, P1, 0, 0);
	is_out("shmctl IPC_STAT buf", 2, 1);
	call_nr(LIMEN_NR_shmctl, 2, 1, P1, 0, 0);
	is_out("shmctl IPC_SET buf", 2, 0);
	call_nr(LIMEN_NR_msgctl, 2, 12, P1, 0, 0);
	is_out("msgctl MSG_INFO buf", 2, 1);
	call_nr(LIMEN_NR_semctl, 2, 0, 19, P1, 0);
	is_out("semctl SEM_INFO arg", 3, 1);
	call_nr(LIMEN_NR_semctl, 2, 0, 17, P1, 0);
	is_out("semctl SETALL arg", 3, 0);
	call_nr(LIMEN_NR_msgrcv, 2, P1, 8, 0, 0);
	is_out("msgrcv msgp", 1, 1);
	call_nr(LIMEN_NR_msgsnd, 2, P1, 8, 0, 0);
	is_out("msgsnd msgp", 1, 0);
	call_nr(LIMEN_NR_read, 0, P1, 8, 0, 0);
	is_out("not IPC", 1, -1);
}

int main(void)
{
	t_get();
	t_is_out();
	t_shm();
	t_sem();
	t_msg();
	printf("1..%d\n", ntest);
	return nfail ? 1 : 0;
}
