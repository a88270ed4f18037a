/* SPDX-License-Identifier: MIT */
/*
 * execve with argv and envp that cannot be read whole, each in a fork and
 * a vfork child (its reads of the parent's memory are process_vm_readv):
 * a string pointer into an unmapped page, a string running into one, an
 * array running into one with no NULL, an array pointer that is unmapped;
 * and an environment of 100 variables (more than limen captures). Every
 * exec but the last fails with EFAULT; the program prints each child's
 * exit status.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

static void run(const char *what, int v, const char *path, char **argv,
		char **envp)
{
	pid_t p;
	int st;

	fflush(stdout);
	p = v ? vfork() : fork();
	if (p == 0) {
		execve(path, argv, envp);
		_exit(100 + errno);
	}
	waitpid(p, &st, 0);
	printf("%s %s: %d\n", what, v ? "vfork" : "fork",
	       WIFEXITED(st) ? WEXITSTATUS(st) : -1);
}

int main(void)
{
	long pg = sysconf(_SC_PAGESIZE);
	char *m = mmap(NULL, 4 * pg, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	static char vars[100][8];
	char *big[101];

	if (m == MAP_FAILED)
		return 1;
	/* pages: m readable, m + pg unmapped, m + 2pg readable, m + 3pg
	   unmapped */
	munmap(m + pg, pg);
	munmap(m + 3 * pg, pg);
	/* "abcde" with no NUL before the hole */
	char *runs = m + pg - 5;
	memcpy(runs, "abcde", 5);
	char *hole = m + pg + 8;
	char **arr = (char **)(m + 3 * pg - 16);
	char *a[] = { "/bin/true", NULL, NULL };
	char *e[] = { "A=1", NULL, NULL };
	char *noargv[] = { "/bin/true", NULL };

	for (int i = 0; i < 100; i++) {
		snprintf(vars[i], sizeof(vars[i]), "V%02d=x", i);
		big[i] = vars[i];
	}
	big[100] = NULL;
	for (int v = 0; v < 2; v++) {
		a[1] = hole;
		run("argv-string-unmapped", v, "/bin/true", a, e);
		a[1] = runs;
		run("argv-string-runs-into-hole", v, "/bin/true", a, e);
		a[1] = NULL;
		e[1] = hole;
		run("envp-string-unmapped", v, "/bin/true", a, e);
		e[1] = runs;
		run("envp-string-runs-into-hole", v, "/bin/true", a, e);
		e[1] = NULL;
		arr[0] = "/bin/true";
		arr[1] = "x";
		run("argv-unterminated", v, "/bin/true", arr, e);
		arr[0] = "A=1";
		arr[1] = "B=2";
		run("envp-unterminated", v, "/bin/true", noargv, arr);
		run("argv-unmapped", v, "/bin/true", (char **)hole, e);
		run("envp-unmapped", v, "/bin/true", noargv, (char **)hole);
	}
	run("envp-100-vars", 0, "/bin/true", noargv, big);
	return 0;
}
