/* SPDX-License-Identifier: MIT */
/* Finding the command, refusing what cannot be traced, starting it. */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"
#include "session/elfprobe.h"
#include "decode/oom.h"

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
 * The probe's reads (elfprobe.c: the header, the program headers, the
 * dynamic section and its strings) served from the file's first page,
 * read once: what is past it is read as asked.
 */
struct probe_file {
	int fd;
	ssize_t have;            /* -1: not read yet */
	char head[4096];
};

static long pread_fd(void *ctx, void *buf, unsigned long n, uint64_t off)
{
	struct probe_file *f = ctx;

	if (f->have < 0)
		f->have = pread(f->fd, f->head, sizeof(f->head), 0);
	/* off comes from the file: no sum that could wrap */
	if (f->have >= 0 && off <= (uint64_t)f->have &&
	    n <= (uint64_t)f->have - off) {
		memcpy(buf, f->head + off, n);
		return (long)n;
	}
	if (f->have >= 0 && off < (uint64_t)f->have &&
	    f->have < (ssize_t)sizeof(f->head)) {
		/* the file ends in its first page: what there is */
		memcpy(buf, f->head + off, (size_t)(f->have - (ssize_t)off));
		return (long)(f->have - (ssize_t)off);
	}
	return pread(f->fd, buf, n, (off_t)off);
}

/* limen_probe_image of the file open at fd */
static void probe_fd(struct limen_probe *p, int fd)
{
	struct probe_file f = { .fd = fd, .have = -1 };

	limen_probe_image(p, pread_fd, &f);
}

/*
 * The image at path, probed (0), or -1 if it cannot be opened. The last
 * answers are kept: limen_check_static and the spawn (via_loader,
 * preloaded_elf) ask about the same files a few calls apart, before the
 * command starts, and each asked the file again (an open, three reads).
 */
static struct {
	char path[sizeof(((struct limen_probe *)0)->interp)];
	struct limen_probe p;
} probed[5];
static int nprobed;

static int probe_path(const char *path, struct limen_probe *p)
{
	int fd;

	for (int i = 0; i < nprobed; i++)
		if (!strcmp(probed[i].path, path)) {
			*p = probed[i].p;
			return 0;
		}
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return -1;
	probe_fd(p, fd);
	close(fd);
	if (nprobed < (int)(sizeof(probed) / sizeof(probed[0])) &&
	    strlen(path) < sizeof(probed[0].path)) {
		snprintf(probed[nprobed].path, sizeof(probed[0].path), "%s",
			 path);
		probed[nprobed++].p = *p;
	}
	return 0;
}

