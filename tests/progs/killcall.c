/* SPDX-License-Identifier: MIT */
/*
 * killcall NR[:A0] PROG ARG...: a seccomp filter that kills the process
 * at system call NR (with A0 as its first argument, if given: prctl's
 * option), any other call going through, then execv PROG: a
 * filter the new image inherits, which the runtime there did not install
 * and must not trip over with calls of its own the program never makes.
 */
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct sock_filter prog[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			 offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	/* the same, and the first argument's low half too */
	struct sock_filter prog_arg[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			 offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 0, 3),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			 offsetof(struct seccomp_data, args[0])),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog fp = { sizeof(prog) / sizeof(prog[0]), prog };
	char *colon;

	if (argc < 3) {
		fprintf(stderr, "usage: killcall NR PROG ARG...\n");
		return 2;
	}
	prog[1].k = (unsigned)atoi(argv[1]);
	colon = strchr(argv[1], ':');
	if (colon) {
		prog_arg[1].k = prog[1].k;
		prog_arg[3].k = (unsigned)atoi(colon + 1);
		fp = (struct sock_fprog){ sizeof(prog_arg) / sizeof(prog_arg[0]),
					  prog_arg };
	}
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 ||
	    syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &fp) != 0) {
		perror("seccomp filter");
		return 1;
	}
	execv(argv[2], argv + 2);
	perror("execv");
	return 1;
}
