/* SPDX-License-Identifier: MIT */
/*
 * System V IPC family, end to end: shmget shmat shmctl shmdt, semget semop
 * semtimedop semctl, msgget msgsnd msgrcv msgctl. Each call is made with raw
 * syscall() and known arguments, and the exact line `limen trace` must print
 * for it (strace 6.1's rendering) is written to argv[2] (see
 * tests/syscalls/fam_ipc.t). argv[1] is unused (the family's common calling
 * convention); argv[3], if given, is the -s value limen runs with. The
 * structs the kernel fills (IPC_STAT, IPC_INFO ...) are printed from what the
 * program itself got. Exits non-zero if a call does not behave as expected,
 * 77 if the kernel has no System V IPC. Every object made is removed.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <time.h>
#include <unistd.h>

#include "fam.h"

/* --- kernel structs, read at the x86_64 kernel ABI offsets --------------- */
static unsigned long long u64(const void *p, size_t off)
{
	unsigned long long v;
	memcpy(&v, (const char *)p + off, 8);
	return v;
}

static unsigned u32(const void *p, size_t off)
{
	unsigned v;
	memcpy(&v, (const char *)p + off, 4);
	return v;
}

/* struct ipc64_perm: "xxx_perm={uid=0, gid=0, mode=0600, key=..., ...}" */
static const char *perm(const char *name, const void *p, int set)
{
	char *o = scratch();
	int n = sprintf(o, "%s={uid=%u, gid=%u, mode=%#03o", name, u32(p, 4),
			u32(p, 8), u32(p, 20));
	if (!set)
		n += sprintf(o + n, ", key=%d, cuid=%u, cgid=%u", (int)u32(p, 0),
			     u32(p, 12), u32(p, 16));
	sprintf(o + n, "}");
	return o;
}

static const char *shmds(const void *p)
{
	char *o = scratch();
	sprintf(o, "{%s, shm_segsz=%llu, shm_cpid=%d, shm_lpid=%d, "
		"shm_nattch=%llu, shm_atime=%lld, shm_dtime=%lld, shm_ctime=%lld}",
		perm("shm_perm", p, 0), u64(p, 48), (int)u32(p, 80),
		(int)u32(p, 84), u64(p, 88), (long long)u64(p, 56),
		(long long)u64(p, 64), (long long)u64(p, 72));
	return o;
}

static const char *msqds(const void *p)
{
	char *o = scratch();
	sprintf(o, "{%s, msg_stime=%lld, msg_rtime=%lld, msg_ctime=%lld, "
		"msg_qnum=%llu, msg_qbytes=%llu, msg_lspid=%d, msg_lrpid=%d}",
		perm("msg_perm", p, 0), (long long)u64(p, 48),
		(long long)u64(p, 56), (long long)u64(p, 64), u64(p, 80),
		u64(p, 88), (int)u32(p, 96), (int)u32(p, 100));
	return o;
}

static const char *semds(const void *p)
{
	char *o = scratch();
	sprintf(o, "{%s, sem_otime=%lld, sem_ctime=%lld, sem_nsems=%llu}",
		perm("sem_perm", p, 0), (long long)u64(p, 48),
		(long long)u64(p, 64), u64(p, 80));
	return o;
}

/* struct sembuf array, at most -s elements shown */
static const char *sembufs(const struct sembuf *s, unsigned n)
{
	char *o = scratch();
	int k, len = sprintf(o, "[");
	for (k = 0; k < (int)n; k++) {
		const char *fl;
		char fb[64];
		if (k)
			len += sprintf(o + len, ", ");
		if (k >= strsize) {
			len += sprintf(o + len, "...");
			break;
		}
		switch (s[k].sem_flg) {
		case 0: fl = "0"; break;
		case SEM_UNDO: fl = "SEM_UNDO"; break;
		case IPC_NOWAIT: fl = "IPC_NOWAIT"; break;
		case SEM_UNDO | IPC_NOWAIT: fl = "SEM_UNDO|IPC_NOWAIT"; break;
		default:
			sprintf(fb, "%#x /* SEM_??? */", (unsigned short)s[k].sem_flg);
			fl = fb;
		}
		len += sprintf(o + len, "{sem_num=%u, sem_op=%d, sem_flg=%s}",
			       s[k].sem_num, s[k].sem_op, fl);
	}
	sprintf(o + len, "]");
	return o;
}

/* struct msgbuf: mtext is msgsz bytes cut at -s (msgrcv too) */
struct msg { long mtype; char mtext[200]; };
static const char *msgb(const struct msg *m, size_t msgsz)
{
	char *o = scratch();
	sprintf(o, "{mtype=%ld, mtext=%s}", m->mtype, qs(m->mtext, msgsz));
	return o;
}
/* --- end of structs ------------------------------------------------------ */