/* The program ld.so is asked to run, for its ASan runtime. */
static int limen_loaded_asan(const char *prog, char *asan, size_t n)
{
	struct limen_probe p;
	struct stat st;
	int fd;

	if (stat(prog, &st) < 0 || !S_ISREG(st.st_mode))
		return 0;
	fd = open(prog, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return 0;
	probe_fd(&p, fd);
	close(fd);
	if (p.kind == LIMEN_IMAGE_DYNAMIC)
		snprintf(asan, n, "%s", p.asan);
	return 0;
}

/*
 * A program without PT_INTERP never runs ld.so, so LD_PRELOAD cannot bring
 * the runtime in: say so instead of running it untraced. Scripts are judged
 * by their interpreter (nested up to the kernel's 4 levels); the loader run
 * as a program (`/lib64/ld-linux-x86-64.so.2 PROG`) reads LD_PRELOAD like
 * any dynamic program. An ASan program needs its runtime first in the
 * preload list: its DT_NEEDED name goes to asan.
 */
int limen_check_static(const char *path, char **argv, char *asan, size_t n)
{
	struct limen_probe p;
	char cur[sizeof(p.interp)];
	const char *cmd = argv[0];

	asan[0] = 0;
	snprintf(cur, sizeof(cur), "%s", path);
	for (int depth = 0; depth < 5; depth++) {
		if (probe_path(cur, &p) < 0)
			return 0; /* let execve report it */
		switch (p.kind) {
		case LIMEN_IMAGE_SCRIPT:
			snprintf(cur, sizeof(cur), "%s", p.interp);
			continue;
		case LIMEN_IMAGE_FOREIGN:
			fprintf(stderr,
				"limen: %s: not an x86_64 program: limen traces "
				"x86_64 programs only\n", cmd);
			return -1;
		case LIMEN_IMAGE_STATIC: {
			/* limen's loader runs it (limen_spawn), without the
			   privileges the kernel would have given it */
			struct stat st;

			if (stat(cur, &st) == 0 &&
			    (st.st_mode & (S_ISUID | S_ISGID))) {
				fprintf(stderr,
					"limen: %s: set-user-ID or set-group-ID "
					"static program: limen's loader would "
					"run it without its privileges, so it "
					"is not traced\n", cmd);
				return -1;
			}
			return 0;
		}
		case LIMEN_IMAGE_DYNAMIC:
			snprintf(asan, n, "%s", p.asan);
			return 0;
		case LIMEN_IMAGE_LOADER:
			/* ld.so [OPTIONS] PROG: PROG decides about ASan */
			for (int i = 1; argv[i]; i++) {
				enum limen_ldso_arg k =
					limen_loader_option(argv[i]);

				if (k == LIMEN_LDSO_PROGRAM)
					return limen_loaded_asan(argv[i], asan,
								 n);
				if (k == LIMEN_LDSO_NO_PROGRAM)
					return 0;
				if (k == LIMEN_LDSO_VALUE && !argv[++i])
					break;
			}
			return 0;
		default:
			return 0;
		}
	}
	return 0;
}

static char **child_env(const struct limen_session *s, const char *preload,
			const char *asan, char **pre, char **ses)
{
	size_t n = 0, k = 0;
	char **env;
	const char *old = getenv("LD_PRELOAD");
	char first[64];

	while (environ[n])
		n++;
	env = calloc(n + 3, sizeof(*env));
	if (!env)
		limen_out_of_memory();
	/* an ASan runtime goes before ours (see limen_check_static); the
	   runtime hides both (init.c) */
	limen_asan_first(first, sizeof(first), old ? old : "", asan);
	if (asprintf(pre, "LD_PRELOAD=%s%s%s%s%s", first, *first ? ":" : "",
		     preload,
		     /* ':' even before an empty list: the variable
			existed, and the runtime keeps it (init.c) */
		     old ? ":" : "", old ? old : "") < 0 ||
	    /* the rendezvous socket's path last, when there is one: the
	       runtime's way from another network namespace (reach.c) */
	    asprintf(ses, "%s=%d:%d:%s%s%s", LIMEN_SESSION_ENV, (int)getpid(),
		     s->fd, preload, *limen_rendezvous_path() ? ":" : "",
		     limen_rendezvous_path()) < 0)
		limen_out_of_memory();
	for (size_t i = 0; i < n; i++) {
		/* a LIMEN_WHEN of the user's would seed the command's when=
		   counts, a LIMEN_PREV retire slots: only the runtime's own
		   notes, across an execve, are believed */
		if (!strncmp(environ[i], "LD_PRELOAD=", 11) ||
		    !strncmp(environ[i], LIMEN_SESSION_ENV "=",
			     sizeof(LIMEN_SESSION_ENV)) ||
		    !strncmp(environ[i], LIMEN_WHEN_ENV "=",
			     sizeof(LIMEN_WHEN_ENV)) ||
		    !strncmp(environ[i], LIMEN_PREV_ENV "=",
			     sizeof(LIMEN_PREV_ENV)))
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

/* -u USER: who the command runs as (set by limen_spawn_as) */
static const char *as_name;
static uid_t as_uid;
static gid_t as_gid;

void limen_spawn_as(const char *name, uid_t uid, gid_t gid)
{
	as_name = name;
	as_uid = uid;
	as_gid = gid;
}

void limen_loader_link(const char *rt, const char *dir)
{
	const char *slash = strrchr(rt, '/');
	char from[PATH_MAX], to[PATH_MAX];

	snprintf(from, sizeof(from), "%.*s%s",
		 slash ? (int)(slash - rt + 1) : 0, rt, LIMEN_LOADER_NAME);
	snprintf(to, sizeof(to), "%s/%s", dir, LIMEN_LOADER_NAME);
	if (symlink(from, to) < 0 && errno != EEXIST)
		fprintf(stderr, "limen: %s: %s\n", to, strerror(errno));
}

void limen_loader_unlink(const char *dir)
{
	char to[PATH_MAX];

	snprintf(to, sizeof(to), "%s/%s", dir, LIMEN_LOADER_NAME);
	unlink(to);
}

/*
 * By default (LIMEN_LOADER unset, or "all") dynamic programs too go
 * through limen's loader, which maps ld.so itself, so that the trace
 * starts at ld.so's first instruction (the loader's calls, the
 * constructors before liblimen's), as strace's does. LIMEN_LOADER=preload
 * ("static", its older name) keeps LD_PRELOAD for them: the trace starts
 * at liblimen's constructor.
 */
static int loader_all(void)
{
	const char *v = getenv("LIMEN_LOADER");

	return !v || (strcmp(v, "preload") && strcmp(v, "static"));
}

/*
 * limen's loader (src/loader/loader.c), next to the runtime: it runs a
 * program that never runs ld.so, told which by LIMEN_EXEC. 1: path is such
 * a program, and exe and the variable are set.
 */
static int via_loader(const char *path, const char *preload, char *exe,
		      size_t n, char **var)
{
	struct limen_probe p;
	const char *slash = strrchr(preload, '/');
	char cur[sizeof(p.interp)];
	int depth = 0;

	/* a script whose interpreter is static: the loader reads its #! */
	snprintf(cur, sizeof(cur), "%s", path);
	do {
		if (probe_path(cur, &p) < 0)
			return 0;
		if (p.kind == LIMEN_IMAGE_SCRIPT)
			snprintf(cur, sizeof(cur), "%s", p.interp);
	} while (p.kind == LIMEN_IMAGE_SCRIPT && ++depth < 5);
	if (p.kind == LIMEN_IMAGE_DYNAMIC && depth && !loader_all())
		return 0; /* a dynamic interpreter: LD_PRELOAD */
	if (p.kind != LIMEN_IMAGE_STATIC &&
	    !(p.kind == LIMEN_IMAGE_DYNAMIC && !p.asan[0] && loader_all()))
		return 0;
	snprintf(exe, n, "%.*s%s", slash ? (int)(slash - preload + 1) : 0,
		 preload, LIMEN_LOADER_NAME);
	if (access(exe, X_OK) < 0) {
		/* a one-line refusal rather than an exec error */
		fprintf(stderr, "limen: %s: statically linked, and limen's "
			"loader %s cannot be run: %s\n", path, exe,
			strerror(errno));
		exit(1);
	}
	if (asprintf(var, "%s=%s", LIMEN_EXEC_ENV, path) < 0)
		limen_out_of_memory();
	return 1;
}

/* path is a dynamic ELF program (run with LD_PRELOAD), not a script */
static int preloaded_elf(const char *path)
{
	struct limen_probe p;

	return probe_path(path, &p) == 0 && p.kind == LIMEN_IMAGE_DYNAMIC;
}

/* The signals we gave a handler (limen_spawn_caught) */
static sigset_t caught;

void limen_spawn_caught(int sig)
{
	sigaddset(&caught, sig);
}

/* In a new child, every signal blocked since before the fork: our
   handlers reset in its own table (none may run in it: a signal meant
   for the command acts as the default would), then the mask restored.
   Only those we set: a question for each of the 64 signals was 64 calls
   in every run, the rest left as the caller gave them (ignored stays
   ignored, as the command inherits it bare). */
static void child_signals(const sigset_t *old)
{
	struct sigaction dfl = { .sa_handler = SIG_DFL };

	for (int sig = 1; sig < NSIG; sig++)
		if (sigismember(&caught, sig) == 1)
			sigaction(sig, &dfl, NULL);
	pthread_sigmask(SIG_SETMASK, old, NULL);
}

/*
 * The command started by a vfork: no copy of our memory made for the exec
 * to throw away (fork copied the page tables, and every page we wrote
 * after it took a copy-on-write fault). The child runs in our memory until
 * its execve: every signal blocked, then our handlers reset in its own
 * table (none may run here), then the mask restored. The exec's error
 * comes back in our memory. -2: the exec failed (errno), the child reaped.
 */
static pid_t spawn_vfork(const char *path, char **argv, char **env)
{
	static volatile int exec_err;
	sigset_t all, old;
	pid_t pid;

	exec_err = 0;
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	pid = vfork();
	if (pid == 0) {
		child_signals(&old);
		execve(path, argv, env);
		exec_err = errno;
		_exit(exec_err == ENOENT ? 127 : 126);
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (pid > 0 && exec_err) {
		waitpid(pid, NULL, 0);
		errno = exec_err;
		pid = -2;
	}
	return pid;
}

/* The program's own LD_PRELOAD (child_env took it out) back at its place
   among the program's variables: after as many of them as came before it
   in our environment */
static void own_back(char **env)
{
	size_t at = 0, n = 0;
	const char *own = NULL;

	for (size_t i = 0; environ[i]; i++) {
		if (!strncmp(environ[i], LIMEN_SESSION_ENV "=",
			     sizeof(LIMEN_SESSION_ENV)) ||
		    !strncmp(environ[i], LIMEN_WHEN_ENV "=",
			     sizeof(LIMEN_WHEN_ENV)) ||
		    !strncmp(environ[i], LIMEN_PREV_ENV "=",
			     sizeof(LIMEN_PREV_ENV)))
			continue;
		if (!strncmp(environ[i], "LD_PRELOAD=", 11)) {
			if (!own)
				own = environ[i];
			continue;
		}
		if (!own)
			at++;
	}
	if (!own)
		return;
	while (env[n])
		n++;
	/* room: child_env's array had one more for its LD_PRELOAD */
	memmove(&env[at + 1], &env[at], (n + 1 - at) * sizeof(*env));
	env[at] = (char *)own;
}

pid_t limen_spawn(const char *path, char **argv, const struct limen_session *s,
		  const char *preload, const char *asan)
{
	char *pre, *ses, *exec_var = NULL, *first_var = NULL;
	char **env = child_env(s, preload, asan, &pre, &ses);
	int fds[2], err = 0;
	pid_t pid;
	char loader[PATH_MAX];
	sigset_t all, old;

	if (via_loader(path, preload, loader, sizeof(loader), &exec_var)) {
		size_t n = 0;

		while (env[n])
			n++;
		/* the command's first image: the loader records its execve,
		   strace's first line (src/loader/first_exec.c) */
		if (asprintf(&first_var, "%s=%s", LIMEN_FIRST_ENV, path) < 0)
			limen_out_of_memory();
		env = realloc(env, (n + 3) * sizeof(*env));
		if (!env)
			limen_out_of_memory();
		env[n] = exec_var;
		env[n + 1] = first_var;
		env[n + 2] = NULL;
		path = loader;
		/* the runtime is in the loader: not preloaded as well, the
		   program's own list as it was, where it was (the kernel
		   lays the strings out in envp's order: /proc/PID/environ
		   shows them so) */
		for (size_t i = 0; env[i]; i++) {
			if (env[i] != pre)
				continue;
			/* n + 2: the NULL after exec_var and first_var */
			memmove(&env[i], &env[i + 1],
				(n + 2 - i) * sizeof(*env));
			break;
		}
		own_back(env);
		if (loader_all())
			s->ctl->flags |= LIMEN_CTL_LOADER_ALL;
	} else {
		/* LD_PRELOAD: the runtime hides its variables by moving
		   envp's NULL up, and a program that finds its auxv past envp
		   on the stack (Go's runtime) reads the freed slots as (type,
		   value) pairs: their number stays even. Hidden: the
		   session, LD_PRELOAD unless the program has its own, and
		   LIMEN_FIRST: the runtime's constructor tells the command's
		   execve (a script's argv is its interpreter's by then: no
		   line) */
		size_t n = 0;
		int hidden = 1 + !getenv("LD_PRELOAD");

		while (env[n])
			n++;
		env = realloc(env, (n + 3) * sizeof(*env));
		if (!env)
			limen_out_of_memory();
		if (preloaded_elf(path)) {
			if (asprintf(&first_var, "%s=%s", LIMEN_FIRST_ENV,
				     path) < 0)
				limen_out_of_memory();
			env[n++] = first_var;
			hidden++;
		}
		if (hidden % 2)
			env[n++] = (char *)LIMEN_PAD_ENV "=";
		env[n] = NULL;
	}

	if (!as_name) {
		pid = spawn_vfork(path, argv, env);
		goto out;
	}
	/* -u: the child sets its groups and ids (NSS, malloc) in a copy of
	   ours. The exec's error comes back on a close-on-exec pipe (a
	   successful exec closes it, telling us nothing): stdio is not for
	   the child, whose copy of stderr's buffer would never be flushed */
	if (pipe2(fds, O_CLOEXEC) < 0)
		return -1;
	/* as in spawn_vfork: our SIGTERM handler is set before the spawn
	   (main.c), and must not catch a signal meant for the command */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	pid = fork();
	if (pid == 0) {
		child_signals(&old);
		close(fds[0]);
		/* groups first: once the uid is dropped they cannot be set */
		if (as_name && (initgroups(as_name, as_gid) < 0 ||
				setgid(as_gid) < 0 || setuid(as_uid) < 0))
			err = errno;
		else
			execve(path, argv, env);
		if (!err)
			err = errno;
		if (write(fds[1], &err, sizeof(err)) < 0)
			_exit(126);
		_exit(err == ENOENT ? 127 : 126);
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	close(fds[1]);
	if (pid > 0) {
		ssize_t r;

		while ((r = read(fds[0], &err, sizeof(err))) < 0 &&
		       errno == EINTR)
			;
		if (r == (ssize_t)sizeof(err) && err) {
			waitpid(pid, NULL, 0);
			errno = err;
			pid = -2;
		}
	}
	close(fds[0]);
out:
	free(pre);
	free(ses);
	free(exec_var);
	free(first_var);
	free(env);
	return pid;
}
