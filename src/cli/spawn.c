/* SPDX-License-Identifier: MIT */
/* Finding the command, refusing what cannot be traced, starting it. */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

extern char **environ;

static int executable(const char *p)
{
	struct stat st;

	if (stat(p, &st) < 0)
		return -errno;
	if (S_ISDIR(st.st_mode))
		return -EACCES;
	if (access(p, X_OK) < 0)
		return -errno;
	return 0;
}

/* PATH search as execvp does it; returns 0 or -errno. */
int limen_resolve(const char *cmd, char *out, size_t n)
{
	const char *path = getenv("PATH");
	int err = -ENOENT;

	if (strchr(cmd, '/')) {
		snprintf(out, n, "%s", cmd);
		return executable(out);
	}
	if (!path)
		path = "/usr/local/bin:/usr/bin:/bin";
	while (*path) {
		const char *e = strchr(path, ':');
		size_t len = e ? (size_t)(e - path) : strlen(path);
		int r;

		snprintf(out, n, "%.*s%s%s", (int)len, len ? path : ".",
			 "/", cmd);
		r = executable(out);
		if (r == 0)
			return 0;
		if (r == -EACCES)
			err = r;
		path += len + (e != NULL);
	}
	return err;
}

/*
 * A program without PT_INTERP never runs ld.so, so LD_PRELOAD cannot bring
 * the runtime in: say so instead of running it untraced. Scripts are judged
 * by their interpreter.
 */
int limen_check_static(const char *path, const char *cmd)
{
	unsigned char buf[4096];
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	Elf64_Ehdr *eh = (void *)buf;

	if (fd < 0)
		return 0; /* let execve report it */
	n = read(fd, buf, sizeof(buf));
	close(fd);
	if (n >= 2 && buf[0] == '#' && buf[1] == '!') {
		char interp[256];

		if (sscanf((char *)buf + 2, " %255s", interp) == 1)
			return limen_check_static(interp, cmd);
		return 0;
	}
	if (n < (ssize_t)sizeof(*eh) || memcmp(buf, ELFMAG, SELFMAG))
		return 0;
	if (buf[EI_CLASS] != ELFCLASS64 || eh->e_machine != EM_X86_64) {
		fprintf(stderr,
			"limen: %s: not an x86_64 program: limen traces "
			"x86_64 programs only\n", cmd);
		return -1;
	}
	for (unsigned i = 0; i < eh->e_phnum; i++) {
		Elf64_Phdr ph;
		off_t off = (off_t)(eh->e_phoff + (uint64_t)i * eh->e_phentsize);

		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			return 0;
		n = pread(fd, &ph, sizeof(ph), off);
		close(fd);
		if (n != sizeof(ph))
			return 0;
		if (ph.p_type == PT_INTERP)
			return 0;
	}
	fprintf(stderr,
		"limen: %s: statically linked: limen loads its runtime with "
		"LD_PRELOAD, which a static program never reads, so it cannot "
		"be traced yet\n", cmd);
	return -1;
}

static char **child_env(const struct limen_session *s, const char *preload,
			char **pre, char **ses)
{
	size_t n = 0, k = 0;
	char **env;
	const char *old = getenv("LD_PRELOAD");

	while (environ[n])
		n++;
	env = calloc(n + 3, sizeof(*env));
	if (!env)
		abort();
	if (asprintf(pre, "LD_PRELOAD=%s%s%s", preload,
		     old && *old ? ":" : "", old ? old : "") < 0 ||
	    asprintf(ses, "%s=%d:%d:%s", LIMEN_SESSION_ENV, (int)getpid(),
		     s->fd, preload) < 0)
		abort();
	for (size_t i = 0; i < n; i++) {
		if (!strncmp(environ[i], "LD_PRELOAD=", 11) ||
		    !strncmp(environ[i], LIMEN_SESSION_ENV "=",
			     sizeof(LIMEN_SESSION_ENV)))
			continue;
		env[k++] = environ[i];
	}
	/* ours last: the kernel lays the strings out in this order, so once
	   the runtime hides them the program's strings are still contiguous
	   with argv's (perl, for one, checks that before reusing the area) */
	env[k++] = *pre;
	env[k++] = *ses;
	env[k] = NULL;
	return env;
}

pid_t limen_spawn(const char *path, char **argv, const struct limen_session *s,
		  const char *preload)
{
	char *pre, *ses;
	char **env = child_env(s, preload, &pre, &ses);
	pid_t pid = fork();

	if (pid == 0) {
		execve(path, argv, env);
		fprintf(stderr, "limen: %s: %s\n", argv[0], strerror(errno));
		_exit(errno == ENOENT ? 127 : 126);
	}
	free(pre);
	free(ses);
	free(env);
	return pid;
}