int main(int argc, char **argv)
{
	unsigned char ds[128], info[128];
	struct sembuf ops[6] = {
		{ 0, 1, 0 }, { 1, 2, IPC_NOWAIT }, { 2, 3, SEM_UNDO },
		{ 0, -1, SEM_UNDO | IPC_NOWAIT }, { 1, 1, 0x10 }, { 2, 1, 0 },
	};
	unsigned short vals[3] = { 4, 5, 6 };
	struct timespec ts = { 0, 1000 };
	struct msg m, rm;
	int shm, sem, msq, key = 0x4c000000 | (getpid() & 0xffffff);
	void *at;
	long r;

	if (argc < 3) {
		fprintf(stderr, "usage: %s WORKDIR EXPECTED [STRSIZE]\n", argv[0]);
		return 2;
	}
	if (argc > 3)
		strsize = atoi(argv[3]);

	/* --- shared memory ---------------------------------------------- */
	shm = S(SYS_shmget, IPC_PRIVATE, 8192, IPC_CREAT | 0600);
	if (shm < 0 && last_errno == ENOSYS)
		return 77;
	CHECK(shm >= 0);
	E("shmget(IPC_PRIVATE, 8192, IPC_CREAT|0600) = %s", R(shm));
	r = S(SYS_shmget, key, 4096, IPC_CREAT | IPC_EXCL | SHM_NORESERVE | 0640);
	CHECK(r >= 0);
	E("shmget(%#x, 4096, IPC_CREAT|IPC_EXCL|SHM_NORESERVE|0640) = %s", key, R(r));
	int shm2 = r;
	r = S(SYS_shmget, key, 4096, 0);
	CHECK(r == shm2);
	E("shmget(%#x, 4096, 000) = %s", key, R(r));
	r = S(SYS_shmget, key, 4096, IPC_CREAT | IPC_EXCL | 0600);
	CHECK(r == -1 && last_errno == EEXIST);
	E("shmget(%#x, 4096, IPC_CREAT|IPC_EXCL|0600) = %s", key, R(r));
	/* the huge page size bits: N<<SHM_HUGE_SHIFT (no such key) */
	r = S(SYS_shmget, key + 1, 4096, (21 << 26) | 0600);
	CHECK(r == -1 && last_errno == ENOENT);
	E("shmget(%#x, 4096, 21<<SHM_HUGE_SHIFT|0600) = %s", key + 1, R(r));

	at = (void *)S(SYS_shmat, shm, NULL, SHM_RDONLY);
	CHECK(at != (void *)-1);
	E("shmat(%d, NULL, SHM_RDONLY) = %p", shm, at);
	r = S(SYS_shmat, shm, NULL, SHM_RND | SHM_REMAP | SHM_EXEC);
	CHECK(r == -1 && last_errno == EINVAL);
	E("shmat(%d, NULL, SHM_RND|SHM_REMAP|SHM_EXEC) = %s", shm, R(r));
	r = S(SYS_shmat, shm, NULL, 0x100000);
	CHECK(r == -1 || r > 0);
	if (r > 0)
		E("shmat(%d, NULL, 0x100000 /* SHM_??? */) = %#lx", shm, r);
	else
		E("shmat(%d, NULL, 0x100000 /* SHM_??? */) = %s", shm, R(r));
	if (r > 0) {
		S(SYS_shmdt, r);
		E("shmdt(%#lx) = 0", r);
	}

	r = S(SYS_shmctl, shm, IPC_STAT, ds);
	CHECK(r == 0);
	E("shmctl(%d, IPC_STAT, %s) = %s", shm, shmds(ds), R(r));
	r = S(SYS_shmctl, shm, IPC_SET, ds);
	CHECK(r == 0);
	E("shmctl(%d, IPC_SET, {%s}) = %s", shm, perm("shm_perm", ds, 1), R(r));
	r = S(SYS_shmctl, shm2, IPC_STAT, ds);
	CHECK(r == 0);
	E("shmctl(%d, IPC_STAT, %s) = %s", shm2, shmds(ds), R(r));
	r = S(SYS_shmctl, shm, IPC_INFO, info);
	CHECK(r >= 0);
	E("shmctl(%d, IPC_INFO, {shmmax=%llu, shmmin=%llu, shmmni=%llu, "
	  "shmseg=%llu, shmall=%llu}) = %s", shm, u64(info, 0), u64(info, 8),
	  u64(info, 16), u64(info, 24), u64(info, 32), R(r));
	r = S(SYS_shmctl, shm, SHM_INFO, info);
	CHECK(r >= 0);
	E("shmctl(%d, SHM_INFO, {used_ids=%d, shm_tot=%llu, shm_rss=%llu, "
	  "shm_swp=%llu, swap_attempts=%llu, swap_successes=%llu}) = %s", shm,
	  (int)u32(info, 0), u64(info, 8), u64(info, 16), u64(info, 24),
	  u64(info, 32), u64(info, 40), R(r));
	r = S(SYS_shmctl, shm, IPC_STAT | 0x100, ds);
	CHECK(r == -1 && last_errno == EINVAL);
	E("shmctl(%d, IPC_64|IPC_STAT, %s) = %s", shm, P(ds), R(r));
	r = S(SYS_shmctl, shm, 0x63, NULL);
	CHECK(r == -1 && last_errno == EINVAL);
	E("shmctl(%d, 0x63 /* SHM_??? */, NULL) = %s", shm, R(r));
	r = S(SYS_shmctl, shm, IPC_STAT, (void *)8);
	CHECK(r == -1 && last_errno == EFAULT);
	E("shmctl(%d, IPC_STAT, 0x8) = %s", shm, R(r));
	r = S(SYS_shmctl, shm, IPC_SET, (void *)8);
	CHECK(r == -1 && last_errno == EFAULT);
	E("shmctl(%d, IPC_SET, 0x8) = %s", shm, R(r));
	/* IPC_SET is shown at entry, even when the call fails */
	r = S(SYS_shmctl, -1, IPC_SET, ds);
	CHECK(r == -1 && last_errno == EINVAL);
	E("shmctl(-1, IPC_SET, {%s}) = %s", perm("shm_perm", ds, 1), R(r));
	r = S(SYS_shmctl, shm, IPC_RMID, NULL);
	CHECK(r == 0);
	E("shmctl(%d, IPC_RMID, NULL) = %s", shm, R(r));
	r = S(SYS_shmdt, at);
	CHECK(r == 0);
	E("shmdt(%s) = %s", P(at), R(r));
	r = S(SYS_shmdt, NULL);
	CHECK(r == -1 && last_errno == EINVAL);
	E("shmdt(NULL) = %s", R(r));
	r = S(SYS_shmctl, shm2, IPC_RMID, NULL);
	CHECK(r == 0);
	E("shmctl(%d, IPC_RMID, NULL) = %s", shm2, R(r));

	/* --- semaphores ------------------------------------------------- */
	sem = S(SYS_semget, IPC_PRIVATE, 3, IPC_CREAT | 0600);
	CHECK(sem >= 0);
	E("semget(IPC_PRIVATE, 3, IPC_CREAT|0600) = %s", R(sem));
	r = S(SYS_semget, key, 2, 0);
	CHECK(r == -1 && last_errno == ENOENT);
	E("semget(%#x, 2, 000) = %s", key, R(r));
	r = S(SYS_semop, sem, ops, 3);
	CHECK(r == 0);
	E("semop(%d, %s, 3) = %s", sem, sembufs(ops, 3), R(r));
	r = S(SYS_semop, sem, ops + 3, 1);
	CHECK(r == 0);
	E("semop(%d, %s, 1) = %s", sem, sembufs(ops + 3, 1), R(r));
	/* six operations, more than -s 4 shows; the kernel ignores the
	   unknown sem_flg bit 0x10 */
	r = S(SYS_semop, sem, ops, 6);
	CHECK(r == 0);
	E("semop(%d, %s, 6) = %s", sem, sembufs(ops, 6), R(r));
	r = S(SYS_semop, sem, ops, 0);
	CHECK(r == -1 && last_errno == EINVAL);
	E("semop(%d, [], 0) = %s", sem, R(r));
	r = S(SYS_semop, sem, (void *)8, 1);
	CHECK(r == -1 && last_errno == EFAULT);
	E("semop(%d, 0x8, 1) = %s", sem, R(r));
	r = S(SYS_semtimedop, sem, ops + 5, 1, &ts);
	CHECK(r == 0);
	E("semtimedop(%d, %s, 1, {tv_sec=0, tv_nsec=1000}) = %s", sem,
	  sembufs(ops + 5, 1), R(r));
	r = S(SYS_semtimedop, sem, ops + 5, 1, NULL);
	CHECK(r == 0);
	E("semtimedop(%d, %s, 1, NULL) = %s", sem, sembufs(ops + 5, 1), R(r));
	r = S(SYS_semtimedop, sem, ops + 5, 1, (void *)8);
	CHECK(r == -1 && last_errno == EFAULT);
	E("semtimedop(%d, %s, 1, 0x8) = %s", sem, sembufs(ops + 5, 1), R(r));
	/* waits on sem 1 becoming 0: times out */
	{
		struct sembuf w = { 1, 0, 0 };
		r = S(SYS_semtimedop, sem, &w, 1, &ts);
		CHECK(r == -1 && last_errno == EAGAIN);
		E("semtimedop(%d, %s, 1, {tv_sec=0, tv_nsec=1000}) = %s", sem,
		  sembufs(&w, 1), R(r));
	}
	r = S(SYS_semctl, sem, 0, SETALL, vals);
	CHECK(r == 0);
	E("semctl(%d, 0, SETALL, %s) = %s", sem, P(vals), R(r));
	r = S(SYS_semctl, sem, 0, GETALL, vals);
	CHECK(r == 0);
	E("semctl(%d, 0, GETALL, %s) = %s", sem, P(vals), R(r));
	r = S(SYS_semctl, sem, 1, SETVAL, 9);
	CHECK(r == 0);
	E("semctl(%d, 1, SETVAL, 0x9) = %s", sem, R(r));
	r = S(SYS_semctl, sem, 1, GETVAL, 0);
	CHECK(r == 9);
	E("semctl(%d, 1, GETVAL, NULL) = %s", sem, R(r));
	r = S(SYS_semctl, sem, 1, GETPID, 0);
	CHECK(r == getpid());
	E("semctl(%d, 1, GETPID, NULL) = %s", sem, R(r));
	r = S(SYS_semctl, sem, 2, GETNCNT, 0);
	CHECK(r == 0);
	E("semctl(%d, 2, GETNCNT, NULL) = %s", sem, R(r));
	r = S(SYS_semctl, sem, 2, GETZCNT, 0);
	CHECK(r == 0);
	E("semctl(%d, 2, GETZCNT, NULL) = %s", sem, R(r));
	r = S(SYS_semctl, sem, 0, IPC_STAT, ds);
	CHECK(r == 0);
	E("semctl(%d, 0, IPC_STAT, %s) = %s", sem, semds(ds), R(r));
	r = S(SYS_semctl, sem, 0, IPC_SET, ds);
	CHECK(r == 0);
	E("semctl(%d, 0, IPC_SET, {%s}) = %s", sem, perm("sem_perm", ds, 1), R(r));
	r = S(SYS_semctl, sem, 0, IPC_INFO, info);
	CHECK(r >= 0);
	{
		char *o = scratch();
		int k, n = 0;
		static const char *const f[] = { "semmap", "semmni", "semmns",
			"semmnu", "semmsl", "semopm", "semume", "semusz",
			"semvmx", "semaem" };
		for (k = 0; k < 10; k++)
			n += sprintf(o + n, "%s%s=%d", k ? ", " : "", f[k],
				     (int)u32(info, 4 * k));
		E("semctl(%d, 0, IPC_INFO, {%s}) = %s", sem, o, R(r));
	}
	r = S(SYS_semctl, sem, 0, 0x77, 0);
	CHECK(r == -1 && last_errno == EINVAL);
	E("semctl(%d, 0, 0x77 /* SEM_??? */, NULL) = %s", sem, R(r));
	r = S(SYS_semctl, sem, 0, IPC_STAT | 0x100, ds);
	CHECK(r == -1 && last_errno == EINVAL);
	E("semctl(%d, 0, IPC_64|IPC_STAT, %s) = %s", sem, P(ds), R(r));
	r = S(SYS_semctl, sem, 0, IPC_RMID, 0);
	CHECK(r == 0);
	E("semctl(%d, 0, IPC_RMID, NULL) = %s", sem, R(r));

	/* --- message queues --------------------------------------------- */
	msq = S(SYS_msgget, IPC_PRIVATE, IPC_CREAT | 0600);
	CHECK(msq >= 0);
	E("msgget(IPC_PRIVATE, IPC_CREAT|0600) = %s", R(msq));
	r = S(SYS_msgget, key, IPC_EXCL | 0644);
	CHECK(r == -1 && last_errno == ENOENT);
	E("msgget(%#x, IPC_EXCL|0644) = %s", key, R(r));
	memset(&m, 'z', sizeof m);
	m.mtype = 7;
	memcpy(m.mtext, "hi\tthere\n\"q\"\001\0002", 15);
	r = S(SYS_msgsnd, msq, &m, 15, 0);
	CHECK(r == 0);
	E("msgsnd(%d, %s, 15, 0) = %s", msq, msgb(&m, 15), R(r));
	m.mtype = 3;
	memcpy(m.mtext, "0123456789abcdefghijklmnopqrstuvwxyzABCDEF", 42);
	r = S(SYS_msgsnd, msq, &m, 42, IPC_NOWAIT);
	CHECK(r == 0);
	E("msgsnd(%d, %s, 42, IPC_NOWAIT) = %s", msq, msgb(&m, 42), R(r));
	m.mtype = 0;
	r = S(SYS_msgsnd, msq, &m, 4, 0);
	CHECK(r == -1 && last_errno == EINVAL);
	E("msgsnd(%d, %s, 4, 0) = %s", msq, msgb(&m, 4), R(r));
	r = S(SYS_msgsnd, msq, (void *)8, 4, 0);
	CHECK(r == -1 && last_errno == EFAULT);
	E("msgsnd(%d, 0x8, 4, 0) = %s", msq, R(r));
	r = S(SYS_msgctl, msq, IPC_STAT, ds);
	CHECK(r == 0);
	E("msgctl(%d, IPC_STAT, %s) = %s", msq, msqds(ds), R(r));
	r = S(SYS_msgctl, msq, IPC_SET, ds);
	CHECK(r == 0);
	E("msgctl(%d, IPC_SET, {%s, msg_qbytes=%llu}) = %s", msq,
	  perm("msg_perm", ds, 1), u64(ds, 88), R(r));
	r = S(SYS_msgctl, msq, MSG_INFO, info);
	CHECK(r >= 0);
	E("msgctl(%d, MSG_INFO, {msgpool=%d, msgmap=%d, msgmax=%d, msgmnb=%d, "
	  "msgmni=%d, msgssz=%d, msgtql=%d, msgseg=%u}) = %s", msq,
	  (int)u32(info, 0), (int)u32(info, 4), (int)u32(info, 8),
	  (int)u32(info, 12), (int)u32(info, 16), (int)u32(info, 20),
	  (int)u32(info, 24), u32(info, 28) & 0xffff, R(r));
	/* msgrcv shows msgsz bytes of the buffer (cut at -s), not the return */
	memset(&rm, '.', sizeof rm);
	r = S(SYS_msgrcv, msq, &rm, 100, 3, MSG_NOERROR);
	CHECK(r == 42);
	E("msgrcv(%d, %s, 100, 3, MSG_NOERROR) = %s", msq, msgb(&rm, 100), R(r));
	r = S(SYS_msgrcv, msq, &rm, 4, 0, IPC_NOWAIT);
	CHECK(r == -1 && last_errno == E2BIG);
	E("msgrcv(%d, %s, 4, 0, IPC_NOWAIT) = %s", msq, P(&rm), R(r));
	/* types <= 1: none */
	r = S(SYS_msgrcv, msq, &rm, 15, -1L, IPC_NOWAIT);
	CHECK(r == -1 && last_errno == ENOMSG);
	E("msgrcv(%d, %s, 15, -1, IPC_NOWAIT) = %s", msq, P(&rm), R(r));
	memset(&rm, '.', sizeof rm);
	r = S(SYS_msgrcv, msq, &rm, 15, 3, IPC_NOWAIT | MSG_EXCEPT);
	CHECK(r == 15);
	E("msgrcv(%d, %s, 15, 3, MSG_EXCEPT|IPC_NOWAIT) = %s", msq, msgb(&rm, 15),
	  R(r));
	r = S(SYS_msgrcv, msq, &rm, 15, 0, IPC_NOWAIT | 0x100000);
	CHECK(r == -1 && last_errno == ENOMSG);
	E("msgrcv(%d, %s, 15, 0, IPC_NOWAIT|0x100000) = %s", msq, P(&rm), R(r));
	r = S(SYS_msgsnd, msq, &m, 0, 0x100000);
	CHECK(r == -1 && last_errno == EINVAL);
	E("msgsnd(%d, {mtype=0, mtext=\"\"}, 0, 0x100000 /* MSG_??? */) = %s", msq, R(r));
	r = S(SYS_msgctl, msq, 0x55, NULL);
	CHECK(r == -1 && last_errno == EINVAL);
	E("msgctl(%d, 0x55 /* MSG_??? */, NULL) = %s", msq, R(r));
	r = S(SYS_msgctl, msq, IPC_RMID, NULL);
	CHECK(r == 0);
	E("msgctl(%d, IPC_RMID, NULL) = %s", msq, R(r));

	write_expected(argv[2]);
	return failures ? 1 : 0;
}
